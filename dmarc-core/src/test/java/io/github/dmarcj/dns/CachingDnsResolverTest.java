// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class CachingDnsResolverTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingDnsResolver upstream = new RecordingDnsResolver(TestZones.resolver());

  /** Lookups that stay pending until the test completes them, one per query, oldest first. */
  private final List<CompletableFuture<DnsLookup<?>>> pending =
      Collections.synchronizedList(new ArrayList<>());

  /** An upstream whose every query waits for {@link #pending}; the queries are recorded. */
  private final RecordingDnsResolver slow =
      new RecordingDnsResolver(
          new ForwardingDnsResolver(TestZones.resolver()) {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            protected <T> CompletionStage<DnsLookup<T>> forward(
                RecordType type,
                String name,
                Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
              CompletableFuture<DnsLookup<?>> later = new CompletableFuture<>();
              pending.add(later);
              return (CompletionStage) later;
            }
          });

  private CachingDnsResolver.Builder builder() {
    return CachingDnsResolver.builder(upstream).clock(clock);
  }

  /** The queries {@link #slow} received, as {@code TYPE name}. */
  private List<String> asked() {
    return slow.queries().stream().map(RecordingDnsResolver.Query::toString).toList();
  }

  @Test
  @DisplayName("a positive answer is served from the cache until its TTL runs out")
  void found_cachedForTtl() {
    CachingDnsResolver cache = builder().build();
    DnsLookup<String> first = join(cache.txt("example.com"));
    assertThat(first)
        .isEqualTo(
            DnsLookup.found(
                List.of("v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all"), 3600));
    clock.advance(Duration.ofSeconds(3599));
    DnsLookup<String> aged = join(cache.txt("EXAMPLE.com."));
    assertThat(aged).isEqualTo(DnsLookup.found(first.recordsOrEmpty(), 1));
    assertThat(upstream.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(join(cache.txt("example.com"))).isEqualTo(first);
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(cache.stats()).isEqualTo(new CachingDnsResolver.Stats(1, 2, 2));
  }

  @Test
  @DisplayName("the cache key is type and name")
  void differentTypes_separateEntries() {
    CachingDnsResolver cache = builder().build();
    join(cache.txt("example.com"));
    join(cache.a("example.com"));
    join(cache.mx("example.com"));
    join(cache.a("example.com"));
    assertThat(upstream.queries())
        .extracting(RecordingDnsResolver.Query::type)
        .containsExactly(RecordType.TXT, RecordType.A, RecordType.MX);
  }

  @Test
  @DisplayName("the maximum TTL caps a long TTL")
  void ttl_ceiling_caps() {
    CachingDnsResolver cache = builder().maximumTtl(Duration.ofSeconds(100)).build();
    join(cache.txt("example.com"));
    clock.advance(Duration.ofSeconds(99));
    join(cache.txt("example.com"));
    assertThat(upstream.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    join(cache.txt("example.com"));
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("the minimum TTL keeps a short-lived answer longer")
  void ttl_floor_raises() {
    CachingDnsResolver cache = builder().minimumTtl(Duration.ofSeconds(600)).build();
    DnsLookup<Inet4Address> first = join(cache.a("www.example.com"));
    assertThat(((DnsLookup.Found<Inet4Address>) first).ttlSeconds()).isEqualTo(120);
    clock.advance(Duration.ofSeconds(599));
    DnsLookup<Inet4Address> later = join(cache.a("www.example.com"));
    assertThat(upstream.count()).isEqualTo(1);
    // the TTL handed out never goes below zero
    assertThat(((DnsLookup.Found<Inet4Address>) later).ttlSeconds()).isZero();
    clock.advance(Duration.ofSeconds(1));
    join(cache.a("www.example.com"));
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("NXDOMAIN and NODATA are cached for the SOA negative TTL (RFC 2308)")
  void negative_cachedForSoaTtl() {
    CachingDnsResolver cache = builder().build();
    assertThat(join(cache.txt("nope.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(cache.txt("mx1.example.com"))).isEqualTo(DnsLookup.noData(300));
    clock.advance(Duration.ofSeconds(299));
    join(cache.txt("nope.example.com"));
    join(cache.txt("mx1.example.com"));
    assertThat(upstream.count()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    join(cache.txt("nope.example.com"));
    join(cache.txt("mx1.example.com"));
    assertThat(upstream.count()).isEqualTo(4);
  }

  @Test
  @DisplayName("the negative TTL is capped")
  void negative_capped() {
    CachingDnsResolver cache = builder().maximumNegativeTtl(Duration.ofSeconds(60)).build();
    join(cache.txt("nope.example.com"));
    clock.advance(Duration.ofSeconds(59));
    join(cache.txt("nope.example.com"));
    assertThat(upstream.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    join(cache.txt("nope.example.com"));
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("a temporary failure is cached only briefly, by default 5 s")
  void tempFail_cachedBriefly() {
    RecordingDnsResolver failing =
        new RecordingDnsResolver(
            FaultInjectingDnsResolver.builder(TestZones.resolver())
                .servfail(RecordType.TXT, "example.com")
                .build());
    CachingDnsResolver cache = CachingDnsResolver.builder(failing).clock(clock).build();
    assertThat(join(cache.txt("example.com"))).isInstanceOf(DnsLookup.TempFail.class);
    clock.advance(CachingDnsResolver.DEFAULT_TEMP_FAIL_TTL.minusSeconds(1));
    join(cache.txt("example.com"));
    assertThat(failing.count()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    join(cache.txt("example.com"));
    assertThat(failing.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("with a temp-fail TTL of 0 failures are not cached")
  void tempFail_zeroTtl_notCached() {
    RecordingDnsResolver failing =
        new RecordingDnsResolver(
            FaultInjectingDnsResolver.builder(TestZones.resolver())
                .timeout(RecordType.TXT, "example.com")
                .build());
    CachingDnsResolver cache =
        CachingDnsResolver.builder(failing).clock(clock).tempFailTtl(Duration.ZERO).build();
    join(cache.txt("example.com"));
    join(cache.txt("example.com"));
    assertThat(failing.count()).isEqualTo(2);
  }

  @Test
  @DisplayName("concurrent identical queries share one upstream query")
  void concurrentQueries_coalesced() {
    CachingDnsResolver cache = CachingDnsResolver.builder(slow).clock(clock).build();
    CompletableFuture<DnsLookup<String>> a = cache.txt("example.com").toCompletableFuture();
    CompletableFuture<DnsLookup<String>> b = cache.txt("Example.Com.").toCompletableFuture();
    CompletableFuture<DnsLookup<String>> other =
        cache.txt("other.example.com").toCompletableFuture();
    assertThat(asked()).containsExactly("TXT example.com", "TXT other.example.com");
    assertThat(a).isNotDone();
    assertThat(b).isNotDone();
    pending.get(0).complete(DnsLookup.found(List.of("answer"), 60));
    assertThat(a.join()).isEqualTo(DnsLookup.found(List.of("answer"), 60));
    assertThat(b.join()).isEqualTo(a.join());
    assertThat(other).isNotDone();
    assertThat(cache.txt("example.com").toCompletableFuture().join()).isEqualTo(a.join());
    assertThat(asked()).hasSize(2);
    assertThat(cache.stats()).isEqualTo(new CachingDnsResolver.Stats(1, 3, 2));
  }

  @Test
  @DisplayName("many threads asking the same name cause one upstream query")
  void manyThreads_oneUpstreamQuery() throws Exception {
    CachingDnsResolver cache = CachingDnsResolver.builder(slow).build();
    List<CompletableFuture<DnsLookup<String>>> results = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t =
          new Thread(
              () -> {
                CompletableFuture<DnsLookup<String>> f =
                    cache.txt("example.com").toCompletableFuture();
                synchronized (results) {
                  results.add(f);
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(asked()).containsExactly("TXT example.com");
    pending.get(0).complete(DnsLookup.nxDomain(30));
    assertThat(results)
        .hasSize(8)
        .allSatisfy(f -> assertThat(f.join()).isEqualTo(DnsLookup.nxDomain(30)));
    assertThat(cache.stats().upstreamQueries()).isEqualTo(1);
  }

  @Test
  @DisplayName("an upstream that breaks the contract gives TempFail, never an exception")
  void brokenUpstream_tempFailOther() {
    CachingDnsResolver cache = CachingDnsResolver.builder(slow).build();
    CompletableFuture<DnsLookup<String>> f = cache.txt("example.com").toCompletableFuture();
    pending.get(pending.size() - 1).completeExceptionally(new IllegalStateException("boom"));
    DnsLookup<String> r = f.join();
    assertThat(r).isInstanceOf(DnsLookup.TempFail.class);
    assertThat(((DnsLookup.TempFail<String>) r).reason()).isEqualTo(TempFailReason.OTHER);
    assertThat(((DnsLookup.TempFail<String>) r).detail()).contains("boom");

    DnsResolver throwing =
        new ForwardingDnsResolver(TestZones.resolver()) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            throw new IllegalStateException("thrown");
          }
        };
    DnsLookup<String> thrown = join(CachingDnsResolver.of(throwing).txt("example.com"));
    assertThat(thrown).isInstanceOf(DnsLookup.TempFail.class);
  }

  @Test
  @DisplayName("the cache holds at most the maximum number of answers")
  void maximumSize_bounded() {
    CachingDnsResolver cache = builder().maximumSize(3).build();
    for (int i = 0; i < 20; i++) {
      join(cache.txt("n" + i + ".example.com"));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(3);
    assertThat(upstream.count()).isEqualTo(20);
  }

  @Test
  @DisplayName("a name that cannot exist goes upstream uncached")
  void impossibleName_notCached() {
    CachingDnsResolver cache = builder().build();
    assertThat(join(cache.txt("a..b"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(cache.txt("a..b"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(upstream.count()).isEqualTo(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void invalidateAll_forgets() {
    CachingDnsResolver cache = builder().build();
    join(cache.txt("example.com"));
    cache.invalidateAll();
    join(cache.txt("example.com"));
    assertThat(upstream.count()).isEqualTo(2);
  }

  @Test
  void builder_minimumAboveMaximum_rejected() {
    assertThatThrownBy(
            () ->
                builder()
                    .maximumTtl(Duration.ofSeconds(100))
                    .minimumTtl(Duration.ofSeconds(200))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("minimum TTL");
    assertThatThrownBy(() -> builder().tempFailTtl(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
