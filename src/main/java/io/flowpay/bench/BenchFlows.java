package io.flowpay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The flows the benchmark runs: a main flow that makes one Stripe call, and the response flow that
 * writes the answer into the context. Both answer flows also dispatch a {@code bench_done} task to
 * a sink worker that no node serves: the bench reads that stream to see a hop completed.
 */
final class BenchFlows {

  static final String MAIN = "bench_main";
  static final String DONE = "bench_done";

  private static final String MAIN_SOURCE = """
      ctx.set('order_id', input.order_id);
      stripe.paymentIntents.create({amount: input.amount, currency: input.currency,
        metadata: {order_id: input.order_id}});
      """;

  private BenchFlows() {}

  /** The main flow; the floor evaluates the same text. */
  static String main() {
    return MAIN_SOURCE;
  }

  /** The response flow; the ceiling and the floor evaluate the same text. */
  static String response(String sinkWorker) {
    return """
        ctx.set('payment_intent', response.id);
        ctx.set('status', response.status);
        flow.dispatch('%s', {ok: true}, {worker: '%s'});
        """.formatted(DONE, sinkWorker);
  }

  private static String error(String sinkWorker) {
    return """
        log.warn('bench call failed: ' + error.error.type + ' ' + error.error.message);
        flow.dispatch('%s', {ok: false}, {worker: '%s'});
        """.formatted(DONE, sinkWorker);
  }

  /** Writes the flows into a new temporary folder and returns it. */
  static Path write(String sinkWorker) {
    try {
      Path dir = Files.createTempDirectory("flowpay-bench-flows");
      Files.writeString(dir.resolve(MAIN + ".js"), MAIN_SOURCE);
      Files.writeString(dir.resolve("new_create_payment_intent_response.js"), response(sinkWorker));
      Files.writeString(dir.resolve("new_create_payment_intent_error.js"), error(sinkWorker));
      // No node serves the sink worker, so this never runs; it exists so that the check finds the dispatch's target.
      Files.writeString(dir.resolve(DONE + ".js"), "// the bench reads the sink worker's stream; this flow never runs\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the bench flows to a temporary folder", e);
    }
  }

  static void delete(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }
}
