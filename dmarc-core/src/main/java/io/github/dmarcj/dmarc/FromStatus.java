// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * What the RFC5322.From field(s) of a message gave (SPEC DMARC-02, PIT-01; RFC 9989 §5.3.1),
 * value for value the same as {@link io.github.dmarcj.message.FromStatus} (see {@link
 * DmarcInput#of(io.github.dmarcj.message.AuthorDomains, io.github.dmarcj.result.SpfOutcome,
 * java.util.List)}). Only
 * {@link #OK} leads to a normal evaluation; the other values never make the evaluator pick one of
 * several domains.
 */
public enum FromStatus {
  /** Exactly one From field with exactly one address. */
  OK,
  /** No From field. */
  MISSING,
  /** More than one From field. */
  MULTIPLE_FIELDS,
  /** One From field with several addresses (or a group). */
  MULTIPLE_ADDRESSES,
  /** A From field whose value is not an address list. */
  UNPARSEABLE,
  /** One From field with no address (empty value or empty group). */
  NO_ADDRESS,
  /** One address whose domain is a literal such as {@code [192.0.2.1]}. */
  DOMAIN_LITERAL,
  /** One address whose domain is not a valid domain name. */
  INVALID_DOMAIN;

  /** The status with the same name in {@link io.github.dmarcj.message.FromStatus}. */
  public static FromStatus of(io.github.dmarcj.message.FromStatus status) {
    return valueOf(status.name());
  }
}
