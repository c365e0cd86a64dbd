package io.flowpay.queue;

import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries one commit wrote to its worker's forward stream, from {@code commit.lua}'s answer: each as
 * {@code XRANGE} would give it, and the id of the stream's last entry before the first of them ({@code ""} when the
 * stream held none). With it a {@link ForwardTail} relays them without reading the stream, when it knows every
 * entry up to that id applied.
 *
 * @param before the id of the last entry in the stream before these ('' = it held none)
 * @param entries the entries written, in the stream's order (none: the commit wrote nothing to the stream, or its
 *     answer is not known)
 */
public record Forwarded(String before, List<ForwardRelay.Entry> entries) {

  /** Nothing written, or not known what: the relay has to read the stream. */
  public static final Forwarded UNKNOWN = new Forwarded("", List.of());

  public Forwarded {
    entries = List.copyOf(entries);
  }

  /** From commit.lua's third answer element: {before, {id, fields}, ...}, or an empty array. */
  static Forwarded of(Response written) {
    if (written == null || written.size() == 0) {
      return UNKNOWN;
    }
    List<ForwardRelay.Entry> entries = new ArrayList<>(written.size() - 1);
    for (int i = 1; i < written.size(); i++) {
      entries.add(ForwardRelay.Entry.of(written.get(i)));
    }
    return new Forwarded(written.get(0).toString(), entries);
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /**
   * Whether every entry before these is applied, given that every entry up to {@code applied} is ({@code null}: none
   * known): the stream held none before them (each removed one was applied first), or its last one was no later
   * than {@code applied}.
   */
  boolean follows(String applied) {
    return before.isEmpty() || (applied != null && !ForwardRelay.after(before, applied));
  }
}
