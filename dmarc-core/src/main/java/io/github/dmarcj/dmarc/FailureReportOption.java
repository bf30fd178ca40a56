// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/** One value of the {@code fo} tag (RFC 9989 §4.7, RFC 7489 §6.3). */
public enum FailureReportOption {
  /** {@code 0}: report when every mechanism failed to give an aligned pass. The default. */
  ALL_FAIL("0"),
  /** {@code 1}: report when any mechanism gave something other than an aligned pass. */
  ANY_FAIL("1"),
  /** {@code d}: report any DKIM signature that failed evaluation. */
  DKIM("d"),
  /** {@code s}: report any SPF failure. */
  SPF("s");

  private final String keyword;

  FailureReportOption(String keyword) {
    this.keyword = keyword;
  }

  /** {@return the wire value: {@code 0}, {@code 1}, {@code d} or {@code s}} */
  public String keyword() {
    return keyword;
  }
}
