// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import io.github.dmarcj.dmarc.DiscoveredPolicy;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.PsdFlag;
import io.github.dmarcj.dmarc.ReportDestination;
import io.github.dmarcj.dmarc.ReportUri;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.report.failure.FailureIncidentStore;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Sends the pending failure reports of a {@link FailureIncidentStore} (RFC 9991 §2, §5): for each,
 * looks up the policy domain's record now, checks each {@code ruf} destination (RFC 9990 §4 with
 * the authorizing record's {@code ruf}; never for a PSD record, {@code psd=y}), applies the rate
 * limits (RFC 9991 §5: per destination and per policy domain, counted in the delivery ledger, so
 * they hold across runs and restarts), and delivers each mail once through the same {@link
 * DeliveryLedger} as aggregate reports. A report an SPF record asked for (RFC 6652 §3 {@code ra=})
 * goes to the address it named at its own domain, under the same rate limits. A report over a limit
 * waits for a later run; one older than {@link Builder#maxAge} is dropped as {@code expired}.
 *
 * @since 0.1.0
 */
public final class FailureReportSender {
  /** The prefix of failure report ids in the ledger. */
  public static final String ID_PREFIX = "failure.";

  private final FailureIncidentStore store;
  private final DeliveryLedger ledger;
  private final DmarcEvaluator evaluator;
  private final FailureMailComposer composer;
  private final String submitter;
  private final Clock clock;
  private final int perDestination;
  private final Duration destinationWindow;
  private final int perDomain;
  private final Duration domainWindow;
  private final Duration maxAge;
  private final int batch;
  private final LedgerDelivery delivery;

  private FailureReportSender(Builder b) {
    this.store = b.store;
    this.ledger = b.ledger;
    this.evaluator = b.evaluator;
    this.composer = b.composer;
    int at = b.from.lastIndexOf('@');
    this.submitter = b.from.substring(at + 1).toLowerCase(Locale.ROOT);
    this.clock = b.clock;
    this.perDestination = b.perDestination;
    this.destinationWindow = b.destinationWindow;
    this.perDomain = b.perDomain;
    this.domainWindow = b.domainWindow;
    this.maxAge = b.maxAge;
    this.batch = b.batch;
    this.delivery =
        new LedgerDelivery(
            b.ledger,
            b.transport,
            b.from,
            b.clock,
            LedgerDelivery.DEFAULT_LEASE,
            LedgerDelivery.DEFAULT_RETRY_DELAY,
            LedgerDelivery.DEFAULT_MAX_RETRY_DELAY,
            LedgerDelivery.DEFAULT_MAX_ATTEMPTS,
            LedgerDelivery.DEFAULT_SUPPRESS_AFTER,
            LedgerDelivery.DEFAULT_SUPPRESS_FOR);
  }

  /**
   * {@return a builder}
   *
   * @param store the pending failure reports
   * @param ledger what was sent, in the same database
   * @param evaluator looks up records and checks destinations
   * @param composer builds each mail
   * @param from the reporting address the mails come from
   * @param transport delivers each mail
   */
  public static Builder builder(
      FailureIncidentStore store,
      DeliveryLedger ledger,
      DmarcEvaluator evaluator,
      FailureMailComposer composer,
      String from,
      MailTransport transport) {
    return new Builder(store, ledger, evaluator, composer, from, transport);
  }

  /** A policy domain's {@code ruf} destinations as checked now, or why there are none. */
  private record Plan(List<ReportDestination> deliverable, List<DeliveryOutcome> refused) {}

  /**
   * Sends every pending failure report that may go now.
   *
   * @param progress told of each outcome
   * @return every outcome, in order
   * @throws SQLException if the database fails
   */
  public List<DeliveryOutcome> send(Consumer<DeliveryOutcome> progress) throws SQLException {
    List<DeliveryOutcome> out = new ArrayList<>();
    Map<String, Plan> plans = new HashMap<>();
    Instant now = clock.instant();
    for (FailureIncidentStore.Stored r : store.pending(batch)) {
      String reportId = ID_PREFIX + r.id() + "." + r.created().getEpochSecond() + "@" + submitter;
      List<DeliveryOutcome> these = new ArrayList<>();
      if (r.created().plus(maxAge).isBefore(now)) {
        these.add(
            new DeliveryOutcome(
                r.policyDomain(),
                Optional.of(reportId),
                Optional.empty(),
                DeliveryOutcome.Kind.EXPIRED,
                "waited since " + r.created() + ", longer than " + maxAge));
        store.settle(r.id(), "expired");
      } else if (r.reportTo().isPresent()) {
        // RFC 6652 §3: the SPF record named the address, at its own domain; no ruf to check
        these.add(sendOne(r, reportId, spfRecordDestination(r.reportTo().get()), now));
      } else {
        Plan plan = plans.computeIfAbsent(r.policyDomain(), this::plan);
        these.addAll(plan.refused());
        for (ReportDestination d : plan.deliverable()) {
          these.add(sendOne(r, reportId, d.sendTo().get(), now));
        }
        if (these.stream().allMatch(o -> o.kind().isFinal())) {
          boolean anySent =
              these.stream()
                  .anyMatch(
                      o ->
                          o.kind() == DeliveryOutcome.Kind.SENT
                              || o.kind() == DeliveryOutcome.Kind.ALREADY_SENT);
          store.settle(r.id(), anySent ? "sent" : "not-sent");
        }
      }
      for (DeliveryOutcome o : these) {
        out.add(o);
        progress.accept(o);
      }
    }
    return out;
  }

  /** The {@code mailto:} URI of an SPF record's report address ({@code ra=} at its domain). */
  static ReportUri spfRecordDestination(String address) {
    return new ReportUri("mailto:" + address, "mailto", OptionalLong.empty());
  }

  private DeliveryOutcome sendOne(
      FailureIncidentStore.Stored r, String reportId, ReportUri uri, Instant now)
      throws SQLException {
    String to = uri.mailbox().orElse("").toLowerCase(Locale.ROOT);
    Optional<DeliveryLedger.Entry> known = ledger.entry(reportId, to);
    if (known.isEmpty()) {
      int toDestination =
          ledger.sentSince(ID_PREFIX, to, r.policyDomain(), now.minus(destinationWindow));
      if (toDestination >= perDestination) {
        return limited(
            r, reportId, to, toDestination + " reports to this address in " + destinationWindow);
      }
      int forDomain = ledger.sentSince(ID_PREFIX, null, r.policyDomain(), now.minus(domainWindow));
      if (forDomain >= perDomain) {
        return limited(r, reportId, to, forDomain + " reports for this domain in " + domainWindow);
      }
    }
    return delivery.deliver(
        r.policyDomain(),
        reportId,
        uri,
        r.created(),
        r.last(),
        address -> composer.compose(r, reportId, address),
        OptionalLong.empty());
  }

  private static DeliveryOutcome limited(
      FailureIncidentStore.Stored r, String reportId, String to, String why) {
    return new DeliveryOutcome(
        r.policyDomain(),
        Optional.of(reportId),
        Optional.of(to),
        DeliveryOutcome.Kind.RATE_LIMITED,
        why + "; waits for a later run");
  }

  private Plan plan(String domain) {
    DomainName name;
    try {
      name = DomainName.of(domain);
    } catch (IllegalArgumentException e) {
      return refused(domain, DeliveryOutcome.Kind.NO_DESTINATION, "not a domain name");
    }
    DiscoveredPolicy policy = evaluator.discover(name).toCompletableFuture().join();
    if (policy.record().isEmpty()) {
      return refused(domain, DeliveryOutcome.Kind.NO_DESTINATION, "no DMARC record applies now");
    }
    DmarcRecord record = policy.record().get();
    if (record.psd() == PsdFlag.Y) {
      return refused(
          domain,
          DeliveryOutcome.Kind.NO_DESTINATION,
          "a PSD record's ruf gets no failure reports");
    }
    if (record.ruf().isEmpty()) {
      return refused(domain, DeliveryOutcome.Kind.NO_DESTINATION, "the DMARC record has no ruf");
    }
    if (evaluator.mode() == DmarcMode.RFC7489 && !record.rf().contains("afrf")) {
      // RFC 7489 §6.3 rf: afrf is the only format defined, and the only one made here.
      return refused(
          domain,
          DeliveryOutcome.Kind.NO_DESTINATION,
          "rf asks for " + String.join(":", record.rf()) + ", not afrf");
    }
    DomainName policyDomain = policy.policyDomain().orElse(name);
    List<ReportDestination> destinations =
        evaluator
            .checkReportDestinations(policyDomain, record.ruf(), true)
            .toCompletableFuture()
            .join();
    List<ReportDestination> deliverable = new ArrayList<>();
    List<DeliveryOutcome> refusedOnes = new ArrayList<>();
    for (ReportDestination d : destinations) {
      Optional<String> why = AggregateReportSender.refusal(d);
      if (why.isPresent()) {
        refusedOnes.add(
            new DeliveryOutcome(
                domain,
                Optional.empty(),
                Optional.of(d.uri().uri()),
                AggregateReportSender.kindOf(d),
                why.get()));
      } else {
        deliverable.add(d);
      }
    }
    return new Plan(deliverable, refusedOnes);
  }

  private static Plan refused(String domain, DeliveryOutcome.Kind kind, String why) {
    return new Plan(
        List.of(),
        List.of(new DeliveryOutcome(domain, Optional.empty(), Optional.empty(), kind, why)));
  }

  /** Settings of a {@link FailureReportSender}. */
  public static final class Builder {
    private final FailureIncidentStore store;
    private final DeliveryLedger ledger;
    private final DmarcEvaluator evaluator;
    private final FailureMailComposer composer;
    private final String from;
    private final MailTransport transport;
    private Clock clock = Clock.systemUTC();
    private int perDestination = 10;
    private Duration destinationWindow = Duration.ofHours(1);
    private int perDomain = 100;
    private Duration domainWindow = Duration.ofDays(1);
    private Duration maxAge = Duration.ofDays(2);
    private int batch = 10_000;

    private Builder(
        FailureIncidentStore store,
        DeliveryLedger ledger,
        DmarcEvaluator evaluator,
        FailureMailComposer composer,
        String from,
        MailTransport transport) {
      this.store = Objects.requireNonNull(store, "store");
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      this.composer = Objects.requireNonNull(composer, "composer");
      this.from = Objects.requireNonNull(from, "from");
      if (from.lastIndexOf('@') < 1 || from.endsWith("@")) {
        throw new IllegalArgumentException("not a mail address: " + from);
      }
      this.transport = Objects.requireNonNull(transport, "transport");
    }

    /**
     * Sets the clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the most failure reports one address gets per window (default 10 per hour).
     *
     * @param max at least 1
     * @param window the window
     * @return this builder
     */
    public Builder perDestination(int max, Duration window) {
      this.perDestination = atLeastOne(max);
      this.destinationWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets the most failure reports sent for one policy domain per window (default 100 per day).
     *
     * @param max at least 1
     * @param window the window
     * @return this builder
     */
    public Builder perDomain(int max, Duration window) {
      this.perDomain = atLeastOne(max);
      this.domainWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets how long a report may wait for its rate limits before it is dropped (default 2 days).
     *
     * @param maxAge the age
     * @return this builder
     */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
      return this;
    }

    /**
     * Sets how many pending reports one run takes (default 10,000).
     *
     * @param batch at least 1
     * @return this builder
     */
    public Builder batch(int batch) {
      this.batch = atLeastOne(batch);
      return this;
    }

    private static int atLeastOne(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("must be at least 1, was " + n);
      }
      return n;
    }

    /** {@return the sender} */
    public FailureReportSender build() {
      return new FailureReportSender(this);
    }
  }
}
