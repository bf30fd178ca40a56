// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A resolver whose answers the test gives later; it counts the queries it receives. */
final class PendingDnsResolver implements DnsResolver {
  final List<CompletableFuture<DnsLookup<?>>> pending = new ArrayList<>();
  final List<String> asked = new ArrayList<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  private synchronized <T> CompletionStage<DnsLookup<T>> next(String what) {
    CompletableFuture<DnsLookup<?>> f = new CompletableFuture<>();
    pending.add(f);
    asked.add(what);
    return (CompletionStage) f;
  }

  synchronized CompletableFuture<DnsLookup<?>> last() {
    return pending.get(pending.size() - 1);
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return next("TXT " + name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return next("A " + name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return next("AAAA " + name);
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return next("MX " + name);
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return next("PTR " + name);
  }
}
