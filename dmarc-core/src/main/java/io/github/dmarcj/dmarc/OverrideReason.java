// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * Why the disposition differs from the requested policy: the {@code PolicyOverrideType} of RFC 9990
 * §3.1.6 (and RFC 7489 Appendix C).
 */
public enum OverrideReason {
  /** RFC 7489 only: the message was known to be forwarded. */
  FORWARDED("forwarded"),
  /** RFC 7489 only: {@code pct} sampling left the message out (RFC 7489 §6.6.4). */
  SAMPLED_OUT("sampled_out"),
  /** The message came through a forwarder the receiver trusts. */
  TRUSTED_FORWARDER("trusted_forwarder"),
  /** The message came through a mailing list the receiver knows. */
  MAILING_LIST("mailing_list"),
  /** The receiver's own local policy (also ARC-based decisions). */
  LOCAL_POLICY("local_policy"),
  /** RFC 9990: {@code t=y} made the receiver apply a weaker policy (RFC 9989 §4.7). */
  POLICY_TEST_MODE("policy_test_mode"),
  /** Any other reason; say which in the comment. */
  OTHER("other");

  private final String keyword;

  OverrideReason(String keyword) {
    this.keyword = keyword;
  }

  /** {@return the report keyword, for example {@code trusted_forwarder}} */
  public String keyword() {
    return keyword;
  }
}
