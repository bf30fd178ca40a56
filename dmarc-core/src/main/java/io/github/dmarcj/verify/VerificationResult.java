// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the {@link MessageAuthenticator} found about one message, immutable.
 *
 * @param envelope the envelope the message was checked with
 * @param spf the SPF outcome for the MAIL FROM identity (or the precomputed one)
 * @param dkim one outcome per DKIM-Signature field, in header order; empty when unsigned
 * @param dmarc the DMARC outcome: result, policy, alignment, disposition
 * @param authenticationResults the {@code Authentication-Results} field to add (RFC 8601)
 * @param reportRecord the aggregate-report row, when a DMARC policy applied and the result was
 *     {@code pass} or {@code fail}
 * @param arc the ARC chain's outcome (RFC 8617); {@link ArcOutcome#none()} for a message without
 *     ARC fields or when ARC validation is off
 * @since 0.1.0
 */
public record VerificationResult(
    SmtpEnvelope envelope,
    SpfOutcome spf,
    List<DkimOutcome> dkim,
    DmarcOutcome dmarc,
    AuthenticationResults authenticationResults,
    Optional<ReportRecord> reportRecord,
    ArcOutcome arc) {
  /**
   * Checks that every component is present; copies the DKIM outcomes.
   *
   * @param envelope the envelope the message was checked with
   * @param spf the SPF outcome for the MAIL FROM identity (or the precomputed one)
   * @param dkim one outcome per DKIM-Signature field, in header order; empty when unsigned
   * @param dmarc the DMARC outcome: result, policy, alignment, disposition
   * @param authenticationResults the {@code Authentication-Results} field to add (RFC 8601)
   * @param reportRecord the aggregate-report row, when a DMARC policy applied and the result was
   *     {@code pass} or {@code fail}
   * @param arc the ARC chain's outcome; {@link ArcOutcome#none()} without ARC fields
   */
  public VerificationResult {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(spf, "spf");
    dkim = List.copyOf(dkim);
    Objects.requireNonNull(dmarc, "dmarc");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
    Objects.requireNonNull(reportRecord, "reportRecord");
    Objects.requireNonNull(arc, "arc");
  }

  /**
   * A result without ARC ({@code arc=none}).
   *
   * @param envelope the envelope the message was checked with
   * @param spf the SPF outcome for the MAIL FROM identity (or the precomputed one)
   * @param dkim one outcome per DKIM-Signature field, in header order; empty when unsigned
   * @param dmarc the DMARC outcome: result, policy, alignment, disposition
   * @param authenticationResults the {@code Authentication-Results} field to add (RFC 8601)
   * @param reportRecord the aggregate-report row, when a DMARC policy applied and the result was
   *     {@code pass} or {@code fail}
   */
  public VerificationResult(
      SmtpEnvelope envelope,
      SpfOutcome spf,
      List<DkimOutcome> dkim,
      DmarcOutcome dmarc,
      AuthenticationResults authenticationResults,
      Optional<ReportRecord> reportRecord) {
    this(envelope, spf, dkim, dmarc, authenticationResults, reportRecord, ArcOutcome.none());
  }

  /**
   * {@return what the domain owner's policy advises after {@code pct}, {@code t} and local
   * overrides: {@code none}, {@code quarantine} or {@code reject}} The mail server decides; RFC
   * 9989 §7.4 advises against rejecting on {@code p=reject} alone.
   */
  public DmarcPolicy disposition() {
    return dmarc.disposition();
  }

  /**
   * {@return the {@code Authentication-Results} header field, folded and ending in CRLF, ready to
   * prepend to the message}
   */
  public String authenticationResultsField() {
    return authenticationResults.toHeaderField();
  }
}
