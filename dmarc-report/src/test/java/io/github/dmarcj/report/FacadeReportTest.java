// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The whole path: the example messages and zones of {@code examples/} run through {@link
 * MessageAuthenticator} (SPF and DKIM replaced by fakes that decide from the client address and the
 * presence of the example signature), the rows go to a {@link JdbcReportStore}, and the stored rows
 * become a report that must validate against the RFC 9990 schema.
 */
final class FacadeReportTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final Instant NOW = Instant.ofEpochSecond(1795773660L);

  private static SpfOutcome fakeSpf(SmtpEnvelope env) {
    String mailFrom = env.mailFrom().orElse("");
    String domain = mailFrom.substring(mailFrom.indexOf('@') + 1);
    boolean inside = env.clientIp().getHostAddress().startsWith("192.0.2.");
    return SpfOutcome.of(
        inside ? SpfResult.PASS : SpfResult.FAIL, SpfScope.MFROM, mailFrom, domain);
  }

  private static List<DkimOutcome> fakeDkim(byte[] message) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    if (text.contains("d=example.com;") && text.contains("s=sel2026;")) {
      return List.of(
          new DkimOutcome(
              DkimResult.PASS,
              "example.com",
              "sel2026",
              "rsa-sha256",
              Optional.empty(),
              "AAAA",
              false,
              Optional.empty()));
    }
    return List.of();
  }

  private static VerificationResult run(
      MessageAuthenticator auth, String message, String ip, String mailFrom) throws Exception {
    byte[] bytes = Files.readAllBytes(EXAMPLES.resolve("messages").resolve(message));
    return auth.verify(SmtpEnvelope.of(InetAddress.getByName(ip), "mail.example", mailFrom), bytes);
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.1 and §3.1.1.7: example messages -> facade -> JDBC store -> valid RFC 9990 report")
  void report_fromFacadeRecords_validates() throws Exception {
    ZoneFileResolver dns =
        ZoneFileResolver.fromFiles(
            EXAMPLES.resolve("zones/example.com.zone"),
            EXAMPLES.resolve("zones/example.net.zone"),
            EXAMPLES.resolve("zones/example.org.zone"));
    TestDataSource ds = TestDataSource.memory("facade-" + UUID.randomUUID());
    try (JdbcReportStore store = JdbcReportStore.builder(ds).build()) {
      MessageAuthenticator auth =
          MessageAuthenticator.builder(dns)
              .authservId("mx.receiver.example")
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .spfVerifier(env -> CompletableFuture.completedFuture(fakeSpf(env)))
              .dkimVerifier(msg -> CompletableFuture.completedFuture(fakeDkim(msg)))
              .reportRecordSink(store)
              .build();
      for (int i = 0; i < 3; i++) {
        VerificationResult ok = run(auth, "legit.eml", "192.0.2.25", "alice@example.com");
        assertThat(ok.dmarc().result()).isEqualTo(DmarcResult.PASS);
      }
      for (int i = 0; i < 2; i++) {
        VerificationResult bad = run(auth, "spoofed.eml", "203.0.113.66", "payroll@example.com");
        assertThat(bad.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
      }
      run(auth, "spoofed-reject.eml", "203.0.113.66", "billing@example.org");
      assertThat(store.flush(Duration.ofSeconds(30))).isTrue();

      Instant begin = NOW.minusSeconds(3600);
      Instant end = NOW.plusSeconds(3600);
      assertThat(store.policyDomains(begin, end)).containsExactly("example.com", "example.org");
      ReportAggregator agg = new ReportAggregator("example.com", begin, end);
      store.forEachRecord("example.com", begin, end, agg::add);
      List<AggregateReport> reports =
          agg.reports(ReportMetadata.of("Receiver", "dmarc@receiver.example", "rpt1"));
      assertThat(reports).hasSize(1);
      AggregateReport report = reports.get(0);
      assertThat(report.rows()).extracting(AggregateReport.Row::count).containsExactly(3L, 2L);

      byte[] xml = AggregateReportWriter.toXml(report, ReportFormat.RFC9990);
      Xsd.validate(Xsd.rfc9990(), xml);
      Xsd.validate(Xsd.rfc7489(), AggregateReportWriter.toXml(report, ReportFormat.RFC7489));
      Element fb = Xsd.parse(xml).getDocumentElement();
      NodeList dispositions = fb.getElementsByTagNameNS("*", "disposition");
      assertThat(dispositions.getLength()).isEqualTo(2);
      assertThat(dispositions.item(0).getTextContent()).isEqualTo("pass");
      assertThat(dispositions.item(1).getTextContent()).isEqualTo("quarantine");
      NodeList ips = fb.getElementsByTagNameNS("*", "source_ip");
      assertThat(ips.item(1).getTextContent()).isEqualTo("203.0.113.66");
      assertThat(fb.getElementsByTagNameNS("*", "selector").item(0).getTextContent())
          .isEqualTo("sel2026");
    }
  }

  @Test
  @DisplayName(
      "AGG-07: the problems of the record that applied reach the stored row and the report's"
          + " error element")
  void report_recordProblems_becomeErrorElement() throws Exception {
    io.github.dmarcj.dns.InMemoryDnsResolver dns =
        io.github.dmarcj.dns.InMemoryDnsResolver.builder()
            .txt("_dmarc.example.com", "v=DMARC1; p=quarantine; adkim=x; foo=1; pct=50")
            .build();
    TestDataSource ds = TestDataSource.memory("facade-errors-" + UUID.randomUUID());
    try (JdbcReportStore store = JdbcReportStore.builder(ds).build()) {
      MessageAuthenticator auth =
          MessageAuthenticator.builder(dns)
              .authservId("mx.receiver.example")
              .clock(Clock.fixed(NOW, ZoneOffset.UTC))
              .spfVerifier(env -> CompletableFuture.completedFuture(fakeSpf(env)))
              .dkimVerifier(msg -> CompletableFuture.completedFuture(fakeDkim(msg)))
              .reportRecordSink(store)
              .build();
      run(auth, "legit.eml", "192.0.2.25", "alice@example.com");
      assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
      Instant begin = NOW.minusSeconds(3600);
      Instant end = NOW.plusSeconds(3600);
      List<io.github.dmarcj.verify.ReportRecord> rows = store.records("example.com", begin, end);
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).policyPublished().errors())
          .containsExactly(
              "adkim must be r or s, was \"x\"",
              "unknown tag foo ignored",
              "pct was removed by RFC 9989");
      ReportAggregator agg = new ReportAggregator("example.com", begin, end);
      store.forEachRecord("example.com", begin, end, agg::add);
      byte[] xml =
          AggregateReportWriter.toXml(
              agg.reports(ReportMetadata.of("Receiver", "dmarc@receiver.example", "rpt2")).get(0),
              ReportFormat.RFC9990);
      Xsd.validate(Xsd.rfc9990(), xml);
      NodeList errors = Xsd.parse(xml).getDocumentElement().getElementsByTagNameNS("*", "error");
      assertThat(errors.getLength()).isEqualTo(1);
      assertThat(errors.item(0).getTextContent())
          .isEqualTo(
              "adkim must be r or s, was \"x\"; unknown tag foo ignored; pct was removed by RFC"
                  + " 9989");
    }
  }
}
