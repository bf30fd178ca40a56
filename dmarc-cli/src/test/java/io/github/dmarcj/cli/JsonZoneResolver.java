// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * DNS from the cross-check data, { name: { TXT: [[strings]], A: [addr] } }, with the semantics of
 * the resolver given to mailauth: records for a name with the type, NODATA for a name without it
 * (or an empty non-terminal), NXDOMAIN otherwise.
 */
final class JsonZoneResolver implements DnsResolver {
  private final Map<String, List<String>> txt = new HashMap<>();
  private final Map<String, List<Inet4Address>> a = new HashMap<>();
  private final Set<String> names = new HashSet<>();

  JsonZoneResolver add(JsonNode zone) {
    zone.fields().forEachRemaining(e -> {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      for (String n = name; ; n = n.substring(n.indexOf('.') + 1)) {
        names.add(n);
        if (n.indexOf('.') < 0) {
          break;
        }
      }
      JsonNode t = e.getValue().get("TXT");
      if (t != null) {
        List<String> records = new ArrayList<>();
        for (JsonNode rr : t) {
          StringBuilder sb = new StringBuilder();
          rr.forEach(s -> sb.append(s.asText()));
          records.add(sb.toString());
        }
        txt.put(name, records);
      }
      JsonNode addr = e.getValue().get("A");
      if (addr != null) {
        List<Inet4Address> as = new ArrayList<>();
        for (JsonNode x : addr) {
          try {
            as.add((Inet4Address) InetAddress.getByName(x.asText()));
          } catch (UnknownHostException ex) {
            throw new IllegalArgumentException(ex);
          }
        }
        a.put(name, as);
      }
    });
    return this;
  }

  JsonZoneResolver txt(String name, String record) {
    String n = name.toLowerCase(Locale.ROOT);
    txt.put(n, List.of(record));
    names.add(n);
    return this;
  }

  private static String norm(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private <T> CompletionStage<DnsLookup<T>> answer(String name, Map<String, List<T>> data) {
    String n = norm(name);
    List<T> r = data.get(n);
    if (r != null) {
      return CompletableFuture.completedFuture(DnsLookup.found(r, 300));
    }
    return CompletableFuture.completedFuture(
        names.contains(n) ? DnsLookup.noData(300) : DnsLookup.nxDomain(300));
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return answer(name, txt);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return answer(name, a);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return answer(name, Map.of());
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return answer(name, Map.of());
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return answer(name, Map.of());
  }
}
