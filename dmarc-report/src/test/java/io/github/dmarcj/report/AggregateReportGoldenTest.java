// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.xml.validation.Schema;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files for aggregate report XML: for fixed sets of report rows, the writer's output must
 * equal {@code src/test/resources/aggregate/NNN.xml} once whitespace between elements is
 * normalised, and each golden file must validate against the schema of its format (the XSDs of
 * dmarc-core's test-jar, see {@link Xsd}). The files were generated from the writer and read
 * against RFC 9990 §3.1.1 and Appendix A and RFC 7489 Appendix C (see aggregate/SOURCE.md).
 *
 * <p>After an intended change of the writer, write the files anew with {@code
 * -Daggregate.golden.dir=<absolute path of src/test/resources/aggregate>} and review the diff.
 *
 * <ul>
 *   <li>001: one message, RFC 9990;
 *   <li>002: several sources and evaluated policies (IPv4 and IPv6, every disposition, override
 *       reasons RFC 9990 has and lacks, several DKIM results, a subdomain under {@code sp}, a null
 *       reverse-path with a HELO-scope SPF result), RFC 9990;
 *   <li>003: the rows of 002 under an RFC 7489 policy ({@code p=reject; pct=50}, failures left out
 *       of the sample quarantined), RFC 7489 Appendix C format;
 *   <li>004: another policy configuration ({@code p=reject}, {@code t=y}, no {@code sp}/{@code
 *       np}/{@code fo}, PSL discovery) and metadata without the optional elements, RFC 9990.
 * </ul>
 *
 * <p>No case has an {@code error} element: {@link ReportMetadata} carries none, so the writer never
 * writes one.
 */
final class AggregateReportGoldenTest {
  private static final Instant BEGIN = Records.T0;
  private static final Instant END = Records.T0.plusSeconds(86_400);

  private record Golden(String file, ReportFormat format, AggregateReport report) {}

  static ReportMetadata metadata() {
    return new ReportMetadata(
        "Receiver Inc.",
        "dmarc@receiver.example",
        Optional.of("https://receiver.example/dmarc"),
        "<20261126.example.com@receiver.example>",
        Optional.of("dmarcj 0.1.0"));
  }

  static ReportRecord.PublishedPolicy rfc9989Policy() {
    return Records.policy9989("example.com");
  }

  static ReportRecord.PublishedPolicy rfc7489Policy() {
    return new ReportRecord.PublishedPolicy(
        "example.com",
        DiscoveryMethod.PSL,
        DmarcPolicy.REJECT,
        Optional.empty(),
        Optional.empty(),
        AlignmentMode.RELAXED,
        AlignmentMode.RELAXED,
        Optional.of(50),
        Set.of(FailureReportOption.ALL_FAIL),
        false);
  }

  static ReportRecord.PublishedPolicy testingPolicy() {
    return new ReportRecord.PublishedPolicy(
        "example.org",
        DiscoveryMethod.PSL,
        DmarcPolicy.REJECT,
        Optional.empty(),
        Optional.empty(),
        AlignmentMode.STRICT,
        AlignmentMode.RELAXED,
        Optional.empty(),
        Set.of(),
        true);
  }

  private static ReportRecord.DkimAuth dkim(String domain, String selector, DkimResult result) {
    return new ReportRecord.DkimAuth(domain, selector, result);
  }

  private static ReportRecord.SpfAuth spf(String domain, SpfScope scope, SpfResult result) {
    return new ReportRecord.SpfAuth(domain, scope, result);
  }

  private static ReportRecord.Override reason(OverrideReason type, String comment) {
    return new ReportRecord.Override(type, comment);
  }

  private static AggregateReport.Row row(
      String ip,
      long count,
      DmarcPolicy disposition,
      DmarcResult dkimAligned,
      DmarcResult spfAligned,
      List<ReportRecord.Override> reasons,
      String headerFrom,
      String envelopeFrom,
      String envelopeTo,
      List<ReportRecord.DkimAuth> dkim,
      ReportRecord.SpfAuth spf) {
    return new AggregateReport.Row(
        Records.ip(ip),
        count,
        disposition,
        dkimAligned,
        spfAligned,
        reasons,
        headerFrom,
        Optional.ofNullable(envelopeFrom),
        Optional.ofNullable(envelopeTo),
        dkim,
        spf);
  }

  /** One message that passed DMARC with aligned DKIM and SPF. */
  static List<AggregateReport.Row> oneMessage() {
    return List.of(
        row(
            "192.0.2.1",
            1,
            DmarcPolicy.NONE,
            DmarcResult.PASS,
            DmarcResult.PASS,
            List.of(),
            "example.com",
            "example.com",
            null,
            List.of(dkim("example.com", "sel", DkimResult.PASS)),
            spf("example.com", SpfScope.MFROM, SpfResult.PASS)));
  }

  /** Several sources and evaluated policies for example.com. */
  static List<AggregateReport.Row> severalSources() {
    List<AggregateReport.Row> rows = new ArrayList<>();
    // passes: aligned DKIM and SPF; DKIM only, from IPv6; a subdomain under sp=none
    rows.add(
        row(
            "192.0.2.1",
            3,
            DmarcPolicy.NONE,
            DmarcResult.PASS,
            DmarcResult.PASS,
            List.of(),
            "example.com",
            "example.com",
            "example.net",
            List.of(dkim("example.com", "sel", DkimResult.PASS)),
            spf("example.com", SpfScope.MFROM, SpfResult.PASS)));
    rows.add(
        row(
            "2001:db8::25",
            1,
            DmarcPolicy.NONE,
            DmarcResult.PASS,
            DmarcResult.FAIL,
            List.of(),
            "example.com",
            "bounce.esp.example",
            null,
            List.of(
                dkim("example.com", "s2026", DkimResult.PASS),
                dkim("esp.example", "esp", DkimResult.PASS)),
            spf("bounce.esp.example", SpfScope.MFROM, SpfResult.PASS)));
    rows.add(
        row(
            "198.51.100.7",
            2,
            DmarcPolicy.NONE,
            DmarcResult.PASS,
            DmarcResult.PASS,
            List.of(),
            "news.example.com",
            "news.example.com",
            null,
            List.of(dkim("news.example.com", "n1", DkimResult.PASS)),
            spf("news.example.com", SpfScope.MFROM, SpfResult.PASS)));
    // failures: quarantined under p, rejected under np, no reason needed
    rows.add(
        row(
            "203.0.113.9",
            12,
            DmarcPolicy.QUARANTINE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(),
            "example.com",
            "spoof.example",
            "example.org",
            List.of(dkim("example.com", "sel", DkimResult.FAIL)),
            spf("spoof.example", SpfScope.MFROM, SpfResult.SOFTFAIL)));
    rows.add(
        row(
            "203.0.113.10",
            1,
            DmarcPolicy.REJECT,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(),
            "ghost.example.com",
            "ghost.example.com",
            null,
            List.of(),
            spf("ghost.example.com", SpfScope.MFROM, SpfResult.NONE)));
    // failures let through, with the reason
    rows.add(
        row(
            "192.0.2.77",
            4,
            DmarcPolicy.NONE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(reason(OverrideReason.MAILING_LIST, "list.example.org")),
            "example.com",
            "list.example.org",
            null,
            List.of(
                dkim("list.example.org", "k2", DkimResult.PASS),
                dkim("example.com", "sel", DkimResult.FAIL)),
            spf("list.example.org", SpfScope.MFROM, SpfResult.PASS)));
    rows.add(
        row(
            "198.51.100.30",
            2,
            DmarcPolicy.NONE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(reason(OverrideReason.TRUSTED_FORWARDER, "fwd.example.net")),
            "example.com",
            "fwd.example.net",
            null,
            List.of(dkim("example.com", "sel", DkimResult.FAIL)),
            spf("fwd.example.net", SpfScope.MFROM, SpfResult.PASS)));
    rows.add(
        row(
            "198.51.100.31",
            1,
            DmarcPolicy.NONE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(
                reason(OverrideReason.FORWARDED, "via alias"),
                reason(OverrideReason.SAMPLED_OUT, "")),
            "example.com",
            "alias.example.net",
            null,
            List.of(),
            spf("alias.example.net", SpfScope.MFROM, SpfResult.NEUTRAL)));
    rows.add(
        row(
            "198.51.100.32",
            1,
            DmarcPolicy.NONE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(reason(OverrideReason.LOCAL_POLICY, "allow-listed")),
            "example.com",
            "partner.example",
            null,
            List.of(dkim("partner.example", "p", DkimResult.TEMPERROR)),
            spf("partner.example", SpfScope.MFROM, SpfResult.TEMPERROR)));
    // a null reverse-path: envelope_from empty, SPF of the HELO identity
    rows.add(
        row(
            "192.0.2.200",
            1,
            DmarcPolicy.QUARANTINE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(),
            "example.com",
            null,
            null,
            List.of(),
            spf("mail.example.com", SpfScope.HELO, SpfResult.PERMERROR)));
    return rows;
  }

  /**
   * The rows of {@link #severalSources()} as an RFC 7489 receiver with {@code p=reject; pct=50}
   * gives them: a quarantined failure was left out of the sample.
   */
  static List<AggregateReport.Row> severalSourcesSampled() {
    List<AggregateReport.Row> rows = new ArrayList<>();
    for (AggregateReport.Row r : severalSources()) {
      boolean sampledOut = r.disposition() == DmarcPolicy.QUARANTINE && r.overrides().isEmpty();
      rows.add(
          sampledOut
              ? new AggregateReport.Row(
                  r.sourceIp(),
                  r.count(),
                  r.disposition(),
                  r.dkimAligned(),
                  r.spfAligned(),
                  List.of(reason(OverrideReason.SAMPLED_OUT, "")),
                  r.headerFrom(),
                  r.envelopeFrom(),
                  r.envelopeTo(),
                  r.dkim(),
                  r.spf())
              : r);
    }
    return rows;
  }

  /** A t=y policy: a pass, and a failure that t=y turned from reject into quarantine. */
  static List<AggregateReport.Row> testingMode() {
    return List.of(
        row(
            "192.0.2.5",
            7,
            DmarcPolicy.NONE,
            DmarcResult.PASS,
            DmarcResult.FAIL,
            List.of(),
            "example.org",
            "mailer.example.net",
            null,
            List.of(dkim("example.org", "s1", DkimResult.PASS)),
            spf("mailer.example.net", SpfScope.MFROM, SpfResult.PASS)),
        row(
            "203.0.113.66",
            2,
            DmarcPolicy.QUARANTINE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(reason(OverrideReason.POLICY_TEST_MODE, "")),
            "example.org",
            "example.org",
            null,
            List.of(dkim("example.org", "s1", DkimResult.FAIL)),
            spf("example.org", SpfScope.MFROM, SpfResult.FAIL)));
  }

  private static List<Golden> cases() {
    return List.of(
        new Golden(
            "001.xml",
            ReportFormat.RFC9990,
            new AggregateReport(
                ReportMetadata.of("Receiver Inc.", "dmarc@receiver.example", "20261126.1"),
                BEGIN,
                END,
                rfc9989Policy(),
                oneMessage())),
        new Golden(
            "002.xml",
            ReportFormat.RFC9990,
            new AggregateReport(metadata(), BEGIN, END, rfc9989Policy(), severalSources())),
        new Golden(
            "003.xml",
            ReportFormat.RFC7489,
            new AggregateReport(metadata(), BEGIN, END, rfc7489Policy(), severalSourcesSampled())),
        new Golden(
            "004.xml",
            ReportFormat.RFC9990,
            new AggregateReport(
                new ReportMetadata(
                    "Receiver Inc.",
                    "dmarc@receiver.example",
                    Optional.empty(),
                    "20261126.example.org",
                    Optional.empty()),
                BEGIN,
                END,
                testingPolicy(),
                testingMode())));
  }

  /** The XML with line ends unified and the whitespace between elements removed. */
  static String normalised(String xml) {
    return xml.replace("\r\n", "\n").replaceAll(">\\s+<", "><").strip();
  }

  private static byte[] golden(String file) throws IOException {
    try (InputStream in =
        AggregateReportGoldenTest.class.getResourceAsStream("/aggregate/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing golden file aggregate/" + file);
      }
      return in.readAllBytes();
    }
  }

  private static Schema schema(ReportFormat format) throws Exception {
    return format == ReportFormat.RFC9990 ? Xsd.rfc9990() : Xsd.rfc7489();
  }

  @TestFactory
  Stream<DynamicTest> writer_fixedRows_matchGoldenFiles() {
    String update = System.getProperty("aggregate.golden.dir");
    return cases().stream()
        .map(
            g ->
                DynamicTest.dynamicTest(
                    g.file() + " (" + g.format() + ")",
                    () -> {
                      byte[] written = AggregateReportWriter.toXml(g.report(), g.format());
                      if (update != null) {
                        Files.write(Path.of(update, g.file()), written);
                        return;
                      }
                      byte[] expected = golden(g.file());
                      assertThat(normalised(new String(written, StandardCharsets.UTF_8)))
                          .isEqualTo(normalised(new String(expected, StandardCharsets.UTF_8)));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> goldenFiles_validateAgainstTheirSchema() {
    return cases().stream()
        .map(
            g ->
                DynamicTest.dynamicTest(
                    g.file() + " against " + g.format() + " XSD",
                    () -> Xsd.validate(schema(g.format()), golden(g.file()))));
  }
}
