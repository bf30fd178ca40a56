// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Locale;

/**
 * The chain validation status of ARC (RFC 8617 §4.4), as written in {@code arc=} of
 * Authentication-Results (RFC 8617 §10.1).
 */
public enum ArcResult {
  /** The message carries no ARC Set. */
  NONE,
  /** Every ARC Set is present and well formed, the newest AMS and every seal verified. */
  PASS,
  /** Anything else: a broken structure, a limit, a signature or seal that does not verify. */
  FAIL;

  /** {@return the RFC keyword, lower case: {@code pass}} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the result whose keyword is {@code keyword}, case-insensitively}
   *
   * @param keyword a result keyword such as {@code pass}
   * @throws IllegalArgumentException if it names no ARC result
   */
  public static ArcResult fromKeyword(String keyword) {
    return valueOf(keyword.trim().toUpperCase(Locale.ROOT));
  }
}
