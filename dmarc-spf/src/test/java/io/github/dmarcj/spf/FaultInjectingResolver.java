// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.TempFailReason;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiPredicate;

/**
 * Wraps a resolver and makes chosen queries time out ({@link TempFailReason#TIMEOUT}); can also
 * deliver every answer later on another thread, so the asynchronous path is exercised.
 */
final class FaultInjectingResolver extends ForwardingResolver {
  private final BiPredicate<String, String> timesOut;
  private final Executor later;

  /**
   * @param timesOut (type, lower-case name) pairs that time out
   * @param later if not null, answers are completed on this executor instead of at once
   */
  FaultInjectingResolver(
      DnsResolver delegate, BiPredicate<String, String> timesOut, Executor later) {
    super(delegate);
    this.timesOut = timesOut;
    this.later = later;
  }

  /** Times out the named queries ({@code "TXT example.com"}). */
  static FaultInjectingResolver timingOut(DnsResolver delegate, String... queries) {
    Set<String> set = new HashSet<>(Set.of(queries));
    return new FaultInjectingResolver(
        delegate, (t, n) -> set.contains(t + " " + ZoneResolver.key(n)), null);
  }

  private <T> CompletionStage<DnsLookup<T>> wrap(
      String type, String name, CompletionStage<DnsLookup<T>> real) {
    CompletionStage<DnsLookup<T>> answer =
        timesOut.test(type, ZoneResolver.key(name))
            ? CompletableFuture.completedFuture(
                DnsLookup.tempFail(TempFailReason.TIMEOUT, "injected timeout"))
            : real;
    if (later == null) {
      return answer;
    }
    return answer.thenApplyAsync(l -> l, later);
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return wrap("TXT", name, super.txt(name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return wrap("A", name, super.a(name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return wrap("AAAA", name, super.aaaa(name));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return wrap("MX", name, super.mx(name));
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return wrap("PTR", name, super.ptr(name));
  }
}
