// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfVerifier;
import io.github.dmarcj.result.SpfVerifierProvider;
import io.github.dmarcj.result.VerifierContext;

/**
 * Makes an {@link SpfChecker} with default limits for {@link java.util.ServiceLoader} users such
 * as {@code io.github.dmarcj.verify.MessageAuthenticator}; configure an {@link SpfChecker}
 * yourself for other limits.
 *
 * @since 0.1.0
 */
public final class SpfCheckerProvider implements SpfVerifierProvider {
  /** For {@link java.util.ServiceLoader}. */
  public SpfCheckerProvider() {}

  @Override
  public SpfVerifier create(VerifierContext context) {
    return SpfChecker.builder(context.resolver()).clock(context.clock()).build();
  }
}
