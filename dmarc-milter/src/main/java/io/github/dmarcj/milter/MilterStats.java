// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The milter's counters since it started, read by the control socket's {@code status}. Every count
 * only grows, except the open connections and messages in flight.
 */
final class MilterStats {
  final LongAdder connections = new LongAdder();
  final AtomicLong openConnections = new AtomicLong();
  final LongAdder refusedConnections = new LongAdder();
  final LongAdder droppedConnections = new LongAdder();
  final LongAdder messages = new LongAdder();
  final AtomicLong inFlight = new AtomicLong();
  final LongAdder aborted = new LongAdder();
  final LongAdder skippedHost = new LongAdder();
  final LongAdder skippedAuthenticated = new LongAdder();
  final LongAdder forgedRemoved = new LongAdder();
  final LongAdder fallbacks = new LongAdder();
  final LongAdder dnsQueries = new LongAdder();
  final LongAdder dnsNanos = new LongAdder();
  private final Map<String, LongAdder> results = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();

  void result(String dmarcKeyword) {
    results.computeIfAbsent(dmarcKeyword, k -> new LongAdder()).increment();
  }

  void action(String action) {
    actions.computeIfAbsent(action, k -> new LongAdder()).increment();
  }

  /** Every counter as {@code name value}, in a stable order. */
  Map<String, Long> snapshot() {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    m.put("connections", connections.sum());
    m.put("connections.open", openConnections.get());
    m.put("connections.refused", refusedConnections.sum());
    m.put("connections.dropped", droppedConnections.sum());
    m.put("messages", messages.sum());
    m.put("messages.in_flight", inFlight.get());
    m.put("messages.aborted", aborted.sum());
    m.put("skipped.ignored_host", skippedHost.sum());
    m.put("skipped.authenticated", skippedAuthenticated.sum());
    m.put("forged_auth_results_removed", forgedRemoved.sum());
    m.put("fallbacks", fallbacks.sum());
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(results).entrySet()) {
      m.put("dmarc." + e.getKey(), e.getValue().sum());
    }
    for (Map.Entry<String, LongAdder> e : new TreeMap<>(actions).entrySet()) {
      m.put("action." + e.getKey(), e.getValue().sum());
    }
    m.put("dns.queries", dnsQueries.sum());
    m.put("dns.millis", dnsNanos.sum() / 1_000_000);
    return m;
  }

  static String render(Map<String, Long> snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    StringBuilder sb = new StringBuilder();
    snapshot.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    return sb.toString();
  }
}
