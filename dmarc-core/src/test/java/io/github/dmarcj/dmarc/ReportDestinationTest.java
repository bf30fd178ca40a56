// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static io.github.dmarcj.dmarc.Inputs.input;
import static io.github.dmarcj.dmarc.Inputs.run;
import static io.github.dmarcj.dmarc.Inputs.spf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.ReportDestination.Status;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.result.SpfResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class ReportDestinationTest {

  static final String ZONE =
      String.join(
          "\n",
          "_dmarc.example.com TXT \"v=DMARC1; p=reject; "
              + "rua=mailto:dmarc@example.com,mailto:agg@reports.example.com,"
              + "mailto:a@vendor.test,mailto:b@unauth.test,mailto:c@swap.test,"
              + "mailto:d@elsewhere.test,mailto:e@flaky.test; "
              + "ruf=mailto:f@vendor.test,mailto:g@wild.test\"",
          "example.com._report._dmarc.vendor.test TXT \"v=DMARC1\"",
          "example.com._report._dmarc.swap.test TXT \"v=DMARC1; rua=mailto:other@swap.test\"",
          "example.com._report._dmarc.elsewhere.test TXT "
              + "\"v=DMARC1; rua=mailto:x@third.test\"",
          "example.com._report._dmarc.unauth.test TXT \"v=spf1 -all\"",
          "example.com._report._dmarc.wild.test TXT \"v=DMARC1\"");

  /** Names whose every query fails with SERVFAIL. */
  static final List<String> FAILING = List.of("example.com._report._dmarc.flaky.test");

  /** An evaluation with the destination check on, unless the test switched it off itself. */
  private static DmarcOutcome outcome(DmarcEvaluator.Builder b) {
    return run(b.build(), input("example.com", spf(SpfResult.FAIL, "x.test")));
  }

  private static DmarcEvaluator.Builder checking(RecordingDnsResolver zone) {
    return DmarcEvaluator.builder(zone).checkReportDestinations(true).maxReportDestinations(8);
  }

  private static ReportDestination find(List<ReportDestination> list, String uri) {
    return list.stream().filter(d -> d.uri().uri().equals(uri)).findFirst().orElseThrow();
  }

  @Test
  @DisplayName("RFC 9990 §4: destinations inside the organizational domain need no check")
  void destinations_internal_noQuery() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o = outcome(checking(zone));
    ReportDestination same = find(o.aggregateDestinations(), "mailto:dmarc@example.com");
    assertThat(same.status()).isEqualTo(Status.INTERNAL);
    assertThat(same.sendTo()).contains(same.uri());
    ReportDestination sub = find(o.aggregateDestinations(), "mailto:agg@reports.example.com");
    assertThat(sub.status()).isEqualTo(Status.INTERNAL);
    assertThat(Zones.queries(zone, "TXT"))
        .noneMatch(q -> q.contains("._report._dmarc.example.com"))
        .noneMatch(q -> q.contains("._report._dmarc.reports.example.com"));
  }

  @Test
  @DisplayName(
      "RFC 9990 §4: an external host with a v=DMARC1 record at <domain>._report._dmarc.<host>")
  void destinations_externalAuthorized_authorized() {
    DmarcOutcome o = outcome(checking(Zones.of(ZONE, FAILING)));
    ReportDestination d = find(o.aggregateDestinations(), "mailto:a@vendor.test");
    assertThat(d.status()).isEqualTo(Status.AUTHORIZED);
    assertThat(d.sendTo()).contains(d.uri());
    assertThat(d.deliverable()).isTrue();
  }

  @Test
  @DisplayName("RFC 9990 §4: no v=DMARC1 record: not authorized, do not send")
  void destinations_externalWithoutRecord_notAuthorized() {
    DmarcOutcome o = outcome(checking(Zones.of(ZONE, FAILING)));
    ReportDestination d = find(o.aggregateDestinations(), "mailto:b@unauth.test");
    assertThat(d.status()).isEqualTo(Status.NOT_AUTHORIZED);
    assertThat(d.deliverable()).isFalse();
  }

  @Test
  @DisplayName("RFC 9990 §4: a replacement rua on the same host replaces the URI")
  void destinations_replacementSameHost_replaced() {
    DmarcOutcome o = outcome(checking(Zones.of(ZONE, FAILING)));
    ReportDestination d = find(o.aggregateDestinations(), "mailto:c@swap.test");
    assertThat(d.status()).isEqualTo(Status.AUTHORIZED);
    assertThat(d.sendTo().map(ReportUri::uri)).contains("mailto:other@swap.test");
  }

  @Test
  @DisplayName("RFC 9990 §4: a replacement rua on another host: send to neither")
  void destinations_replacementOtherHost_neither() {
    DmarcOutcome o = outcome(checking(Zones.of(ZONE, FAILING)));
    ReportDestination d = find(o.aggregateDestinations(), "mailto:d@elsewhere.test");
    assertThat(d.status()).isEqualTo(Status.NOT_AUTHORIZED);
    assertThat(d.sendTo()).isEmpty();
  }

  @Test
  @DisplayName("RFC 9990 §4: a temporary failure is temperror (retry later)")
  void destinations_tempFail_temperror() {
    DmarcOutcome o = outcome(checking(Zones.of(ZONE, FAILING)));
    assertThat(find(o.aggregateDestinations(), "mailto:e@flaky.test").status())
        .isEqualTo(Status.TEMPERROR);
  }

  @Test
  @DisplayName("RFC 9990 §4: ruf destinations are checked too")
  void destinations_ruf_checked() {
    DmarcOutcome o = outcome(checking(Zones.of(ZONE, FAILING)));
    assertThat(o.failureDestinations())
        .extracting(ReportDestination::status)
        .containsExactly(Status.AUTHORIZED, Status.AUTHORIZED);
  }

  @Test
  @DisplayName("RFC 9990 §4: by default the verdict does not wait for destination checks")
  void destinations_default_leftToTheSender() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o = outcome(DmarcEvaluator.builder(zone));
    assertThat(o.aggregateDestinations())
        .isNotEmpty()
        .extracting(ReportDestination::status)
        .containsOnly(Status.NOT_CHECKED);
    assertThat(Zones.queries(zone, "TXT")).noneMatch(q -> q.contains("._report."));
  }

  @Test
  @DisplayName(
      "RFC 9990 §4: a record with 16 rua and 16 ruf hosts: the verdict costs one _dmarc query")
  void destinations_manyHosts_verdictQueriesBounded() {
    StringBuilder rua = new StringBuilder();
    StringBuilder ruf = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      rua.append(i == 0 ? "" : ",").append("mailto:a@h").append(i).append(".reports.example");
      ruf.append(i == 0 ? "" : ",").append("mailto:f@k").append(i).append(".reports.example");
    }
    // One TXT string longer than 255 octets: InMemoryDnsResolver holds it, a zone file would not.
    InMemoryDnsResolver dns =
        InMemoryDnsResolver.builder()
            .txt("_dmarc.many.example", "v=DMARC1; p=reject; rua=" + rua + "; ruf=" + ruf)
            .build();
    RecordingDnsResolver zone = new RecordingDnsResolver(dns);
    DmarcOutcome o =
        run(
            DmarcEvaluator.builder(zone).build(),
            input("many.example", spf(SpfResult.FAIL, "x.test")));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(o.aggregateDestinations()).hasSize(16);
    assertThat(Zones.queries(zone)).containsExactly("TXT _dmarc.many.example");
    // Checked on purpose, as a report sender does: at most four per tag.
    RecordingDnsResolver zone2 = new RecordingDnsResolver(dns);
    DmarcOutcome checked =
        run(
            DmarcEvaluator.builder(zone2).checkReportDestinations(true).build(),
            input("many.example", spf(SpfResult.FAIL, "x.test")));
    assertThat(checked.aggregateDestinations())
        .filteredOn(d -> d.status() == Status.OVER_LIMIT)
        .hasSize(12);
    assertThat(checked.failureDestinations())
        .filteredOn(d -> d.status() == Status.OVER_LIMIT)
        .hasSize(12);
    assertThat(Zones.queries(zone2).size()).isLessThanOrEqualTo(1 + 8 * (1 + 8));
  }

  @Test
  @DisplayName("RFC 9990 §4: the check can be switched off")
  void destinations_checkOff_notChecked() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o = outcome(DmarcEvaluator.builder(zone).checkReportDestinations(false));
    assertThat(o.aggregateDestinations())
        .extracting(ReportDestination::status)
        .containsOnly(Status.NOT_CHECKED);
    assertThat(Zones.queries(zone, "TXT")).noneMatch(q -> q.contains("._report."));
  }

  @Test
  @DisplayName("RFC 9990 §4: a query name too long for the DNS is not authorized")
  void destinations_nameTooLong_notAuthorized() {
    String longLabel = "a".repeat(60);
    DomainName policy =
        DomainName.of(longLabel + "." + longLabel + "." + longLabel + ".example.com");
    ReportUri uri =
        new ReportUri(
            "mailto:r@" + longLabel + ".vendor.test", "mailto", java.util.OptionalLong.empty());
    List<ReportDestination> out =
        checking(Zones.of(ZONE, FAILING))
            .build()
            .checkReportDestinations(policy, List.of(uri), false)
            .toCompletableFuture()
            .join();
    assertThat(out)
        .containsExactly(new ReportDestination(uri, Status.NOT_AUTHORIZED, Optional.empty()));
  }
}
