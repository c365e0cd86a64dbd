package io.flowpay.flowtest;

import io.flowpay.flow.FlowNames;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.failure.FlowpayFailure;
import io.flowpay.flow.Ids;
import io.flowpay.standin.EmbeddedRedis;
import io.flowpay.standin.StripeStandIn;
import io.flowpay.stripe.WebClientStripeClient;
import io.flowpay.worker.FlowpayNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisConnection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.script.Bindings;
import javax.script.ScriptEngine;
import javax.script.ScriptException;
import org.openjdk.nashorn.api.scripting.NashornScriptEngineFactory;

/**
 * {@code flowpay test}: finds the flow tests ({@code *.test.js}) under a flows folder and runs them on the real
 * path: one Redis (embedded, or {@code REDIS_URL}), one Flowpay node with its workers, and one Stripe
 * ({@link TestStripe} in front of the stand-in) for the whole run; tests in parallel, each in contexts of its
 * own. Test scripts run in Nashorn with no Java access; each test in a fresh global of one shared engine.
 */
public final class FlowTests {

  public static final String SUFFIX = FlowNames.TEST_SUFFIX;
  private static final System.Logger LOG = System.getLogger(FlowTests.class.getName());
  private static final String SECRET_KEY = "sk_test_flowpay_flow_tests";
  private static final String[] ENGINE_OPTIONS = {"--language=es6"};

  /**
   * What to run and how.
   *
   * @param dir the flows folder: flows are named from it, tests are found under it
   * @param base the config the node takes its workers and limits from
   * @param redisUrl an existing Redis to use, or null for an embedded one
   * @param match run only tests whose file or name contains this, or null for all
   */
  public record Settings(Path dir, FlowpayOptions base, String redisUrl, int parallel, long timeoutMs, String match) {}

  /** What a run found: each test's result in file order, and how long the run took. */
  public record Outcome(List<TestResult> results, long elapsedMs) {

    public long failed() {
      return results.stream().filter(result -> !result.passed()).count();
    }
  }

  private record Planned(Path file, String display, int index, String name) {}

  private FlowTests() {}

  /** The {@code *.test.js} files under {@code dir}, sorted. */
  public static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new FlowpayFailure(FlowpayFailure.Kind.BAD_REQUEST, "no folder " + dir
          + ": give the flows folder whose *.test.js files to run (default: the config's flowsDir)");
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(file -> file.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(file))
          .sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  public static Outcome run(Settings settings) {
    long began = System.currentTimeMillis();
    List<Path> files = files(settings.dir());
    List<TestResult> results = new ArrayList<>();
    List<Planned> planned = plan(settings, files, results);
    if (planned.isEmpty()) {
      return new Outcome(results, System.currentTimeMillis() - began);
    }
    EmbeddedRedis embedded = settings.redisUrl() == null ? EmbeddedRedis.start() : null;
    Vertx vertx = Vertx.vertx();
    try (StripeStandIn standIn = StripeStandIn.start();
         TestStripe stripe = new TestStripe(vertx, standIn.baseUrl()).start()) {
      FlowpayOptions options = options(settings, embedded != null ? embedded.url() : settings.redisUrl(), stripe);
      WebClientStripeClient http = new WebClientStripeClient(vertx, options.stripe(), SECRET_KEY);
      Namespace namespace = new Namespace(Ids.newId().substring(0, 8));
      FlowpayNode node = FlowpayNode.start(vertx, options, new RoutingStripeClient(http, namespace)).await();
      try {
        TestRun run = new TestRun(stripe, namespace, node.redis(), node.queue(), options.workers(),
            settings.dir(), settings.timeoutMs(), options.stripe().apiVersion());
        // One connection per test thread, held in blocking reads of run records.
        Redis readers = Redis.createClient(vertx, new RedisOptions().setConnectionString(options.redis().url())
            .setMaxPoolSize(settings.parallel() + 1).setPreferredProtocolVersion(ProtocolVersion.RESP2));
        results.addAll(execute(run, readers, planned, settings.parallel()));
      } finally {
        quietly("stopping the node", () -> node.stop().await());
        quietly("closing the Stripe client", http::close);
      }
    } finally {
      quietly("closing Vert.x", () -> vertx.close().await());
      if (embedded != null) {
        quietly("stopping the embedded Redis", embedded::close);
      }
    }
    results.sort((a, b) -> a.file().compareTo(b.file()));
    return new Outcome(results, System.currentTimeMillis() - began);
  }

  /** Shutting down after the tests ran: a failure there is logged, it does not change the tests' outcome. */
  private static void quietly(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException failed) {
      LOG.log(System.Logger.Level.WARNING, "flowpay test: " + what + " failed: " + failed);
    }
  }

  /** The config for the run: the user's, with Redis and Stripe pointed here and waits made short for tests. */
  private static FlowpayOptions options(Settings settings, String redisUrl, TestStripe stripe) {
    JsonObject json = settings.base().toJson();
    json.remove("http");
    json.remove("webhooks");
    json.put("flowsDir", settings.dir().toString());
    json.put("redis", json.getJsonObject("redis", new JsonObject()).put("url", redisUrl));
    JsonObject stripeJson = json.getJsonObject("stripe", new JsonObject());
    stripeJson.put("apiBase", stripe.baseUrl()).put("timeoutMs", 2_000).put("connectTimeoutMs", 2_000)
        .put("retryDelayMs", 5).put("maxRetryDelayMs", 20).put("reconcileWindowMs", 1_000)
        .put("reconcileDelayMs", 10).put("maxReconcileDelayMs", 100);
    json.put("stripe", stripeJson);
    JsonObject worker = json.getJsonObject("worker", new JsonObject());
    worker.put("timerPollMs", 20).put("blockMs", 100);
    json.put("worker", worker);
    if (json.getJsonArray("workers", new JsonArray()).isEmpty()) {
      json.put("workers", new JsonArray(FlowpayOptions.DEFAULT_WORKERS));
    }
    return new FlowpayOptions(json);
  }

  /** Loads each file once to list its tests; a file that does not load is one failed result. */
  private static List<Planned> plan(Settings settings, List<Path> files, List<TestResult> results) {
    ScriptEngine engine = engine();
    List<Planned> planned = new ArrayList<>();
    for (Path file : files) {
      String display = file.toString();
      try {
        Bindings global = load(engine, file, display, null);
        Object names = engine.eval("__flowtest.names()", global);
        String[] list = ((String) names).isEmpty() ? new String[0] : ((String) names).split("\n");
        if (list.length == 0) {
          results.add(new TestResult(display, "(file)", "error", "no tests in this file: add test('name', t => {...})",
              display + ":1", null, 0));
        }
        for (int i = 0; i < list.length; i++) {
          if (settings.match() == null || display.contains(settings.match()) || list[i].contains(settings.match())) {
            planned.add(new Planned(file, display, i, list[i]));
          }
        }
      } catch (ScriptException | IOException | RuntimeException e) {
        results.add(new TestResult(display, "(file)", "error", "the file does not load: " + message(e), where(e, display),
            null, 0));
      }
    }
    return planned;
  }

  private static List<TestResult> execute(TestRun run, Redis readClient, List<Planned> planned, int parallel) {
    int threads = Math.max(1, Math.min(parallel, planned.size()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "flowpay-test");
      thread.setDaemon(true);
      return thread;
    });
    // One engine, its compiled scripts shared; each test gets a global of its own (as flows do in the sandbox).
    ScriptEngine engine = engine();
    List<RedisConnection> connections = new ArrayList<>();
    ThreadLocal<RedisConnection> readers = ThreadLocal.withInitial(() -> {
      RedisConnection connection = readClient.connect().await();
      synchronized (connections) {
        connections.add(connection);
      }
      return connection;
    });
    AtomicInteger numbers = new AtomicInteger();
    try {
      List<Future<TestResult>> futures = planned.stream().map(test -> pool.submit(() ->
          runOne(run, engine, readers.get(), test, String.valueOf(numbers.incrementAndGet())))).toList();
      List<TestResult> results = new ArrayList<>();
      for (Future<TestResult> future : futures) {
        results.add(future.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("flowpay test was interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a flow test could not be run: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
      synchronized (connections) {
        connections.forEach(RedisConnection::close);
      }
      readClient.close();
    }
  }

  private static TestResult runOne(TestRun run, ScriptEngine engine, RedisConnection reader, Planned test,
      String number) {
    long began = System.currentTimeMillis();
    TestCase t = new TestCase(run, number, reader);
    try {
      Bindings global = load(engine, test.file(), test.display(), t);
      engine.eval("__flowtest.run(" + test.index() + ")", global);
      return new TestResult(test.display(), test.name(), "passed", null, null, null, System.currentTimeMillis() - began);
    } catch (ScriptException | IOException | RuntimeException e) {
      TestFailure failure = failure(e);
      String detail = detail(t);
      long took = System.currentTimeMillis() - began;
      if (failure != null) {
        return new TestResult(test.display(), test.name(), "failed", failure.getMessage(),
            failure.where() != null ? failure.where() : test.display(), detail, took);
      }
      return new TestResult(test.display(), test.name(), "error", message(e), where(e, test.display()), detail, took);
    } finally {
      t.close();
    }
  }

  /** The test's runs, one line each, for a failure report; null when there were none. */
  private static String detail(TestCase t) {
    try {
      JsonArray runs = new JsonArray(t.runs());
      if (runs.isEmpty()) {
        return null;
      }
      StringBuilder text = new StringBuilder("runs:");
      for (Object value : runs) {
        JsonObject record = (JsonObject) value;
        text.append("\n  ").append(record.getString("flow")).append(' ').append(record.getString("status"));
        JsonObject error = record.getJsonObject("error");
        if (error != null) {
          text.append(" (").append(error.getString("code")).append(": ").append(error.getString("message"))
              .append(error.getString("file") == null ? "" : " at " + error.getString("file") + ":"
                  + error.getValue("line")).append(')');
        }
      }
      return text.toString();
    } catch (RuntimeException unreadable) {
      return null;
    }
  }

  private static Bindings load(ScriptEngine engine, Path file, String display, TestCase t)
      throws ScriptException, IOException {
    Bindings global = engine.createBindings();
    global.put("__h", t);
    global.put(ScriptEngine.FILENAME, "flowtest/prelude.js");
    engine.eval(TestRun.PRELUDE, global);
    global.put(ScriptEngine.FILENAME, display);
    engine.eval(Files.readString(file), global);
    return global;
  }

  private static ScriptEngine engine() {
    return new NashornScriptEngineFactory().getScriptEngine(ENGINE_OPTIONS, FlowTests.class.getClassLoader(),
        className -> false);
  }

  private static TestFailure failure(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TestFailure failure) {
        return failure;
      }
    }
    return null;
  }

  private static String message(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof FlowpayFailure failure) {
        return failure.getMessage();
      }
    }
    String message = e.getMessage();
    return message == null ? e.toString() : message.replaceAll(" in [^ ]+\\.test\\.js at line number \\d+.*$", "");
  }

  private static String where(Throwable e, String display) {
    if (e instanceof ScriptException script && script.getFileName() != null && script.getLineNumber() > 0) {
      return script.getFileName() + ":" + script.getLineNumber();
    }
    String here = null;
    for (Throwable cause = e; cause != null && here == null; cause = cause.getCause()) {
      for (StackTraceElement frame : cause.getStackTrace()) {
        if (frame.getFileName() != null && frame.getFileName().endsWith(SUFFIX) && frame.getLineNumber() > 0) {
          here = frame.getFileName() + ":" + frame.getLineNumber();
          break;
        }
      }
    }
    return here != null ? here : display;
  }
}
