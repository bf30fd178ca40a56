// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import io.github.dmarcj.dmarc.ReportUri;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Delivers one mail to one destination through the {@link DeliveryLedger}: skips what was sent or
 * failed before, honours suppression and a size limit, claims the row, sends, and records the
 * result with retry, give-up and suppression. Shared by the aggregate and failure report senders.
 */
final class LedgerDelivery {
  /**
   * Builds the mail for one destination; throws {@link IllegalArgumentException} for a bad address.
   */
  @FunctionalInterface
  interface Composer {
    byte[] compose(String to);
  }

  /** How long a claim holds by default: longer than one delivery can take. */
  static final Duration DEFAULT_LEASE = Duration.ofMinutes(10);

  /** The delay after the first temporary failure by default; it doubles after each. */
  static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(15);

  /** The largest retry delay by default. */
  static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofHours(6);

  /** Attempts before a mail is given up, by default. */
  static final int DEFAULT_MAX_ATTEMPTS = 10;

  /** Failures in a row before a destination is suppressed, by default. */
  static final int DEFAULT_SUPPRESS_AFTER = 5;

  /** How long a failing destination is suppressed by default. */
  static final Duration DEFAULT_SUPPRESS_FOR = Duration.ofDays(1);

  private final DeliveryLedger ledger;
  private final MailTransport transport;
  private final String from;
  private final Clock clock;
  private final Duration lease;
  private final Duration retryDelay;
  private final Duration maxRetryDelay;
  private final int maxAttempts;
  private final int suppressAfter;
  private final Duration suppressFor;

  LedgerDelivery(
      DeliveryLedger ledger,
      MailTransport transport,
      String from,
      Clock clock,
      Duration lease,
      Duration retryDelay,
      Duration maxRetryDelay,
      int maxAttempts,
      int suppressAfter,
      Duration suppressFor) {
    this.ledger = ledger;
    this.transport = transport;
    this.from = from;
    this.clock = clock;
    this.lease = lease;
    this.retryDelay = retryDelay;
    this.maxRetryDelay = maxRetryDelay;
    this.maxAttempts = maxAttempts;
    this.suppressAfter = suppressAfter;
    this.suppressFor = suppressFor;
  }

  /**
   * Delivers the mail {@code composer} builds for {@code uri}'s mailbox, once.
   *
   * @param domain the policy domain, for the outcome and the ledger
   * @param reportId the report id, the ledger key with the destination
   * @param uri the destination
   * @param begin the start of what the report covers
   * @param end the end of what the report covers
   * @param composer builds the mail
   * @param maxSize the destination's size limit, if one applies
   */
  DeliveryOutcome deliver(
      String domain,
      String reportId,
      ReportUri uri,
      Instant begin,
      Instant end,
      Composer composer,
      OptionalLong maxSize)
      throws SQLException {
    String to = uri.mailbox().orElse("").toLowerCase(Locale.ROOT);
    Instant now = clock.instant();
    Optional<DeliveryLedger.Entry> known = ledger.entry(reportId, to);
    if (known.isPresent()
        && known.get().state() != DeliveryLedger.State.PENDING
        && known.get().state() != DeliveryLedger.State.SENDING) {
      return settled(domain, reportId, to, known.get());
    }
    Optional<Instant> suppressed = ledger.suppressedUntil(to, now);
    if (suppressed.isPresent()) {
      return new DeliveryOutcome(
          domain,
          Optional.of(reportId),
          Optional.of(to),
          DeliveryOutcome.Kind.SUPPRESSED,
          "the destination keeps failing; suppressed until " + suppressed.get());
    }
    byte[] bytes;
    try {
      bytes = composer.compose(to);
    } catch (IllegalArgumentException e) {
      return new DeliveryOutcome(
          domain,
          Optional.of(reportId),
          Optional.of(uri.uri()),
          DeliveryOutcome.Kind.UNSUPPORTED_URI,
          "not a usable mail address: " + e.getMessage());
    }
    if (maxSize.isPresent() && bytes.length > maxSize.getAsLong()) {
      return new DeliveryOutcome(
          domain,
          Optional.of(reportId),
          Optional.of(to),
          DeliveryOutcome.Kind.TOO_BIG,
          bytes.length + " bytes, over the limit of " + maxSize.getAsLong());
    }
    Optional<DeliveryLedger.Entry> claimed =
        ledger.claim(reportId, to, domain, begin, end, now, lease);
    if (claimed.isEmpty()) {
      Optional<DeliveryLedger.Entry> e = ledger.entry(reportId, to);
      return e.isPresent()
          ? settled(domain, reportId, to, e.get())
          : new DeliveryOutcome(
              domain,
              Optional.of(reportId),
              Optional.of(to),
              DeliveryOutcome.Kind.IN_PROGRESS,
              "claimed elsewhere");
    }
    DeliveryLedger.Entry entry = claimed.get();
    MailTransport.Delivery d = transport.send(from, to, bytes);
    Instant after = clock.instant();
    if (d instanceof MailTransport.Delivery.Accepted) {
      ledger.sent(entry, after);
      ledger.destinationOk(to);
      return new DeliveryOutcome(
          domain, Optional.of(reportId), Optional.of(to), DeliveryOutcome.Kind.SENT, d.detail());
    }
    Optional<Instant> nowSuppressed =
        ledger.destinationFailed(to, after, suppressAfter, suppressFor, d.detail());
    String suffix = nowSuppressed.map(u -> "; destination suppressed until " + u).orElse("");
    if (d instanceof MailTransport.Delivery.Permanent || entry.attempts() >= maxAttempts) {
      String why =
          d instanceof MailTransport.Delivery.Permanent
              ? d.detail()
              : "gave up after " + entry.attempts() + " attempts: " + d.detail();
      ledger.failed(entry, after, why);
      return new DeliveryOutcome(
          domain,
          Optional.of(reportId),
          Optional.of(to),
          DeliveryOutcome.Kind.FAILED,
          why + suffix);
    }
    Instant next = after.plus(delay(entry.attempts()));
    ledger.retry(entry, after, next, d.detail());
    return new DeliveryOutcome(
        domain,
        Optional.of(reportId),
        Optional.of(to),
        DeliveryOutcome.Kind.RETRY_LATER,
        d.detail() + "; next attempt after " + next + suffix);
  }

  /** The delay after the {@code attempts}-th failed attempt: doubling, capped. */
  Duration delay(int attempts) {
    Duration d = retryDelay;
    for (int i = 1; i < attempts && d.compareTo(maxRetryDelay) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxRetryDelay) > 0 ? maxRetryDelay : d;
  }

  private static DeliveryOutcome settled(
      String domain, String reportId, String to, DeliveryLedger.Entry e) {
    DeliveryOutcome.Kind kind =
        switch (e.state()) {
          case SENT -> DeliveryOutcome.Kind.ALREADY_SENT;
          case FAILED -> DeliveryOutcome.Kind.FAILED_BEFORE;
          case SENDING -> DeliveryOutcome.Kind.IN_PROGRESS;
          case PENDING -> DeliveryOutcome.Kind.RETRY_LATER;
        };
    String detail =
        switch (e.state()) {
          case SENT -> "sent at " + Instant.ofEpochSecond(e.updated());
          case PENDING ->
              "next attempt after "
                  + Instant.ofEpochSecond(e.nextAttempt())
                  + e.lastError().map(x -> " (" + x + ")").orElse("");
          case SENDING -> "claimed by a sender until " + Instant.ofEpochSecond(e.claimedUntil());
          case FAILED -> e.lastError().orElse("failed");
        };
    return new DeliveryOutcome(domain, Optional.of(reportId), Optional.of(to), kind, detail);
  }
}
