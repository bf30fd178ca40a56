// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

/**
 * Whether a message has exactly one Author Domain: the domain of the single address in its single
 * RFC5322.From field (RFC 9989 §5.3.1, RFC 7489 §6.6.1, RFC 5322 §3.6.2). Anything but {@link #OK}
 * means DMARC cannot name one Author Domain; the receiver decides what to do (reject, or evaluate
 * every listed domain and apply the strictest policy, RFC 9989 §11.5).
 */
public enum FromStatus {
  /** Exactly one From field with exactly one address whose domain is a valid domain name. */
  OK,
  /** No From field. */
  MISSING,
  /** More than one From field; the domains of all readable addresses are listed. */
  MULTIPLE_FIELDS,
  /**
   * One From field with several addresses (or a group of several); their distinct domains are
   * listed.
   */
  MULTIPLE_ADDRESSES,
  /**
   * One From field that holds no address: an empty value or an empty group ({@code undisclosed:;}).
   */
  NO_ADDRESS,
  /** One From field whose value is not an RFC 5322 address list, e.g. an address with no domain. */
  UNPARSEABLE,
  /** One address whose domain is a literal such as {@code [192.0.2.1]}, which names no domain. */
  DOMAIN_LITERAL,
  /** One address whose domain is not a valid domain name (bad characters, empty label, bad IDN). */
  INVALID_DOMAIN
}
