// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.report.mail.AggregateReportSender;
import io.github.dmarcj.report.mail.DeliveryLedger;
import io.github.dmarcj.report.mail.DeliveryOutcome;
import io.github.dmarcj.report.mail.DeliveryOutcome.Kind;
import io.github.dmarcj.report.mail.MailTransport;
import io.github.dmarcj.report.mail.ReportMail;
import io.github.dmarcj.verify.ReportRecord;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The sending run (RFC 9990 §3.5, §4) against an H2 store, zone data in memory and a transport that
 * answers as told: destinations checked at send time, exactly once across runs, retries with
 * backoff, permanent failures, suppression, the RFC 7489 size limit, and a sender that dies between
 * the relay's accept and the ledger update.
 */
final class AggregateReportSenderTest {
  private static final Instant BEGIN = Records.T0;
  private static final Instant END = Records.T0.plusSeconds(86_400);
  private static final AtomicInteger DB = new AtomicInteger();

  private JdbcReportStore store;
  private DeliveryLedger ledger;
  private MutableClock clock;
  private Recorder transport;

  /** A transport that records each mail and answers with the next scripted reply. */
  static final class Recorder implements MailTransport {
    final List<String> to = new ArrayList<>();
    final List<byte[]> mails = new ArrayList<>();
    Function<String, Delivery> answer = t -> new Delivery.Accepted("250 2.0.0 queued");

    @Override
    public Delivery send(String from, String rcpt, byte[] mail) {
      to.add(rcpt);
      mails.add(mail);
      return answer.apply(rcpt);
    }
  }

  static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeEach
  void open() throws Exception {
    TestDataSource ds = TestDataSource.memory("sender" + DB.incrementAndGet());
    store = JdbcReportStore.builder(ds).build();
    ledger = new DeliveryLedger(ds);
    clock = new MutableClock(END.plusSeconds(600));
    transport = new Recorder();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static ReportRecord record(String domain, String ip) {
    return record(domain, ip, BEGIN.plusSeconds(60));
  }

  static ReportRecord record(String domain, String ip, Instant at) {
    ReportRecord r = Records.passing(at, ip);
    return new ReportRecord(
        r.evaluatedAt(),
        DmarcMode.RFC9989,
        r.sourceIp(),
        domain,
        r.envelopeFrom(),
        r.envelopeTo(),
        Records.policy9989(domain),
        r.disposition(),
        r.dkimAligned(),
        r.spfAligned(),
        r.overrides(),
        r.dkim(),
        r.spf());
  }

  private void store(ReportRecord... records) throws Exception {
    for (ReportRecord r : records) {
      store.accept(r);
    }
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
  }

  private static InMemoryDnsResolver.Builder zone() {
    return InMemoryDnsResolver.builder()
        .txt(
            "_dmarc.example.com",
            "v=DMARC1; p=quarantine; rua=mailto:agg@example.com,mailto:dmarc@reports.example.net")
        .txt("example.com._report._dmarc.reports.example.net", "v=DMARC1")
        .txt("_dmarc.example.org", "v=DMARC1; p=none; rua=mailto:dmarc@evil.example")
        .txt("_dmarc.example.edu", "v=DMARC1; p=none");
  }

  private AggregateReportSender.Builder sender(InMemoryDnsResolver dns) {
    ReportMail mail = ReportMail.builder("dmarc-reports@mx.receiver.example").clock(clock).build();
    return AggregateReportSender.builder(
            store, ledger, DmarcEvaluator.builder(dns).build(), mail, transport)
        .orgName("Receiver Inc.")
        .clock(clock);
  }

  private List<DeliveryOutcome> run(AggregateReportSender s) throws Exception {
    return s.send(BEGIN, END, o -> {});
  }

  private static Map<String, Kind> kinds(List<DeliveryOutcome> outcomes) {
    Map<String, Kind> m = new TreeMap<>();
    for (DeliveryOutcome o : outcomes) {
      m.put(o.policyDomain() + " " + o.destination().orElse("-"), o.kind());
    }
    return m;
  }

  @Test
  @DisplayName(
      "RFC 9990 §4: internal and authorized destinations get the report; others are named and skipped")
  void send_destinationsCheckedAtSendTime() throws Exception {
    store(
        record("example.com", "192.0.2.1"),
        record("example.org", "192.0.2.2"),
        record("example.edu", "192.0.2.3"),
        record("example.info", "192.0.2.4"));
    List<DeliveryOutcome> out = run(sender(zone().build()).build());
    assertThat(kinds(out))
        .containsExactlyEntriesOf(
            new TreeMap<>(
                Map.of(
                    "example.com agg@example.com", Kind.SENT,
                    "example.com dmarc@reports.example.net", Kind.SENT,
                    "example.org mailto:dmarc@evil.example", Kind.NOT_AUTHORIZED,
                    "example.edu -", Kind.NO_DESTINATION,
                    "example.info -", Kind.NO_DESTINATION)));
    assertThat(transport.to).containsExactly("agg@example.com", "dmarc@reports.example.net");
    MimeMessage m =
        new MimeMessage(
            Session.getInstance(new Properties()),
            new ByteArrayInputStream(transport.mails.get(0)));
    assertThat(m.getSubject())
        .isEqualTo(
            "Report Domain: example.com Submitter: mx.receiver.example Report-ID: <example.com."
                + BEGIN.getEpochSecond()
                + "."
                + END.getEpochSecond()
                + "@mx.receiver.example>");
  }

  @Test
  @DisplayName("running the sender twice sends nothing twice")
  void send_twice_sendsOnce() throws Exception {
    store(record("example.com", "192.0.2.1"));
    run(sender(zone().build()).build());
    List<DeliveryOutcome> second = run(sender(zone().build()).build());
    assertThat(second).extracting(DeliveryOutcome::kind).containsOnly(Kind.ALREADY_SENT);
    assertThat(transport.to).hasSize(2);
    assertThat(ledger.entries())
        .extracting(DeliveryLedger.Entry::state)
        .containsOnly(DeliveryLedger.State.SENT);
  }

  @Test
  @DisplayName("a 4xx is retried at a later run after the backoff delay, not before")
  void send_transient_retriedAfterDelay() throws Exception {
    store(record("example.com", "192.0.2.1"));
    transport.answer = t -> new MailTransport.Delivery.Transient("451 4.3.0 try later");
    AggregateReportSender s =
        sender(zone().build()).retryDelay(Duration.ofMinutes(10), Duration.ofHours(1)).build();
    assertThat(run(s)).extracting(DeliveryOutcome::kind).containsOnly(Kind.RETRY_LATER);
    assertThat(transport.to).hasSize(2);
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    assertThat(run(s)).extracting(DeliveryOutcome::kind).containsOnly(Kind.RETRY_LATER);
    assertThat(transport.to).as("not due yet").hasSize(2);
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    transport.answer = t -> new MailTransport.Delivery.Accepted("250 ok");
    assertThat(run(s)).extracting(DeliveryOutcome::kind).containsOnly(Kind.SENT);
    assertThat(transport.to).hasSize(4);
    assertThat(ledger.entries()).extracting(DeliveryLedger.Entry::attempts).containsOnly(2);
  }

  @Test
  @DisplayName("the retry delay doubles after each failure, up to its cap")
  void delay_doublesUpToCap() throws Exception {
    store(record("example.com", "192.0.2.1"));
    transport.answer = t -> new MailTransport.Delivery.Transient("421 busy");
    AggregateReportSender s =
        sender(zone().build()).retryDelay(Duration.ofMinutes(10), Duration.ofMinutes(35)).build();
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Instant before = clock.now;
      run(s);
      long next = ledger.entries().get(0).nextAttempt();
      waits.add((next - before.getEpochSecond()) / 60);
      clock.now = Instant.ofEpochSecond(next);
    }
    assertThat(waits).containsExactly(10L, 20L, 35L, 35L);
  }

  @Test
  @DisplayName("a 5xx ends that destination for that report; later runs do not try again")
  void send_permanent_notRetried() throws Exception {
    store(record("example.com", "192.0.2.1"));
    transport.answer =
        t ->
            t.startsWith("agg@")
                ? new MailTransport.Delivery.Permanent("550 5.1.1 no such user")
                : new MailTransport.Delivery.Accepted("250 ok");
    AggregateReportSender s = sender(zone().build()).build();
    assertThat(kinds(run(s)))
        .containsEntry("example.com agg@example.com", Kind.FAILED)
        .containsEntry("example.com dmarc@reports.example.net", Kind.SENT);
    clock.now = clock.now.plus(Duration.ofDays(2));
    assertThat(kinds(run(s)))
        .containsEntry("example.com agg@example.com", Kind.FAILED_BEFORE)
        .containsEntry("example.com dmarc@reports.example.net", Kind.ALREADY_SENT);
    assertThat(transport.to).hasSize(2);
    assertThat(
            ledger
                .entry(
                    "example.com."
                        + BEGIN.getEpochSecond()
                        + "."
                        + END.getEpochSecond()
                        + "@mx.receiver.example",
                    "agg@example.com")
                .orElseThrow()
                .lastError())
        .contains("550 5.1.1 no such user");
  }

  @Test
  @DisplayName("after the attempt limit a temporary failure is given up")
  void send_tooManyAttempts_givesUp() throws Exception {
    store(record("example.com", "192.0.2.1"));
    transport.answer = t -> new MailTransport.Delivery.Transient("connection refused");
    AggregateReportSender s =
        sender(zone().build())
            .maxAttempts(2)
            .retryDelay(Duration.ofMinutes(1), Duration.ofMinutes(1))
            .suppression(100, Duration.ofHours(1))
            .build();
    assertThat(run(s)).extracting(DeliveryOutcome::kind).containsOnly(Kind.RETRY_LATER);
    clock.now = clock.now.plus(Duration.ofMinutes(2));
    List<DeliveryOutcome> second = run(s);
    assertThat(second).extracting(DeliveryOutcome::kind).containsOnly(Kind.FAILED);
    assertThat(second.get(0).detail()).contains("gave up after 2 attempts");
  }

  @Test
  @DisplayName("a destination that keeps failing is suppressed for a while, then tried again")
  void send_failingDestination_suppressed() throws Exception {
    store(record("example.com", "192.0.2.1"), record("example.net", "192.0.2.5"));
    InMemoryDnsResolver dns =
        zone()
            .txt("_dmarc.example.net", "v=DMARC1; p=none; rua=mailto:dmarc@reports.example.net")
            .build();
    transport.answer =
        t ->
            t.equals("dmarc@reports.example.net")
                ? new MailTransport.Delivery.Transient("421 4.4.2 timeout")
                : new MailTransport.Delivery.Accepted("250 ok");
    AggregateReportSender s =
        sender(dns)
            .suppression(2, Duration.ofHours(12))
            .retryDelay(Duration.ofMinutes(1), Duration.ofMinutes(1))
            .build();
    Map<String, Kind> first = kinds(run(s));
    assertThat(first)
        .containsEntry("example.com dmarc@reports.example.net", Kind.RETRY_LATER)
        .containsEntry("example.net dmarc@reports.example.net", Kind.RETRY_LATER);
    assertThat(ledger.suppressedUntil("dmarc@reports.example.net", clock.now)).isPresent();
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    int before = transport.to.size();
    assertThat(kinds(run(s)))
        .containsEntry("example.com dmarc@reports.example.net", Kind.SUPPRESSED)
        .containsEntry("example.net dmarc@reports.example.net", Kind.SUPPRESSED);
    assertThat(transport.to).hasSize(before);
    clock.now = clock.now.plus(Duration.ofHours(13));
    transport.answer = t -> new MailTransport.Delivery.Accepted("250 ok");
    assertThat(kinds(run(s)))
        .containsEntry("example.com dmarc@reports.example.net", Kind.SENT)
        .containsEntry("example.net dmarc@reports.example.net", Kind.SENT);
    assertThat(ledger.suppressedUntil("dmarc@reports.example.net", clock.now)).isEmpty();
  }

  @Test
  @DisplayName(
      "a sender that dies after the relay accepted sends that mail once more, same Message-ID")
  void send_crashAfterAccept_oneDuplicateAtMost() throws Exception {
    store(record("example.net", "192.0.2.5"));
    InMemoryDnsResolver dns =
        zone().txt("_dmarc.example.net", "v=DMARC1; p=none; rua=mailto:agg@example.net").build();
    transport.answer =
        t -> {
          throw new Death();
        };
    AggregateReportSender s = sender(dns).lease(Duration.ofMinutes(10)).build();
    assertThatThrownBy(() -> run(s)).isInstanceOf(Death.class);
    assertThat(ledger.entries())
        .extracting(DeliveryLedger.Entry::state)
        .containsExactly(DeliveryLedger.State.SENDING);
    transport.answer = t -> new MailTransport.Delivery.Accepted("250 ok");
    assertThat(run(s))
        .extracting(DeliveryOutcome::kind)
        .as("lease still held")
        .containsOnly(Kind.IN_PROGRESS);
    clock.now = clock.now.plus(Duration.ofMinutes(11));
    assertThat(run(s)).extracting(DeliveryOutcome::kind).containsOnly(Kind.SENT);
    assertThat(run(s)).extracting(DeliveryOutcome::kind).containsOnly(Kind.ALREADY_SENT);
    assertThat(transport.mails).hasSize(2);
    assertThat(messageId(transport.mails.get(0))).isEqualTo(messageId(transport.mails.get(1)));
  }

  /** Stands for the process dying inside the transport, after the relay's accept. */
  static final class Death extends Error {
    private static final long serialVersionUID = 1L;
  }

  private static String messageId(byte[] mail) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail))
        .getMessageID();
  }

  @Test
  @DisplayName(
      "RFC 7489 §6.2: a mail larger than the URI's !size limit is not sent there (7489 format)")
  void send_rfc7489_sizeLimit() throws Exception {
    store(record("example.net", "192.0.2.5"));
    InMemoryDnsResolver dns =
        zone()
            .txt(
                "_dmarc.example.net",
                "v=DMARC1; p=none; rua=mailto:small@example.net!1k,mailto:big@example.net!1m")
            .build();
    ReportMail mail =
        ReportMail.builder("dmarc-reports@mx.receiver.example")
            .format(ReportFormat.RFC7489)
            .clock(clock)
            .build();
    AggregateReportSender s =
        AggregateReportSender.builder(
                store,
                ledger,
                DmarcEvaluator.builder(dns)
                    .mode(DmarcMode.RFC7489)
                    .organizationalDomainFinder(
                        io.github.dmarcj.domain.PublicSuffixList.bundled()
                            .organizationalDomainFinder())
                    .build(),
                mail,
                transport)
            .format(ReportFormat.RFC7489)
            .clock(clock)
            .build();
    assertThat(kinds(run(s)))
        .containsEntry("example.net small@example.net", Kind.TOO_BIG)
        .containsEntry("example.net big@example.net", Kind.SENT);
    assertThat(transport.to).containsExactly("big@example.net");
  }

  @Test
  @DisplayName(
      "RFC 9990 §4: a replacement rua on the destination's own host is where the report goes")
  void send_replacementOnSameHost() throws Exception {
    store(record("example.net", "192.0.2.5"));
    InMemoryDnsResolver dns =
        zone()
            .txt("_dmarc.example.net", "v=DMARC1; p=none; rua=mailto:old@reports.example.org")
            .txt(
                "example.net._report._dmarc.reports.example.org",
                "v=DMARC1; rua=mailto:new@reports.example.org")
            .build();
    assertThat(kinds(run(sender(dns).build())))
        .containsEntry("example.net new@reports.example.org", Kind.SENT);
    assertThat(transport.to).containsExactly("new@reports.example.org");
  }

  private static final AggregateReportSender.Listener QUIET = o -> {};

  private List<DeliveryOutcome> due(AggregateReportSender s) throws Exception {
    return s.sendDue(clock.now, Duration.ofDays(7), QUIET);
  }

  private static List<String> periods(List<DeliveryOutcome> outcomes) {
    return outcomes.stream()
        .filter(o -> o.kind() == Kind.SENT)
        .map(o -> o.reportId().orElseThrow().replaceAll("@.*", "") + " " + o.destination().get())
        .toList();
  }

  @Test
  @DisplayName(
      "DMARC-31: every whole UTC day not yet settled is sent; the day in progress waits; a settled"
          + " period is skipped without DNS")
  void sendDue_wholeDays_thenSettled() throws Exception {
    Instant day2 = END;
    Instant day3 = END.plus(Duration.ofDays(1));
    store(
        record("example.com", "192.0.2.1", BEGIN.plusSeconds(60)),
        record("example.com", "192.0.2.2", day2.plusSeconds(7_200)),
        record("example.com", "192.0.2.3", day3.plusSeconds(60)));
    clock.now = day3.plusSeconds(3_600);
    List<DeliveryOutcome> out = due(sender(zone().build()).build());
    long b = BEGIN.getEpochSecond();
    assertThat(periods(out))
        .containsExactly(
            "example.com." + b + "." + (b + 86_400) + " agg@example.com",
            "example.com." + b + "." + (b + 86_400) + " dmarc@reports.example.net",
            "example.com." + (b + 86_400) + "." + (b + 172_800) + " agg@example.com",
            "example.com." + (b + 86_400) + "." + (b + 172_800) + " dmarc@reports.example.net");
    assertThat(transport.to).hasSize(4);
    // The record now fails temporarily: a settled period does not look it up again.
    InMemoryDnsResolver failing = zone().tempFail("_dmarc.example.com").build();
    assertThat(due(sender(failing).build())).isEmpty();
    // The next day: only day 3 is new; its DNS failure leaves it open for the next run.
    clock.now = day3.plus(Duration.ofDays(1)).plusSeconds(3_600);
    assertThat(due(sender(failing).build()))
        .extracting(DeliveryOutcome::kind)
        .containsExactly(Kind.DNS_TEMPERROR);
    assertThat(due(sender(zone().build()).build()))
        .extracting(DeliveryOutcome::kind)
        .containsExactly(Kind.SENT, Kind.SENT);
    assertThat(due(sender(zone().build()).build())).isEmpty();
    assertThat(transport.to).hasSize(6);
  }

  @Test
  @DisplayName("a period waits for the grace after its end, for rows other servers still buffer")
  void sendDue_grace() throws Exception {
    store(record("example.com", "192.0.2.1"));
    clock.now = END.plus(Duration.ofMinutes(9));
    assertThat(due(sender(zone().build()).build())).isEmpty();
    clock.now = END.plus(Duration.ofMinutes(10));
    assertThat(due(sender(zone().build()).build())).hasSize(2);
    assertThat(due(sender(zone().build()).grace(Duration.ZERO).build())).isEmpty();
  }

  @Test
  @DisplayName("a retried report keeps its period open until it is sent, then settles it")
  void sendDue_retryKeepsPeriodOpen() throws Exception {
    store(record("example.com", "192.0.2.1"));
    transport.answer =
        t ->
            t.equals("agg@example.com")
                ? new MailTransport.Delivery.Transient("451 4.3.0 later")
                : new MailTransport.Delivery.Accepted("250 ok");
    AggregateReportSender s =
        sender(zone().build()).retryDelay(Duration.ofMinutes(10), Duration.ofHours(1)).build();
    assertThat(kinds(due(s)))
        .containsEntry("example.com agg@example.com", Kind.RETRY_LATER)
        .containsEntry("example.com dmarc@reports.example.net", Kind.SENT);
    transport.answer = t -> new MailTransport.Delivery.Accepted("250 ok");
    clock.now = clock.now.plus(Duration.ofMinutes(11));
    assertThat(kinds(due(s)))
        .containsEntry("example.com agg@example.com", Kind.SENT)
        .containsEntry("example.com dmarc@reports.example.net", Kind.ALREADY_SENT);
    assertThat(due(s)).isEmpty();
    assertThat(transport.to).hasSize(3);
  }

  private AggregateReportSender rfc7489Sender(InMemoryDnsResolver dns) {
    ReportMail mail =
        ReportMail.builder("dmarc-reports@mx.receiver.example")
            .format(ReportFormat.RFC7489)
            .clock(clock)
            .build();
    return AggregateReportSender.builder(
            store,
            ledger,
            DmarcEvaluator.builder(dns)
                .mode(DmarcMode.RFC7489)
                .organizationalDomainFinder(
                    io.github.dmarcj.domain.PublicSuffixList.bundled().organizationalDomainFinder())
                .build(),
            mail,
            transport)
        .format(ReportFormat.RFC7489)
        .clock(clock)
        .build();
  }

  @Test
  @DisplayName("DMARC-31: in RFC 7489 format ri=3600 gives hourly periods, ri=10000 two-hour ones")
  void sendDue_rfc7489Interval() throws Exception {
    store(
        record("example.net", "192.0.2.1", BEGIN.plusSeconds(60)),
        record("example.net", "192.0.2.2", BEGIN.plusSeconds(5 * 3_600 + 60)),
        record("example.info", "192.0.2.3", BEGIN.plusSeconds(60)),
        record("example.info", "192.0.2.4", BEGIN.plusSeconds(3 * 3_600 + 60)));
    InMemoryDnsResolver dns =
        zone()
            .txt("_dmarc.example.net", "v=DMARC1; p=none; ri=3600; rua=mailto:agg@example.net")
            .txt("_dmarc.example.info", "v=DMARC1; p=none; ri=10000; rua=mailto:agg@example.info")
            .build();
    long b = BEGIN.getEpochSecond();
    assertThat(periods(due(rfc7489Sender(dns))))
        .containsExactly(
            "example.info." + b + "." + (b + 7_200) + " agg@example.info",
            "example.info." + (b + 7_200) + "." + (b + 14_400) + " agg@example.info",
            "example.net." + b + "." + (b + 3_600) + " agg@example.net",
            "example.net." + (b + 5 * 3_600) + "." + (b + 6 * 3_600) + " agg@example.net");
    assertThat(due(rfc7489Sender(dns))).isEmpty();
    assertThat(due(sender(dns).build()))
        .as("rows settled by the hourly reports are not reported again in a daily one")
        .isEmpty();
  }

  @Test
  @DisplayName("RFC 9990 format: one UTC day, whatever ri says (RFC 9989 removed ri)")
  void sendDue_rfc9990IgnoresInterval() throws Exception {
    store(
        record("example.net", "192.0.2.1", BEGIN.plusSeconds(60)),
        record("example.net", "192.0.2.2", BEGIN.plusSeconds(5 * 3_600 + 60)));
    InMemoryDnsResolver dns =
        zone()
            .txt("_dmarc.example.net", "v=DMARC1; p=none; ri=3600; rua=mailto:agg@example.net")
            .build();
    long b = BEGIN.getEpochSecond();
    assertThat(periods(due(sender(dns).build())))
        .containsExactly("example.net." + b + "." + (b + 86_400) + " agg@example.net");
  }

  @Test
  @DisplayName("a configured six-hour period, with the listener told of each domain")
  void sendDue_configuredPeriod_progress() throws Exception {
    store(
        record("example.com", "192.0.2.1", BEGIN.plusSeconds(60)),
        record("example.com", "192.0.2.2", BEGIN.plusSeconds(7 * 3_600)),
        record("example.edu", "192.0.2.3", BEGIN.plusSeconds(60)));
    List<String> progress = new ArrayList<>();
    List<DeliveryOutcome> out =
        sender(zone().build())
            .period(Duration.ofHours(6))
            .build()
            .sendDue(
                clock.now,
                Duration.ofDays(2),
                new AggregateReportSender.Listener() {
                  @Override
                  public void outcome(DeliveryOutcome o) {
                    progress.add(o.kind().keyword());
                  }

                  @Override
                  public void domainDone(int done, int total) {
                    progress.add(done + "/" + total);
                  }
                });
    long b = BEGIN.getEpochSecond();
    assertThat(periods(out))
        .containsExactly(
            "example.com." + b + "." + (b + 21_600) + " agg@example.com",
            "example.com." + b + "." + (b + 21_600) + " dmarc@reports.example.net",
            "example.com." + (b + 21_600) + "." + (b + 43_200) + " agg@example.com",
            "example.com." + (b + 21_600) + "." + (b + 43_200) + " dmarc@reports.example.net");
    assertThat(progress)
        .containsExactly("sent", "sent", "sent", "sent", "1/2", "no-destination", "2/2");
    assertThatThrownBy(() -> sender(zone().build()).period(Duration.ofHours(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divides a day");
  }
}
