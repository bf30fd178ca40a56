// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import java.util.List;

/**
 * The DKIM results of one message, one per DKIM-Signature field in header order (RFC 6376 §4.2 and
 * §6.1).
 *
 * @param signatures one result per DKIM-Signature field, top to bottom; empty when unsigned
 * @since 0.1.0
 */
public record DkimVerificationResult(List<DkimSignatureResult> signatures) {
  /**
   * Copies the list.
   *
   * @param signatures one result per DKIM-Signature field, top to bottom; empty when unsigned
   */
  public DkimVerificationResult {
    signatures = List.copyOf(signatures);
  }

  /** {@return true if at least one signature passed} */
  public boolean hasPass() {
    return signatures.stream().anyMatch(DkimSignatureResult::isPass);
  }

  /**
   * {@return a message-level summary: {@code none} without signatures, {@code pass} if any passed,
   * otherwise the result of the first signature}
   */
  public DkimResult summary() {
    if (signatures.isEmpty()) {
      return DkimResult.NONE;
    }
    return hasPass() ? DkimResult.PASS : signatures.get(0).result();
  }

  /** {@return the results in core's vocabulary ({@link io.github.dmarcj.spi.DkimVerifier})} */
  public List<DkimOutcome> outcomes() {
    return signatures.stream().map(DkimSignatureResult::toOutcome).toList();
  }
}
