package io.flowpay.queue;

import io.flowpay.flow.RunResult;
import java.util.Map;

/**
 * A run's commit, encoded and ready to send ({@link RunCommits#prepare}).
 *
 * @param valuesAfter the context's state once the commit is done (its version comes with the answer)
 * @param forwards whether the commit writes to the worker's forward stream (tasks for other workers, or the
 *     bookkeeping of a chain whose home is another worker): the worker relays it once committed
 */
public record PreparedCommit(Delivery delivery, RunResult result, Map<String, String> valuesAfter,
    LuaScript.Call call, boolean forwards) {}
