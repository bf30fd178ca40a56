// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * Which policy tag of a record applied to a message (RFC 9989 §4.10.1 / §5.3 step 6): {@code p} for
 * the domain that published the record, {@code sp} for an existing subdomain, {@code np} for a
 * non-existent one.
 */
public enum PolicyTag {
  /** The {@code p} tag: the domain that published the record. */
  P,
  /** The {@code sp} tag: an existing subdomain. */
  SP,
  /** The {@code np} tag: a non-existent subdomain. */
  NP;

  /** {@return {@code p}, {@code sp} or {@code np}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
