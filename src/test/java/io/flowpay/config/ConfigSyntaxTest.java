package io.flowpay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.flowpay.failure.FlowpayFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSyntaxTest {

  @TempDir
  Path dir;

  @Test
  void aConfigThatIsNotJsonNamesTheLineAndColumn() throws IOException {
    Path file = Files.writeString(dir.resolve("flowpay.json"), "{\n  \"workers\": [\"w1\"],\n  \"redis\": {\"url\": \"redis://x\"\n"
        + "  \"flowsDir\": \"flows\"\n}\n");
    FlowpayFailure failure = assertThrows(FlowpayFailure.class, () -> FlowpayOptions.load(file, Map.of()));
    assertEquals(file + ": is not a JSON object (line 4, column 3): Unexpected character ('\"' (code 34)): was expecting"
        + " comma to separate Object entries", failure.getMessage());
  }
}
