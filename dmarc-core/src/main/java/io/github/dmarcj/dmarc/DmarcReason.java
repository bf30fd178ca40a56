// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * Why an evaluation ended in {@code none}, {@code temperror} or {@code permerror} rather than a
 * pass or a fail (RFC 9989 §4.10.1 and §5.3.6).
 */
public enum DmarcReason {
  /** No From field (result {@code none}; RFC 9989 §11.5). */
  FROM_MISSING,
  /** Several From fields (result {@code none} unless the strictest-policy mode is on). */
  FROM_MULTIPLE_FIELDS,
  /** Several addresses in From (result {@code none} unless the strictest-policy mode is on). */
  FROM_MULTIPLE_ADDRESSES,
  /** The From field could not be parsed (result {@code none}). */
  FROM_UNPARSEABLE,
  /** A From field with no address (result {@code none}). */
  FROM_NO_ADDRESS,
  /** The From address has a domain literal, which names no domain (result {@code none}). */
  FROM_DOMAIN_LITERAL,
  /** The From domain is not a valid domain name (result {@code none}). */
  FROM_INVALID_DOMAIN,
  /** More author domains than the configured cap in strictest-policy mode (result {@code none}). */
  TOO_MANY_AUTHOR_DOMAINS,
  /** No DMARC record applies to the author domain (result {@code none}). */
  NO_RECORD,
  /**
   * Several DMARC records at the one name that would apply (result {@code none}; RFC 9989 §4.10).
   */
  MULTIPLE_RECORDS,
  /**
   * The record has an invalid policy and no {@code rua} (result {@code none}; RFC 9989 §4.10.1).
   */
  UNUSABLE_RECORD,
  /** A DNS query for the policy record failed temporarily (result {@code temperror}). */
  DNS_TEMPFAIL_RECORD,
  /** Finding an Organizational Domain failed temporarily (result {@code temperror}). */
  DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN,
  /** Checking whether the author domain exists failed temporarily (result {@code temperror}). */
  DNS_TEMPFAIL_EXISTENCE,
  /**
   * No aligned pass, but an aligned SPF or DKIM check ended in temperror (result {@code temperror};
   * RFC 9989 §5.3.6).
   */
  AUTH_TEMPERROR,
  /**
   * A header limit ({@link io.github.dmarcj.message.HeaderLimits}) cut the message's header, so its
   * DKIM signatures could not be checked: result {@code permerror} where it would otherwise be
   * {@code none}, also set on pass and fail, and the disposition is at least the evaluator's
   * {@linkplain DmarcEvaluator.Builder#headerLimitDisposition header-limit disposition} (default
   * {@code quarantine}). Every From field is still read, so a spoofed From cannot hide behind junk
   * fields.
   */
  HEADER_LIMIT_EXCEEDED,
  /**
   * The evaluation did not finish within the verification's time limit (result {@code temperror});
   * see {@code MessageAuthenticator.Builder#timeout}.
   */
  TIMEOUT,
  /**
   * The evaluation failed unexpectedly (a resolver that threw instead of answering, or a defect);
   * reported as {@code temperror} so the message is neither passed nor punished.
   */
  INTERNAL_ERROR
}
