// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import java.util.Locale;
import java.util.Objects;

/**
 * How the mail of one report row authenticated, from the domain owner's point of view. The rules
 * are applied in this order to each row of a received report (docs/summary.md states them in full):
 *
 * <ol>
 *   <li>{@link #ALIGNED}: the reporter's DMARC SPF verdict ({@code policy_evaluated/spf}) is {@code
 *       pass}, i.e. SPF passed for a domain aligned with the From domain;
 *   <li>{@link #FORWARDED}: otherwise the DMARC DKIM verdict ({@code policy_evaluated/dkim}) is
 *       {@code pass};
 *   <li>{@link #THIRD_PARTY}: otherwise (DMARC fails) some {@code auth_results/dkim} has result
 *       {@code pass}, or some {@code auth_results/spf} of scope {@code mfrom} (or without a scope)
 *       has result {@code pass}: authenticated, but for another domain;
 *   <li>{@link #FAILING}: nothing passes.
 * </ol>
 *
 * @since 0.1.0
 */
public enum SourceClass {
  /** DMARC passes through aligned SPF (DKIM may pass too): the domain's own mail. */
  ALIGNED,
  /** DMARC passes through aligned DKIM alone, SPF fails or is not aligned: forwarders, lists. */
  FORWARDED,
  /** DMARC fails but SPF or DKIM passes for another domain: a service not set up for the domain. */
  THIRD_PARTY,
  /** DMARC fails and nothing passes: likely spoofing. */
  FAILING;

  /** {@return the key in JSON and the word in text: {@code aligned}, {@code third-party}, ...} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** {@return whether mail of this class passes DMARC} */
  public boolean passesDmarc() {
    return this == ALIGNED || this == FORWARDED;
  }

  /**
   * {@return the class of a keyword}
   *
   * @param keyword as {@link #keyword()} writes it
   * @throws IllegalArgumentException if it names no class
   */
  public static SourceClass fromKeyword(String keyword) {
    Objects.requireNonNull(keyword, "keyword");
    for (SourceClass c : values()) {
      if (c.keyword().equals(keyword)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no source class '" + keyword + "'");
  }
}
