// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.TempFailReason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An in-memory zone for tests: names map to records by type. Strict about NXDOMAIN (name absent)
 * versus NODATA (name present, no record of the type). Follows CNAME chains (a loop is a
 * temporary failure). Answers with completed futures. Knows nothing of failures: the openspf
 * {@code TIMEOUT} entries are injected with {@link io.github.dmarcj.dns.FaultInjectingDnsResolver}.
 */
final class ZoneResolver implements DnsResolver {
  /** Record types of the test zones. */
  enum Type {
    A,
    AAAA,
    MX,
    PTR,
    TXT,
    CNAME
  }

  private final Map<String, Map<Type, List<Object>>> names = new HashMap<>();

  static String key(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    return n.toLowerCase(Locale.ROOT);
  }

  /** Declares that {@code name} exists (it may have no records). */
  ZoneResolver name(String name) {
    names.computeIfAbsent(key(name), k -> new HashMap<>());
    return this;
  }

  ZoneResolver add(String name, Type type, Object value) {
    names.computeIfAbsent(key(name), k -> new HashMap<>())
        .computeIfAbsent(type, t -> new ArrayList<>())
        .add(value);
    return this;
  }

  ZoneResolver txt(String name, String text) {
    return add(name, Type.TXT, text);
  }

  ZoneResolver a(String name, String address) {
    return add(name, Type.A, address(address));
  }

  ZoneResolver aaaa(String name, String address) {
    return add(name, Type.AAAA, address(address));
  }

  ZoneResolver mx(String name, int preference, String exchange) {
    return add(name, Type.MX, new MxRecord(preference, exchange));
  }

  ZoneResolver ptr(String name, String target) {
    return add(name, Type.PTR, target);
  }

  ZoneResolver cname(String name, String target) {
    return add(name, Type.CNAME, target);
  }

  boolean has(String name, Type type) {
    Map<Type, List<Object>> m = names.get(key(name));
    return m != null && m.containsKey(type);
  }

  static InetAddress address(String text) {
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(text, e);
    }
  }

  @SuppressWarnings("unchecked")
  <T> DnsLookup<T> lookup(String name, Type type) {
    String n = key(name);
    for (int hops = 0; hops < 8; hops++) {
      Map<Type, List<Object>> m = names.get(n);
      if (m == null) {
        return DnsLookup.nxDomain(300);
      }
      List<Object> rs = m.get(type);
      if (rs != null && !rs.isEmpty()) {
        return DnsLookup.found((List<T>) (List<?>) rs, 300);
      }
      List<Object> cn = m.get(Type.CNAME);
      if (cn == null || cn.isEmpty()) {
        return DnsLookup.noData(300);
      }
      n = key((String) cn.get(0));
    }
    return DnsLookup.tempFail(TempFailReason.SERVFAIL, "CNAME chain too long at " + name);
  }

  private static <T> CompletionStage<DnsLookup<T>> done(DnsLookup<T> l) {
    return CompletableFuture.completedFuture(l);
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return done(lookup(name, Type.TXT));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return done(lookup(name, Type.A));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return done(lookup(name, Type.AAAA));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return done(lookup(name, Type.MX));
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return done(lookup(name, Type.PTR));
  }
}
