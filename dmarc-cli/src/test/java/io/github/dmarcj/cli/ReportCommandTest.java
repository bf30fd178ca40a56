// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

final class ReportCommandTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String NOW = "1795773660";
  private static final String BEGIN = "1795737600"; // 2026-11-27T00:00:00Z
  private static final String END = "1795824000";

  @TempDir Path dir;

  private String db() {
    return "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
  }

  /** Runs the example requests through {@code dmarc verify --report-db}. */
  private void verifyExamples() {
    Cli.Result r =
        Cli.run(
            "verify",
            "--report-db",
            db(),
            "--json",
            "--batch",
            EXAMPLES.resolve("requests.jsonl").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private static ReportRecord record(
      String ip, String from, ReportRecord.PublishedPolicy p, boolean pass, DmarcPolicy disposition)
      throws Exception {
    return new ReportRecord(
        Instant.ofEpochSecond(Long.parseLong(NOW)),
        p.pct().isPresent() ? DmarcMode.RFC7489 : DmarcMode.RFC9989,
        InetAddress.getByName(ip),
        from,
        Optional.of(from),
        Optional.empty(),
        p,
        disposition,
        pass ? DmarcResult.PASS : DmarcResult.FAIL,
        pass ? DmarcResult.PASS : DmarcResult.FAIL,
        List.of(),
        pass ? List.of(new ReportRecord.DkimAuth(from, "sel2026", DkimResult.PASS)) : List.of(),
        new ReportRecord.SpfAuth(from, SpfScope.MFROM, pass ? SpfResult.PASS : SpfResult.FAIL));
  }

  /** Stores what verifying the example messages would: two legit, one spoofed, one for .org. */
  private void seed() throws Exception {
    ReportRecord.PublishedPolicy com =
        new ReportRecord.PublishedPolicy(
            "example.com",
            DiscoveryMethod.TREEWALK,
            DmarcPolicy.QUARANTINE,
            Optional.empty(),
            Optional.empty(),
            AlignmentMode.RELAXED,
            AlignmentMode.RELAXED,
            Optional.empty(),
            Set.of(),
            false);
    ReportRecord.PublishedPolicy org =
        new ReportRecord.PublishedPolicy(
            "example.org",
            DiscoveryMethod.PSL,
            DmarcPolicy.REJECT,
            Optional.empty(),
            Optional.empty(),
            AlignmentMode.RELAXED,
            AlignmentMode.RELAXED,
            Optional.of(100),
            Set.of(),
            false);
    try (JdbcReportStore store = JdbcReportStore.builder(db()).build()) {
      store.accept(record("192.0.2.25", "example.com", com, true, DmarcPolicy.NONE));
      store.accept(record("192.0.2.25", "example.com", com, true, DmarcPolicy.NONE));
      store.accept(record("203.0.113.66", "example.com", com, false, DmarcPolicy.QUARANTINE));
      store.accept(record("203.0.113.66", "example.org", org, false, DmarcPolicy.REJECT));
    }
  }

  private static void validate(byte[] xml) throws Exception {
    try (InputStream xsd =
        ReportCommandTest.class.getResourceAsStream("/dmarc-xsd/dmarc-xml-0.2.xsd")) {
      SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
          .newSchema(new StreamSource(xsd))
          .newValidator()
          .validate(new StreamSource(new ByteArrayInputStream(xml)));
    }
  }

  private static Element parse(byte[] xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
  }

  private static String first(Element e, String name) {
    return e.getElementsByTagNameNS("*", name).item(0).getTextContent();
  }

  @Test
  @DisplayName("verify --report-db stores the rows that report aggregate then reads")
  void verify_reportDb_rowsAggregated() throws Exception {
    verifyExamples();
    Cli.Result r =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--begin",
            BEGIN,
            "--end",
            END,
            "--org-name",
            "Receiver Inc.",
            "--email",
            "dmarc@receiver.example");
    assertThat(r.exitCode()).as(r.err()).isZero();
    validate(r.out().getBytes(StandardCharsets.UTF_8));
    assertThat(r.out()).contains("<source_ip>203.0.113.66</source_ip>");
  }

  @Test
  @DisplayName("RFC 9990 §3.1.1: report aggregate: valid RFC 9990 XML on stdout")
  void aggregate_storedRows_writesValidXml() throws Exception {
    seed();
    Cli.Result r =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--begin",
            BEGIN,
            "--end",
            END,
            "--org-name",
            "Receiver Inc.",
            "--email",
            "dmarc@receiver.example");
    assertThat(r.exitCode()).as(r.err()).isZero();
    byte[] xml = r.out().getBytes(StandardCharsets.UTF_8);
    validate(xml);
    Element fb = parse(xml);
    assertThat(first(fb, "org_name")).isEqualTo("Receiver Inc.");
    assertThat(first(fb, "report_id"))
        .isEqualTo("example.com." + BEGIN + "." + END + "@receiver.example");
    assertThat(first(fb, "begin")).isEqualTo(BEGIN);
    assertThat(first(fb, "domain")).isEqualTo("example.com");
    long total = 0;
    var counts = fb.getElementsByTagNameNS("*", "count");
    for (int i = 0; i < counts.getLength(); i++) {
      total += Long.parseLong(counts.item(i).getTextContent());
    }
    assertThat(total).isEqualTo(3);
    assertThat(r.out()).contains("<source_ip>203.0.113.66</source_ip>");
  }

  @Test
  @DisplayName(
      "RFC 7489 §7.2.1.1 and Appendix C: --rfc7489 --gzip writes a gzip file in the RFC 7489 format")
  void aggregate_gzip7489_writesFile() throws Exception {
    seed();
    Path out = dir.resolve("report.xml.gz");
    Cli.Result r =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.org",
            "--begin",
            BEGIN,
            "--end",
            END,
            "--org-name",
            "R",
            "--email",
            "d@receiver.example",
            "--rfc7489",
            "--gzip",
            out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    byte[] xml;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(out))) {
      xml = in.readAllBytes();
    }
    Element fb = parse(xml);
    assertThat(fb.getNamespaceURI()).isNull();
    assertThat(first(fb, "pct")).isEqualTo("100");
    assertThat(first(fb, "p")).isEqualTo("reject");
    assertThat(first(fb, "disposition")).isEqualTo("reject");
    assertThat(fb.getElementsByTagNameNS("*", "np").getLength()).isZero();
  }

  @Test
  @DisplayName("RFC 9990 §3.5.1: --out-dir writes receiver!domain!begin!end.xml.gz")
  void aggregate_outDir_namedFile() throws Exception {
    seed();
    Cli.Result r =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--begin",
            BEGIN,
            "--end",
            END,
            "--org-name",
            "R",
            "--email",
            "d@receiver.example",
            "--out-dir",
            dir.resolve("out").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (var files = Files.list(dir.resolve("out"))) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names)
          .containsExactly("receiver.example!example.com!" + BEGIN + "!" + END + ".xml.gz");
    }
  }

  @Test
  @DisplayName("no records in the period: exit 1, nothing on stdout")
  void aggregate_emptyPeriod_exit1() throws Exception {
    seed();
    Cli.Result r =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--begin",
            "1000",
            "--end",
            "2000",
            "--org-name",
            "R",
            "--email",
            "d@receiver.example");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("no records");
  }

  @Test
  @DisplayName("RFC 9990 §3.1.4: an invalid --report-id or an empty period is a usage error")
  void aggregate_badArguments_exit2() {
    Cli.Result badId =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--begin",
            BEGIN,
            "--end",
            END,
            "--org-name",
            "R",
            "--email",
            "d@receiver.example",
            "--report-id",
            "a b");
    assertThat(badId.exitCode()).isEqualTo(2);
    assertThat(badId.err()).contains("report_id");
    Cli.Result badPeriod =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--begin",
            END,
            "--end",
            BEGIN,
            "--org-name",
            "R",
            "--email",
            "d@receiver.example");
    assertThat(badPeriod.exitCode()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.1.7: verify --envelope-to puts the RCPT TO domain into the stored report row")
  void verify_envelopeTo_storedInRow() throws Exception {
    Cli.Result r =
        Cli.run(
            "verify",
            "--report-db",
            db(),
            "--json",
            "--zone",
            EXAMPLES.resolve("zones/example.com.zone").toString(),
            "--now",
            NOW,
            "--client-ip",
            "203.0.113.66",
            "--helo",
            "mx.attacker.invalid",
            "--mail-from",
            "payroll@example.com",
            "--envelope-to",
            "Receiver.Example",
            EXAMPLES.resolve("messages/spoofed.eml").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    try (JdbcReportStore store = JdbcReportStore.builder(db()).build()) {
      List<ReportRecord> rows =
          store.records(
              "example.com",
              Instant.ofEpochSecond(Long.parseLong(BEGIN)),
              Instant.ofEpochSecond(Long.parseLong(END)));
      assertThat(rows).hasSize(1);
      assertThat(rows.get(0).envelopeTo()).contains("receiver.example");
    }
  }
}
