// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code record} of a received aggregate report. Result words are lower-cased; everything else
 * is as the reporter wrote it, trimmed.
 *
 * @param sourceIp the sending address
 * @param count how many messages
 * @param disposition the applied disposition, if given
 * @param dkim the DMARC DKIM verdict ({@code policy_evaluated/dkim}), if given
 * @param spf the DMARC SPF verdict ({@code policy_evaluated/spf}), if given
 * @param reasons the policy override reasons
 * @param headerFrom the RFC 5322 From domain, if given
 * @param envelopeFrom the envelope sender domain, if given
 * @param envelopeTo the envelope recipient domain, if given
 * @param dkimResults the DKIM results ({@code auth_results/dkim})
 * @param spfResults the SPF results ({@code auth_results/spf})
 * @since 0.1.0
 */
public record ReceivedRow(
    String sourceIp,
    long count,
    @Nullable String disposition,
    @Nullable String dkim,
    @Nullable String spf,
    List<Reason> reasons,
    @Nullable String headerFrom,
    @Nullable String envelopeFrom,
    @Nullable String envelopeTo,
    List<DkimResult> dkimResults,
    List<SpfResult> spfResults) {
  /**
   * Checks the required components and copies the lists.
   *
   * @param sourceIp see the record
   * @param count see the record
   * @param disposition see the record
   * @param dkim see the record
   * @param spf see the record
   * @param reasons see the record
   * @param headerFrom see the record
   * @param envelopeFrom see the record
   * @param envelopeTo see the record
   * @param dkimResults see the record
   * @param spfResults see the record
   */
  public ReceivedRow {
    Objects.requireNonNull(sourceIp, "sourceIp");
    reasons = List.copyOf(reasons);
    dkimResults = List.copyOf(dkimResults);
    spfResults = List.copyOf(spfResults);
  }

  /**
   * A policy override reason.
   *
   * @param type the reason type, if given
   * @param comment the comment, if given
   */
  public record Reason(@Nullable String type, @Nullable String comment) {}

  /**
   * One {@code auth_results/dkim} element.
   *
   * @param domain the signing domain, if given
   * @param selector the selector, if given
   * @param result the result, if given
   * @param humanResult the human-readable result, if given
   */
  public record DkimResult(
      @Nullable String domain,
      @Nullable String selector,
      @Nullable String result,
      @Nullable String humanResult) {}

  /**
   * One {@code auth_results/spf} element.
   *
   * @param domain the checked domain, if given
   * @param scope the scope (helo, mfrom), if given
   * @param result the result, if given
   * @param humanResult the human-readable result, if given
   */
  public record SpfResult(
      @Nullable String domain,
      @Nullable String scope,
      @Nullable String result,
      @Nullable String humanResult) {}
}
