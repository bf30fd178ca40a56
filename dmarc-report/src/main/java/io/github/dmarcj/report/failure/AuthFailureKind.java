// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import java.util.Locale;

/** The {@code Auth-Failure} of a failure report (RFC 6591 §3.1; RFC 9991 §4 adds dmarc). */
public enum AuthFailureKind {
  /** DMARC failed for the message (RFC 9991 §4). */
  DMARC,
  /** SPF failed (RFC 6652). */
  SPF,
  /** A DKIM signature did not verify (RFC 6651). */
  SIGNATURE,
  /** A DKIM body hash did not match (RFC 6651). */
  BODYHASH,
  /** A DKIM key was revoked (RFC 6651). */
  REVOKED;

  /** {@return the keyword as written in the report} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the kind of a failing DKIM signature}
   *
   * @param d the outcome
   */
  public static AuthFailureKind of(DkimOutcome d) {
    DkimReason r = d.reason().orElse(DkimReason.SIGNATURE_MISMATCH);
    return switch (r) {
      case BODY_HASH_MISMATCH, BODY_LENGTH_EXCEEDS_BODY -> BODYHASH;
      case KEY_REVOKED -> REVOKED;
      default -> SIGNATURE;
    };
  }

  /**
   * {@return the kind for a keyword}
   *
   * @param keyword as written in the report
   * @throws IllegalArgumentException for an unknown keyword
   */
  public static AuthFailureKind fromKeyword(String keyword) {
    return valueOf(keyword.toUpperCase(Locale.ROOT));
  }
}
