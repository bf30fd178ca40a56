// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Verification of every DKIM-Signature of a message. Implemented by dmarc-dkim; core depends
 * only on this interface.
 */
@FunctionalInterface
public interface DkimVerifier {
  /**
   * Verifies the signatures of {@code message} (the raw RFC 5322 bytes as received), one outcome
   * per DKIM-Signature field in header order; an empty list when there is none. Never completes
   * exceptionally for anything in the message or the DNS.
   */
  CompletionStage<List<DkimOutcome>> verify(byte[] message);
}
