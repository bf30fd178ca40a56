// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf.internal;

import io.github.dmarcj.spf.SpfChecker;
import io.github.dmarcj.spi.SpfVerifier;
import io.github.dmarcj.spi.SpfVerifierProvider;
import io.github.dmarcj.spi.VerifierContext;

/**
 * Registers {@link SpfChecker} with {@link java.util.ServiceLoader} so core's verification facade
 * finds an SPF verifier (RFC 7208) when none is given to it: default limits, the context's resolver
 * and clock, and a time budget within the facade's (four fifths of it, at most the default 20 s),
 * so a slow SPF chain ends as its own {@code temperror}.
 */
public final class SpfCheckerProvider implements SpfVerifierProvider {

  /** Used by {@link java.util.ServiceLoader}. */
  public SpfCheckerProvider() {}

  @Override
  public SpfVerifier create(VerifierContext context) {
    return SpfChecker.builder(context.resolver())
        .clock(context.clock())
        .timeBudget(
            context.ownBudget().compareTo(SpfChecker.DEFAULT_TIME_BUDGET) < 0
                ? context.ownBudget()
                : SpfChecker.DEFAULT_TIME_BUDGET)
        .build();
  }
}
