package io.flowpay.config;

import io.flowpay.flow.FlowNames;
import io.flowpay.flow.Placement;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Inbound Stripe webhooks ({@code POST /webhooks/stripe}). On when the config has a
 * {@code webhooks} section (and {@code http.port}). The signing secret is never here: it comes from
 * {@code STRIPE_WEBHOOK_SECRET}.
 *
 * @param defaultWorker where an event runs when its object carries no {@code metadata[flowpay_worker]};
 *     null for the first of {@code workers}
 */
public record WebhookOptions(boolean enabled, String defaultWorker) {

  public WebhookOptions() {
    this(false, null);
  }

  /** Reads the {@code webhooks} section; null (no section) means off. Fails naming the key. */
  public WebhookOptions(JsonObject json) {
    this(json != null, json == null ? null : defaultWorker(new ConfigReader(json, "webhooks")));
  }

  private static String defaultWorker(ConfigReader config) {
    String worker = config.string("defaultWorker", null);
    if (worker != null && !FlowNames.isValidId(worker)) {
      throw config.invalid("defaultWorker", "'" + worker + "' is not a valid worker id: use 1-128 letters, digits,"
          + " '_', '-', '.' or ':'");
    }
    return worker;
  }

  /**
   * The worker that runs an event for {@code contextId} without routing metadata: {@code defaultWorker}
   * when configured, else the context's placed worker among {@code workers} ({@link Placement}).
   */
  public String defaultWorker(String contextId, List<String> workers) {
    return defaultWorker == null ? Placement.workerFor(contextId, workers) : defaultWorker;
  }

  public JsonObject toJson() {
    return defaultWorker == null ? new JsonObject() : new JsonObject().put("defaultWorker", defaultWorker);
  }
}
