// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.report.AggregateReportSenderTest.MutableClock;
import io.github.dmarcj.report.AggregateReportSenderTest.Recorder;
import io.github.dmarcj.report.failure.FailureIncidentStore;
import io.github.dmarcj.report.mail.DeliveryLedger;
import io.github.dmarcj.report.mail.DeliveryOutcome;
import io.github.dmarcj.report.mail.DeliveryOutcome.Kind;
import io.github.dmarcj.report.mail.FailureMailComposer;
import io.github.dmarcj.report.mail.FailureReportSender;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.MessageAuthenticator;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sending failure reports (RFC 9991 §2, §5): destinations checked at send time, each report once,
 * rate limits per destination and per domain that hold across runs, expiry, and no reports for a
 * PSD record.
 */
final class FailureReportSenderTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String MESSAGE =
      "From: Payroll <payroll@example.com>\r\nSubject: invoice\r\n\r\nbody\r\n";

  private final MutableClock clock = new MutableClock(T0);
  private final Recorder transport = new Recorder();
  private TestDataSource ds;
  private FailureIncidentStore store;
  private DeliveryLedger ledger;

  /** Stands in for the ARF mail: which report went to whom. */
  private static final FailureMailComposer COMPOSER =
      (r, id, to) ->
          ("To: " + to + "\r\nX-Report: " + id + "\r\nX-Incidents: " + r.incidents() + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);

  @BeforeEach
  void open() throws Exception {
    ds = TestDataSource.memory("failures-" + UUID.randomUUID());
    store = FailureIncidentStore.builder(ds).build();
    ledger = new DeliveryLedger(ds);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static InMemoryDnsResolver dns(String record) {
    return InMemoryDnsResolver.builder()
        .txt("_dmarc.example.com", record)
        .txt("example.com._report._dmarc.reports.example.net", "v=DMARC1")
        .exists("example.com")
        .build();
  }

  private void incidents(String record, String... ips) throws Exception {
    MessageAuthenticator a =
        MessageAuthenticator.builder(dns(record))
            .authservId("mx.receiver.example")
            .clock(clock)
            .spfVerifier(
                env ->
                    CompletableFuture.completedFuture(
                        SpfOutcome.of(
                            SpfResult.FAIL, SpfScope.MFROM, "payroll@example.com", "example.com")))
            .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
            .failureReportSink(store)
            .build();
    for (String ip : ips) {
      a.verify(
          SmtpEnvelope.of(InetAddress.getByName(ip), "spoofer.example", "payroll@example.com"),
          MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    }
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
  }

  private FailureReportSender.Builder sender(String record) {
    return FailureReportSender.builder(
            store,
            ledger,
            DmarcEvaluator.builder(dns(record)).build(),
            COMPOSER,
            "dmarc-reports@mx.receiver.example",
            transport)
        .clock(clock);
  }

  private List<DeliveryOutcome> run(FailureReportSender s) throws Exception {
    return s.send(o -> {});
  }

  private static final String RECORD =
      "v=DMARC1; p=reject; ruf=mailto:forensic@example.com,mailto:f@reports.example.net,"
          + "mailto:f@evil.example";

  @Test
  @DisplayName(
      "RFC 9991 §2 and DMARC-28: internal and authorized ruf destinations get the report, others"
          + " are named; a second run sends nothing")
  void send_destinations_once() throws Exception {
    incidents(RECORD, "203.0.113.9", "203.0.113.9");
    List<DeliveryOutcome> out = run(sender(RECORD).build());
    assertThat(out)
        .extracting(o -> o.destination().orElse("-"), DeliveryOutcome::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("mailto:f@evil.example", Kind.NOT_AUTHORIZED),
            org.assertj.core.groups.Tuple.tuple("forensic@example.com", Kind.SENT),
            org.assertj.core.groups.Tuple.tuple("f@reports.example.net", Kind.SENT));
    assertThat(transport.to).containsExactly("forensic@example.com", "f@reports.example.net");
    assertThat(new String(transport.mails.get(0), StandardCharsets.US_ASCII))
        .contains("X-Incidents: 2")
        .contains("X-Report: failure.");
    assertThat(run(sender(RECORD).build())).isEmpty();
    assertThat(store.pending(10)).isEmpty();
    assertThat(store.all(10)).extracting(FailureIncidentStore.Stored::state).containsOnly("sent");
  }

  @Test
  @DisplayName(
      "RFC 9991 §5: at most N reports per destination per window; the rest wait, and the count"
          + " holds for a new sender (it is in the ledger)")
  void send_rateLimitedPerDestination() throws Exception {
    String record = "v=DMARC1; p=reject; ruf=mailto:forensic@example.com";
    incidents(record, "203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5");
    assertThat(run(sender(record).perDestination(2, Duration.ofHours(1)).build()))
        .extracting(DeliveryOutcome::kind)
        .containsExactly(
            Kind.SENT, Kind.SENT, Kind.RATE_LIMITED, Kind.RATE_LIMITED, Kind.RATE_LIMITED);
    clock.now = T0.plus(Duration.ofMinutes(30));
    assertThat(run(sender(record).perDestination(2, Duration.ofHours(1)).build()))
        .extracting(DeliveryOutcome::kind)
        .containsOnly(Kind.RATE_LIMITED);
    clock.now = T0.plus(Duration.ofMinutes(61));
    assertThat(run(sender(record).perDestination(2, Duration.ofHours(1)).build()))
        .extracting(DeliveryOutcome::kind)
        .containsExactly(Kind.SENT, Kind.SENT, Kind.RATE_LIMITED);
    assertThat(transport.to).hasSize(4);
  }

  @Test
  @DisplayName("a domain's limit counts every destination; a report waiting past maxAge expires")
  void send_perDomainLimit_thenExpiry() throws Exception {
    incidents(RECORD, "203.0.113.1", "203.0.113.2");
    assertThat(run(sender(RECORD).perDomain(1, Duration.ofDays(1)).build()))
        .extracting(o -> o.destination().orElse("-"), DeliveryOutcome::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("mailto:f@evil.example", Kind.NOT_AUTHORIZED),
            org.assertj.core.groups.Tuple.tuple("forensic@example.com", Kind.SENT),
            org.assertj.core.groups.Tuple.tuple("f@reports.example.net", Kind.RATE_LIMITED),
            org.assertj.core.groups.Tuple.tuple("mailto:f@evil.example", Kind.NOT_AUTHORIZED),
            org.assertj.core.groups.Tuple.tuple("forensic@example.com", Kind.RATE_LIMITED),
            org.assertj.core.groups.Tuple.tuple("f@reports.example.net", Kind.RATE_LIMITED));
    clock.now = T0.plus(Duration.ofDays(3));
    assertThat(run(sender(RECORD).perDomain(1, Duration.ofDays(1)).build()))
        .extracting(DeliveryOutcome::kind)
        .containsExactly(Kind.EXPIRED, Kind.EXPIRED);
    assertThat(store.pending(10)).isEmpty();
    assertThat(transport.to).hasSize(1);
  }

  @Test
  @DisplayName("a record that now has no ruf, or is a PSD record: nothing is sent")
  void send_noRufOrPsdNow() throws Exception {
    incidents(RECORD, "203.0.113.1");
    assertThat(run(sender("v=DMARC1; p=reject; psd=y; ruf=mailto:f@example.com").build()))
        .extracting(DeliveryOutcome::kind, DeliveryOutcome::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Kind.NO_DESTINATION, "a PSD record's ruf gets no failure reports"));
    assertThat(store.pending(10)).as("settled: nothing will ever be sent for it").isEmpty();
    incidents(RECORD, "203.0.113.2");
    assertThat(run(sender("v=DMARC1; p=reject").build()))
        .extracting(DeliveryOutcome::kind, DeliveryOutcome::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Kind.NO_DESTINATION, "the DMARC record has no ruf"));
    assertThat(transport.to).isEmpty();
  }

  @Test
  @DisplayName("FAIL-07: in RFC 7489 mode a record whose rf does not ask for afrf gets no report")
  void send_rfc7489_rfWithoutAfrf() throws Exception {
    String record = "v=DMARC1; p=reject; rf=iodef; ruf=mailto:forensic@example.com";
    incidents(record, "203.0.113.1");
    FailureReportSender s =
        FailureReportSender.builder(
                store,
                ledger,
                DmarcEvaluator.builder(dns(record))
                    .mode(io.github.dmarcj.dmarc.DmarcMode.RFC7489)
                    .organizationalDomainFinder(
                        io.github.dmarcj.domain.PublicSuffixList.bundled()
                            .organizationalDomainFinder())
                    .build(),
                COMPOSER,
                "dmarc-reports@mx.receiver.example",
                transport)
            .clock(clock)
            .build();
    assertThat(run(s))
        .extracting(DeliveryOutcome::kind, DeliveryOutcome::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                Kind.NO_DESTINATION, "rf asks for iodef, not afrf"));
    assertThat(transport.to).isEmpty();
  }

  @Test
  @DisplayName(
      "FAIL-09: a report the SPF record asked for (ra=) goes to ra@its domain, with no DMARC"
          + " record to check, once, under the per-address limit; its policy domain is that domain")
  void send_spfRecordRequest() throws Exception {
    SpfOutcome asked =
        new SpfOutcome(
            SpfResult.FAIL,
            SpfScope.MFROM,
            "payroll@example.com",
            "example.com",
            java.util.Optional.empty(),
            java.util.Optional.of("-all"),
            java.util.Optional.empty(),
            java.util.Optional.of(
                new io.github.dmarcj.result.SpfReportRequest(
                    "spf-fail@example.com", 100, java.util.Set.of(SpfResult.FAIL))));
    MessageAuthenticator a =
        MessageAuthenticator.builder(InMemoryDnsResolver.builder().exists("example.com").build())
            .authservId("mx.receiver.example")
            .clock(clock)
            .spfVerifier(env -> CompletableFuture.completedFuture(asked))
            .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
            .failureReportSink(store)
            .build();
    for (String ip : new String[] {"203.0.113.1", "203.0.113.2", "203.0.113.3"}) {
      a.verify(
          SmtpEnvelope.of(InetAddress.getByName(ip), "spoofer.example", "payroll@example.com"),
          MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    }
    assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(store.pending(10))
        .extracting(
            FailureIncidentStore.Stored::policyDomain,
            FailureIncidentStore.Stored::reportedDomain,
            r -> r.authFailure().keyword(),
            r -> r.reportTo().orElse("-"))
        .containsOnly(
            org.assertj.core.groups.Tuple.tuple(
                "example.com", "example.com", "spf", "spf-fail@example.com"));
    // no DMARC record anywhere: the SPF record's own address is the destination
    assertThat(run(sender("v=spf1 -all").perDestination(2, Duration.ofHours(1)).build()))
        .extracting(o -> o.destination().orElse("-"), DeliveryOutcome::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("spf-fail@example.com", Kind.SENT),
            org.assertj.core.groups.Tuple.tuple("spf-fail@example.com", Kind.SENT),
            org.assertj.core.groups.Tuple.tuple("spf-fail@example.com", Kind.RATE_LIMITED));
    assertThat(transport.to).containsExactly("spf-fail@example.com", "spf-fail@example.com");
  }
}
