// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DnsResolver} decorator that remembers answers for as long as DNS allows and sends
 * identical concurrent queries upstream only once.
 *
 * <ul>
 *   <li>{@link DnsLookup.Found} is kept for its TTL, raised to the {@linkplain
 *       Builder#minimumTtl(Duration) minimum} and cut to the {@linkplain
 *       Builder#maximumTtl(Duration) maximum} (defaults 0 s and {@link #DEFAULT_MAXIMUM_TTL});
 *   <li>{@link DnsLookup.NxDomain} and {@link DnsLookup.NoData} are kept for their negative TTL
 *       (the SOA's, RFC 2308 §5), within the same minimum and at most {@link
 *       #DEFAULT_MAXIMUM_NEGATIVE_TTL} (RFC 2308 §5 suggests one to three hours);
 *   <li>{@link DnsLookup.TempFail} is kept only {@link #DEFAULT_TEMP_FAIL_TTL} (0 allowed), so a
 *       failing server is not hammered but recovers fast;
 *   <li>queries for the same type and name made while one is on its way join it (one upstream
 *       query);
 *   <li>at most {@link #DEFAULT_MAXIMUM_SIZE} answers are held; the least useful go first.
 * </ul>
 *
 * <p>A cached {@code Found} is returned with its TTL reduced by the time it has spent in the cache.
 * Names are compared after {@link DnsNames#normalizeOrNull(String)}; a name that cannot exist is
 * passed to the upstream resolver without caching. An upstream resolver that breaks the {@link
 * DnsResolver} contract (throws, or completes exceptionally) yields {@link TempFailReason#OTHER}.
 *
 * <pre>{@code
 * DnsResolver dns = CachingDnsResolver.builder(NetworkDnsResolver.systemDefault())
 *     .maximumSize(50_000)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class CachingDnsResolver implements DnsResolver {

  /** Default bound on the number of cached answers. */
  public static final long DEFAULT_MAXIMUM_SIZE = 10_000;

  /** Default ceiling on how long a positive answer is kept: one day. */
  public static final Duration DEFAULT_MAXIMUM_TTL = Duration.ofDays(1);

  /** Default ceiling on how long NXDOMAIN and NODATA are kept: one hour. */
  public static final Duration DEFAULT_MAXIMUM_NEGATIVE_TTL = Duration.ofHours(1);

  /** Default time a temporary failure is kept: five seconds. */
  public static final Duration DEFAULT_TEMP_FAIL_TTL = Duration.ofSeconds(5);

  /** Counters since the cache was built. */
  public record Stats(long hits, long misses, long upstreamQueries) {
    /**
     * @param hits lookups answered from a stored answer
     * @param misses lookups that found no stored answer (they joined a query on its way or caused
     *     an upstream query)
     * @param upstreamQueries queries sent to the upstream resolver
     */
    public Stats {}
  }

  private record Key(RecordType type, String name) {}

  /** A stored answer and the ticker time at which it arrived. */
  private record Entry(DnsLookup<?> lookup, long storedAtNanos) {}

  private final DnsResolver upstream;
  private final AsyncCache<Key, Entry> cache;
  private final Ticker ticker;
  private final long minTtlNanos;
  private final long maxTtlNanos;
  private final long maxNegativeTtlNanos;
  private final long tempFailNanos;
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder upstreamQueries = new LongAdder();

  private CachingDnsResolver(Builder b) {
    this.upstream = b.upstream;
    this.ticker = b.clock == null ? Ticker.systemTicker() : clockTicker(b.clock);
    this.minTtlNanos = b.minimumTtl.toNanos();
    this.maxTtlNanos = b.maximumTtl.toNanos();
    this.maxNegativeTtlNanos = b.maximumNegativeTtl.toNanos();
    this.tempFailNanos = b.tempFailTtl.toNanos();
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(b.maximumSize)
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfter(
                new Expiry<Key, Entry>() {
                  @Override
                  public long expireAfterCreate(Key key, Entry value, long currentTime) {
                    return lifetimeNanos(value.lookup());
                  }

                  @Override
                  public long expireAfterUpdate(
                      Key key, Entry value, long currentTime, long currentDuration) {
                    return lifetimeNanos(value.lookup());
                  }

                  @Override
                  public long expireAfterRead(
                      Key key, Entry value, long currentTime, long currentDuration) {
                    return currentDuration;
                  }
                })
            .buildAsync();
  }

  private static Ticker clockTicker(Clock clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  /**
   * {@return a builder for a cache in front of {@code upstream}}
   *
   * @param upstream the resolver asked on a cache miss
   */
  public static Builder builder(DnsResolver upstream) {
    return new Builder(upstream);
  }

  /**
   * {@return a cache with the default settings in front of {@code upstream}}
   *
   * @param upstream the resolver asked on a cache miss
   */
  public static CachingDnsResolver of(DnsResolver upstream) {
    return builder(upstream).build();
  }

  /** {@return counters since this cache was built} */
  public Stats stats() {
    return new Stats(hits.sum(), misses.sum(), upstreamQueries.sum());
  }

  /** Forgets every stored answer (queries on their way still complete). */
  public void invalidateAll() {
    cache.synchronous().invalidateAll();
  }

  /** {@return the number of stored answers, approximately} */
  public long size() {
    cache.synchronous().cleanUp();
    return cache.synchronous().estimatedSize();
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return lookup(RecordType.TXT, name, r -> r.txt(name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return lookup(RecordType.A, name, r -> r.a(name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return lookup(RecordType.AAAA, name, r -> r.aaaa(name));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return lookup(RecordType.MX, name, r -> r.mx(name));
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return lookup(RecordType.PTR, name, r -> r.ptr(name));
  }

  @Override
  public String toString() {
    return "CachingDnsResolver[" + upstream + ", " + stats() + "]";
  }

  private long lifetimeNanos(DnsLookup<?> lookup) {
    if (lookup instanceof DnsLookup.Found<?> f) {
      return clamp(seconds(f.ttlSeconds()), minTtlNanos, maxTtlNanos);
    }
    if (lookup instanceof DnsLookup.NxDomain<?> nx) {
      return clamp(seconds(nx.negativeTtlSeconds()), minTtlNanos, maxNegativeTtlNanos);
    }
    if (lookup instanceof DnsLookup.NoData<?> nd) {
      return clamp(seconds(nd.negativeTtlSeconds()), minTtlNanos, maxNegativeTtlNanos);
    }
    return tempFailNanos;
  }

  private static long seconds(long s) {
    return s >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : Math.max(0, s) * 1_000_000_000L;
  }

  private static long clamp(long v, long min, long max) {
    return Math.min(Math.max(v, min), max);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<DnsLookup<T>> lookup(
      RecordType type, String name, Function<DnsResolver, CompletionStage<DnsLookup<T>>> call) {
    Objects.requireNonNull(name, "name");
    String normalized = DnsNames.normalizeOrNull(name);
    if (normalized == null) {
      return call.apply(upstream);
    }
    Key key = new Key(type, normalized);
    boolean[] started = {false};
    CompletableFuture<Entry> entry =
        cache.get(
            key,
            (k, executor) -> {
              started[0] = true;
              upstreamQueries.increment();
              return callUpstream(call);
            });
    if (started[0]) {
      misses.increment();
    } else if (entry.isDone()) {
      hits.increment();
    } else {
      misses.increment();
    }
    return entry.thenApply(e -> (DnsLookup<T>) aged(e));
  }

  private <T> CompletableFuture<Entry> callUpstream(
      Function<DnsResolver, CompletionStage<DnsLookup<T>>> call) {
    CompletableFuture<DnsLookup<T>> f;
    try {
      f = call.apply(upstream).toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.completedFuture(broken(e));
    }
    return f.handle(
        (lookup, error) -> {
          DnsLookup<?> l = error != null ? broken(error) : lookup == null ? broken(null) : lookup;
          return new Entry(l, ticker.read());
        });
  }

  private static <T> DnsLookup<T> broken(@Nullable Throwable error) {
    return DnsLookup.tempFail(
        TempFailReason.OTHER,
        "upstream resolver failed: " + (error == null ? "null answer" : error));
  }

  private DnsLookup<?> aged(Entry e) {
    if (e.lookup() instanceof DnsLookup.Found<?> f) {
      long elapsedSeconds = Math.max(0, ticker.read() - e.storedAtNanos()) / 1_000_000_000L;
      if (elapsedSeconds > 0) {
        return DnsLookup.found(f.records(), Math.max(0, f.ttlSeconds() - elapsedSeconds));
      }
    }
    return e.lookup();
  }

  /** Configures a {@link CachingDnsResolver}. */
  public static final class Builder {
    private final DnsResolver upstream;
    private long maximumSize = DEFAULT_MAXIMUM_SIZE;
    private Duration minimumTtl = Duration.ZERO;
    private Duration maximumTtl = DEFAULT_MAXIMUM_TTL;
    private Duration maximumNegativeTtl = DEFAULT_MAXIMUM_NEGATIVE_TTL;
    private Duration tempFailTtl = DEFAULT_TEMP_FAIL_TTL;
    private @Nullable Clock clock;

    private Builder(DnsResolver upstream) {
      this.upstream = Objects.requireNonNull(upstream, "upstream");
    }

    /**
     * Bound on the number of stored answers; default {@value #DEFAULT_MAXIMUM_SIZE}.
     *
     * @param maximumSize the most answers stored
     * @return this builder
     */
    public Builder maximumSize(long maximumSize) {
      if (maximumSize < 0) {
        throw new IllegalArgumentException("maximum size must not be negative, was " + maximumSize);
      }
      this.maximumSize = maximumSize;
      return this;
    }

    /**
     * Answers are kept at least this long, whatever their TTL; default 0.
     *
     * @param minimumTtl the shortest time an answer is kept
     * @return this builder
     */
    public Builder minimumTtl(Duration minimumTtl) {
      this.minimumTtl = nonNegative(minimumTtl, "minimum TTL");
      return this;
    }

    /**
     * Positive answers are kept at most this long; default {@link #DEFAULT_MAXIMUM_TTL}.
     *
     * @param maximumTtl the longest time a positive answer is kept
     * @return this builder
     */
    public Builder maximumTtl(Duration maximumTtl) {
      this.maximumTtl = nonNegative(maximumTtl, "maximum TTL");
      return this;
    }

    /**
     * NXDOMAIN and NODATA are kept at most this long; default {@link
     * #DEFAULT_MAXIMUM_NEGATIVE_TTL}.
     *
     * @param maximumNegativeTtl the longest time a negative answer is kept
     * @return this builder
     */
    public Builder maximumNegativeTtl(Duration maximumNegativeTtl) {
      this.maximumNegativeTtl = nonNegative(maximumNegativeTtl, "maximum negative TTL");
      return this;
    }

    /**
     * Temporary failures are kept this long; default {@link #DEFAULT_TEMP_FAIL_TTL}, 0 allowed.
     *
     * @param tempFailTtl how long a temporary failure is kept
     * @return this builder
     */
    public Builder tempFailTtl(Duration tempFailTtl) {
      this.tempFailTtl = nonNegative(tempFailTtl, "temp-fail TTL");
      return this;
    }

    /**
     * The time source for expiry; by default the monotonic {@link System#nanoTime()}. Tests pass a
     * clock they move by hand.
     *
     * @param clock the time source for expiry
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the cache.
     *
     * @return a new cache with these settings
     */
    public CachingDnsResolver build() {
      if (minimumTtl.compareTo(maximumTtl) > 0) {
        throw new IllegalStateException(
            "minimum TTL " + minimumTtl + " exceeds maximum TTL " + maximumTtl);
      }
      return new CachingDnsResolver(this);
    }

    private static Duration nonNegative(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + " must not be negative, was " + d);
      }
      return d;
    }
  }
}
