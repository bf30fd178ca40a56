// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import io.github.dmarcj.dns.DnsResolver;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What a verifier made by a {@link SpfVerifierProvider} or {@link DkimVerifierProvider} shares
 * with the facade that asked for it: the DNS resolver, the clock and the executor.
 *
 * @param resolver every DNS query goes through it
 * @param clock the time used for DKIM {@code t=}/{@code x=} and anything else time-dependent
 * @param executor where CPU work may run
 * @since 0.1.0
 */
public record VerifierContext(DnsResolver resolver, Clock clock, Executor executor) {
  public VerifierContext {
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(executor, "executor");
  }
}
