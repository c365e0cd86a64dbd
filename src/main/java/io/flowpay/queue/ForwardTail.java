package io.flowpay.queue;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One process's relay of one worker's forward stream ({@link ForwardRelay}), with what it knows of the stream, so
 * that a relay costs fewer requests: the entries its own commits wrote come back in their answers
 * ({@link Forwarded}), and are applied without reading the stream; relayed entries are removed a page at a time.
 *
 * <p>What keeps it exact: every entry up to {@link #applied} is applied, because entries are applied in the stream's
 * order, each before the next, by every relay (this one, an operator's, the one of a lease's next holder), and an
 * entry leaves the stream only once applied. A commit's entries are applied directly only when every entry before
 * them is applied too ({@link Forwarded#follows}): the stream held none before them, or none after
 * {@link #applied}. Otherwise (an operator's repair or a parked task wrote between, a holder before this one left
 * entries, a commit's answer was lost or came out of order) the relay first reads the stream from {@code applied}
 * up to the last entry before the commit's, and applies what it finds. Applying an entry with a later id first
 * would make its target's per-source mark ({@link RedisKeys#relayed}) skip the earlier one for good.
 *
 * <p>Relayed entries stay in the stream until a page of them ({@link ForwardRelay#PAGE}) waits, or the next full
 * read ({@link #scan}): a relay repeated over them applies nothing twice, and after a crash the next holder re-reads
 * at most about a page of them. Used from one event loop (the worker's), one relay at a time.
 */
public final class ForwardTail {

  private final ForwardRelay relay;
  private final String worker;
  /** Commits' entries not relayed yet, in the order their answers came. */
  private final List<Forwarded> written = new ArrayList<>();
  /** Entries relayed and not removed yet. */
  private final Set<String> relayed = new LinkedHashSet<>();
  /** The id of the last entry this tail applied (null: none yet): every entry up to it is applied. */
  private String applied;
  private boolean scan;

  ForwardTail(ForwardRelay relay, String worker) {
    this.relay = relay;
    this.worker = worker;
  }

  /** A commit's answer: the entries it wrote (or {@link Forwarded#UNKNOWN}: the next relay reads the stream). */
  public void written(Forwarded forwarded) {
    if (forwarded.isEmpty()) {
      scan = true;
    } else {
      written.add(forwarded);
    }
  }

  /** The next relay removes the entries relayed so far and reads the whole stream (on start, and now and then). */
  public void scan() {
    scan = true;
  }

  /** Relays what is known to be in the stream and not applied, or reads the stream for it. */
  public Future<Integer> relay() {
    return relay(Integer.MAX_VALUE);
  }

  /** As {@link #relay()}, but stops after applying {@code most} entries (a relay cut short). */
  Future<Integer> relay(int most) {
    boolean full = scan;
    scan = false;
    List<Forwarded> known = new ArrayList<>(written);
    written.clear();
    Future<Integer> done = full ? flush().compose(removed -> read("-", "+", most)) : applyKnown(known, most);
    return done.compose(count -> relayed.size() >= ForwardRelay.PAGE ? flush().map(count) : Future.succeededFuture(count))
        .onFailure(error -> scan = true);
  }

  /** Removes the entries relayed so far from the stream (once applied, they are not needed). */
  public Future<Void> flush() {
    if (relayed.isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> ids = List.copyOf(relayed);
    relayed.clear();
    return relay.remove(worker, ids).mapEmpty();  // if this fails, a later full read removes them
  }

  /**
   * Applies the commits' entries in the stream's order while each follows what is applied. Before one that does not
   * (someone else wrote in between, or the commit whose entries come between has not answered yet), reads the
   * stream from what is applied up to the last entry before it, and applies what it finds first.
   */
  private Future<Integer> applyKnown(List<Forwarded> known, int most) {
    known.sort((a, b) -> ForwardRelay.compare(first(a), first(b)));
    List<ForwardRelay.Entry> ready = new ArrayList<>();
    String last = applied;
    for (int i = 0; i < known.size(); i++) {
      Forwarded forwarded = known.get(i);
      if (!forwarded.follows(last)) {
        List<Forwarded> rest = known.subList(i, known.size());
        return apply(ready, most).compose(count -> read(from(), forwarded.before(), most - count)
            .compose(more -> forwarded.follows(applied) ? applyKnown(rest, most - count - more).map(next -> count + more
                + next) : Future.succeededFuture(count + more)));  // cut short: the next relay reads the stream
      }
      for (ForwardRelay.Entry entry : forwarded.entries()) {
        if (last == null || ForwardRelay.after(entry.id(), last)) {
          ready.add(entry);
          last = entry.id();
        }
      }
    }
    return apply(ready, most);
  }

  private static String first(Forwarded forwarded) {
    return forwarded.entries().get(0).id();
  }

  /** Where a read of what is not applied starts. */
  private String from() {
    return applied == null ? "-" : ForwardRelay.next(applied);
  }

  /**
   * Reads the stream from id {@code from} to id {@code to} ({@code "+"}: its end), a page at a time, and applies what
   * is not applied yet. Once read to {@code to}, every entry up to it is applied: those it found, and those no
   * longer in the stream (removed only once applied).
   */
  private Future<Integer> read(String from, String to, int most) {
    int count = Math.min(ForwardRelay.PAGE, most);
    if (count <= 0) {
      scan = true;
      return Future.succeededFuture(0);
    }
    return relay.range(worker, from, to, count).compose(page -> {
      List<ForwardRelay.Entry> fresh = new ArrayList<>(page.size());
      for (ForwardRelay.Entry entry : page) {
        if (applied == null || ForwardRelay.after(entry.id(), applied)) {
          fresh.add(entry);
        } else {
          relayed.add(entry.id());  // applied before (by this tail or another relay), not removed yet
        }
      }
      return apply(fresh, most).compose(counted -> {
        if (counted < fresh.size()) {
          return Future.succeededFuture(counted);  // cut short
        }
        if (page.size() == count) {
          return read(ForwardRelay.next(page.get(page.size() - 1).id()), to, most - counted).map(more -> counted + more);
        }
        if (!"+".equals(to) && (applied == null || ForwardRelay.after(to, applied))) {
          applied = to;
        }
        return Future.succeededFuture(counted);
      });
    });
  }

  /** Applies up to {@code most} of {@code entries}, in order; what is left for a later relay makes it read the stream. */
  private Future<Integer> apply(List<ForwardRelay.Entry> entries, int most) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<ForwardRelay.Entry> now = entries.size() <= most ? entries : entries.subList(0, Math.max(0, most));
    if (now.size() < entries.size()) {
      scan = true;
    }
    if (now.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return relay.apply(worker, now).map(done -> {
      applied = now.get(now.size() - 1).id();
      now.forEach(entry -> relayed.add(entry.id()));
      return now.size();
    });
  }
}
