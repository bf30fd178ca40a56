// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of a sending run.
 *
 * @param policyDomain the policy domain
 * @param reportId the report id, empty when no report was built
 * @param destination the URI or address, empty when the domain has none
 * @param kind what happened
 * @param detail the relay's reply, the error or the reason, for the operator
 * @since 0.1.0
 */
public record DeliveryOutcome(
    String policyDomain,
    Optional<String> reportId,
    Optional<String> destination,
    Kind kind,
    String detail) {
  /**
   * Checks that every component is present.
   *
   * @param policyDomain the policy domain
   * @param reportId the report id, empty when no report was built
   * @param destination the URI or address, empty when the domain has none
   * @param kind what happened
   * @param detail the relay's reply, the error or the reason, for the operator
   */
  public DeliveryOutcome {
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@return true for a permanent failure found in this run} */
  public boolean failedNow() {
    return kind == Kind.FAILED;
  }

  /** What became of one report (or one policy domain) at one destination. */
  public enum Kind {
    /** The relay accepted the mail now. */
    SENT,
    /** Sent by an earlier run. */
    ALREADY_SENT,
    /** A temporary failure, now or before: tried again at a later run. */
    RETRY_LATER,
    /** Claimed by another sender that is working on it. */
    IN_PROGRESS,
    /** A permanent failure now (5xx, or too many attempts). */
    FAILED,
    /** Failed permanently at an earlier run; not tried again. */
    FAILED_BEFORE,
    /** The destination keeps failing and is suppressed for a while. */
    SUPPRESSED,
    /** The destination's host did not authorize reports for this domain (RFC 9990 §4). */
    NOT_AUTHORIZED,
    /** Larger than the URI's RFC 7489 {@code !size}. */
    TOO_BIG,
    /** Not a {@code mailto:} URI. */
    UNSUPPORTED_URI,
    /** One URI too many for the receiver's limit. */
    OVER_LIMIT,
    /** The domain publishes no DMARC record now, or no {@code rua}. */
    NO_DESTINATION,
    /** A DNS lookup failed temporarily; tried again at a later run. */
    DNS_TEMPERROR,
    /** A failure report over its destination's or domain's rate limit; tried again later. */
    RATE_LIMITED,
    /** A failure report that waited longer than its maximum age; not sent. */
    EXPIRED;

    /**
     * {@return true if nothing more will happen for this report at this destination: it was sent,
     * failed for good, or cannot be sent; false for what a later run tries again}
     */
    public boolean isFinal() {
      return switch (this) {
        case RETRY_LATER, IN_PROGRESS, SUPPRESSED, DNS_TEMPERROR, RATE_LIMITED -> false;
        default -> true;
      };
    }

    /** {@return the kind as written in output: lower case, words joined by hyphens} */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
