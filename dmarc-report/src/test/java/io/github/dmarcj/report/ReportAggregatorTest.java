// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.verify.ReportRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class ReportAggregatorTest {
  private static final Instant BEGIN = Records.T0;
  private static final Instant END = Records.T0.plusSeconds(86_400);
  private static final ReportMetadata META =
      ReportMetadata.of("Receiver Inc.", "dmarc@receiver.example", "r1@receiver.example");

  private static ReportRecord withDkim(ReportRecord r, List<ReportRecord.DkimAuth> dkim) {
    return new ReportRecord(
        r.evaluatedAt(),
        r.mode(),
        r.sourceIp(),
        r.headerFrom(),
        r.envelopeFrom(),
        r.envelopeTo(),
        r.policyPublished(),
        r.disposition(),
        r.dkimAligned(),
        r.spfAligned(),
        r.overrides(),
        dkim,
        r.spf());
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.1.7: identical rows are counted once per (source IP, result, identifiers, auth)")
  void reports_identicalRows_grouped() {
    ReportAggregator a = new ReportAggregator("example.com", BEGIN, END);
    for (int i = 0; i < 3; i++) {
      a.add(Records.passing(BEGIN.plusSeconds(i), "192.0.2.1"));
    }
    a.add(Records.passing(BEGIN.plusSeconds(9), "192.0.2.2"));
    a.add(Records.full(BEGIN.plusSeconds(10)));
    a.add(Records.full(BEGIN.plusSeconds(11)));
    List<AggregateReport> reports = a.reports(META);
    assertThat(reports).hasSize(1);
    AggregateReport r = reports.get(0);
    assertThat(r.rows()).extracting(AggregateReport.Row::count).containsExactly(3L, 1L, 2L);
    assertThat(r.rows())
        .extracting(row -> row.sourceIp().getHostAddress())
        .containsExactly("192.0.2.1", "192.0.2.2", "192.0.2.1");
    assertThat(r.messageCount()).isEqualTo(6);
    assertThat(r.metadata()).isEqualTo(META);
    assertThat(r.policy()).isEqualTo(Records.policy9989("example.com"));
  }

  @Test
  @DisplayName("RFC 9990 §3.1: records of other domains and outside [begin, end) are skipped")
  void add_otherDomainOrTime_skipped() {
    ReportAggregator a = new ReportAggregator("EXAMPLE.com", BEGIN, END);
    a.add(Records.passing(BEGIN.minusNanos(1), "192.0.2.1"));
    a.add(Records.passing(END, "192.0.2.1"));
    ReportRecord r = Records.passing(BEGIN, "192.0.2.1");
    a.add(
        new ReportRecord(
            r.evaluatedAt(),
            r.mode(),
            r.sourceIp(),
            "example.org",
            r.envelopeFrom(),
            r.envelopeTo(),
            Records.policy9989("example.org"),
            r.disposition(),
            r.dkimAligned(),
            r.spfAligned(),
            r.overrides(),
            r.dkim(),
            r.spf()));
    a.add(Records.passing(END.minusNanos(1), "192.0.2.1"));
    assertThat(a.skipped()).isEqualTo(3);
    assertThat(a.reports(META))
        .singleElement()
        .satisfies(rep -> assertThat(rep.messageCount()).isEqualTo(1));
    assertThat(new ReportAggregator("example.com", BEGIN, END).reports(META)).isEmpty();
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1: a policy change within the period yields one report per configuration")
  void reports_twoPolicyConfigurations_twoReports() {
    ReportAggregator a = new ReportAggregator("example.com", BEGIN, END);
    a.add(Records.passing(BEGIN, "192.0.2.1"));
    ReportRecord r = Records.passing(BEGIN.plusSeconds(1), "192.0.2.1");
    ReportRecord.PublishedPolicy p = r.policyPublished();
    ReportRecord.PublishedPolicy changed =
        new ReportRecord.PublishedPolicy(
            p.domain(),
            p.discoveryMethod(),
            DmarcPolicy.REJECT,
            p.sp(),
            p.np(),
            p.adkim(),
            p.aspf(),
            p.pct(),
            p.fo(),
            p.testing());
    a.add(
        new ReportRecord(
            r.evaluatedAt(),
            r.mode(),
            r.sourceIp(),
            r.headerFrom(),
            r.envelopeFrom(),
            r.envelopeTo(),
            changed,
            r.disposition(),
            r.dkimAligned(),
            r.spfAligned(),
            r.overrides(),
            r.dkim(),
            r.spf()));
    List<AggregateReport> reports = a.reports(META);
    assertThat(reports)
        .extracting(rep -> rep.metadata().reportId())
        .containsExactly("r1@receiver.example", "r1.2@receiver.example");
    assertThat(reports)
        .extracting(rep -> rep.policy().p())
        .containsExactly(DmarcPolicy.QUARANTINE, DmarcPolicy.REJECT);
    assertThat(ReportMetadata.of("o", "e@x", "<abc>").withPart(3).reportId()).isEqualTo("<abc.3>");
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.3: DKIM order: strict-aligned pass, relaxed pass, other pass, failures")
  void ordered_mixedSignatures_priorityOrder() {
    ReportRecord.DkimAuth strict =
        new ReportRecord.DkimAuth("mail.example.com", "a", DkimResult.PASS);
    ReportRecord.DkimAuth relaxed = new ReportRecord.DkimAuth("example.com", "b", DkimResult.PASS);
    ReportRecord.DkimAuth sibling =
        new ReportRecord.DkimAuth("news.example.com", "c", DkimResult.PASS);
    ReportRecord.DkimAuth other =
        new ReportRecord.DkimAuth("esp.example.net", "d", DkimResult.PASS);
    ReportRecord.DkimAuth failStrict =
        new ReportRecord.DkimAuth("mail.example.com", "e", DkimResult.FAIL);
    ReportRecord.DkimAuth temp =
        new ReportRecord.DkimAuth("aaa.example", "f", DkimResult.TEMPERROR);
    List<ReportRecord.DkimAuth> input =
        new ArrayList<>(List.of(strict, relaxed, sibling, other, failStrict, temp));
    Random random = new Random(20261127L);
    for (int round = 0; round < 20; round++) {
      Collections.shuffle(input, random);
      assertThat(ReportAggregator.ordered(input, "mail.example.com", "example.com"))
          .containsExactly(strict, relaxed, sibling, other, temp, failStrict);
    }
  }

  @Test
  @DisplayName("RFC 9990 §3.1.3: the same signatures in another order fall into the same row")
  void reports_sameSignaturesOtherOrder_oneRow() {
    ReportRecord base = Records.full(BEGIN);
    List<ReportRecord.DkimAuth> reversed = new ArrayList<>(base.dkim());
    Collections.reverse(reversed);
    ReportAggregator a = new ReportAggregator("example.com", BEGIN, END);
    a.add(base);
    a.add(withDkim(base, reversed));
    AggregateReport.Row row = a.reports(META).get(0).rows().get(0);
    assertThat(row.count()).isEqualTo(2);
    assertThat(row.dkim())
        .extracting(ReportRecord.DkimAuth::result)
        .containsExactly(DkimResult.PASS, DkimResult.FAIL);
  }

  @Test
  @DisplayName("RFC 9990 §3.1.3: at most 100 DKIM results per row, passes kept first")
  void ordered_150Signatures_first100Kept() {
    List<ReportRecord.DkimAuth> many = new ArrayList<>();
    for (int i = 0; i < 149; i++) {
      many.add(new ReportRecord.DkimAuth("example.net", "s" + i, DkimResult.FAIL));
    }
    many.add(new ReportRecord.DkimAuth("example.com", "good", DkimResult.PASS));
    List<ReportRecord.DkimAuth> out = ReportAggregator.ordered(many, "example.com", "example.com");
    assertThat(out).hasSize(100);
    assertThat(out.get(0).selector()).isEqualTo("good");
  }

  @ParameterizedTest(name = "RFC 9990 §3.1.4: report_id {0} valid={1}")
  @CsvSource({
    "abc123, true",
    "20261127.example.com@receiver.example, true",
    "<3v98abbp8ya9n3va8yr8oa3ya@example.net>, true",
    "a.b.c, true",
    "'', false",
    "a..b, false",
    ".abc, false",
    "abc@, false",
    "a b, false",
    "<abc, false",
    "a@b@c, false",
    "a(b), false",
  })
  void isValidReportId_table_matchesRidfmt(String id, boolean valid) {
    assertThat(ReportMetadata.isValidReportId(id)).isEqualTo(valid);
    if (!valid) {
      assertThatThrownBy(() -> ReportMetadata.of("o", "e@x", id))
          .isInstanceOf(IllegalArgumentException.class);
    } else {
      assertThat(ReportMetadata.of("o", "e@x", id).bareReportId()).doesNotContain("<", ">");
    }
  }

  @Test
  @DisplayName("an empty or inverted period is the caller's mistake")
  void constructor_emptyPeriod_rejected() {
    assertThatThrownBy(() -> new ReportAggregator("example.com", END, BEGIN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReportAggregator("example.com", BEGIN, BEGIN))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
