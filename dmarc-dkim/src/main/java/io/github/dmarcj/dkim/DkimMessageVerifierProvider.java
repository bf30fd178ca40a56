// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.spi.DkimVerifier;
import io.github.dmarcj.spi.DkimVerifierProvider;
import io.github.dmarcj.spi.VerifierContext;

/**
 * Makes a {@link DkimMessageVerifier} with default limits for {@link java.util.ServiceLoader} users
 * such as {@code io.github.dmarcj.verify.MessageAuthenticator}, which already runs DKIM on its own
 * executor; configure a {@link DkimMessageVerifier} yourself for other limits. Key lookups are
 * bounded by four fifths of the facade's time budget, so a key that never arrives is {@code
 * temperror} for its own signature only.
 *
 * @since 0.1.0
 */
public final class DkimMessageVerifierProvider implements DkimVerifierProvider {
  /** For {@link java.util.ServiceLoader}. */
  public DkimMessageVerifierProvider() {}

  @Override
  public DkimVerifier create(VerifierContext context) {
    return DkimMessageVerifier.builder(context.resolver())
        .clock(context.clock())
        .keyLookupTimeout(context.ownBudget())
        .build();
  }
}
