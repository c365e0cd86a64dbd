package io.flowpay.script;

import io.flowpay.flow.Caller;
import io.flowpay.flow.Task;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A benchmark, not a test: what the check after each run ({@code Sandbox.Global.unchanged}) costs, next to
 * a whole run of the bench's main flow on a reused global. Thread CPU time, after warm-up. Run with
 * {@code java -cp target/flowpay.jar:target/test-classes io.flowpay.script.GlobalCheckCost}.
 */
final class GlobalCheckCost {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private GlobalCheckCost() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    Path flows = Files.createTempDirectory("flowpay-check-cost");
    Files.writeString(flows.resolve("main.js"), "ctx.set('order', input.order);\n"
        + "stripe.paymentIntents.create({amount: input.amount, currency: 'usd'}, {carry: {order: input.order}});");
    EngineParts parts = new EngineParts(flows);
    FlowEngine engine = parts.engine;
    Task task = Task.main("main", "w1", "order_1", Caller.API, new JsonObject().put("order", 42).put("amount", 2000));
    for (int i = 0; i < runs / 2; i++) {
      engine.run(task, Map.of());
    }
    long start = THREADS.getCurrentThreadCpuTime();
    for (int i = 0; i < runs; i++) {
      engine.run(task, Map.of());
    }
    double perRun = (THREADS.getCurrentThreadCpuTime() - start) / 1000.0 / runs;
    Sandbox.Global global = parts.sandbox.global();
    for (int i = 0; i < runs; i++) {
      global.unchanged();
    }
    start = THREADS.getCurrentThreadCpuTime();
    boolean all = true;
    for (int i = 0; i < runs; i++) {
      all &= global.unchanged();
    }
    double perCheck = (THREADS.getCurrentThreadCpuTime() - start) / 1000.0 / runs;
    System.out.printf("%d runs: %.1f us CPU per run (check included), %.1f us per check (%s), globals built: %d%n",
        runs, perRun, perCheck, all ? "all unchanged" : "CHANGED", parts.globalsBuilt());
  }
}
