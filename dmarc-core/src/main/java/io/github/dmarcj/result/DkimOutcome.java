// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of verifying one DKIM-Signature, as DMARC and Authentication-Results need it (RFC
 * 6376 §4.2).
 *
 * @param result the RFC 8601 result for this signature
 * @param domain the signing domain {@code d=} in lower case, or {@code ""} if the signature had
 *     none
 * @param selector the selector {@code s=}, or {@code ""}
 * @param algorithm the {@code a=} value as written, or {@code ""}
 * @param identity the AUID {@code i=} if present
 * @param signaturePrefix the first characters of {@code b=} (RFC 6008 {@code header.b}), or {@code
 *     ""}
 * @param testing the key record carried {@code t=y}
 * @param reason why the signature got its result, typed; empty for a pass
 */
public record DkimOutcome(
    DkimResult result,
    String domain,
    String selector,
    String algorithm,
    Optional<String> identity,
    String signaturePrefix,
    boolean testing,
    Optional<DkimReason> reason) {
  /**
   * Checks that every component is present.
   *
   * @param result the RFC 8601 result for this signature
   * @param domain the signing domain {@code d=} in lower case, or {@code ""} if the signature had
   *     none
   * @param selector the selector {@code s=}, or {@code ""}
   * @param algorithm the {@code a=} value as written, or {@code ""}
   * @param identity the AUID {@code i=} if present
   * @param signaturePrefix the first characters of {@code b=} (RFC 6008 {@code header.b}), or
   *     {@code ""}
   * @param testing the key record carried {@code t=y}
   * @param reason why the signature got its result, typed; empty for a pass
   */
  public DkimOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(signaturePrefix, "signaturePrefix");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * {@return the reason's keyword ({@code body-hash-mismatch}), as {@code reason=} and the JSON
   * show it}
   */
  public Optional<String> reasonKeyword() {
    return reason.map(DkimReason::keyword);
  }
}
