package io.flowpay.queue;

import io.flowpay.flow.RunResult;
import java.util.Map;

/**
 * A run's commit, encoded and ready to send ({@link RunCommits#prepare}).
 *
 * @param valuesAfter the context's state once the commit is done (its version comes with the answer)
 */
public record PreparedCommit(Delivery delivery, RunResult result, Map<String, String> valuesAfter,
    LuaScript.Call call) {}
