// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

/**
 * The XML schema an aggregate report follows.
 *
 * @since 0.1.0
 */
public enum ReportFormat {
  /**
   * RFC 9990 (namespace {@code urn:ietf:params:xml:ns:dmarc-2.0}): {@code discovery_method}, {@code
   * np}, {@code testing}, {@code generator}, disposition {@code pass}; no {@code pct}.
   */
  RFC9990,
  /**
   * RFC 7489 Appendix C, without a namespace as most reporters send it: {@code pct} and {@code sp}
   * always present, override reasons {@code forwarded} and {@code sampled_out}, SPF {@code scope}
   * always present (RFC 7489 Appendix C).
   */
  RFC7489
}
