package io.flowpay.queue;

import io.flowpay.flow.Task;
import io.vertx.core.json.DecodeException;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Reads XREAD / XREADGROUP answers (RESP2: {@code [[stream, [[id, [field, value, ...]], ...]]]}). */
public final class StreamEntries {

  /** One stream entry: its id and its single JSON field ({@code task} or {@code run}). */
  public record Entry(String id, String json) {}

  private StreamEntries() {}

  static List<Entry> entries(Response response) {
    List<Entry> entries = new ArrayList<>();
    if (response == null || response.size() == 0) {
      return entries;
    }
    Response items = response.get(0).get(1);
    for (int i = 0; i < items.size(); i++) {
      Response item = items.get(i);
      Response fields = item.get(1);
      entries.add(new Entry(item.get(0).toString(), fields == null || fields.size() < 2 ? null : fields.get(1).toString()));
    }
    return entries;
  }

  /** New entries read with XREADGROUP '>': each is on its first delivery. */
  static List<Delivery> deliveries(String worker, Response response) {
    List<Delivery> deliveries = new ArrayList<>();
    for (Entry entry : entries(response)) {
      deliveries.add(delivery(worker, entry));
    }
    return deliveries;
  }

  static Delivery delivery(String worker, Entry entry) {
    return new Delivery(worker, entry.id(), parse(entry.json()), entry.json(), 1);
  }

  static Task parse(String json) {
    if (json == null) {
      return null;
    }
    try {
      return task(json);
    } catch (DecodeException | ClassCastException unreadable) {
      return null;
    }
  }

  /** The task in an entry's JSON, or null when it lacks an id, a flow or a context. */
  static Task task(String json) {
    Task task = Task.decode(json);
    return task.taskId() == null || task.flow() == null || task.contextId() == null ? null : task;
  }
}
