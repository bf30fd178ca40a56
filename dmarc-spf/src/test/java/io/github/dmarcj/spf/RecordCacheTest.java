// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.result.SpfResult;
import java.net.InetAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The checker's cache of parsed records: keyed on the exact TXT text, bounded, optional. */
final class RecordCacheTest {

  private static final InetAddress CLIENT = OpenSpfSuiteTest.address("192.0.2.10");

  /** Answers from whichever zone {@code zone} holds at the time of the query. */
  private static DnsResolver switchable(AtomicReference<DnsResolver> zone) {
    return new ForwardingDnsResolver(zone.get()) {
      @Override
      protected <T> CompletionStage<DnsLookup<T>> forward(
          RecordType type,
          String name,
          Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
        return call.apply(zone.get());
      }
    };
  }

  private static SpfResult check(SpfChecker checker) throws Exception {
    return checker
        .check(SpfRequest.mailFrom(CLIENT, "user@example.com", "mail.example.com"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS)
        .result();
  }

  @Test
  @DisplayName("a record text is parsed once and shared")
  void parsedRecord_sameText_sameParsedRecord() {
    SpfChecker checker = SpfChecker.builder(InMemoryDnsResolver.builder().build()).build();
    String txt = "v=spf1 ip4:192.0.2.0/24 -all";
    assertThat(checker.parsedRecord(txt)).isSameAs(checker.parsedRecord(new String(txt)));
  }

  @Test
  @DisplayName("the cache holds at most recordCacheSize records")
  void parsedRecord_manyTexts_boundedByConfiguredSize() {
    SpfChecker checker =
        SpfChecker.builder(InMemoryDnsResolver.builder().build()).recordCacheSize(10).build();
    for (int i = 0; i < 1000; i++) {
      String text = "v=spf1 ip4:192.0.2." + (i % 256) + " a:h" + i + ".example";
      SpfRecord r = checker.parsedRecord(text);
      assertThat(r.problem).isNull();
    }
    checker.recordCache.cleanUp();
    assertThat(checker.recordCache.estimatedSize()).isLessThanOrEqualTo(10);
  }

  @Test
  @DisplayName("a changed record at the same name takes effect at once")
  void check_recordTextChanges_newTextEvaluated() throws Exception {
    DnsResolver allowing =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").build();
    DnsResolver refusing =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:198.51.100.0/24 -all").build();
    DnsResolver broken =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:192.0.2.0/33 -all").build();
    AtomicReference<DnsResolver> zone = new AtomicReference<>(allowing);
    SpfChecker checker = SpfChecker.builder(switchable(zone)).build();

    assertThat(check(checker)).isEqualTo(SpfResult.PASS);
    zone.set(refusing);
    assertThat(check(checker)).isEqualTo(SpfResult.FAIL);
    zone.set(broken);
    assertThat(check(checker)).isEqualTo(SpfResult.PERMERROR);
    zone.set(allowing);
    assertThat(check(checker)).isEqualTo(SpfResult.PASS);
  }

  @Test
  @DisplayName("recordCacheSize(0) keeps nothing and still evaluates")
  void check_cacheDisabled_parsesEveryTime() throws Exception {
    DnsResolver zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").build();
    SpfChecker checker = SpfChecker.builder(zone).recordCacheSize(0).build();
    assertThat(checker.recordCache).isNull();
    assertThat(check(checker)).isEqualTo(SpfResult.PASS);
    String txt = "v=spf1 -all";
    assertThat(checker.parsedRecord(txt)).isNotSameAs(checker.parsedRecord(txt));
  }
}
