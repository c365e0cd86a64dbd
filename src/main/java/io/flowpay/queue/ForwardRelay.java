package io.flowpay.queue;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Relays a worker's forward stream: what its commits wrote for other workers ({@code commit.lua},
 * {@code dead.lua}) and operators' repairs of chains whose home is another worker ({@code dead_retry.lua},
 * {@code dead_drop.lua}, {@code retry_run.lua}: the chain's part, then the task that runs again). Entries are
 * applied in the stream's order, each in one script on its target's slot: a chain's part at the chain's home
 * ({@code forward_chain.lua}), then each task at its target ({@code forward_deliver.lua}); only then are they
 * removed from the stream. Each step is idempotent, for good: the target keeps the last entry id it applied per
 * source worker ({@link RedisKeys#relayed}), which answers for every earlier entry because a source's entries are
 * applied in order, each before the next is tried. An entry relayed again after a crash between applying and
 * removing it changes nothing, however late. The order is what keeps a chain's pending count from reaching 0
 * early: the start a run counts (its delta) reaches the chain's home before the tasks it dispatched are
 * delivered, so their ends come after it.
 *
 * <p>One relay per worker at a time in its process, in order ({@code worker.ForwardPump}); after a crash the
 * lease's new holder relays what is left. An operator's repair relays too, from the operator's process
 * ({@link RedisTaskQueue#retryDead} and the like): two relays that overlap still apply entries in order, since
 * each goes through its entries in order and an entry's application (or finding it applied) is one script.
 */
public final class ForwardRelay {

  static final int PAGE = 100;

  private static final LuaScript CHAIN = LuaScript.load("forward_chain");
  private static final LuaScript DELIVER = LuaScript.load("forward_deliver");

  private final QueueScope scope;
  private final TaskStream tasks;

  ForwardRelay(QueueScope scope, TaskStream tasks) {
    this.scope = scope;
    this.tasks = tasks;
  }

  /** Relays everything in {@code worker}'s forward stream, in order. Returns how many entries were relayed. */
  public Future<Integer> relayAll(String worker) {
    return page(worker, 0, Integer.MAX_VALUE);
  }

  /** Relays the first {@code most} entries of {@code worker}'s forward stream, in order (a relay cut short). */
  Future<Integer> relay(String worker, int most) {
    return page(worker, 0, most);
  }

  private Future<Integer> page(String worker, int done, int most) {
    int count = Math.min(PAGE, most - done);
    if (count <= 0) {
      return Future.succeededFuture(done);
    }
    return range(worker, "-", "+", count).compose(entries -> {
      if (entries.isEmpty()) {
        return Future.succeededFuture(done);
      }
      return apply(worker, entries).compose(applied -> remove(worker, entries.stream().map(Entry::id).toList()))
          .compose(removed -> entries.size() < count ? Future.succeededFuture(done + entries.size())
              : page(worker, done + entries.size(), most));
    });
  }

  /**
   * Up to {@code count} entries of {@code worker}'s forward stream from id {@code from} to id {@code to}, both
   * included ({@code "-"}, {@code "+"}: its first, its last).
   */
  Future<List<Entry>> range(String worker, String from, String to, int count) {
    Request range = Request.cmd(Command.XRANGE).arg(RedisKeys.forward(worker)).arg(from).arg(to).arg("COUNT").arg(count);
    return scope.redis().send(range).map(response -> {
      List<Entry> entries = new ArrayList<>(response.size());
      response.forEach(item -> entries.add(Entry.of(item)));
      return entries;
    });
  }

  /** One forward entry: a chain's part ({@code chain} set) or a task for another worker ({@code to} set). */
  public record Entry(String id, Map<String, String> fields) {

    /** From one item of an {@code XRANGE} answer: {id, {name, value, ...}}. */
    static Entry of(Response item) {
      return new Entry(item.get(0).toString(), Fields.toMap(item.get(1)));
    }
  }

  /** Whether stream entry id {@code a} ({@code ms-seq}) comes after {@code b}, as {@code flowpay_id_after} in lib.lua. */
  static boolean after(String a, String b) {
    return compare(a, b) > 0;
  }

  /** Stream entry ids in the stream's order. */
  static int compare(String a, String b) {
    int dashA = a.indexOf('-');
    int dashB = b.indexOf('-');
    int byMs = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
    return byMs != 0 ? byMs : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
  }

  /** The least stream entry id after {@code id}: where a range that leaves {@code id} out starts. */
  static String next(String id) {
    int dash = id.indexOf('-');
    return id.substring(0, dash + 1) + (Long.parseLong(id.substring(dash + 1)) + 1);
  }

  /** Applies {@code entries} of {@code worker}'s forward stream, in order, each before the next is tried. */
  Future<Void> apply(String worker, List<Entry> entries) {
    return apply(worker, entries, 0);
  }

  /** Applies entries from {@code from} on, in order; consecutive tasks for one worker go in one call. */
  private Future<Void> apply(String worker, List<Entry> entries, int from) {
    if (from >= entries.size()) {
      return Future.succeededFuture();
    }
    Entry first = entries.get(from);
    if (first.fields().containsKey("chain")) {
      return applyChain(worker, first).compose(done -> apply(worker, entries, from + 1));
    }
    String target = first.fields().get("to");
    int to = from;
    while (to < entries.size() && target.equals(entries.get(to).fields().get("to"))) {
      to++;
    }
    int next = to;
    return deliver(worker, target, entries.subList(from, to)).compose(done -> apply(worker, entries, next));
  }

  private Future<Response> applyChain(String worker, Entry entry) {
    Map<String, String> fields = entry.fields();
    String chain = fields.get("chain");
    String home = RedisKeys.chainHome(chain);
    List<String> keys = List.of(RedisKeys.chain(chain), RedisKeys.chainRuns(chain), RedisKeys.relayed(home),
        RedisKeys.stuckChains(home), RedisKeys.legacyApplied(home));
    // an operator's repair ('op') carries no run: delta, failed, dead and run are unused for it
    List<String> args = List.of(worker, entry.id(), fields.getOrDefault("delta", "0"), fields.getOrDefault("failed", "0"),
        fields.getOrDefault("dead", "0"), fields.getOrDefault("run", ""), fields.get("ttl"), fields.get("at"),
        fields.getOrDefault("op", ""));
    return scope.run(CHAIN, keys, args);
  }

  private Future<Response> deliver(String worker, String target, List<Entry> entries) {
    List<String> keys = List.of(RedisKeys.tasks(target), RedisKeys.timers(target), RedisKeys.relayed(target),
        RedisKeys.legacyApplied(target));
    List<String> args = new ArrayList<>(List.of(worker));
    for (Entry task : entries) {
      args.add(task.id());
      args.add(task.fields().get("id"));
      args.add(task.fields().getOrDefault("due", ""));
      args.add(task.fields().get("task"));
    }
    return tasks.ensureGroupOnce(target).compose(ready -> scope.run(DELIVER, keys, args));
  }

  /** Removes these entries from {@code worker}'s forward stream (relayed: each was applied first). */
  Future<Response> remove(String worker, Collection<String> ids) {
    Request delete = Request.cmd(Command.XDEL).arg(RedisKeys.forward(worker));
    ids.forEach(delete::arg);
    return scope.redis().send(delete);
  }
}
