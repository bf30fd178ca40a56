// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Locale;

/**
 * Why one DKIM-Signature got its result (RFC 6376 §6.1 and the §3.9 status codes, RFC 8601 §2.7.1).
 * Each reason maps to exactly one {@link DkimResult} through {@link #result()}.
 */
public enum DkimReason {
  /** The signature verified: {@code pass}. */
  VERIFIED(DkimResult.PASS),
  /** The canonicalized body does not hash to {@code bh=} (§6.1.3): {@code fail}. */
  BODY_HASH_MISMATCH(DkimResult.FAIL),
  /** The header signature does not verify with the key (§6.1.3): {@code fail}. */
  SIGNATURE_MISMATCH(DkimResult.FAIL),
  /**
   * The RSA key is below the configured minimum size (RFC 8301 §3.2): {@code policy}, as RFC 8601
   * §2.7.1 names a signature refused by the verifier's own rules.
   */
  KEY_TOO_SMALL(DkimResult.POLICY),
  /** {@code l=} is larger than the canonicalized body (§3.5): {@code fail}. */
  BODY_LENGTH_EXCEEDS_BODY(DkimResult.FAIL),
  /**
   * Not checked: the message carries more signatures than the configured limit: {@code neutral}.
   */
  NOT_CHECKED_LIMIT(DkimResult.NEUTRAL),
  /** Valid, but content follows the {@code l=} length and local policy refuses that (§8.2). */
  UNSIGNED_BODY_TAIL(DkimResult.POLICY),
  /** The RSA key is above the configured maximum size: {@code policy}. */
  KEY_TOO_LARGE(DkimResult.POLICY),
  /**
   * The RSA public exponent is longer than 64 (dmarc-dkim's {@code MAX_RSA_EXPONENT_BITS}) bits,
   * which no RFC 8301 key needs and which makes one verification cost as much as a private key
   * operation: {@code policy}, checked without any RSA computation.
   */
  KEY_EXPONENT_TOO_LARGE(DkimResult.POLICY),
  /** The key lookup failed temporarily (§6.1.2 TEMPFAIL key unavailable): {@code temperror}. */
  DNS_TEMPFAIL(DkimResult.TEMPERROR),
  /** No key record at the selector (NXDOMAIN, NODATA, no DKIM key among the TXT records). */
  KEY_NOT_FOUND(DkimResult.PERMERROR),
  /** The key record has an empty {@code p=} (§3.6.1): the key was revoked. */
  KEY_REVOKED(DkimResult.PERMERROR),
  /** The key record or the key inside it cannot be parsed (§6.1.2 key syntax error). */
  KEY_SYNTAX(DkimResult.PERMERROR),
  /** The key record's {@code k=} does not match {@code a=} (inappropriate key algorithm). */
  KEY_TYPE_MISMATCH(DkimResult.PERMERROR),
  /** The key record's {@code h=} excludes the signature's hash (inappropriate hash algorithm). */
  KEY_HASH_NOT_ALLOWED(DkimResult.PERMERROR),
  /** The key record's {@code s=} does not allow email. */
  KEY_SERVICE_NOT_EMAIL(DkimResult.PERMERROR),
  /** The key has {@code t=s} but {@code i=} is in a subdomain of {@code d=} (§3.6.1). */
  KEY_STRICT_IDENTITY(DkimResult.PERMERROR),
  /** {@code x=} is in the past, beyond the allowed clock skew (§3.5). */
  EXPIRED(DkimResult.PERMERROR),
  /** {@code t=} is in the future, beyond the allowed clock skew (§3.5). */
  FUTURE_TIMESTAMP(DkimResult.PERMERROR),
  /** {@code x=} is not greater than {@code t=} (§3.5). */
  EXPIRY_BEFORE_TIMESTAMP(DkimResult.PERMERROR),
  /** The field is not a valid tag-list, has a duplicate tag or an invalid value (§3.2, §6.1.1). */
  SYNTAX(DkimResult.PERMERROR),
  /** A required tag ({@code v a b bh d h s}) is missing (§6.1.1). */
  MISSING_TAG(DkimResult.PERMERROR),
  /** {@code v=} is not {@code 1} (§6.1.1 incompatible version). */
  UNSUPPORTED_VERSION(DkimResult.PERMERROR),
  /** {@code a=} names an algorithm this library does not implement. */
  UNSUPPORTED_ALGORITHM(DkimResult.PERMERROR),
  /** {@code a=rsa-sha1}, refused by RFC 8301 §3.1 unless explicitly allowed. */
  RSA_SHA1_REFUSED(DkimResult.PERMERROR),
  /** {@code c=} names an unknown canonicalization. */
  UNSUPPORTED_CANONICALIZATION(DkimResult.PERMERROR),
  /** {@code q=} does not include {@code dns/txt}. */
  UNSUPPORTED_QUERY_METHOD(DkimResult.PERMERROR),
  /** The {@code i=} domain is neither {@code d=} nor a subdomain of it (§6.1.1). */
  IDENTITY_MISMATCH(DkimResult.PERMERROR),
  /** {@code h=} does not include {@code From} (RFC 6376 §6.1.1). */
  FROM_NOT_SIGNED(DkimResult.PERMERROR),
  /** {@code h=} lists more names than the configured limit (RFC 6376 §6.1). */
  TOO_MANY_SIGNED_HEADERS(DkimResult.PERMERROR),
  /** The DKIM-Signature field exceeds the configured size limit (RFC 6376 §6.1). */
  SIGNATURE_FIELD_TOO_LARGE(DkimResult.PERMERROR),
  /**
   * An ARC-Message-Signature's {@code h=} lists ARC-Seal, which RFC 8617 §4.1.2 forbids: {@code
   * permerror}.
   */
  ARC_SEAL_SIGNED(DkimResult.PERMERROR),
  /** The message itself could not be parsed (no header/body structure within the limits). */
  MALFORMED_MESSAGE(DkimResult.PERMERROR),
  /**
   * Checking this signature failed unexpectedly (a defect, never a DNS answer): {@code neutral},
   * "could not be processed" (RFC 8601 §2.7.1). It is never {@code temperror}, so it cannot make
   * DMARC skip the sender's policy, and it never affects another signature.
   */
  INTERNAL_ERROR(DkimResult.NEUTRAL),
  /**
   * The verification facade stopped waiting for the DKIM verifier ({@code
   * MessageAuthenticator.Builder#timeout}): {@code temperror}. The DKIM verifier of dmarc-dkim ends
   * its own key lookups sooner, so this comes only from a verifier without such a limit.
   */
  TIMEOUT(DkimResult.TEMPERROR);

  private final DkimResult result;

  DkimReason(DkimResult result) {
    this.result = result;
  }

  /** {@return the RFC 8601 result that this reason gives} */
  public DkimResult result() {
    return result;
  }

  /**
   * {@return a lower-case keyword for logs and Authentication-Results comments: {@code
   * body-hash-mismatch}}
   */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
