package io.flowpay.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The hardening prelude, evaluated once in each script thread's global (see {@link Sandbox}). It
 * evaluates to {@code setup(tableJson, javaNamesJson)}, which Java calls once: it strips the Nashorn
 * extensions that reach Java or the file system, disables {@code eval} and {@code Function}, shadows the
 * Java members of primitives, builds the facades ({@code ctx}, {@code stripe}, {@code flow}, {@code log})
 * once, then freezes everything reachable from the global, the global included. On the way it takes
 * away what freezing leaves open (see {@code plainErrors}, {@code noSharedSlots}, {@code globalView}):
 * Java exceptions on errors, hidden state behind Error.prototype's accessors, internal slots of shared
 * built-ins. It returns {@code {run, unchanged}}: {@code unchanged()} is the check after every run (all
 * shared objects still frozen, no shared array longer, no internal slot moved), and
 * {@code run(factory, host, inputJson, metaJson, replyJson, budget)}, which Java calls for every run:
 * it points the facades and the loop guard at this run's {@link Host} and {@link RunBudget}, clears
 * the RegExp statics, and calls the flow's factory ({@link LoopGuard}) with the run's names.
 *
 * <p>The JavaScript is {@code script/prelude.js} on the classpath, read once when this class loads.
 *
 * <p>The run's host and budget sit in closure variables of this function only: no flow code can
 * reach or set them. The host takes and returns strings: {@code "+"} followed by the result, or
 * {@code "!"} followed by an error message that becomes a JS {@code Error}.
 */
final class Prelude {

  static final String FILE = "flowpay:prelude";

  static final String RESOURCE = "/script/prelude.js";

  static final String SOURCE = read();

  private Prelude() {}

  private static String read() {
    try (InputStream in = Prelude.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (it ships in the Flowpay jar)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + RESOURCE, e);
    }
  }
}
