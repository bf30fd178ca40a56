// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf.internal;

import io.github.dmarcj.result.SpfVerifier;
import io.github.dmarcj.result.SpfVerifierProvider;
import io.github.dmarcj.result.VerifierContext;
import io.github.dmarcj.spf.SpfChecker;

/**
 * Registers {@link SpfChecker} with {@link java.util.ServiceLoader} so core's verification
 * facade finds an SPF verifier (RFC 7208) when none is given to it: default limits, the
 * context's resolver and clock.
 */
public final class SpfCheckerProvider implements SpfVerifierProvider {

  /** Used by {@link java.util.ServiceLoader}. */
  public SpfCheckerProvider() {}

  @Override
  public SpfVerifier create(VerifierContext context) {
    return SpfChecker.builder(context.resolver()).clock(context.clock()).build();
  }
}
