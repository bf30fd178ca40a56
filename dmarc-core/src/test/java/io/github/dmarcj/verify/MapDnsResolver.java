// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** TXT records in a map; other names that were mentioned exist without data (NODATA). */
final class MapDnsResolver implements DnsResolver {
  private final Map<String, List<String>> txt = new HashMap<>();
  private final Set<String> names = new HashSet<>();

  MapDnsResolver txt(String name, String... records) {
    String n = name.toLowerCase(Locale.ROOT);
    txt.put(n, List.of(records));
    exists(n);
    return this;
  }

  MapDnsResolver exists(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    while (true) {
      names.add(n);
      int dot = n.indexOf('.');
      if (dot < 0) {
        return this;
      }
      n = n.substring(dot + 1);
    }
  }

  private <T> CompletionStage<DnsLookup<T>> none(String name) {
    String n = name.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    return CompletableFuture.completedFuture(
        names.contains(n) ? DnsLookup.noData(60) : DnsLookup.nxDomain(60));
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    List<String> r = txt.get(name.toLowerCase(Locale.ROOT).replaceAll("\\.$", ""));
    return r == null ? none(name) : CompletableFuture.completedFuture(DnsLookup.found(r, 60));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return none(name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return none(name);
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return none(name);
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return none(name);
  }
}
