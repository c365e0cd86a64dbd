package io.flowpay.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code WAIT} for replicas, against a real primary and replica (redis-server processes). */
class ReplicaAckIT {

  @TempDir
  Path dir;

  private Vertx vertx;
  private RedisProcesses servers;
  private RedisProcesses.Node primary;
  private RedisProcesses.Node replica;
  private Redis redis;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    servers = new RedisProcesses(dir, vertx);
    primary = servers.primary();
    replica = servers.replica(primary);
    redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(primary.url()).setMaxPoolSize(8).setMaxPoolWaiting(256)
        .setPreferredProtocolVersion(ProtocolVersion.RESP2));
  }

  @AfterEach
  void tearDown() {
    redis.close();
    servers.close();
    vertx.close().await();
  }

  @Test
  void writesOfEveryPooledConnectionAreOnTheReplicaOnceAcknowledged() {
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      writes.add(redis.send(Request.cmd(Command.SET).arg("ack-test:" + i).arg(i)));
    }
    Future.all(writes).await();

    assertEquals(1, new ReplicaAck(vertx, redis, 1, 5_000).acknowledged().await());
    Redis onReplica = Redis.createClient(vertx, replica.url());
    try {
      for (int i = 0; i < 50; i++) {
        assertEquals(String.valueOf(i), onReplica.send(Request.cmd(Command.GET).arg("ack-test:" + i)).await().toString());
      }
    } finally {
      onReplica.close();
    }
  }

  @Test
  void aFrozenReplicaDoesNotAcknowledgeAndTheTimeoutAnswersFewer() throws Exception {
    ReplicaAck ack = new ReplicaAck(vertx, redis, 1, 300);
    signal(replica, "-STOP");
    try {
      redis.send(Request.cmd(Command.SET).arg("ack-test:frozen").arg("1")).await();
      assertEquals(0, ack.acknowledged().await(), "a replica that cannot have the write did not acknowledge it");
    } finally {
      signal(replica, "-CONT");
    }
    long deadline = System.currentTimeMillis() + 30_000;
    int acks = 0;
    while (acks < 1 && System.currentTimeMillis() < deadline) {
      acks = ack.acknowledged().await();
    }
    assertEquals(1, acks, "acknowledged again once the replica runs");
  }

  @Test
  void everyCallerIsAnsweredOnItsOwnContext() {
    ReplicaAck ack = new ReplicaAck(vertx, redis, 1, 5_000);
    List<Future<Boolean>> answers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Context context = vertx.getOrCreateContext();
      Promise<Boolean> onItsContext = Promise.promise();
      context.runOnContext(start -> ack.acknowledged().onComplete(acks ->
          onItsContext.complete(acks.succeeded() && acks.result() == 1 && Vertx.currentContext() == context)));
      answers.add(onItsContext.future());
    }
    Future.all(answers).await();
    assertTrue(answers.stream().allMatch(Future::result), "every caller got 1 acknowledgement, on its own context");
  }

  private static void signal(RedisProcesses.Node node, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", signal, String.valueOf(node.process().pid())).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill " + signal);
  }
}
