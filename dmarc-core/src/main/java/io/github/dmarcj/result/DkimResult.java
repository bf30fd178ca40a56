// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** DKIM results as written in Authentication-Results, RFC 8601 §2.7.1. */
public enum DkimResult {
  /** The message was not signed. */
  NONE,
  /** The signature verified. */
  PASS,
  /** The signature did not verify (RFC 8601 §2.7.1 {@code fail}). */
  FAIL,
  /**
   * The signature verified, but local policy does not accept it (a small key, an unsigned body
   * tail).
   */
  POLICY,
  /** The signature could not be processed (RFC 8601 §2.7.1 {@code neutral}). */
  NEUTRAL,
  /** The key could not be fetched for now. */
  TEMPERROR,
  /**
   * The signature cannot be verified as it stands: a missing tag, no key, a revoked key and the
   * like.
   */
  PERMERROR;

  /** {@return the RFC keyword, lower case: {@code permerror}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * {@return the result whose keyword is {@code keyword}, case-insensitively}
   *
   * @param keyword a result keyword such as {@code pass}
   */
  public static DkimResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(java.util.Locale.ROOT));
  }
}
