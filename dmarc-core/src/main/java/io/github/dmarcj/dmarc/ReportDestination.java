// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code rua} or {@code ruf} URI with the result of the external destination check (RFC 9990 §4,
 * RFC 9991 §5).
 *
 * @param uri the URI from the policy record
 * @param status whether reports may go there
 * @param sendTo where to send reports: the URI itself, or the replacement the destination's
 *     authorization record gave (same host only); empty unless {@code status} is {@link
 *     Status#INTERNAL} or {@link Status#AUTHORIZED}
 */
public record ReportDestination(ReportUri uri, Status status, Optional<ReportUri> sendTo) {
  /**
   * Checks that every component is present.
   *
   * @param uri the URI from the policy record
   * @param status whether reports may go there
   * @param sendTo where to send reports: the URI itself, or the replacement the destination's
   *     authorization record gave (same host only); empty unless {@code status} is {@link
   *     Status#INTERNAL} or {@link Status#AUTHORIZED}
   */
  public ReportDestination {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(sendTo, "sendTo");
  }

  /** {@return true if reports may be sent ({@link #sendTo()} is present)} */
  public boolean deliverable() {
    return sendTo.isPresent();
  }

  /** Outcome of the authorization check. */
  public enum Status {
    /** The host shares the policy domain's Organizational Domain: no check needed. */
    INTERNAL,
    /** {@code <policy-domain>._report._dmarc.<host>} holds a {@code v=DMARC1} record. */
    AUTHORIZED,
    /**
     * No authorizing record, the replacement URI pointed at another host, or the query name was too
     * long: do not send.
     */
    NOT_AUTHORIZED,
    /** The authorization query failed temporarily; the caller may retry later. */
    TEMPERROR,
    /**
     * The check was not made: it is left to the report sender (the default of {@link
     * DmarcEvaluator.Builder#checkReportDestinations}), or the URI has no host.
     */
    NOT_CHECKED,
    /**
     * One URI too many: the record lists more than {@link
     * DmarcEvaluator.Builder#maxReportDestinations} for this report type, and only the first are
     * checked and used (RFC 7489 §6.2).
     */
    OVER_LIMIT,
    /**
     * A {@code ruf} of a public suffix record ({@code psd=y}) applied to a domain below it: failure
     * reports are not sent there unless specifically agreed (RFC 9991 §2, RFC 9989 §4.10.1).
     */
    PUBLIC_SUFFIX_FAILURE_REPORTS
  }
}
