// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ForwardingDnsResolver} that fails or slows down chosen queries, to test how callers
 * handle DNS trouble (RFC 7208 §5 temperror, RFC 9989 §4.10 TEMPFAIL). Rules are checked in the
 * order they were added; the first that matches the type and name applies, other queries pass
 * through unchanged. Names match after {@link DnsNames#normalizeOrNull(String)} (case and one
 * trailing dot do not matter).
 *
 * <pre>{@code
 * DnsResolver dns = FaultInjectingDnsResolver.builder(ZoneFileResolver.fromString(zone))
 *     .timeout(RecordType.TXT, "_dmarc.example.com")
 *     .servfail(null, "broken.example.com")          // every type
 *     .delay(RecordType.A, "slow.example.com", Duration.ofMillis(200))
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FaultInjectingDnsResolver extends ForwardingDnsResolver {

  private record Rule(
      @Nullable RecordType type,
      String name,
      @Nullable TempFailReason failure,
      @Nullable Duration delay) {
    boolean matches(RecordType t, String normalized) {
      return (type == null || type == t) && name.equals(normalized);
    }
  }

  private final List<Rule> rules;
  private final Executor executor;

  private FaultInjectingDnsResolver(Builder b) {
    super(b.delegate);
    this.rules = List.copyOf(b.rules);
    this.executor = b.executor;
  }

  /**
   * {@return a builder whose unmatched queries go to {@code delegate}}
   *
   * @param delegate the resolver that answers every query no rule matches
   */
  public static Builder builder(DnsResolver delegate) {
    return new Builder(delegate);
  }

  @Override
  protected <T> CompletionStage<DnsLookup<T>> forward(
      RecordType type,
      String name,
      Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
    String normalized = DnsNames.normalizeOrNull(name);
    if (normalized != null) {
      for (Rule r : rules) {
        if (!r.matches(type, normalized)) {
          continue;
        }
        if (r.failure() != null) {
          return CompletableFuture.completedFuture(
              DnsLookup.tempFail(
                  r.failure(), "injected " + r.failure() + " for " + type + " " + normalized));
        }
        // NullAway: a rule has a failure or else a delay (see fail and delay).
        @SuppressWarnings("NullAway")
        Executor later =
            CompletableFuture.delayedExecutor(r.delay().toNanos(), TimeUnit.NANOSECONDS, executor);
        return CompletableFuture.supplyAsync(() -> null, later)
            .thenCompose(ignored -> super.forward(type, name, call));
      }
    }
    return super.forward(type, name, call);
  }

  /** Collects fault rules. {@code type} {@code null} means every type. */
  public static final class Builder {
    private final DnsResolver delegate;
    private final List<Rule> rules = new ArrayList<>();
    private Executor executor = ForkJoinPool.commonPool();

    private Builder(DnsResolver delegate) {
      this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * The query completes at once with {@link TempFailReason#TIMEOUT}, as after a timeout.
     *
     * @param type the record type of the query
     * @param name the name of the query
     * @return this builder
     */
    public Builder timeout(@Nullable RecordType type, String name) {
      return fail(type, name, TempFailReason.TIMEOUT);
    }

    /**
     * The query completes at once with {@link TempFailReason#SERVFAIL}.
     *
     * @param type the record type of the query
     * @param name the name of the query
     * @return this builder
     */
    public Builder servfail(@Nullable RecordType type, String name) {
      return fail(type, name, TempFailReason.SERVFAIL);
    }

    /**
     * The query completes at once with a temporary failure of the given reason.
     *
     * @param type the record type of the query
     * @param name the name of the query
     * @param reason the reason the failure carries
     * @return this builder
     */
    public Builder fail(@Nullable RecordType type, String name, TempFailReason reason) {
      Objects.requireNonNull(reason, "reason");
      rules.add(new Rule(type, normalize(name), reason, null));
      return this;
    }

    /**
     * The query is passed on after {@code delay}, then answered by the delegate.
     *
     * @param type the record type of the query
     * @param name the name of the query
     * @param delay how long the query waits before it is passed on
     * @return this builder
     */
    public Builder delay(@Nullable RecordType type, String name, Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, was " + delay);
      }
      rules.add(new Rule(type, normalize(name), null, delay));
      return this;
    }

    /**
     * Runs delayed queries; default the common fork-join pool.
     *
     * @param executor the executor that runs delayed queries
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return a new resolver with these rules
     */
    public FaultInjectingDnsResolver build() {
      return new FaultInjectingDnsResolver(this);
    }

    private static String normalize(String name) {
      Objects.requireNonNull(name, "name");
      String n = DnsNames.normalizeOrNull(name);
      if (n == null) {
        throw new IllegalArgumentException("not a valid DNS name: '" + name + "'");
      }
      return n;
    }
  }
}
