package io.flowpay.http;

import static io.flowpay.FlowpayHarness.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.flowpay.TestRedis;
import io.flowpay.flow.Ids;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Server-Sent Events of run records, read by a plain HTTP client as a script would. */
@ExtendWith(TestRedis.Extension.class)
class EventStreamIT {

  private static final Duration LIMIT = Duration.ofSeconds(60);
  private final HttpClient client = HttpClient.newHttpClient();

  /** One SSE event: its name, id and data. */
  record Event(String name, String id, String data) {
    JsonObject json() {
      return new JsonObject(data);
    }
  }

  @Test
  void aClientSeesEveryRunOfAChainInOrderThenTheEnd(TestRedis redis, @TempDir Path flows) {
    write(flows, "first", "ctx.set('step', 1); flow.dispatch('second', {});");
    write(flows, "second", "ctx.set('step', 2); flow.dispatch('third', {}); flow.dispatch('third', {last: true});");
    write(flows, "third", "if (input.last) { throw new Error('the last one fails'); }");
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String chainId = http.post("/v1/runs", new JsonObject().put("flow", "first").encode()).bodyAsJsonObject()
          .getString("chain_id");

      List<Event> events = assertTimeoutPreemptively(LIMIT, () -> readUntilEnd(http, "/v1/chains/" + chainId + "/events"));

      assertEquals(List.of("run", "run", "run", "run", "end"), events.stream().map(Event::name).toList());
      List<JsonObject> runs = events.subList(0, 4).stream().map(Event::json).toList();
      assertEquals(List.of("first", "second", "third", "third"), runs.stream().map(run -> run.getString("flow")).toList());
      runs.forEach(run -> assertEquals(chainId, run.getString("chain_id")));
      assertEquals(1, runs.stream().filter(run -> "failed".equals(run.getString("status"))).count());
      JsonObject end = events.get(4).json();
      assertEquals("settled", end.getString("status"), end.encode());
      assertEquals(4L, end.getLong("runs"));
      assertEquals(1L, end.getLong("failed"));

      List<String> ids = events.subList(0, 4).stream().map(Event::id).toList();
      List<Event> resumed = assertTimeoutPreemptively(LIMIT, () -> readUntilEnd(http, "/v1/chains/" + chainId + "/events",
          "Last-Event-ID", ids.get(1)));
      assertEquals(ids.subList(2, 4), resumed.subList(0, 2).stream().map(Event::id).toList(),
          "a client that reconnects with Last-Event-ID gets the runs after it");
    }
  }

  @Test
  void unknownChainIs404AndNoTokenIs401(TestRedis redis, @TempDir Path flows) throws Exception {
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      HttpResponse<String> missing = client.send(request(http, "/v1/chains/nope-" + Ids.newId() + "/events").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(404, missing.statusCode());
      HttpResponse<String> anonymous = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port
          + "/v1/events")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(401, anonymous.statusCode());
    }
  }

  @Test
  void theFeedShowsRunsCommittedAfterItOpenedFilteredByContextOrFlow(TestRedis redis, @TempDir Path flows) {
    String suffix = Ids.newId().substring(0, 8);
    String ping = "ping_" + suffix;
    write(flows, ping, "flow.dispatch('pong_" + suffix + "', {});");
    write(flows, "pong_" + suffix, "");
    try (HttpFixture http = new HttpFixture(redis, flows)) {
      String context = "ctx-" + Ids.newId();
      List<Event> byContext = assertTimeoutPreemptively(LIMIT, () -> {
        try (Stream<String> lines = open(http, "/v1/events?context=" + context)) {
          Iterator<String> reading = lines.iterator();
          http.post("/v1/runs", new JsonObject().put("flow", ping).put("context_id", context).encode());
          return read(reading, 2);
        }
      });
      assertEquals(List.of(ping, "pong_" + suffix), byContext.stream().map(event -> event.json().getString("flow")).toList());

      List<Event> byFlow = assertTimeoutPreemptively(LIMIT, () -> {
        try (Stream<String> lines = open(http, "/v1/events?flow=pong_" + suffix)) {
          Iterator<String> reading = lines.iterator();
          for (int i = 0; i < 2; i++) {
            http.post("/v1/runs", new JsonObject().put("flow", ping).put("context_id", "ctx-" + Ids.newId()).encode());
          }
          return read(reading, 2);
        }
      });
      byFlow.forEach(event -> assertEquals("pong_" + suffix, event.json().getString("flow")));
      assertEquals(2, byFlow.stream().map(event -> event.json().getString("context_id")).distinct().count());
    }
  }

  private List<Event> readUntilEnd(HttpFixture http, String path, String... headers) throws Exception {
    try (Stream<String> lines = open(http, path, headers)) {
      Iterator<String> reading = lines.iterator();
      List<Event> events = new ArrayList<>();
      do {
        events.add(next(reading));
      } while (!events.get(events.size() - 1).name().equals("end"));
      return events;
    }
  }

  private Stream<String> open(HttpFixture http, String path, String... headers) throws Exception {
    HttpRequest.Builder request = request(http, path);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<Stream<String>> response = client.send(request.build(), HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, response.statusCode());
    assertEquals("text/event-stream; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
    return response.body();
  }

  private static HttpRequest.Builder request(HttpFixture http, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port + path))
        .header("Authorization", "Bearer " + HttpFixture.TOKEN);
  }

  private static List<Event> read(Iterator<String> lines, int count) {
    List<Event> events = new ArrayList<>();
    while (events.size() < count) {
      events.add(next(lines));
    }
    return events;
  }

  /** The next event: lines up to a blank line; comments (":") skipped. */
  private static Event next(Iterator<String> lines) {
    String name = "message";
    String id = null;
    StringBuilder data = new StringBuilder();
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.isEmpty()) {
        if (data.length() > 0) {
          return new Event(name, id, data.toString());
        }
      } else if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("data: ")) {
        data.append(line.substring(6));
      }
    }
    throw new AssertionError("the stream ended before an event");
  }
}
