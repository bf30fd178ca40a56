// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.MxRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * Key records for tests, added one at a time and served by {@link InMemoryDnsResolver}; remembers
 * the TXT names queried (lower case, no trailing dot). Tests add records after creating it, so the
 * immutable resolver is rebuilt after each change.
 */
final class MapResolver implements DnsResolver {
  private final InMemoryDnsResolver.Builder records = InMemoryDnsResolver.builder().negativeTtl(0);
  private InMemoryDnsResolver built;
  final List<String> queries = Collections.synchronizedList(new ArrayList<>());

  /** One TXT record at {@code name} per string given. */
  synchronized MapResolver add(String name, String... txtRecords) {
    for (String r : txtRecords) {
      records.txt(name, r);
    }
    built = null;
    return this;
  }

  /** Every query for {@code name} fails temporarily. */
  synchronized MapResolver tempFail(String name) {
    records.tempFail(name);
    built = null;
    return this;
  }

  private synchronized InMemoryDnsResolver dns() {
    if (built == null) {
      built = records.build();
    }
    return built;
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    queries.add(n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
    return dns().txt(name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return dns().a(name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return dns().aaaa(name);
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return dns().mx(name);
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return dns().ptr(name);
  }
}
