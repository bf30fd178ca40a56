// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Locale;

/**
 * Why an ARC chain got {@code fail} (RFC 8617 §5.2), one constant per step that can fail. A chain
 * that passes or has no ARC Set carries no reason.
 */
public enum ArcReason {
  /** More ARC Sets than the protocol allows (50, RFC 8617 §4.2.1). */
  TOO_MANY_SETS,
  /** More ARC Sets than the verifier's configured practical limit (RFC 8617 §5.2 step 1). */
  OVER_LOCAL_LIMIT,
  /** The newest ARC-Seal says {@code cv=fail}: an earlier handler saw the chain fail (§5.2). */
  LAST_SEAL_CV_FAIL,
  /** An ARC field has no usable {@code i=} (absent, not a number, outside 1..50; §4.2.1). */
  BAD_INSTANCE,
  /** Two fields of one kind claim the same instance (§5.1.1.1). */
  DUPLICATE_INSTANCE,
  /** The instances are not 1..N without gaps, or a set lacks one of its three fields (§5.2). */
  MISSING_INSTANCE,
  /** An ARC-Seal's {@code cv=} is not {@code none} for instance 1 and {@code pass} after (§5.2). */
  CV_MISMATCH,
  /**
   * An ARC-Seal or ARC-Message-Signature is not a valid tag-list (RFC 6376 §3.2), or an ARC-Seal
   * lacks a required tag, names an unusable algorithm or carries {@code h=} (RFC 8617 §4.1.3).
   */
  SYNTAX,
  /** An ARC field is larger than the verifier's field size limit. */
  FIELD_TOO_LARGE,
  /** The newest ARC-Message-Signature does not verify (§5.2 step 5). */
  AMS_FAILED,
  /** An ARC-Seal does not verify (§5.2 step 6). */
  SEAL_FAILED,
  /** A key needed for a seal or the newest AMS could not be fetched for now. */
  DNS_TEMPFAIL,
  /** A header limit cut the message, so the chain cannot be checked whole. */
  HEADER_LIMIT_EXCEEDED,
  /** The verifier failed unexpectedly or took longer than allowed. */
  INTERNAL_ERROR;

  /** {@return the keyword used in {@code reason=} and JSON: {@code seal-failed}} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
