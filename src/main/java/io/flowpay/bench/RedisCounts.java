package io.flowpay.bench;

import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the Redis server(s) of a run counted, summed over the nodes: calls per command from {@code INFO commandstats}
 * (those run inside scripts included), requests read ({@code total_reads_processed}) and bytes in and out
 * ({@code total_net_input_bytes}, {@code total_net_output_bytes}) from {@code INFO stats}. Exact counts, where
 * times on a shared machine are not: the difference over a round, per hop, says what a hop asks of Redis.
 * For servers the bench started itself, also their context switches from {@code /proc/<pid>/status}
 * ({@link ServerSwitches}): {@code waits} (voluntary: the server had no work and slept until a client wrote) and
 * {@code preempted} (involuntary); 0 for a server of {@code REDIS_URL}.
 */
record RedisCounts(Map<String, Long> calls, long reads, long bytesIn, long bytesOut, long waits, long preempted) {

  /** Commands the bench itself sends to read the counters and CPU: left out of every difference. */
  private static final java.util.Set<String> BENCH_OWN = java.util.Set.of("info");
  private static final java.util.Set<String> SCRIPT_CALLS = java.util.Set.of("evalsha", "eval");

  static final RedisCounts NONE = new RedisCounts(Map.of(), 0, 0, 0, 0, 0);

  RedisCounts {
    calls = Map.copyOf(calls);
  }

  /** From one node's {@code INFO commandstats} and {@code INFO stats} answers. */
  static RedisCounts parse(String commandstats, String stats) {
    Map<String, Long> calls = new TreeMap<>();
    commandstats.lines().filter(line -> line.startsWith("cmdstat_")).forEach(line -> {
      String name = line.substring("cmdstat_".length(), line.indexOf(':'));
      String fields = line.substring(line.indexOf(':') + 1);
      calls.put(name.toLowerCase(Locale.ROOT), field(fields.replace(',', '\n'), "calls", '='));
    });
    return new RedisCounts(calls, field(stats, "total_reads_processed", ':'), field(stats, "total_net_input_bytes", ':'),
        field(stats, "total_net_output_bytes", ':'), 0, 0);
  }

  private static long field(String text, String name, char separator) {
    return text.lines().map(String::trim).filter(line -> line.startsWith(name + separator)).findFirst()
        .map(line -> Long.parseLong(line.substring(name.length() + 1).trim())).orElse(0L);
  }

  /** These counts with the server's context switches so far ({@link ServerSwitches}). */
  RedisCounts withSwitches(long waits, long preempted) {
    return new RedisCounts(calls, reads, bytesIn, bytesOut, waits, preempted);
  }

  RedisCounts plus(RedisCounts other) {
    Map<String, Long> sum = new TreeMap<>(calls);
    other.calls.forEach((name, count) -> sum.merge(name, count, Long::sum));
    return new RedisCounts(sum, reads + other.reads, bytesIn + other.bytesIn, bytesOut + other.bytesOut,
        waits + other.waits, preempted + other.preempted);
  }

  /** What happened since {@code before} (a command first seen since counts from 0). */
  RedisCounts since(RedisCounts before) {
    Map<String, Long> delta = new TreeMap<>();
    calls.forEach((name, count) -> delta.put(name, count - before.calls.getOrDefault(name, 0L)));
    delta.values().removeIf(count -> count == 0);
    return new RedisCounts(delta, reads - before.reads, bytesIn - before.bytesIn, bytesOut - before.bytesOut,
        waits - before.waits, preempted - before.preempted);
  }

  /**
   * These counts less {@code times} x {@code idle} (e.g. an idle second's counts times a round's seconds): what the
   * hops asked beyond the polling the pool does with no load (timers, forward relays, reconciliation, blocking reads
   * timing out, leases, gauges). A count never goes below 0.
   */
  RedisCounts less(RedisCounts idle, double times) {
    Map<String, Long> net = new TreeMap<>(calls);
    idle.calls.forEach((name, count) -> net.computeIfPresent(name, (key, own) -> Math.max(0, own - Math.round(count
        * times))));
    return new RedisCounts(net, Math.max(0, reads - Math.round(idle.reads * times)),
        Math.max(0, bytesIn - Math.round(idle.bytesIn * times)), Math.max(0, bytesOut - Math.round(idle.bytesOut
        * times)), Math.max(0, waits - Math.round(idle.waits * times)), Math.max(0, preempted
        - Math.round(idle.preempted * times)));
  }

  /** Commands run (inside scripts included), less the bench's own INFO. */
  long commands() {
    return calls.entrySet().stream().filter(entry -> !BENCH_OWN.contains(entry.getKey()))
        .mapToLong(Map.Entry::getValue).sum();
  }

  long scriptCalls() {
    return SCRIPT_CALLS.stream().mapToLong(name -> calls.getOrDefault(name, 0L)).sum();
  }

  /**
   * Per hop: e.g. {@code requests 3.52, script calls 2.61, commands 31.9 (xadd 7.00, hset 4.00, ...), bytes in
   * 7104 / out 3190}; the bench's own INFO left out, its own chain starts and sink reads counted.
   */
  String perHop(double hops) {
    double per = Math.max(1, hops);
    String each = calls.entrySet().stream().filter(entry -> !BENCH_OWN.contains(entry.getKey()))
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .map(entry -> String.format(Locale.ROOT, "%s %.2f", entry.getKey(), entry.getValue() / per))
        .collect(Collectors.joining(", "));
    long requests = reads - calls.getOrDefault("info", 0L);
    String switches = waits + preempted == 0 ? "" : String.format(Locale.ROOT, ", server context switches: waits for"
        + " work %.2f, preempted %.2f", waits / per, preempted / per);
    return String.format(Locale.ROOT, "requests %.2f, script calls %.2f, commands %.2f (%s), bytes in %.0f / out %.0f%s",
        requests / per, scriptCalls() / per, commands() / per, each, bytesIn / per, bytesOut / per, switches);
  }
}
