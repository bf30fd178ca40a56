// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.ingest.ImportException;
import io.github.dmarcj.report.ingest.ImportLimits;
import io.github.dmarcj.report.ingest.ReceivedFailureReport;
import io.github.dmarcj.report.ingest.ReceivedFailureStore;
import io.github.dmarcj.report.ingest.ReceivedReport;
import io.github.dmarcj.report.ingest.ReportImporter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Importing received failure reports (ARF, RFC 5965 / RFC 6591 / RFC 9991) from mails: the corpus
 * reports, the reports this library writes (read back field for field), known reports left alone,
 * and hostile ones refused with a typed reason while the import goes on.
 */
final class FailureReportImportTest {
  @TempDir Path tmp;
  private JdbcDataSource ds;

  /** Records what the importer says. */
  static final class Seen implements ReportImporter.Listener {
    final Map<String, ReceivedFailureReport> imported = new LinkedHashMap<>();
    final List<String> duplicates = new ArrayList<>();
    final Map<String, ImportException> refused = new LinkedHashMap<>();
    int aggregate;

    @Override
    public void importedFailure(String source, ReceivedFailureReport report) {
      imported.put(source, report);
    }

    @Override
    public void duplicateFailure(String source, ReceivedFailureReport report) {
      duplicates.add(source);
    }

    @Override
    public void refused(String source, ImportException error) {
      refused.put(source, error);
    }

    @Override
    public void imported(String source, ReceivedReport report, long rows) {
      aggregate++;
    }
  }

  @BeforeEach
  void database() {
    ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:failures-in-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  private Path write(String name, byte[] bytes) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private Seen importAll(Path... paths) throws Exception {
    Seen seen = new Seen();
    new ReportImporter(ds, ImportLimits.defaults()).importPaths(List.of(paths), seen);
    return seen;
  }

  private static ReceivedFailureReport only(Seen s) {
    assertThat(s.imported).as("refused: %s", s.refused).hasSize(1);
    return s.imported.values().iterator().next();
  }

  @Test
  @DisplayName(
      "the corpus: the three auth-failure reports import with their fields; the two abuse"
          + " reports (RFC 5965 examples) are refused as not DMARC failure reports")
  void corpus() throws Exception {
    List<Path> files = new ArrayList<>();
    for (String n : List.of("001.eml", "002.eml", "003.eml", "004.eml", "005.eml")) {
      files.add(write(n, Arf.corpus(n)));
    }
    Seen s = importAll(files.toArray(Path[]::new));
    assertThat(s.refused.values())
        .extracting(ImportException::reason)
        .containsExactly(ImportException.Reason.NOT_A_REPORT, ImportException.Reason.NOT_A_REPORT);
    assertThat(s.imported).hasSize(3);
    List<ReceivedFailureReport> r = new ArrayList<>(s.imported.values());

    ReceivedFailureReport dkim = r.get(0); // 003: RFC 6591 Appendix B.1
    assertThat(dkim.authFailure()).contains("bodyhash");
    assertThat(dkim.sourceIp()).contains("192.0.2.1");
    assertThat(dkim.originalMailFrom()).contains("randomuser@example.net");
    assertThat(dkim.originalRcptTo()).containsExactly("user@example.com");
    assertThat(dkim.reportedDomains()).containsExactly("example.net");
    assertThat(dkim.dkimDomain()).contains("example.net");
    assertThat(dkim.arrivalDate()).contains(Instant.ofEpochSecond(1271272531));
    assertThat(dkim.userAgent()).contains("SomeDKIMFilter/1.0");
    assertThat(dkim.authenticationResults())
        .singleElement()
        .asString()
        .contains("dkim=fail")
        .doesNotContain("\n");

    ReceivedFailureReport dmarc = r.get(1); // 004: OpenDMARC
    assertThat(dmarc.authFailure()).contains("dmarc");
    assertThat(dmarc.sourceIp()).contains("148.163.85.135");
    assertThat(dmarc.originalMailFrom()).contains("info@interpublication.org");
    assertThat(dmarc.reportedDomains()).containsExactly("interpublication.org");
    assertThat(dmarc.originalEnvelopeId()).contains("8BE2660E72");
    assertThat(dmarc.userAgent()).contains("OpenDMARC-Filter/1.3.2");
    assertThat(dmarc.originalHeaders()).contains("Subject: Wir kaufen dein Auto!");

    ReceivedFailureReport body = r.get(2); // 005: RFC 6591 Appendix B.2
    assertThat(body.authFailure()).contains("bodyhash");
    assertThat(body.dkimDomain()).contains("sender.example");
    assertThat(body.dkimSelector()).contains("testkey");
    assertThat(body.dkimIdentity()).contains("@sender.example");
    assertThat(body.arrivalDate()).contains(Instant.ofEpochSecond(1318104958));
    assertThat(body.originalEnvelopeId()).contains("o3F52gxO029144");
    assertThat(body.originalHeaders())
        .contains("Message-ID: <87913910.1318094604546@out.sender.example>");
    assertThat(new ReceivedFailureStore(ds).count()).isEqualTo(3);
  }

  @Test
  @DisplayName(
      "a report this library writes reads back field for field; importing it again changes"
          + " nothing")
  void roundTrip_andDuplicate() throws Exception {
    FailureReport written = FailureReportMailTest.dmarc().incidents(7).build();
    byte[] mail =
        FailureReportMailTest.mail(Redactor.unredacted())
            .build()
            .compose(written, FailureReportMailTest.TO);
    Path p = write("ours.eml", mail);
    ReceivedFailureReport r = only(importAll(p));
    assertThat(r.feedbackType()).isEqualTo("auth-failure");
    assertThat(r.authFailure()).contains("dmarc");
    assertThat(r.reporter()).contains("dmarc-failures@mx.receiver.example");
    assertThat(r.arrivalDate()).contains(FailureReportMailTest.ARRIVAL);
    assertThat(r.sourceIp()).contains("192.0.2.1");
    assertThat(r.originalMailFrom()).contains("bounces@sender.example");
    assertThat(r.originalRcptTo()).containsExactly("accounts@receiver.example");
    assertThat(r.reportedDomains()).containsExactly("sender.example");
    assertThat(r.identityAlignment())
        .hasValueSatisfying(v -> assertThat(v).contains("dkim", "spf"));
    assertThat(r.deliveryResult()).contains("reject");
    assertThat(r.dkimDomain()).contains("sender.example");
    assertThat(r.dkimSelector()).contains("sel1");
    assertThat(r.spfDns()).hasValueSatisfying(v -> assertThat(v).contains("v=spf1"));
    assertThat(r.incidents()).isEqualTo(7);
    assertThat(r.authenticationResults())
        .singleElement()
        .asString()
        .contains("dmarc=fail header.from=sender.example");
    assertThat(r.originalHeaders()).contains("Subject: Your invoice");

    Seen again = importAll(p);
    assertThat(again.imported).isEmpty();
    assertThat(again.duplicates).hasSize(1);
    assertThat(new ReceivedFailureStore(ds).count()).isEqualTo(1);
  }

  private static String arf(String fields, String original) {
    return "From: reporter@receiver.example\r\n"
        + "To: ruf@owner.example\r\n"
        + "Subject: report\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b1\"\r\n"
        + "\r\n"
        + "--b1\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
        + "--b1\r\nContent-Type: message/feedback-report\r\n\r\n"
        + fields
        + "\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        + original
        + "\r\n--b1--\r\n";
  }

  @Test
  @DisplayName(
      "hostile reports get a typed refusal and the import goes on: no Feedback-Type, a feedback"
          + " part over 64 KiB, no feedback part; odd values are read safely")
  void hostile() throws Exception {
    Path noType =
        write(
            "a.eml",
            arf("Auth-Failure: dmarc\r\n", "From: x@y\r\n").getBytes(StandardCharsets.UTF_8));
    Path huge =
        write(
            "b.eml",
            arf(
                    "Feedback-Type: auth-failure\r\nUser-Agent: " + "x".repeat(70_000) + "\r\n",
                    "From: x@y\r\n")
                .getBytes(StandardCharsets.UTF_8));
    Path noPart =
        write(
            "c.eml",
            ("From: r@receiver.example\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b\"\r\n"
                    + "\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n")
                .getBytes(StandardCharsets.UTF_8));
    Path odd =
        write(
            "d.eml",
            arf(
                    "Feedback-Type: Auth-Failure\r\nAuth-Failure: SPF\r\nIncidents:"
                        + " 99999999999999999999999\r\nArrival-Date: not a date\r\n"
                        + "Source-IP: <script>\r\nReported-Domain: EXAMPLE.COM\r\n",
                    "Subject: =?utf-8?q?x?=\r\n")
                .getBytes(StandardCharsets.UTF_8));
    Seen s = importAll(noType, huge, noPart, odd);
    assertThat(s.refused.values())
        .extracting(ImportException::reason)
        .containsExactly(
            ImportException.Reason.INVALID_REPORT,
            ImportException.Reason.TEXT_TOO_LONG,
            ImportException.Reason.INVALID_REPORT);
    ReceivedFailureReport r = only(s);
    assertThat(r.authFailure()).contains("spf");
    assertThat(r.incidents()).isEqualTo(1);
    assertThat(r.arrivalDate()).isEmpty();
    assertThat(r.sourceIp()).contains("<script>");
    assertThat(r.reportedDomains()).containsExactly("example.com");
    assertThat(r.reporter()).isEqualTo(Optional.of("reporter@receiver.example"));
  }

  @Test
  @DisplayName("an ARF report forwarded as message/rfc822 inside another mail is found")
  void forwarded() throws Exception {
    String inner =
        arf("Feedback-Type: auth-failure\r\nAuth-Failure: dkim\r\n", "From: a@b.example\r\n");
    String outer =
        "From: admin@owner.example\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
            + "--o\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
            + "--o\r\nContent-Type: message/rfc822\r\n\r\n"
            + inner
            + "\r\n--o--\r\n";
    ReceivedFailureReport r =
        only(importAll(write("fwd.eml", outer.getBytes(StandardCharsets.UTF_8))));
    assertThat(r.authFailure()).contains("dkim");
    assertThat(r.reporter()).contains("reporter@receiver.example");
  }
}
