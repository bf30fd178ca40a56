// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.TempFailReason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An in-memory TXT resolver for tests: NXDOMAIN for unknown names, recorded queries. */
final class MapResolver implements DnsResolver {
  private final Map<String, List<String>> txt = new HashMap<>();
  private final Set<String> tempFail = new HashSet<>();
  final List<String> queries = Collections.synchronizedList(new ArrayList<>());

  MapResolver add(String name, String... records) {
    txt.computeIfAbsent(norm(name), k -> new ArrayList<>()).addAll(List.of(records));
    return this;
  }

  MapResolver tempFail(String name) {
    tempFail.add(norm(name));
    return this;
  }

  private static String norm(String n) {
    String s = n.toLowerCase(Locale.ROOT);
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    queries.add(norm(name));
    if (tempFail.contains(norm(name))) {
      return CompletableFuture.completedFuture(DnsLookup.tempFail(TempFailReason.SERVFAIL, "test"));
    }
    List<String> r = txt.get(norm(name));
    if (r == null) {
      return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
    }
    return CompletableFuture.completedFuture(DnsLookup.found(r, 300));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
  }
}
