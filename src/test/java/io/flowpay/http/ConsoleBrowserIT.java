package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowpay.FlowpayHarness;
import io.flowpay.TestRedis;
import io.flowpay.config.FlowpayOptions;
import io.flowpay.config.HttpOptions;
import io.flowpay.config.WorkerOptions;
import io.flowpay.flow.Ids;
import io.flowpay.queue.RedisKeys;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by Selenium):
 * an operator logs in, finds a chain started through the API, watches its runs arrive, opens the failed run, enables
 * the flow that was disabled, retries the dead letter and sees the chain settle. Without a browser it fails in CI
 * ({@code CI=true}) and is skipped, loudly, elsewhere. Screenshots go to {@code target/console-screenshots} (and to
 * {@code docs/} with {@code -Dconsole.screenshots=docs}).
 */
@ExtendWith(TestRedis.Extension.class)
class ConsoleBrowserIT {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String TOKEN = "console-test-token-0123456789";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anOperatorWatchesAChainLiveOpensTheFailedRunEnablesTheFlowAndRetriesTheDeadLetter(TestRedis redis) throws Exception {
    requireBrowser();
    String suffix = Ids.newId().substring(0, 6);
    String order = "order_" + suffix;
    String ship = "ship_" + suffix;
    Path flows = dir.resolve("flows");
    write(flows, order, "ctx.set('status', 'placed'); log.info('order placed for', meta.context_id);"
        + " stripe.paymentIntents.create({amount: 2000, currency: 'usd'}, {onSuccess: 'noop', onError: 'noop'});"
        + " flow.after(600000, '" + ship + "', {carrier: 'ups'});");
    write(flows, "noop", "");
    write(flows, ship, "throw new Error('no courier for ' + meta.context_id);");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows, null, options -> options.withWorker(
            options.worker().withLimits(WorkerOptions.DEFAULT_MAX_DELIVERIES, 2, 1)));
        Browser browser = new Browser(dir.resolve("chromium-profile"))) {
      int port = deployHttp(flowpay);
      String base = "http://127.0.0.1:" + port;
      String contextA = "order-a-" + suffix;
      String chainA = start(base, order, contextA);
      flowpay.awaitRuns(chainA, 1);

      WebDriver driver = browser.driver;
      driver.get(base + "/console/");
      driver.findElement(By.id("token")).sendKeys(TOKEN);
      driver.findElement(By.id("by")).sendKeys("ada");
      driver.findElement(By.id("login-button")).click();
      WebElement row = browser.await(By.cssSelector("tr.chain-row[data-chain='" + chainA + "']"));
      assertTrue(row.getText().contains(order) && row.getText().contains(contextA), row.getText());
      assertTrue(row.getText().contains("running"), "waiting on its timer: " + row.getText());
      browser.screenshot("console-chains");
      row.findElement(By.cssSelector("a.chain-link")).click();

      browser.await(By.cssSelector("li.run[data-flow='" + order + "']"));
      ((JavascriptExecutor) driver).executeScript("window.__sameDocument = true;");
      dueNow(flowpay, chainA);
      WebElement failed = browser.await(By.cssSelector("li.run[data-flow='" + ship + "'][data-status='failed']"));
      browser.awaitText(By.id("chain-status"), "settled");
      assertEquals(Boolean.TRUE, ((JavascriptExecutor) driver).executeScript("return window.__sameDocument === true;"),
          "the run arrived without reloading the page");
      failed.findElement(By.className("summary")).click();
      WebElement error = browser.await(By.cssSelector("li.run[data-flow='" + ship + "'] pre.run-error"));
      assertTrue(error.getText().endsWith(ship + ".js:1: Error: no courier for " + contextA), error.getText());
      browser.driver.findElement(By.cssSelector("li.run[data-flow='" + order + "'] .summary")).click();
      WebElement call = browser.await(By.cssSelector("li.run[data-flow='" + order + "'] table.run-calls"));
      assertTrue(call.getText().contains("POST /v1/payment_intents") && call.getText().contains("\"amount\": 2000")
          && call.getText().contains("flowpay-"), call.getText());
      browser.driver.findElement(By.cssSelector("li.run[data-flow='" + order + "'] .summary")).click();
      browser.screenshot("console-chain");

      // A flow that cannot run (it never compiled) is disabled after one such run (worker.disableAfterFailures is 1
      // here); chain B's task of it then waits as a dead letter, and the chain is stuck.
      String label = "label_" + suffix;
      write(flows, label, "ctx.set('label', ;");
      flowpay.awaitRuns(start(base, label, "order-x-" + suffix), 1);
      String contextB = "order-b-" + suffix;
      // Not through the API, which refuses to start a disabled flow (409): a task already queued, or dispatched.
      String chainB = flowpay.start(label, contextB, null).chainId();
      flowpay.awaitRuns(chainB, 1);
      write(flows, label, "ctx.set('label', 'printed for ' + meta.context_id);");

      driver.findElement(By.id("nav-dead")).click();
      WebElement waiting = browser.await(By.cssSelector("tr.dead-row[data-chain='" + chainB + "']"));
      assertTrue(waiting.getText().contains("flow_disabled") && waiting.getText().contains(label), waiting.getText());
      browser.screenshot("console-dead");
      driver.findElement(By.id("nav-flows")).click();
      WebElement enable = browser.await(By.cssSelector("tr.flow-row[data-flow='" + label + "'] button.enable"));
      assertTrue(browser.driver.findElement(By.cssSelector("tr.flow-row[data-flow='" + label + "']")).getText()
          .contains("disabled"));
      browser.screenshot("console-flows");
      enable.click();
      browser.awaitText(By.cssSelector("tr.flow-row[data-flow='" + label + "']"), "ok");
      List<JsonObject> runsB = flowpay.awaitRuns(chainB, 2);
      assertEquals(List.of("dead", "ok"), runsB.stream().map(run -> run.getString("status")).toList(),
          "enabling queued the waiting task again");
      assertEquals("printed for " + contextB, flowpay.state(contextB).getString("label"));

      // A chain too deep is parked (worker.maxDepth is 2 here): the operator retries it from the console, and the
      // audit says who did.
      String relay = "relay_" + suffix;
      write(flows, relay, "flow.dispatch('" + relay + "', {});");
      String chainC = start(base, relay, "order-c-" + suffix);
      flowpay.awaitRuns(chainC, 4);
      driver.findElement(By.id("nav-dead")).click();
      WebElement letter = browser.await(By.cssSelector("tr.dead-row[data-chain='" + chainC + "']"));
      assertTrue(letter.getText().contains("depth"), letter.getText());
      letter.findElement(By.cssSelector("button.retry")).click();
      assertEquals("dead", flowpay.awaitRuns(chainC, 5).get(4).getString("status"), "retried, and parked again: still too deep");
      Response newest = flowpay.send(Request.cmd(Command.XREVRANGE).arg(RedisKeys.deadAudit(flowpay.worker))
          .arg("+").arg("-").arg("COUNT").arg(1)).get(0).get(1);
      JsonObject audit = new JsonObject();
      for (int i = 0; i + 1 < newest.size(); i += 2) {
        audit.put(newest.get(i).toString(), newest.get(i + 1).toString());
      }
      assertEquals("retry", audit.getString("action"));
      assertEquals("ada", audit.getString("by"), "the audit names who retried");
      assertEquals(chainC, new JsonObject(audit.getString("task")).getString("chain_id"), "the audit holds the retried task");

      driver.findElement(By.id("context-input")).sendKeys(contextB);
      driver.findElement(By.cssSelector("#context-search button")).click();
      browser.awaitText(By.id("context-state"), "\"label\": \"printed for " + contextB + "\"");
      browser.screenshot("console-context");
      driver.findElement(By.id("nav-workers")).click();
      browser.await(By.cssSelector("tr.worker-row[data-worker='" + flowpay.worker + "']"));
      browser.screenshot("console-workers");
    }
  }

  @Test
  void aWrongTokenIsRefusedOnTheLoginPage(TestRedis redis) throws Exception {
    requireBrowser();
    Path flows = dir.resolve("flows");
    write(flows, "noop", "");
    try (FlowpayHarness flowpay = new FlowpayHarness(redis, flows); Browser browser = new Browser(dir.resolve("profile"))) {
      int port = deployHttp(flowpay);
      browser.driver.get("http://127.0.0.1:" + port + "/console");
      browser.driver.findElement(By.id("token")).sendKeys("not-the-token-at-all");
      browser.driver.findElement(By.id("login-button")).click();
      browser.awaitText(By.id("login-error"), "That token is not one of FLOWPAY_API_TOKENS.");
      assertTrue(browser.driver.findElement(By.id("top")).getAttribute("hidden") != null, "still logged out");
    }
  }

  /** Fails in CI without Chromium; elsewhere skips, saying so on stderr. */
  static void requireBrowser() {
    if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
      return;
    }
    String message = "CONSOLE BROWSER TESTS NOT RUN: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed:"
        + " apt-get install -y chromium chromium-driver (.ci/run does)";
    System.err.println("\n*** " + message + " ***\n");
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    Assumptions.abort(message);
  }

  private static int deployHttp(FlowpayHarness flowpay) {
    FlowpayOptions options = flowpay.options.withHttp(new HttpOptions().withPort(0));
    HttpVerticle verticle = new HttpVerticle(options, HttpServices.of(flowpay.node, flowpay.metrics), List.of(TOKEN), null);
    flowpay.vertx.deployVerticle(verticle).await();
    return verticle.port();
  }

  private String start(String base, String flow, String context) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/runs")).header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("flow", flow).put("context_id", context).encode()))
        .build();
    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(202, answer.statusCode(), answer.body());
    return new JsonObject(answer.body()).getString("chain_id");
  }

  /** Makes the chain's waiting {@code flow.after} timer due now, as if its ten minutes had passed. */
  private static void dueNow(FlowpayHarness flowpay, String chainId) {
    String timers = RedisKeys.timers(flowpay.worker);
    Response members = flowpay.send(Request.cmd(Command.ZRANGE).arg(timers).arg(0).arg(-1));
    int moved = 0;
    for (Response member : members) {
      if (member.toString().contains(chainId)) {
        flowpay.send(Request.cmd(Command.ZADD).arg(timers).arg("XX").arg(0).arg(member.toString()));
        moved++;
      }
    }
    assertEquals(1, moved, "one timer of chain " + chainId + " waiting");
  }

  /** A headless Chromium driven through Debian's chromedriver; nothing is downloaded (no Selenium Manager). */
  static final class Browser implements AutoCloseable {
    final WebDriver driver;
    private final ChromeDriverService service;

    Browser(Path profile) {
      System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
      service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
          .usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString()).addArguments("--headless",
          "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1360,900",
          "--user-data-dir=" + profile.toAbsolutePath());
      driver = new ChromeDriver(service, options);
    }

    WebElement await(By by) {
      return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    void awaitText(By by, String text) {
      new WebDriverWait(driver, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    void screenshot(String name) throws IOException {
      Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Path target = Files.createDirectories(Path.of("target", "console-screenshots")).resolve(name + ".png");
      Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
      String docs = System.getProperty("console.screenshots");
      if (docs != null) {
        Files.copy(shot, Files.createDirectories(Path.of(docs)).resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    }

    @Override
    public void close() {
      try {
        driver.quit();
      } finally {
        service.stop();
      }
    }
  }
}
