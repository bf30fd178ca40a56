// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spi;

import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.SpfOutcome;
import java.util.concurrent.CompletionStage;

/**
 * The SPF check DMARC needs: the MAIL FROM identity of an envelope (or {@code postmaster@HELO} for
 * a null sender). Implemented by dmarc-spf; core depends only on this interface.
 */
@FunctionalInterface
public interface SpfVerifier {
  /**
   * Checks the envelope's MAIL FROM identity; never completes exceptionally.
   *
   * @param envelope the SMTP envelope
   * @return a stage that completes with the SPF outcome of the MAIL FROM identity
   */
  CompletionStage<SpfOutcome> checkMailFrom(SmtpEnvelope envelope);
}
