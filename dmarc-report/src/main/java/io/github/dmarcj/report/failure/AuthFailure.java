// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import java.util.Locale;

/**
 * The type of authentication failure a report is about, field {@code Auth-Failure} (RFC 6591 §3.1;
 * {@code dmarc} added by RFC 9991 §4). The historic {@code adsp} type (ADSP was moved to Historic
 * status) is not offered.
 *
 * @since 0.1.0
 */
public enum AuthFailure {
  /**
   * Some or all authentication mechanisms failed to produce an aligned identifier (RFC 9991 §4,
   * item 3): the DMARC failure report.
   */
  DMARC,
  /** SPF evaluation failed (RFC 6591 §3.1; the report RFC 6652 describes). */
  SPF,
  /** A DKIM signature did not verify (RFC 6591 §3.1). */
  SIGNATURE,
  /** A DKIM body hash did not match the body (RFC 6591 §3.1). */
  BODYHASH,
  /** The DKIM key of a signature was revoked: an empty {@code p=} (RFC 6591 §3.1). */
  REVOKED;

  /**
   * {@return the keyword as written in the {@code Auth-Failure} field, lower case: {@code
   * bodyhash}}
   */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return whether this failure is one of a DKIM signature ({@link #SIGNATURE}, {@link
   * #BODYHASH}, {@link #REVOKED}), for which the report names the signature (RFC 6591 §3.2)}
   */
  public boolean isDkim() {
    return this == SIGNATURE || this == BODYHASH || this == REVOKED;
  }

  /**
   * {@return the type of a failing DKIM signature: {@link #BODYHASH} for a body hash that does not
   * match, {@link #REVOKED} for a revoked key, {@link #SIGNATURE} otherwise}
   *
   * @param d the signature's outcome
   */
  public static AuthFailure of(DkimOutcome d) {
    DkimReason r = d.reason().orElse(DkimReason.SIGNATURE_MISMATCH);
    return switch (r) {
      case BODY_HASH_MISMATCH, BODY_LENGTH_EXCEEDS_BODY -> BODYHASH;
      case KEY_REVOKED -> REVOKED;
      default -> SIGNATURE;
    };
  }

  /**
   * {@return the type written as {@code keyword}}
   *
   * @param keyword as in the {@code Auth-Failure} field, any case
   * @throws IllegalArgumentException for an unknown keyword
   */
  public static AuthFailure fromKeyword(String keyword) {
    return valueOf(keyword.toUpperCase(Locale.ROOT));
  }
}
