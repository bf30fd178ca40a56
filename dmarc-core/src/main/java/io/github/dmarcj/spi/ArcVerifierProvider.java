// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spi;

/**
 * Makes {@link ArcVerifier}s; found with {@link java.util.ServiceLoader} when the facade is not
 * given a verifier (dmarc-dkim provides one). Implementations need a public no-argument constructor
 * and are registered with {@code provides} in their module and in {@code META-INF/services}.
 *
 * @since 0.1.0
 */
public interface ArcVerifierProvider {
  /**
   * {@return a verifier with default limits that uses {@code context}'s resolver and clock}
   *
   * @param context the resolver, clock and executor to use
   */
  ArcVerifier create(VerifierContext context);
}
