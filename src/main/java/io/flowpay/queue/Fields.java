package io.flowpay.queue;

import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.Map;

/** Redis's flat {@code name, value, name, value, ...} answers (HGETALL, a stream entry's fields) as maps. */
final class Fields {

  private Fields() {}

  static Map<String, String> toMap(Response response) {
    Map<String, String> map = new HashMap<>();
    if (response != null) {
      for (int i = 0; i + 1 < response.size(); i += 2) {
        map.put(response.get(i).toString(), response.get(i + 1).toString());
      }
    }
    return map;
  }
}
