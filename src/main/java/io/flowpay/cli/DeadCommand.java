package io.flowpay.cli;

import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.queue.DeadLetter;
import io.flowpay.queue.RedisTaskQueue;
import io.flowpay.worker.FlowpayNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowpay dead list|show|retry|drop}: what an operator does with tasks parked in a worker's
 * dead-letter stream. Retry and drop leave an audit entry naming who did it.
 */
@Command(name = "dead", mixinStandardHelpOptions = true,
    description = "Tasks parked in a worker's dead-letter stream: list them, show one, retry (re-enqueue with the attempt"
        + " reset) or drop. Retry and drop are recorded in the worker's audit stream.%n"
        + "Exit code: 0 on success, 1 when an id is not found or Redis fails, 2 for usage/config errors.")
public final class DeadCommand extends RedisCommand {

  enum Action { list, show, retry, drop, audit }

  @Parameters(index = "0", paramLabel = "ACTION", description = "list, show, retry, drop or audit.")
  Action action;

  @Parameters(index = "1..*", paramLabel = "ID", description = "Dead-letter ids (from 'dead list'), for show, retry and drop.")
  List<String> ids = List.of();

  @Mixin
  WorkerOption worker;

  @Option(names = "--limit", defaultValue = "100", description = "list: at most this many (default: 100).")
  int limit;

  @Option(names = "--json", description = "Print JSON, one object per line.")
  boolean json;

  @Mixin
  ActorOption actor;

  @Override
  void check(FlowpayOptions options) {
    worker.of(options);
    if ((action == Action.list || action == Action.audit) != ids.isEmpty()) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, action == Action.list || action == Action.audit
          ? "'dead " + action + "' takes no ids" : "'dead " + action + "' needs the id of a dead letter: see 'flowpay dead list'");
    }
  }

  @Override
  int run(PrintWriter out, FlowpayOptions options, FlowpayNode node) {
    String workerId = worker.of(options);
    RedisTaskQueue queue = node.queue();
    return switch (action) {
      case list -> list(out, queue.deadLetters(workerId, "-", Math.max(1, limit)).await());
      case audit -> audit(out, queue, workerId);
      case show -> each(out, id -> {
        DeadLetter letter = queue.deadLetter(workerId, id).await();
        if (letter != null) {
          out.println(letter.toJson().encodePrettily());
        }
        return letter != null;
      });
      case retry -> each(out, id -> report(out, "retried", id, queue.retryDead(workerId, id, actor.who(env)).await()));
      case drop -> each(out, id -> report(out, "dropped", id, queue.dropDead(workerId, id, actor.who(env)).await()));
    };
  }

  private int list(PrintWriter out, List<DeadLetter> letters) {
    if (json) {
      letters.forEach(letter -> out.println(letter.toJson().encode()));
    } else if (letters.isEmpty()) {
      out.println("no dead letters");
    } else {
      out.printf("%-17s %-13s %-28s %-24s %4s  %s%n", "ID", "REASON", "FLOW", "CONTEXT", "DLV", "DEAD AT / ERROR");
      for (DeadLetter letter : letters) {
        String flow = letter.task() == null ? "-" : letter.task().flow();
        String context = letter.task() == null ? "-" : letter.task().contextId();
        out.printf("%-17s %-13s %-28s %-24s %4d  %s%n    %s%n", letter.id(), letter.reason(), flow, context,
            letter.deliveries(), Instant.ofEpochMilli(letter.deadAt()), letter.error());
      }
    }
    return ExitCodes.OK;
  }

  private int audit(PrintWriter out, RedisTaskQueue queue, String workerId) {
    queue.deadAudit(workerId).await().forEach(entry -> out.println(Times.auditEntry(entry).encode()));
    return ExitCodes.OK;
  }

  private interface IdAction {
    boolean apply(String id);
  }

  private int each(PrintWriter out, IdAction perform) {
    int exit = ExitCodes.OK;
    for (String id : ids) {
      if (!perform.apply(id)) {
        out.println("no dead letter " + id + (action == Action.retry ? " with a task that can be retried" : "")
            + ": see 'flowpay dead list'");
        exit = ExitCodes.FAILED;
      }
    }
    return exit;
  }

  private static boolean report(PrintWriter out, String done, String id, boolean ok) {
    if (ok) {
      out.println(done + " " + id);
    }
    return ok;
  }
}
