// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import io.github.dmarcj.dmarc.DiscoveredPolicy;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.ReportDestination;
import io.github.dmarcj.dmarc.ReportUri;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.report.AggregateReport;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.RecordReader;
import io.github.dmarcj.report.ReportAggregator;
import io.github.dmarcj.report.ReportFormat;
import io.github.dmarcj.report.ReportMetadata;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Sends the aggregate reports of one period (RFC 9990 §3.5; RFC 7489 §7.2): for each policy domain
 * with stored rows, looks up its DMARC record now (the record may have changed since the mail
 * arrived), checks each {@code rua} destination (RFC 9990 §4: an outside host must authorize it at
 * {@code <domain>._report._dmarc.<host>}, and may name a replacement on the same host), builds the
 * reports from the stored rows and sends one mail per report and destination, through the {@link
 * DeliveryLedger} so that nothing is sent twice and nothing is lost:
 *
 * <ul>
 *   <li>a mail already sent is not sent again, whatever the number of runs;
 *   <li>a temporary failure (4xx, a connection failure) is retried at a later run, with a delay
 *       that doubles from {@link Builder#retryDelay} up to {@link Builder#maxRetryDelay}; after
 *       {@link Builder#maxAttempts} attempts it is given up;
 *   <li>a permanent failure (5xx) ends that destination for that report;
 *   <li>a destination that fails {@link Builder#suppressAfter} times in a row is suppressed for
 *       {@link Builder#suppressFor}, so it does not slow every run;
 *   <li>in RFC 7489 format, a mail larger than the URI's {@code !size} is not sent there (RFC 7489
 *       §6.2); RFC 9989 drops the limit.
 * </ul>
 *
 * <p>Never throws for what DNS, the relay or a record says: each becomes a {@link DeliveryOutcome}.
 * A database failure is thrown, as the ledger cannot be kept without it.
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: the sending run and the builder of its retry, suppression and
 *     lease settings, each documented with its default.)
 */
public final class AggregateReportSender {
  private final JdbcReportStore store;
  private final DeliveryLedger ledger;
  private final DmarcEvaluator evaluator;
  private final ReportMail mail;
  private final String orgName;
  private final String email;
  private final Optional<String> extraContactInfo;
  private final ReportFormat format;
  private final Clock clock;
  private final Duration period;
  private final Duration grace;
  private final LedgerDelivery delivery;

  private AggregateReportSender(Builder b) {
    this.store = b.store;
    this.ledger = b.ledger;
    this.evaluator = b.evaluator;
    this.mail = b.mail;
    this.orgName = b.orgName;
    this.email = b.email;
    this.extraContactInfo = Optional.ofNullable(b.extraContactInfo);
    this.format = b.format;
    this.clock = b.clock;
    this.period = b.period;
    this.grace = b.grace;
    this.delivery =
        new LedgerDelivery(
            b.ledger,
            b.transport,
            b.mail.fromAddress(),
            b.clock,
            b.lease,
            b.retryDelay,
            b.maxRetryDelay,
            b.maxAttempts,
            b.suppressAfter,
            b.suppressFor);
  }

  /** The delay after the {@code attempts}-th failed attempt: doubling, capped. */
  Duration delay(int attempts) {
    return delivery.delay(attempts);
  }

  /**
   * {@return a builder}
   *
   * @param store where the report rows are
   * @param ledger what was sent, in the same database
   * @param evaluator looks up records and checks destinations (its mode and resolver are used)
   * @param mail builds each mail (From, signing, format of the file name)
   * @param transport delivers each mail
   */
  public static Builder builder(
      JdbcReportStore store,
      DeliveryLedger ledger,
      DmarcEvaluator evaluator,
      ReportMail mail,
      MailTransport transport) {
    return new Builder(store, ledger, evaluator, mail, transport);
  }

  /** Receives what a sending run does, as it happens. */
  public interface Listener {
    /**
     * Called with each outcome as it happens.
     *
     * @param outcome the outcome
     */
    void outcome(DeliveryOutcome outcome);

    /**
     * Called after each policy domain.
     *
     * @param done the policy domains done so far
     * @param total the policy domains of the run
     */
    default void domainDone(int done, int total) {}
  }

  /**
   * Sends every report of the period [{@code begin}, {@code end}) that is due. The period is taken
   * as given (it need not be aligned); it is not recorded as settled, so {@link #sendDue} still
   * works the aligned periods it overlaps.
   *
   * @param begin the period's start, inclusive
   * @param end the period's end, exclusive
   * @param progress called with each outcome as it happens
   * @return every outcome, in order
   * @throws SQLException if the database fails
   */
  public List<DeliveryOutcome> send(Instant begin, Instant end, Consumer<DeliveryOutcome> progress)
      throws SQLException {
    return send(new ReportPeriod(begin, end), progress::accept);
  }

  /**
   * Sends every report of {@code period} that is due.
   *
   * @param period the period, taken as given
   * @param listener told of each outcome and each policy domain done
   * @return every outcome, in order
   * @throws SQLException if the database fails
   */
  public List<DeliveryOutcome> send(ReportPeriod period, Listener listener) throws SQLException {
    Run run = new Run(listener);
    try (RecordReader reader = store.reader()) {
      List<String> domains = store.policyDomains(period.begin(), period.end());
      int done = 0;
      for (String domain : domains) {
        Optional<Plan> plan = plan(domain, run);
        if (plan.isPresent()) {
          sendPeriod(reader, plan.get(), period, run);
        }
        listener.domainDone(++done, domains.size());
      }
    }
    return run.all;
  }

  /**
   * Sends every report that is due at {@code now}: for each policy domain with rows since {@code
   * lookback} before {@code now} (from the start of that UTC day), each whole period that ended at
   * least the {@link Builder#grace grace} before {@code now} and is not yet settled. The period is
   * {@link Builder#period} (one UTC day by default); in RFC 7489 format a shorter {@code ri} in the
   * domain's record shortens it ({@link ReportPeriod#forInterval}). A period is settled, and
   * skipped by later runs without reading its rows or asking DNS, once every report of it has
   * reached a final outcome ({@link DeliveryOutcome.Kind#isFinal}).
   *
   * @param now the time now
   * @param lookback how far back to look for periods not yet settled
   * @param listener told of each outcome and each policy domain done
   * @return every outcome, in order
   * @throws SQLException if the database fails
   */
  public List<DeliveryOutcome> sendDue(Instant now, Duration lookback, Listener listener)
      throws SQLException {
    Objects.requireNonNull(now, "now");
    Builder.positive(lookback, "lookback");
    Instant from = ReportPeriod.containing(now.minus(lookback), ReportPeriod.DAY).begin();
    Instant until = now.minus(grace);
    Run run = new Run(listener);
    if (!until.isAfter(from)) {
      return run.all;
    }
    try (RecordReader reader = store.reader()) {
      List<String> domains = store.policyDomains(from, until);
      int done = 0;
      for (String domain : domains) {
        sendDueDomain(reader, domain, from, until, run);
        listener.domainDone(++done, domains.size());
      }
    }
    return run.all;
  }

  private void sendDueDomain(
      RecordReader reader, String domain, Instant from, Instant until, Run run)
      throws SQLException {
    List<ReportPeriod> settled = ledger.settledPeriods(domain, from);
    List<Instant> open = new ArrayList<>();
    for (Instant hour : store.hoursWithRecords(domain, from, until)) {
      if (settled.stream().noneMatch(p -> p.contains(hour))) {
        open.add(hour);
      }
    }
    // The record's ri can only shorten the period, and only in RFC 7489 format: without a whole
    // period (of the shortest length the record could ask for) over, DNS is not asked.
    Duration shortest = format == ReportFormat.RFC7489 ? Duration.ofHours(1) : period;
    if (due(open, shortest, until).isEmpty()) {
      return;
    }
    Optional<Plan> plan = plan(domain, run);
    boolean planFinal = run.domainFinal;
    Duration length =
        plan.filter(p -> format == ReportFormat.RFC7489)
            .map(p -> ReportPeriod.forInterval(p.interval(), period))
            .orElse(period);
    List<ReportPeriod> due = due(open, length, until);
    for (ReportPeriod p : due) {
      boolean allFinal = planFinal;
      if (plan.isPresent()) {
        allFinal &= sendPeriod(reader, plan.get(), p, run);
      }
      if (allFinal) {
        ledger.settle(domain, p, clock.instant());
      }
    }
  }

  /**
   * The whole periods of {@code length} that hold an hour of {@code open} and end by {@code until}.
   */
  private static List<ReportPeriod> due(List<Instant> open, Duration length, Instant until) {
    List<ReportPeriod> due = new ArrayList<>();
    for (Instant hour : open) {
      ReportPeriod p = ReportPeriod.containing(hour, length);
      if (!p.end().isAfter(until) && (due.isEmpty() || !due.get(due.size() - 1).equals(p))) {
        due.add(p);
      }
    }
    return due;
  }

  /** The outcomes of one run. */
  private static final class Run {
    final List<DeliveryOutcome> all = new ArrayList<>();
    final Listener listener;

    /** Whether the outcomes of the last domain's planning were all final. */
    boolean domainFinal = true;

    Run(Listener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Records and passes on {@code o}; returns whether it is final. */
    boolean emit(DeliveryOutcome o) {
      all.add(o);
      listener.outcome(o);
      return o.kind().isFinal();
    }
  }

  /** What a policy domain's record says now: its {@code ri} and where its reports may go. */
  private record Plan(String domain, long interval, List<ReportDestination> deliverable) {}

  /**
   * Looks up the domain's record now and checks its destinations, emitting an outcome for the
   * domain or for each refused destination; empty when nothing can be sent. Sets {@code
   * run.domainFinal} to whether every outcome emitted was final.
   */
  private Optional<Plan> plan(String domain, Run run) {
    run.domainFinal = true;
    DomainName name;
    try {
      name = DomainName.of(domain);
    } catch (IllegalArgumentException e) {
      run.emit(
          domainDeliveryOutcome(domain, DeliveryOutcome.Kind.NO_DESTINATION, "not a domain name"));
      return Optional.empty();
    }
    DiscoveredPolicy policy = evaluator.discover(name).toCompletableFuture().join();
    if (policy.record().isEmpty()) {
      boolean temp = policy.problem().map(AggregateReportSender::isTemporary).orElse(false);
      run.domainFinal =
          run.emit(
              domainDeliveryOutcome(
                  domain,
                  temp ? DeliveryOutcome.Kind.DNS_TEMPERROR : DeliveryOutcome.Kind.NO_DESTINATION,
                  policy
                      .problem()
                      .map(p -> "no DMARC record applies: " + p)
                      .orElse("no DMARC record applies")));
      return Optional.empty();
    }
    DmarcRecord record = policy.record().get();
    List<ReportUri> rua = record.rua();
    if (rua.isEmpty()) {
      run.emit(
          domainDeliveryOutcome(
              domain, DeliveryOutcome.Kind.NO_DESTINATION, "the DMARC record has no rua"));
      return Optional.empty();
    }
    DomainName policyDomain = policy.policyDomain().orElse(name);
    List<ReportDestination> destinations =
        evaluator.checkReportDestinations(policyDomain, rua, false).toCompletableFuture().join();
    List<ReportDestination> deliverable = new ArrayList<>();
    for (ReportDestination d : destinations) {
      Optional<String> refused = refusal(d);
      if (refused.isPresent()) {
        run.domainFinal &=
            run.emit(
                new DeliveryOutcome(
                    domain,
                    Optional.empty(),
                    Optional.of(d.uri().uri()),
                    kindOf(d),
                    refused.get()));
      } else {
        deliverable.add(d);
      }
    }
    return deliverable.isEmpty()
        ? Optional.empty()
        : Optional.of(new Plan(domain, record.ri(), deliverable));
  }

  /** Builds and sends the reports of one period; returns whether every outcome was final. */
  private boolean sendPeriod(RecordReader reader, Plan plan, ReportPeriod period, Run run)
      throws SQLException {
    String domain = plan.domain();
    ReportAggregator aggregator = new ReportAggregator(domain, period.begin(), period.end());
    reader.forEachRecord(domain, period.begin(), period.end(), aggregator::add);
    ReportMetadata metadata =
        new ReportMetadata(
            orgName,
            email,
            extraContactInfo,
            domain
                + "."
                + period.begin().getEpochSecond()
                + "."
                + period.end().getEpochSecond()
                + "@"
                + mail.submitter(),
            Optional.of(ReportMetadata.GENERATOR));
    boolean allFinal = true;
    for (AggregateReport report : aggregator.reports(metadata)) {
      for (ReportDestination d : plan.deliverable()) {
        allFinal &= run.emit(sendOne(domain, report, d.sendTo().get()));
      }
    }
    return allFinal;
  }

  private DeliveryOutcome sendOne(String domain, AggregateReport report, ReportUri uri)
      throws SQLException {
    OptionalLong limit = format == ReportFormat.RFC7489 ? uri.maxSizeBytes() : OptionalLong.empty();
    return delivery.deliver(
        domain,
        report.metadata().bareReportId(),
        uri,
        report.begin(),
        report.end(),
        to -> mail.compose(report, to),
        limit);
  }

  private static boolean isTemporary(DmarcReason r) {
    return r == DmarcReason.DNS_TEMPFAIL_RECORD
        || r == DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN
        || r == DmarcReason.DNS_TEMPFAIL_EXISTENCE
        || r == DmarcReason.TIMEOUT;
  }

  private static DeliveryOutcome domainDeliveryOutcome(
      String domain, DeliveryOutcome.Kind kind, String detail) {
    return new DeliveryOutcome(domain, Optional.empty(), Optional.empty(), kind, detail);
  }

  static Optional<String> refusal(ReportDestination d) {
    if (!d.uri().isMailto()) {
      return Optional.of("only mailto: destinations are supported");
    }
    return switch (d.status()) {
      case INTERNAL, AUTHORIZED ->
          d.sendTo().isPresent() && d.sendTo().get().mailbox().isPresent()
              ? Optional.empty()
              : Optional.of("no mailbox in the URI");
      case NOT_AUTHORIZED ->
          Optional.of("the destination's host does not authorize reports for this domain");
      case TEMPERROR -> Optional.of("the authorization lookup failed temporarily");
      case OVER_LIMIT -> Optional.of("more destinations than the receiver sends to");
      case NOT_CHECKED -> Optional.of("the destination has no host");
      case PUBLIC_SUFFIX_FAILURE_REPORTS -> Optional.of("not for aggregate reports");
    };
  }

  static DeliveryOutcome.Kind kindOf(ReportDestination d) {
    if (!d.uri().isMailto()) {
      return DeliveryOutcome.Kind.UNSUPPORTED_URI;
    }
    return switch (d.status()) {
      case NOT_AUTHORIZED -> DeliveryOutcome.Kind.NOT_AUTHORIZED;
      case TEMPERROR -> DeliveryOutcome.Kind.DNS_TEMPERROR;
      case OVER_LIMIT -> DeliveryOutcome.Kind.OVER_LIMIT;
      default -> DeliveryOutcome.Kind.UNSUPPORTED_URI;
    };
  }

  /** Settings of an {@link AggregateReportSender}. */
  public static final class Builder {
    private final JdbcReportStore store;
    private final DeliveryLedger ledger;
    private final DmarcEvaluator evaluator;
    private final ReportMail mail;
    private final MailTransport transport;
    private String orgName = "dmarcj";
    private String email;
    private @Nullable String extraContactInfo;
    private ReportFormat format = ReportFormat.RFC9990;
    private Clock clock = Clock.systemUTC();
    private Duration lease = LedgerDelivery.DEFAULT_LEASE;
    private Duration retryDelay = LedgerDelivery.DEFAULT_RETRY_DELAY;
    private Duration maxRetryDelay = LedgerDelivery.DEFAULT_MAX_RETRY_DELAY;
    private int maxAttempts = LedgerDelivery.DEFAULT_MAX_ATTEMPTS;
    private int suppressAfter = LedgerDelivery.DEFAULT_SUPPRESS_AFTER;
    private Duration suppressFor = LedgerDelivery.DEFAULT_SUPPRESS_FOR;
    private Duration period = ReportPeriod.DAY;
    private Duration grace = Duration.ofMinutes(10);

    private Builder(
        JdbcReportStore store,
        DeliveryLedger ledger,
        DmarcEvaluator evaluator,
        ReportMail mail,
        MailTransport transport) {
      this.store = Objects.requireNonNull(store, "store");
      this.ledger = Objects.requireNonNull(ledger, "ledger");
      this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
      this.mail = Objects.requireNonNull(mail, "mail");
      this.transport = Objects.requireNonNull(transport, "transport");
      this.email = mail.fromAddress();
    }

    /**
     * Sets the reporting organization ({@code org_name}; default {@code dmarcj}).
     *
     * @param orgName the name
     * @return this builder
     */
    public Builder orgName(String orgName) {
      this.orgName = Objects.requireNonNull(orgName, "orgName");
      return this;
    }

    /**
     * Sets the contact address in the report ({@code email}; default the From address).
     *
     * @param email the address
     * @return this builder
     */
    public Builder email(String email) {
      this.email = Objects.requireNonNull(email, "email");
      return this;
    }

    /**
     * Sets more contact details ({@code extra_contact_info}).
     *
     * @param info the details
     * @return this builder
     */
    public Builder extraContactInfo(String info) {
      this.extraContactInfo = Objects.requireNonNull(info, "info");
      return this;
    }

    /**
     * Sets the XML format; it should match the {@link ReportMail}'s (default RFC 9990).
     *
     * @param format the format
     * @return this builder
     */
    public Builder format(ReportFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
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
     * Sets how long a claim holds before another run may take the mail over (default 10 minutes;
     * longer than one delivery can take).
     *
     * @param lease the lease
     * @return this builder
     */
    public Builder lease(Duration lease) {
      this.lease = positive(lease, "lease");
      return this;
    }

    /**
     * Sets the delay after the first temporary failure (default 15 minutes) and its cap (default 6
     * hours); the delay doubles after each failure.
     *
     * @param first the first delay
     * @param max the largest delay
     * @return this builder
     */
    public Builder retryDelay(Duration first, Duration max) {
      this.retryDelay = positive(first, "first");
      this.maxRetryDelay = positive(max, "max");
      return this;
    }

    /**
     * Sets how many attempts a mail gets before it is given up (default 10).
     *
     * @param attempts at least 1
     * @return this builder
     */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /**
     * Sets when a failing destination is suppressed: after {@code failures} failures in a row
     * (default 5), for {@code duration} (default one day).
     *
     * @param failures failures in a row, at least 1
     * @param duration how long
     * @return this builder
     */
    public Builder suppression(int failures, Duration duration) {
      if (failures < 1) {
        throw new IllegalArgumentException("failures must be at least 1, was " + failures);
      }
      this.suppressAfter = failures;
      this.suppressFor = positive(duration, "duration");
      return this;
    }

    /**
     * Sets the reporting period of {@link #sendDue}: a whole number of hours that divides a day,
     * aligned to UTC midnight (default one day, RFC 9990 §3.1.1.4). In RFC 7489 format a record's
     * shorter {@code ri} shortens it further (RFC 7489 §6.3).
     *
     * @param period the period length
     * @return this builder
     */
    public Builder period(Duration period) {
      ReportPeriod.checkedLength(period);
      this.period = period;
      return this;
    }

    /**
     * Sets how long {@link #sendDue} waits after a period ends before it reports it, so rows that
     * other mail servers still hold in their buffers reach the store first (default 10 minutes).
     *
     * @param grace the wait, zero or more
     * @return this builder
     */
    public Builder grace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative, was " + grace);
      }
      this.grace = grace;
      return this;
    }

    /** {@return the sender} */
    public AggregateReportSender build() {
      return new AggregateReportSender(this);
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive, was " + d);
      }
      return d;
    }
  }
}
