package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.Future;
import java.util.List;

/** Twin of {@code lua/start_once.lua}: starts a chain as {@link StartScript} does, once per mark. */
record StartOnceScript(QueueScope scope) {

  private static final LuaScript SCRIPT = LuaScript.load("start_once");

  /** KEYS: start.lua's, 3 the mark. ARGV: start.lua's, 7 mark value, 8 mark ttl (s). */
  Future<Marked> run(Task task, StartMark mark, String markValue, long markTtlSeconds) {
    List<String> keys = StartScript.keys(task);
    keys.add(mark.key());
    List<String> args = StartScript.args(task, scope);
    args.add(markValue);
    args.add(String.valueOf(markTtlSeconds));
    return scope.run(SCRIPT, keys, args).map(Marked::of);
  }
}
