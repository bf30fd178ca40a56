// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A received authentication failure report (RFC 6591, RFC 9991; the ARF of RFC 5965) as read from
 * its {@code message/feedback-report} part. Values are as the reporter wrote them, unfolded and cut
 * to the store's column sizes; nothing in them is trusted.
 *
 * @param reportKey what makes the report unique: the SHA-256 of the report mail's {@code
 *     Message-ID}, or of the feedback part and the original header when it has none
 * @param reporter the report mail's From address, when it has one
 * @param feedbackType {@code Feedback-Type}, lower case ({@code auth-failure})
 * @param authFailure {@code Auth-Failure}, lower case ({@code dmarc}, {@code spf}, {@code
 *     bodyhash}, ...)
 * @param arrivalDate {@code Arrival-Date} (or {@code Received-Date}), when it parses
 * @param sourceIp {@code Source-IP}
 * @param originalMailFrom {@code Original-Mail-From}, without angle brackets
 * @param originalRcptTo every {@code Original-Rcpt-To}, without angle brackets
 * @param reportedDomains every {@code Reported-Domain}, lower case
 * @param identityAlignment {@code Identity-Alignment} (RFC 9991 §4)
 * @param deliveryResult {@code Delivery-Result}
 * @param dkimDomain {@code DKIM-Domain}
 * @param dkimSelector {@code DKIM-Selector}
 * @param dkimIdentity {@code DKIM-Identity}
 * @param spfDns {@code SPF-DNS}
 * @param incidents {@code Incidents}, 1 when absent or not a number
 * @param authenticationResults every {@code Authentication-Results}
 * @param userAgent {@code User-Agent}
 * @param originalEnvelopeId {@code Original-Envelope-Id}
 * @param originalHeaders the header of the original message (the third part), cut at a line end to
 *     {@link ReceivedFailureStore#HEADERS_LENGTH} characters; empty when the report has none
 * @since 0.1.0
 */
public record ReceivedFailureReport(
    String reportKey,
    Optional<String> reporter,
    String feedbackType,
    Optional<String> authFailure,
    Optional<Instant> arrivalDate,
    Optional<String> sourceIp,
    Optional<String> originalMailFrom,
    List<String> originalRcptTo,
    List<String> reportedDomains,
    Optional<String> identityAlignment,
    Optional<String> deliveryResult,
    Optional<String> dkimDomain,
    Optional<String> dkimSelector,
    Optional<String> dkimIdentity,
    Optional<String> spfDns,
    long incidents,
    List<String> authenticationResults,
    Optional<String> userAgent,
    Optional<String> originalEnvelopeId,
    String originalHeaders) {

  /**
   * Checks that every component is present and copies the lists.
   *
   * @param reportKey what makes the report unique
   * @param reporter the report mail's From address
   * @param feedbackType {@code Feedback-Type}
   * @param authFailure {@code Auth-Failure}
   * @param arrivalDate {@code Arrival-Date}
   * @param sourceIp {@code Source-IP}
   * @param originalMailFrom {@code Original-Mail-From}
   * @param originalRcptTo every {@code Original-Rcpt-To}
   * @param reportedDomains every {@code Reported-Domain}
   * @param identityAlignment {@code Identity-Alignment}
   * @param deliveryResult {@code Delivery-Result}
   * @param dkimDomain {@code DKIM-Domain}
   * @param dkimSelector {@code DKIM-Selector}
   * @param dkimIdentity {@code DKIM-Identity}
   * @param spfDns {@code SPF-DNS}
   * @param incidents {@code Incidents}, at least 1
   * @param authenticationResults every {@code Authentication-Results}
   * @param userAgent {@code User-Agent}
   * @param originalEnvelopeId {@code Original-Envelope-Id}
   * @param originalHeaders the header of the original message
   */
  public ReceivedFailureReport {
    Objects.requireNonNull(reportKey, "reportKey");
    Objects.requireNonNull(reporter, "reporter");
    Objects.requireNonNull(feedbackType, "feedbackType");
    Objects.requireNonNull(authFailure, "authFailure");
    Objects.requireNonNull(arrivalDate, "arrivalDate");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(originalMailFrom, "originalMailFrom");
    originalRcptTo = List.copyOf(originalRcptTo);
    reportedDomains = List.copyOf(reportedDomains);
    Objects.requireNonNull(identityAlignment, "identityAlignment");
    Objects.requireNonNull(deliveryResult, "deliveryResult");
    Objects.requireNonNull(dkimDomain, "dkimDomain");
    Objects.requireNonNull(dkimSelector, "dkimSelector");
    Objects.requireNonNull(dkimIdentity, "dkimIdentity");
    Objects.requireNonNull(spfDns, "spfDns");
    if (incidents < 1) {
      throw new IllegalArgumentException("incidents must be at least 1, was " + incidents);
    }
    authenticationResults = List.copyOf(authenticationResults);
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(originalEnvelopeId, "originalEnvelopeId");
    Objects.requireNonNull(originalHeaders, "originalHeaders");
  }
}
