// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * What the RFC5322.From field(s) of a message gave (SPEC DMARC-02, PIT-01; RFC 9989 §5.3.1). Only
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
  /** A From field whose address or domain could not be parsed. */
  UNPARSEABLE
}
