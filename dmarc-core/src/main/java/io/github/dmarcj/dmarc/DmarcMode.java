// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * Which DMARC specification the evaluator follows.
 *
 * <p>{@link #RFC9989}, the default, discovers policy by DNS tree walk (RFC 9989 §4.10) and honours
 * {@code np}, {@code psd} and {@code t}. {@link #RFC7489} finds the Organizational Domain with the
 * Public Suffix List (RFC 7489 §3.2) and honours {@code pct}, {@code rf}, {@code ri} and the {@code
 * !size} suffix of report URIs.
 */
public enum DmarcMode {
  /** RFC 9989 (DMARCbis): tree walk, {@code np}, {@code psd}, {@code t}. */
  RFC9989,
  /** RFC 7489: Public Suffix List, {@code pct}, {@code rf}, {@code ri}. */
  RFC7489;

  /** {@return {@code rfc9989} or {@code rfc7489}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
