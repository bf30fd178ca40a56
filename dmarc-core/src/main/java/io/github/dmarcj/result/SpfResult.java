// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** The seven SPF results of RFC 7208 §2.6, also the {@code spf=} values of RFC 8601 §2.7.2. */
public enum SpfResult {
  /** No SPF record, or no valid domain to check. */
  NONE,
  /** The domain makes no assertion about the client. */
  NEUTRAL,
  /** The client is authorized to use the domain. */
  PASS,
  /** The client is not authorized to use the domain. */
  FAIL,
  /** The client is probably not authorized (a weak fail). */
  SOFTFAIL,
  /** A DNS error that may go away later. */
  TEMPERROR,
  /** The record cannot be interpreted (syntax error, too many lookups and the like). */
  PERMERROR;

  /** {@return the RFC keyword, lower case: {@code softfail}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@return the result whose keyword is {@code keyword}, case-insensitively}
   *
   * @param keyword a result keyword such as {@code pass}
   */
  public static SpfResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
