// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** DKIM results as written in Authentication-Results, RFC 8601 §2.7.1. */
public enum DkimResult {
  NONE,
  PASS,
  FAIL,
  POLICY,
  NEUTRAL,
  TEMPERROR,
  PERMERROR;

  /** The RFC keyword, lower case: {@code permerror}. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The result whose keyword is {@code keyword}, case-insensitively. */
  public static DkimResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
