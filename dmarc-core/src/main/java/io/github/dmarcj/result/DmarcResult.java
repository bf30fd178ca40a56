// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** DMARC results, RFC 9989 §9.2 / RFC 7489 §11.2, the {@code dmarc=} values of RFC 8601. */
public enum DmarcResult {
  NONE,
  PASS,
  FAIL,
  TEMPERROR,
  PERMERROR;

  /** The RFC keyword, lower case: {@code pass}. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The result whose keyword is {@code keyword}, case-insensitively. */
  public static DmarcResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
