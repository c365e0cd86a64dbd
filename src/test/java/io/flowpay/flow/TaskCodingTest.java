package io.flowpay.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A task's JSON text in Redis, written and read without decoding its input. */
class TaskCodingTest {

  static List<Object> inputs() {
    return Arrays.asList(
        new JsonObject().put("id", "pi_1").put("amount", 2000).put("metadata", new JsonObject().put("order", "ö \"q\" }{")),
        new JsonArray().add(1).add("two").addNull().add(new JsonObject()),
        "a string with \"quotes\", a } and a \\ backslash",
        12345678901234L,
        -1.5e3,
        true,
        false,
        null,
        new JsonObject());
  }

  @ParameterizedTest
  @MethodSource("inputs")
  void decodeReadsWhatToJsonWrote(Object input) {
    Task task = Task.main("main", "w1", "ctx-1", Caller.CLI, input);

    Task read = Task.decode(task.toJson().encode());

    assertEquals(task, read);
    assertEquals(task.toJson(), read.toJson());
  }

  @ParameterizedTest
  @MethodSource("inputs")
  void aTaskReadFromTextIsWrittenBackWithItsInputUnchanged(Object input) {
    Task task = Task.main("main", "w1", "ctx-1", Caller.CLI, input);
    String text = task.toJson().encode();

    Task again = Task.decode(Task.decode(text).encode());

    assertEquals(task, again);
    assertEquals(task.toJson(), again.toJson());
  }

  @Test
  void stripesAnswerTextTravelsAsIsIntoTheReplyTask() {
    String stripeText = "{\n  \"id\": \"pi_3\",\n  \"object\": \"payment_intent\",\n  \"amount\": 2000\n}";
    RawJson answer = RawJson.object(stripeText);
    Task origin = Task.main("main", "w1", "ctx-1", Caller.CLI, null);
    Task reply = origin.child("main_response", "w1", "ctx-1", Caller.STRIPE, answer,
        new Reply(true, new JsonObject().put("call_id", "c1"), null));

    Task read = Task.decode(reply.encode());

    assertEquals(stripeText, read.inputJson(), "the text Stripe sent, byte for byte");
    assertEquals(new JsonObject().put("id", "pi_3").put("object", "payment_intent").put("amount", 2000), read.input());
    assertEquals(reply, read);
  }

  @Test
  void anAnswerWhoseStringsHoldBracketsQuotesAndBackslashesIsReadWhole() {
    String stripeText = "{\"id\": \"pi_4\", \"description\": \"ends in a backslash \\\\\", "
        + "\"metadata\": {\"note\": \"\\\"}, ] { [ \\\" ,\"}, \"charges\": [{\"id\": \"ch_1\"}, []]}\n";
    Task origin = Task.main("main", "w1", "ctx-1", Caller.CLI, null);
    Task reply = origin.child("main_response", "w1", "ctx-1", Caller.STRIPE, RawJson.object(stripeText),
        new Reply(true, new JsonObject().put("call_id", "c1"), null));

    Task read = Task.decode(reply.encode());

    assertEquals(stripeText.strip().length(), RawJson.endOfStructure(stripeText, 0), "found where the object ends");
    assertEquals(reply.input(), read.input());
    assertEquals("ends in a backslash \\", ((JsonObject) read.input()).getString("description"));
    assertEquals(reply, read);
  }

  @Test
  void onlyOneJsonObjectCountsAsAStripeObject() {
    assertNull(RawJson.object("<html>502 Bad Gateway</html>"));
    assertNull(RawJson.object("[1, 2]"));
    assertNull(RawJson.object("{\"id\": 1} trailing"));
    assertNull(RawJson.object("{\"id\": "));
    assertNull(RawJson.object(""));
    assertEquals(new JsonObject().put("id", 1), RawJson.object(" {\"id\": 1} ").value());
  }

  @Test
  void textThatIsNotATaskObjectIsRefused() {
    assertThrows(DecodeException.class, () -> Task.decode("[1]"));
    assertThrows(DecodeException.class, () -> Task.decode("{\"task_id\": \"t\""));
    assertThrows(DecodeException.class, () -> Task.decode("{\"task_id\": \"t\"} {}"));
    assertThrows(DecodeException.class, () -> Task.decode("not json"));
    assertThrows(DecodeException.class, () -> Task.decode("{\"task_id\": \"t\", \"reply\": {\"call\": [1, {\"a\": "));
    assertThrows(DecodeException.class, () -> Task.decode("{\"input\": {\"id\": 1}, \"task_id\": "));
    assertThrows(DecodeException.class, () -> Task.decode("{\"input\": {\"id\": 1}, \"input\": {}}"));
  }
}
