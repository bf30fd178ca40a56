// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The head of a received aggregate report: its metadata and the policy it was evaluated against.
 * Its rows come separately ({@link ReceivedRow}), one at a time.
 *
 * @param orgName the reporter's organisation (may be empty: some reporters leave it so)
 * @param email the reporter's contact address (may be empty)
 * @param extraContactInfo further contact information, if given
 * @param reportId the report id, unique per reporter
 * @param begin the period's start (epoch seconds)
 * @param end the period's end (epoch seconds)
 * @param errors the texts of the error elements, in order
 * @param version the {@code version} element, if given
 * @param generator the {@code generator} element (RFC 9990), if given
 * @param namespace the namespace of {@code feedback}: empty, RFC 7489's or RFC 9990's
 * @param policy the published policy
 * @since 0.1.0
 */
public record ReceivedReport(
    String orgName,
    String email,
    @Nullable String extraContactInfo,
    String reportId,
    long begin,
    long end,
    List<String> errors,
    @Nullable String version,
    @Nullable String generator,
    String namespace,
    PolicyPublished policy) {
  /**
   * Checks the required components and copies the list.
   *
   * @param orgName see the record
   * @param email see the record
   * @param extraContactInfo see the record
   * @param reportId see the record
   * @param begin see the record
   * @param end see the record
   * @param errors see the record
   * @param version see the record
   * @param generator see the record
   * @param namespace see the record
   * @param policy see the record
   */
  public ReceivedReport {
    Objects.requireNonNull(orgName, "orgName");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(reportId, "reportId");
    errors = List.copyOf(errors);
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(policy, "policy");
  }

  /**
   * The {@code policy_published} element, as the reporter wrote it (result words lower-cased).
   *
   * @param domain the policy domain
   * @param adkim DKIM alignment mode, if given
   * @param aspf SPF alignment mode, if given
   * @param p the policy, if given
   * @param sp the subdomain policy, if given
   * @param np the non-existent subdomain policy (RFC 9990), if given
   * @param pct the percentage (RFC 7489), if given
   * @param fo the failure reporting options, if given
   * @param testing the testing flag (RFC 9990), if given
   * @param discoveryMethod the discovery method (RFC 9990), if given
   */
  public record PolicyPublished(
      String domain,
      @Nullable String adkim,
      @Nullable String aspf,
      @Nullable String p,
      @Nullable String sp,
      @Nullable String np,
      @Nullable Integer pct,
      @Nullable String fo,
      @Nullable String testing,
      @Nullable String discoveryMethod) {
    /**
     * Checks that the domain is present.
     *
     * @param domain see the record
     * @param adkim see the record
     * @param aspf see the record
     * @param p see the record
     * @param sp see the record
     * @param np see the record
     * @param pct see the record
     * @param fo see the record
     * @param testing see the record
     * @param discoveryMethod see the record
     */
    public PolicyPublished {
      Objects.requireNonNull(domain, "domain");
    }
  }
}
