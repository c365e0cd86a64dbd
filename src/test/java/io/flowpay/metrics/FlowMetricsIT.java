package io.flowpay.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;

/** A Vertx from {@link FlowMetrics#newVertx()} records Vert.x's own HTTP meters, by route, in the same registry. */
class FlowMetricsIT {

  @Test
  void vertxHttpServerRequestsAreRecordedByRoute() {
    FlowMetrics metrics = new FlowMetrics();
    Vertx vertx = metrics.newVertx();
    try {
      Router router = Router.router(vertx);
      router.get("/v1/chains/:id").handler(ctx -> ctx.end("{}"));
      int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
      WebClient client = WebClient.create(vertx);

      assertEquals(200, client.get(port, "127.0.0.1", "/v1/chains/abc").send().await().statusCode());
      assertEquals(200, client.get(port, "127.0.0.1", "/v1/chains/def").send().await().statusCode());

      String text = metrics.scrape();
      assertTrue(text.lines().anyMatch(line -> line.startsWith("vertx_http_server_requests_total{")
          && line.contains("route=\"/v1/chains/:id\"") && line.contains("code=\"200\"") && line.endsWith(" 2.0")), text);
      assertTrue(text.contains("jvm_memory_used_bytes"), "JVM meters are on");
    } finally {
      vertx.close().await();
    }
  }
}
