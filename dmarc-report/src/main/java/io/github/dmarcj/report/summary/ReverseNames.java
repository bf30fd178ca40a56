// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsNames;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.IpLiteral;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reverse names (PTR) of source addresses, for display only: a bounded number of lookups made at
 * once, all within one deadline. An address that is not an IP literal, a lookup that fails, times
 * out or finds nothing, leaves the name absent; nothing is thrown.
 */
final class ReverseNames {
  /** Longest name kept (RFC 1035 §2.3.4: 255 octets). */
  static final int MAX_NAME = 255;

  private ReverseNames() {}

  static Map<String, String> lookup(
      DnsResolver resolver, List<String> ips, int maxLookups, Duration timeout) {
    Map<String, CompletableFuture<DnsLookup<String>>> pending = new LinkedHashMap<>();
    for (String ip : ips) {
      if (pending.size() >= maxLookups) {
        break;
      }
      if (pending.containsKey(ip)) {
        continue;
      }
      Optional<InetAddress> address = IpLiteral.parse(ip);
      if (address.isEmpty()) {
        continue;
      }
      try {
        pending.put(ip, resolver.ptr(DnsNames.reverseName(address.get())).toCompletableFuture());
      } catch (RuntimeException e) {
        // a resolver that throws instead of answering: no name for this address
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> names = new LinkedHashMap<>();
    List<CompletableFuture<DnsLookup<String>>> unfinished = new ArrayList<>();
    for (Map.Entry<String, CompletableFuture<DnsLookup<String>>> e : pending.entrySet()) {
      CompletableFuture<DnsLookup<String>> f = e.getValue();
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        DnsLookup<String> result = f.get(left, TimeUnit.NANOSECONDS);
        if (result instanceof DnsLookup.Found<String> found) {
          String name = found.records().get(0);
          if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
          }
          if (!name.isEmpty() && name.length() <= MAX_NAME) {
            names.put(e.getKey(), name);
          }
        }
      } catch (TimeoutException | ExecutionException | RuntimeException ex) {
        unfinished.add(f);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        unfinished.add(f);
        break;
      }
    }
    for (CompletableFuture<DnsLookup<String>> f : unfinished) {
      f.cancel(true);
    }
    return names;
  }
}
