// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** The seven SPF results of RFC 7208 §2.6, also the {@code spf=} values of RFC 8601 §2.7.2. */
public enum SpfResult {
  NONE,
  NEUTRAL,
  PASS,
  FAIL,
  SOFTFAIL,
  TEMPERROR,
  PERMERROR;

  /** The RFC keyword, lower case: {@code softfail}. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The result whose keyword is {@code keyword}, case-insensitively. */
  public static SpfResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
