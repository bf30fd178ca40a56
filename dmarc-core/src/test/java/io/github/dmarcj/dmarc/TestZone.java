// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.TempFailReason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory resolver over a small zone text, strict about NXDOMAIN versus NODATA, that records
 * every query. One line per record: {@code name TYPE data} with TYPE one of TXT (one or more
 * quoted strings, joined), A, AAAA, MX ({@code pref exchange}). {@code name TEMPFAIL} makes every
 * query for that name fail temporarily. Names are absolute; a trailing dot is optional. A name
 * above a name with records exists (NODATA).
 */
final class TestZone implements DnsResolver {
  private final Map<String, Map<String, List<String>>> records = new HashMap<>();
  private final Set<String> existing = new HashSet<>();
  private final Set<String> tempFail = new HashSet<>();
  private final List<String> queries = Collections.synchronizedList(new ArrayList<>());

  static TestZone of(String text) {
    TestZone z = new TestZone();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith(";")) {
        continue;
      }
      String[] parts = line.split("\\s+", 3);
      String name = norm(parts[0]);
      String type = parts[1].toUpperCase(Locale.ROOT);
      if (type.equals("TEMPFAIL")) {
        z.tempFail.add(name);
        continue;
      }
      String data = parts.length > 2 ? parts[2] : "";
      if (type.equals("TXT")) {
        data = joinQuoted(data);
      }
      z.records.computeIfAbsent(name, k -> new HashMap<>())
          .computeIfAbsent(type, k -> new ArrayList<>())
          .add(data);
      for (String n = name; n != null; n = n.contains(".") ? n.substring(n.indexOf('.') + 1) : null) {
        z.existing.add(n);
      }
    }
    return z;
  }

  private static String joinQuoted(String data) {
    StringBuilder sb = new StringBuilder();
    boolean in = false;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '"') {
        in = !in;
      } else if (c == '\\' && in && i + 1 < data.length()) {
        sb.append(data.charAt(++i));
      } else if (in) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String norm(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.toLowerCase(Locale.ROOT);
  }

  /** Every query made, as {@code TYPE name}, in order. */
  List<String> queries() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }

  /** The queries of one type. */
  List<String> queries(String type) {
    List<String> out = new ArrayList<>();
    for (String q : queries()) {
      if (q.startsWith(type + " ")) {
        out.add(q.substring(type.length() + 1));
      }
    }
    return out;
  }

  private <T> CompletionStage<DnsLookup<T>> lookup(
      String type, String name, java.util.function.Function<String, T> convert) {
    String n = norm(name);
    queries.add(type + " " + n);
    if (tempFail.contains(n)) {
      return CompletableFuture.completedFuture(
          DnsLookup.tempFail(TempFailReason.SERVFAIL, "test zone"));
    }
    List<String> data = records.getOrDefault(n, Map.of()).get(type);
    if (data != null) {
      List<T> out = new ArrayList<>();
      for (String d : data) {
        out.add(convert.apply(d));
      }
      return CompletableFuture.completedFuture(DnsLookup.found(out, 300));
    }
    return CompletableFuture.completedFuture(
        existing.contains(n) ? DnsLookup.noData(300) : DnsLookup.nxDomain(300));
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return lookup("TXT", name, s -> s);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return lookup("A", name, s -> (Inet4Address) ip(s));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return lookup("AAAA", name, s -> (Inet6Address) ip(s));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return lookup(
        "MX",
        name,
        s -> {
          String[] p = s.split("\\s+");
          return new MxRecord(Integer.parseInt(p[0]), norm(p[1]));
        });
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return lookup("PTR", name, TestZone::norm);
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s.strip());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }
}
