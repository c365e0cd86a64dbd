package io.flowpay.flow;

import io.vertx.core.json.JsonObject;

/**
 * One uploaded version of a flow ({@code PUT /v1/flows/<name>}): its text and who put it there, when.
 *
 * @param version 1 for a flow's first upload, then one more per upload
 * @param digest {@code sha256:<hex>} of the text (UTF-8)
 * @param by the uploading token's name, never the token itself
 * @param at when it was uploaded (epoch ms)
 */
public record FlowVersion(String flow, long version, String text, String digest, String by, long at) {

  public JsonObject toJson(boolean withText) {
    JsonObject json = new JsonObject().put("flow", flow).put("version", version).put("digest", digest)
        .put("by", by).put("at", java.time.Instant.ofEpochMilli(at).toString());
    return withText ? json.put("text", text) : json;
  }

  /** As Redis keeps it: {@code {flow, version, text, digest, by, at}} with {@code at} in ms. */
  public static FlowVersion fromStored(JsonObject json) {
    return new FlowVersion(json.getString("flow"), json.getLong("version"), json.getString("text"),
        json.getString("digest"), json.getString("by"), json.getLong("at"));
  }
}
