// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** DMARC results, RFC 9989 §9.2 / RFC 7489 §11.2, the {@code dmarc=} values of RFC 8601. */
public enum DmarcResult {
  /** No DMARC policy applies to the message. */
  NONE,
  /** An aligned identifier passed SPF or DKIM. */
  PASS,
  /** No aligned identifier passed. */
  FAIL,
  /** A DNS query failed for now; no policy was applied. */
  TEMPERROR,
  /** The record found cannot be used, or a header limit cut the message. */
  PERMERROR;

  /** {@return the RFC keyword, lower case: {@code pass}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@return the result whose keyword is {@code keyword}, case-insensitively}
   *
   * @param keyword a result keyword such as {@code pass}
   */
  public static DmarcResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
