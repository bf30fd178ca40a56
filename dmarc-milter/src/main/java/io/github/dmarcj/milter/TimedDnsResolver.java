// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.RecordType;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** Counts every DNS query and the time until its answer, for the milter's status counters. */
final class TimedDnsResolver extends ForwardingDnsResolver {
  private final MilterStats stats;

  TimedDnsResolver(DnsResolver delegate, MilterStats stats) {
    super(delegate);
    this.stats = stats;
  }

  @Override
  protected <T> CompletionStage<DnsLookup<T>> forward(
      RecordType type,
      String name,
      Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
    long start = System.nanoTime();
    stats.dnsQueries.increment();
    return super.forward(type, name, call)
        .whenComplete((v, e) -> stats.dnsNanos.add(System.nanoTime() - start));
  }
}
