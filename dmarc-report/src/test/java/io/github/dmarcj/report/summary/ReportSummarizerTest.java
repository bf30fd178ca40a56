// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dns.FaultInjectingDnsResolver;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.report.summary.DomainSummary.ClassTotal;
import io.github.dmarcj.report.summary.DomainSummary.Day;
import io.github.dmarcj.report.summary.DomainSummary.Gap;
import io.github.dmarcj.report.summary.DomainSummary.Impact;
import io.github.dmarcj.report.summary.DomainSummary.Named;
import io.github.dmarcj.report.summary.DomainSummary.Reporter;
import io.github.dmarcj.report.summary.DomainSummary.Source;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The summary of a small hand-checked set of reports: four classes, a reporter with a gap, three
 * reporters, five days. The expected numbers are worked out in the comments from the rows below.
 */
final class ReportSummarizerTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  static final LocalDate D1 = LocalDate.of(2026, 3, 1);
  private static final String A = "Google";
  private static final String A_MAIL = "noreply-dmarc-support@google.example";
  private static final String B = "Mail.ru";
  private static final String B_MAIL = "dmarc@mail.example";
  private static final String C = "Yahoo";
  private static final String C_MAIL = "dmarc@yahoo.example";

  private DataSource ds;

  static DataSource memory() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:summary" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    return h2;
  }

  /**
   * The hand-checked set. Per class: aligned 161 messages from 192.0.2.1; forwarded 20 from
   * 198.51.100.7; third-party 35 from 203.0.113.5 (30, DKIM and SPF pass for mailer.example) and
   * 203.0.113.6 (5, SPF pass for esp.example); failing 12 from 233.252.0.9 (7 quarantined, 3
   * rejected) and 233.252.0.10 (2, only a HELO pass). Total 228, failing DMARC 47.
   */
  static List<ReportXml> handChecked() {
    List<ReportXml> r = new ArrayList<>();
    r.add(
        ReportXml.daily(A, A_MAIL, D1)
            .row(
                "192.0.2.1",
                100,
                "none",
                "pass",
                "pass",
                "example.com",
                "example.com",
                "dkim",
                "example.com=pass",
                "spf",
                "example.com=pass"));
    r.add(
        ReportXml.daily(A, A_MAIL, D1.plusDays(1))
            .row(
                "192.0.2.1",
                50,
                "none",
                "pass",
                "pass",
                "example.com",
                "example.com",
                "spf",
                "example.com=pass")
            .row(
                "203.0.113.5",
                30,
                "none",
                "fail",
                "fail",
                "example.com",
                "bounce.mailer.example",
                "dkim",
                "mailer.example=pass",
                "spf",
                "bounce.mailer.example=pass"));
    r.add(
        ReportXml.daily(A, A_MAIL, D1.plusDays(2))
            .row(
                "233.252.0.9",
                7,
                "quarantine",
                "fail",
                "fail",
                "example.com",
                "example.com",
                "spf",
                "example.com=fail"));
    r.add(
        ReportXml.daily(A, A_MAIL, D1.plusDays(3))
            .row(
                "233.252.0.10",
                2,
                "none",
                "fail",
                "fail",
                "example.com",
                "example.com",
                "helo",
                "bad.example=pass",
                "spf",
                "example.com=softfail"));
    r.add(
        ReportXml.daily(A, A_MAIL, D1.plusDays(4))
            .row(
                "192.0.2.1",
                10,
                "none",
                "pass",
                "pass",
                "example.com",
                "example.com",
                "spf",
                "example.com=pass"));
    r.add(
        ReportXml.daily(B, B_MAIL, D1)
            .row(
                "198.51.100.7",
                20,
                "none",
                "pass",
                "fail",
                "example.com",
                "example.com",
                "dkim",
                "example.com=pass",
                "spf",
                "example.com=fail"));
    r.add(
        ReportXml.daily(B, B_MAIL, D1.plusDays(1))
            .row(
                "192.0.2.1",
                1,
                "none",
                "pass",
                "pass",
                "example.com",
                "example.com",
                "spf",
                "example.com=pass"));
    r.add(
        ReportXml.daily(B, B_MAIL, D1.plusDays(4))
            .row(
                "233.252.0.9",
                3,
                "reject",
                "fail",
                "fail",
                "example.com",
                "example.com",
                "spf",
                "example.com=fail"));
    r.add(
        ReportXml.daily(C, C_MAIL, D1.plusDays(2))
            .row(
                "203.0.113.6",
                5,
                "none",
                "fail",
                "fail",
                "example.com",
                "esp.example",
                "spf",
                "esp.example=pass"));
    // another domain in the same database: never counted
    r.add(
        ReportXml.daily(A, A_MAIL, D1.plusDays(1))
            .domain("other.example")
            .row("192.0.2.99", 1000, "none", "fail", "fail", "other.example", "other.example"));
    return r;
  }

  @BeforeEach
  void load() throws Exception {
    ds = memory();
    ReportXml.importAll(ds, handChecked());
  }

  private DomainSummary summary(LocalDate since, LocalDate until) throws Exception {
    return ReportSummarizer.builder(ds).build().summarize("example.com", since, until);
  }

  private static ClassTotal total(DomainSummary s, SourceClass c) {
    return s.classes().get(c.ordinal());
  }

  private static List<Source> sources(DomainSummary s, SourceClass c) {
    return s.sources().stream().filter(x -> x.sourceClass() == c).toList();
  }

  @Test
  @DisplayName("each class gets exactly its rows: aligned, forwarded, third-party, failing")
  void classes() throws Exception {
    DomainSummary s = summary(null, null);
    assertThat(s.reports()).isEqualTo(9);
    assertThat(s.messages()).isEqualTo(228);
    assertThat(total(s, SourceClass.ALIGNED).messages()).isEqualTo(161);
    assertThat(total(s, SourceClass.ALIGNED).sources()).isEqualTo(1);
    assertThat(total(s, SourceClass.FORWARDED).messages()).isEqualTo(20);
    assertThat(total(s, SourceClass.THIRD_PARTY).messages()).isEqualTo(35);
    assertThat(total(s, SourceClass.THIRD_PARTY).sources()).isEqualTo(2);
    assertThat(total(s, SourceClass.FAILING).messages()).isEqualTo(12);
    assertThat(total(s, SourceClass.FAILING).sources()).isEqualTo(2);
    assertThat(s.dmarcPass()).isEqualTo(181);
    assertThat(s.dmarcFail()).isEqualTo(47);

    assertThat(sources(s, SourceClass.ALIGNED)).extracting(Source::ip).containsExactly("192.0.2.1");
    assertThat(sources(s, SourceClass.FORWARDED))
        .extracting(Source::ip)
        .containsExactly("198.51.100.7");
    // largest first
    assertThat(sources(s, SourceClass.THIRD_PARTY))
        .extracting(Source::ip, Source::messages)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("203.0.113.5", 30L),
            org.assertj.core.groups.Tuple.tuple("203.0.113.6", 5L));
    assertThat(sources(s, SourceClass.FAILING))
        .extracting(Source::ip, Source::messages)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("233.252.0.9", 10L),
            org.assertj.core.groups.Tuple.tuple("233.252.0.10", 2L));
  }

  @Test
  @DisplayName("a source lists its reporters, From, envelope-from, SPF and DKIM domains")
  void sourceDetails() throws Exception {
    DomainSummary s = summary(null, null);
    Source thirdParty = sources(s, SourceClass.THIRD_PARTY).get(0);
    assertThat(thirdParty.reporters()).containsExactly(new Named(A, null, 30));
    assertThat(thirdParty.headerFrom()).containsExactly(new Named("example.com", null, 30));
    assertThat(thirdParty.envelopeFrom())
        .containsExactly(new Named("bounce.mailer.example", null, 30));
    assertThat(thirdParty.spf()).containsExactly(new Named("bounce.mailer.example", "pass", 30));
    assertThat(thirdParty.dkim()).containsExactly(new Named("mailer.example", "pass", 30));
    assertThat(thirdParty.reverseName()).isNull();

    Source spoof = sources(s, SourceClass.FAILING).get(0);
    assertThat(spoof.reporters()).containsExactly(new Named(A, null, 7), new Named(B, null, 3));
    assertThat(spoof.dispositions().quarantine()).isEqualTo(7);
    assertThat(spoof.dispositions().reject()).isEqualTo(3);
    // the HELO pass of 233.252.0.10 is not an SPF pass for DMARC: failing, and not listed as SPF
    Source helo = sources(s, SourceClass.FAILING).get(1);
    assertThat(helo.spf()).containsExactly(new Named("example.com", "softfail", 2));
  }

  @Test
  @DisplayName("what if: the 47 failing messages by class, already quarantined 7 and rejected 3")
  void whatIf() throws Exception {
    DomainSummary.WhatIf w = summary(null, null).whatIf();
    assertThat(w.failing()).isEqualTo(47);
    assertThat(w.quarantinedNow()).isEqualTo(7);
    assertThat(w.rejectedNow()).isEqualTo(3);
    assertThat(w.impacts())
        .extracting(Impact::sourceClass, Impact::failing, Impact::sources)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SourceClass.ALIGNED, 0L, 1L),
            org.assertj.core.groups.Tuple.tuple(SourceClass.FORWARDED, 0L, 1L),
            org.assertj.core.groups.Tuple.tuple(SourceClass.THIRD_PARTY, 35L, 2L),
            org.assertj.core.groups.Tuple.tuple(SourceClass.FAILING, 12L, 2L));
    assertThat(w.impacts().get(SourceClass.THIRD_PARTY.ordinal()).advice())
        .contains("35 messages from 2 sources")
        .contains("mailer.example, bounce.mailer.example, esp.example")
        .contains("set up DKIM with d=example.com");
    assertThat(w.impacts().get(SourceClass.FORWARDED.ordinal()).advice())
        .contains("fine under p=quarantine and p=reject");
    assertThat(w.impacts().get(SourceClass.FAILING.ordinal()).advice())
        .contains("12 messages from 2 sources")
        .contains("p=reject is safe");
  }

  @Test
  @DisplayName("volume per day: pass, fail and dispositions")
  void days() throws Exception {
    DomainSummary s = summary(null, null);
    assertThat(s.days())
        .extracting(Day::day, Day::pass, Day::fail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(D1, 120L, 0L),
            org.assertj.core.groups.Tuple.tuple(D1.plusDays(1), 51L, 30L),
            org.assertj.core.groups.Tuple.tuple(D1.plusDays(2), 0L, 12L),
            org.assertj.core.groups.Tuple.tuple(D1.plusDays(3), 0L, 2L),
            org.assertj.core.groups.Tuple.tuple(D1.plusDays(4), 10L, 3L));
    assertThat(s.days().get(2).dispositions().quarantine()).isEqualTo(7);
    assertThat(s.days().get(4).dispositions().reject()).isEqualTo(3);
    assertThat(s.policies()).hasSize(1);
    assertThat(s.policies().get(0).p()).isEqualTo("none");
    assertThat(s.policies().get(0).reports()).isEqualTo(9);
  }

  @Test
  @DisplayName("reporters, most messages first, with the days they skipped")
  void reporterGaps() throws Exception {
    DomainSummary s = summary(null, null);
    assertThat(s.reporters()).extracting(Reporter::orgName).containsExactly(A, B, C);
    Reporter a = s.reporters().get(0);
    assertThat(a.reports()).isEqualTo(5);
    assertThat(a.messages()).isEqualTo(199);
    assertThat(a.days()).isEqualTo(5);
    assertThat(a.gaps()).isEmpty();
    Reporter b = s.reporters().get(1);
    assertThat(b.email()).isEqualTo(B_MAIL);
    assertThat(b.firstDay()).isEqualTo(D1);
    assertThat(b.lastDay()).isEqualTo(D1.plusDays(4));
    assertThat(b.gaps()).containsExactly(new Gap(D1.plusDays(2), D1.plusDays(3)));
    assertThat(b.missingDays()).isEqualTo(2);
    assertThat(s.otherReporters()).isZero();
  }

  @Test
  @DisplayName("--since and --until select reports by the day of their middle")
  void sinceUntil() throws Exception {
    DomainSummary s = summary(D1.plusDays(2), null);
    assertThat(s.reports()).isEqualTo(5);
    assertThat(s.messages()).isEqualTo(27);
    assertThat(s.firstDay()).isEqualTo(D1.plusDays(2));
    Reporter b = s.reporters().stream().filter(r -> r.orgName().equals(B)).findFirst().get();
    assertThat(b.gaps()).isEmpty();
    assertThat(b.reports()).isEqualTo(1);

    DomainSummary one = summary(D1.plusDays(1), D1.plusDays(1));
    assertThat(one.reports()).isEqualTo(2);
    assertThat(one.messages()).isEqualTo(81);
    assertThat(one.days()).extracting(Day::day).containsExactly(D1.plusDays(1));
  }

  @Test
  @DisplayName("a report over two days counts on the day of its middle")
  void midpoint() throws Exception {
    DataSource d = memory();
    long begin = D1.atStartOfDay().toEpochSecond(java.time.ZoneOffset.UTC) + 3600 * 20;
    ReportXml.importAll(
        d,
        List.of(
            ReportXml.period(A, A_MAIL, "x1", begin, begin + 86_400)
                .row("192.0.2.1", 4, "none", "pass", "pass", "example.com", "example.com")));
    DomainSummary s = ReportSummarizer.builder(d).build().summarize("example.com", null, null);
    assertThat(s.days()).extracting(Day::day).containsExactly(D1.plusDays(1));
  }

  @Test
  @DisplayName("the domain is matched whatever its case and a trailing dot")
  void domainCase() throws Exception {
    DomainSummary s = ReportSummarizer.builder(ds).build().summarize(" EXAMPLE.com. ", null, null);
    assertThat(s.domain()).isEqualTo("example.com");
    assertThat(s.messages()).isEqualTo(228);
  }

  @Test
  @DisplayName("an unknown domain and an empty database give an empty summary")
  void empty() throws Exception {
    DomainSummary unknown =
        ReportSummarizer.builder(ds).build().summarize("unknown.example", null, null);
    assertThat(unknown.isEmpty()).isTrue();
    assertThat(unknown.days()).isEmpty();
    assertThat(unknown.whatIf().failing()).isZero();
    DomainSummary none =
        ReportSummarizer.builder(memory()).build().summarize("example.com", null, null);
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.sources()).isEmpty();
    assertThat(none.reporters()).isEmpty();
    assertThat(SummaryHtml.render(none)).contains("No report about this domain");
  }

  @Test
  @DisplayName("limits: sources per class, names per source, reporters")
  void limits() throws Exception {
    DomainSummary s =
        ReportSummarizer.builder(ds)
            .maxSources(1)
            .maxNames(1)
            .maxReporters(2)
            .build()
            .summarize("example.com", null, null);
    assertThat(sources(s, SourceClass.FAILING))
        .extracting(Source::ip)
        .containsExactly("233.252.0.9");
    assertThat(total(s, SourceClass.FAILING).sources()).isEqualTo(2);
    assertThat(sources(s, SourceClass.FAILING).get(0).reporters())
        .containsExactly(new Named(A, null, 7));
    assertThat(s.reporters()).extracting(Reporter::orgName).containsExactly(A, B);
    assertThat(s.otherReporters()).isEqualTo(1);
    assertThatThrownBy(() -> ReportSummarizer.builder(ds).maxSources(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum sources must be 1 to 1000, was 0");
    assertThatThrownBy(
            () -> ReportSummarizer.builder(ds).build().summarize("example.com", D1.plusDays(1), D1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("before");
  }

  @Test
  @DisplayName("reverse names from a zone file; failures and the lookup bound leave names absent")
  void reverseNames() throws Exception {
    ZoneFileResolver zone =
        ZoneFileResolver.fromString(
            "$ORIGIN 2.0.192.in-addr.arpa.\n"
                + "@ 3600 IN SOA ns.example. host.example. 1 3600 600 86400 60\n"
                + "1 3600 IN PTR mail.example.com.\n"
                + "$ORIGIN 113.0.203.in-addr.arpa.\n"
                + "@ 3600 IN SOA ns.example. host.example. 1 3600 600 86400 60\n"
                + "5 3600 IN PTR out.mailer.example.\n"
                + "6 3600 IN PTR never-seen.example.\n");
    RecordingDnsResolver recording =
        new RecordingDnsResolver(
            FaultInjectingDnsResolver.builder(zone)
                .servfail(RecordType.PTR, "6.113.0.203.in-addr.arpa")
                .delay(RecordType.PTR, "9.0.252.233.in-addr.arpa", Duration.ofMinutes(5))
                .build());
    DomainSummary s =
        ReportSummarizer.builder(ds)
            .resolver(recording)
            .lookupTimeout(Duration.ofMillis(500))
            .build()
            .summarize("example.com", null, null);
    assertThat(s.reverseNames()).isTrue();
    assertThat(sources(s, SourceClass.ALIGNED).get(0).reverseName()).isEqualTo("mail.example.com");
    assertThat(sources(s, SourceClass.THIRD_PARTY))
        .extracting(Source::reverseName)
        .containsExactly("out.mailer.example", null);
    assertThat(sources(s, SourceClass.FAILING)).extracting(Source::reverseName).containsOnlyNulls();
    assertThat(recording.count(RecordType.PTR)).isEqualTo(6);

    recording.clear();
    DomainSummary bounded =
        ReportSummarizer.builder(ds)
            .resolver(recording)
            .maxLookups(2)
            .build()
            .summarize("example.com", null, null);
    assertThat(recording.count()).isEqualTo(2);
    assertThat(sources(bounded, SourceClass.ALIGNED).get(0).reverseName())
        .isEqualTo("mail.example.com");
  }
}
