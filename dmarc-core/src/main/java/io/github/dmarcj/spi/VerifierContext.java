// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spi;

import io.github.dmarcj.dns.DnsResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a verifier made by a {@link SpfVerifierProvider} or {@link DkimVerifierProvider} shares with
 * the facade that asked for it: the DNS resolver, the clock, the executor and the time one
 * verification may take.
 *
 * @param resolver every DNS query goes through it
 * @param clock the time used for DKIM {@code t=}/{@code x=} and anything else time-dependent
 * @param executor where CPU work may run
 * @param timeBudget how long the facade waits for the verifier; a verifier should finish within it
 *     on its own, giving {@code temperror} for exactly the checks it could not complete, so that
 *     the facade never has to replace every result with {@code temperror}
 * @since 0.1.0
 */
public record VerifierContext(
    DnsResolver resolver, Clock clock, Executor executor, Duration timeBudget) {
  /** Default {@link #timeBudget()}: the facade's default timeout, 30 seconds. */
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(30);

  /**
   * Checks the components; the time budget must be positive.
   *
   * @param resolver every DNS query goes through it
   * @param clock the time used for DKIM {@code t=}/{@code x=} and anything else time-dependent
   * @param executor where CPU work may run
   * @param timeBudget how long the facade waits for the verifier; a verifier should finish within
   *     it on its own, giving {@code temperror} for exactly the checks it could not complete, so
   *     that the facade never has to replace every result with {@code temperror}
   */
  public VerifierContext {
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(timeBudget, "timeBudget");
    if (timeBudget.isNegative() || timeBudget.isZero()) {
      throw new IllegalArgumentException("time budget must be positive, was " + timeBudget);
    }
  }

  /**
   * A context with the {@link #DEFAULT_TIME_BUDGET}.
   *
   * @param resolver the resolver for every DNS query
   * @param clock the clock
   * @param executor the executor for asynchronous work
   */
  public VerifierContext(DnsResolver resolver, Clock clock, Executor executor) {
    this(resolver, clock, executor, DEFAULT_TIME_BUDGET);
  }

  /**
   * {@return the part of {@link #timeBudget()} a verifier should use for its own work, so that it
   * ends with its own per-check results before the facade gives up on it: four fifths}
   */
  public Duration ownBudget() {
    return timeBudget.multipliedBy(4).dividedBy(5);
  }
}
