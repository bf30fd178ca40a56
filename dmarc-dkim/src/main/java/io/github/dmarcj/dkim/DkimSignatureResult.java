// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The verification result of one DKIM-Signature field (RFC 6376 §4.2 and §6.1, RFC 8601 §2.7.1).
 *
 * @param result the RFC 8601 result, always {@code reason.result()}
 * @param reason why, as a typed reason
 * @param domain the signing domain {@code d=} in lower case (A-labels), or {@code ""}
 * @param selector the selector {@code s=}, or {@code ""}
 * @param algorithm the {@code a=} value as written, or {@code ""}
 * @param identity the AUID {@code i=} (decoded), if present
 * @param signaturePrefix the first 12 characters of {@code b=} (RFC 6008 {@code header.b})
 * @param keyBits size of the public key used, 0 when no key was used
 * @param testing the key record carried {@code t=y} (RFC 6376 §3.6.1)
 * @param bodyLength the {@code l=} value, if present
 * @param unsignedBodyTail content follows the {@code l=} signed length (RFC 6376 §8.2); set only
 *     when the body hash was checked
 * @param fieldIndex position of the DKIM-Signature field among all header fields, from 0 at the top
 * @since 0.1.0
 */
public record DkimSignatureResult(
    DkimResult result,
    DkimReason reason,
    String domain,
    String selector,
    String algorithm,
    Optional<String> identity,
    String signaturePrefix,
    int keyBits,
    boolean testing,
    OptionalLong bodyLength,
    boolean unsignedBodyTail,
    int fieldIndex) {

  /**
   * Validates that {@code result} matches {@code reason} and nothing is null.
   *
   * @param result the RFC 8601 result, always {@code reason.result()}
   * @param reason why, as a typed reason
   * @param domain the signing domain {@code d=} in lower case (A-labels), or {@code ""}
   * @param selector the selector {@code s=}, or {@code ""}
   * @param algorithm the {@code a=} value as written, or {@code ""}
   * @param identity the AUID {@code i=} (decoded), if present
   * @param signaturePrefix the first 12 characters of {@code b=} (RFC 6008 {@code header.b})
   * @param keyBits size of the public key used, 0 when no key was used
   * @param testing the key record carried {@code t=y} (RFC 6376 §3.6.1)
   * @param bodyLength the {@code l=} value, if present
   * @param unsignedBodyTail content follows the {@code l=} signed length (RFC 6376 §8.2); set only
   *     when the body hash was checked
   * @param fieldIndex position of the DKIM-Signature field among all header fields, from 0 at the
   *     top
   */
  public DkimSignatureResult {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(signaturePrefix, "signaturePrefix");
    Objects.requireNonNull(bodyLength, "bodyLength");
    if (result != reason.result()) {
      throw new IllegalArgumentException(
          "result " + result + " does not match reason " + reason + " (" + reason.result() + ")");
    }
  }

  /** {@return true for {@link DkimResult#PASS}} */
  public boolean isPass() {
    return result == DkimResult.PASS;
  }

  /** {@return this result in core's vocabulary, for DMARC and Authentication-Results} */
  public DkimOutcome toOutcome() {
    return new DkimOutcome(
        result,
        domain,
        selector,
        algorithm,
        identity,
        signaturePrefix,
        testing,
        reason == DkimReason.VERIFIED ? Optional.empty() : Optional.of(reason));
  }
}
