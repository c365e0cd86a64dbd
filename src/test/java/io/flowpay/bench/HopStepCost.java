package io.flowpay.bench;

import io.flowpay.flow.Call;
import io.flowpay.flow.Caller;
import io.flowpay.flow.RawJson;
import io.flowpay.flow.RunRecord;
import io.flowpay.flow.RunResult;
import io.flowpay.flow.Task;
import io.flowpay.script.FlowEngine;
import io.flowpay.standin.StripeFixtures;
import io.flowpay.stripe.StripeForm;
import io.flowpay.stripe.StripeResources;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark, not a test: what the Flowpay-owned steps of one bench hop cost on one thread, in thread CPU
 * time and bytes allocated (the JVM's exact per-thread counter), after warm-up: the two runs of the bench's
 * flows, the JSON each commit carries, the answer task, the form body. What it leaves out is the I/O around
 * them (Vert.x, Netty, the Redis and HTTP clients, the hand-offs between threads). Each step's figure includes
 * reading the two counters, which the first line measures alone. Run with
 * {@code java -cp target/flowpay.jar:target/test-classes io.flowpay.bench.HopStepCost [hops]}.
 */
final class HopStepCost {

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final Map<String, long[]> steps = new LinkedHashMap<>();
  private long cpu;
  private long bytes;

  private HopStepCost() {}

  public static void main(String[] args) throws Exception {
    int hops = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    Path flows = BenchFlows.write("sink-1");
    FlowEngine engine = new FlowEngine(flows, StripeResources.standard());
    String answer = StripeFixtures.load().object("payment_intent").put("amount", 2000)
        .put("status", "requires_payment_method").encodePrettily();
    for (int round = 0; round < 3; round++) {
      HopStepCost cost = new HopStepCost();
      for (int i = 0; i < hops; i++) {
        cost.hop(engine, answer, i);
      }
      if (round > 0) {
        System.out.printf("round %d, %d hops, per hop:%n", round, hops);
        cost.steps.forEach((step, sum) -> System.out.printf("  %-44s %6.1f us %7d B%n", step, sum[0] / 1e3 / sum[2],
            sum[1] / sum[2]));
      }
    }
    BenchFlows.delete(flows);
  }

  private void hop(FlowEngine engine, String answer, int i) {
    Task main = Task.main(BenchFlows.MAIN, "bench-1", "bbench-1-" + (i % 256), Caller.API,
        new io.vertx.core.json.JsonObject().put("order_id", "o-" + i).put("amount", 2000).put("currency", "usd"));
    start();
    step("nothing: reading the two counters");
    RunResult first = engine.run(main, Map.of());
    step("main run (FlowEngine.run, form body included)");
    Call call = first.effects().calls().get(0);
    keep(RunRecord.of(main, first).toJson().encode());
    step("main run's record, as JSON");
    keep(call.toJson().encode());
    step("outbox entry, as JSON");
    keep(StripeForm.encode(call.params()));
    step("form body again (StripeForm.encode)");
    Task reply = call.replyTask(true, RawJson.object(answer));
    step("answer checked as one JSON object, its task");
    keep(reply.encode());
    step("answer task, as JSON (Replies.of)");
    RunResult second = engine.run(reply, first.effects().writes());
    step("response run (FlowEngine.run)");
    keep(RunRecord.of(reply, second).toJson().encode());
    step("response run's record, as JSON");
    keep(second.effects().dispatches().get(0).encode());
    step("dispatched task, as JSON");
  }

  private void start() {
    cpu = THREADS.getCurrentThreadCpuTime();
    bytes = THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private void step(String name) {
    long[] sum = steps.computeIfAbsent(name, key -> new long[3]);
    sum[0] += THREADS.getCurrentThreadCpuTime() - cpu;
    sum[1] += THREADS.getThreadAllocatedBytes(Thread.currentThread().getId()) - bytes;
    sum[2]++;
    start();
  }

  private static void keep(String text) {
    if (text.isEmpty()) {
      throw new IllegalStateException("nothing encoded");
    }
  }
}
