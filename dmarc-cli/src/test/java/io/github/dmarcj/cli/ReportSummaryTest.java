// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.summary.DomainSummary;
import io.github.dmarcj.report.summary.ReportSummarizer;
import io.github.dmarcj.report.summary.SourceClass;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dmarc report summary}: formats, dates, exit codes, reverse names, JSON round trip. */
final class ReportSummaryTest {
  private static final LocalDate D1 = LocalDate.of(2026, 3, 1);
  @TempDir Path dir;

  private String db() {
    return "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
  }

  /** One daily RFC 9990 report; each row is ip, count, disposition, dkim, spf, auth-xml. */
  private Path report(String org, LocalDate day, String... rows) throws Exception {
    long begin = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\"?><feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">")
        .append("<report_metadata><org_name>")
        .append(org)
        .append("</org_name><email>dmarc@reporter.example</email><report_id>")
        .append(org.hashCode())
        .append('.')
        .append(day)
        .append("</report_id><date_range><begin>")
        .append(begin)
        .append("</begin><end>")
        .append(begin + 86_399)
        .append("</end></date_range></report_metadata><policy_published>")
        .append("<domain>example.com</domain><p>none</p></policy_published>");
    for (int i = 0; i + 5 < rows.length; i += 6) {
      b.append("<record><row><source_ip>")
          .append(rows[i])
          .append("</source_ip><count>")
          .append(rows[i + 1])
          .append("</count><policy_evaluated><disposition>")
          .append(rows[i + 2])
          .append("</disposition><dkim>")
          .append(rows[i + 3])
          .append("</dkim><spf>")
          .append(rows[i + 4])
          .append("</spf></policy_evaluated></row><identifiers><header_from>example.com")
          .append("</header_from></identifiers><auth_results>")
          .append(rows[i + 5])
          .append("</auth_results></record>");
    }
    b.append("</feedback>");
    Path f = dir.resolve("in").resolve(org.replaceAll("[^a-z]", "") + "-" + day + ".xml");
    Files.createDirectories(f.getParent());
    Files.writeString(f, b, StandardCharsets.UTF_8);
    return f;
  }

  private static String spf(String domain, String result) {
    return "<spf><domain>"
        + domain
        + "</domain><scope>mfrom</scope><result>"
        + result
        + "</result></spf>";
  }

  private static String dkim(String domain, String result) {
    return "<dkim><domain>"
        + domain
        + "</domain><selector>s</selector><result>"
        + result
        + "</result></dkim>";
  }

  @BeforeEach
  void load() throws Exception {
    List<String> files = new ArrayList<>(List.of("report", "import", "--db", db()));
    files.add(
        report(
                "reporter a",
                D1,
                "192.0.2.1",
                "100",
                "none",
                "pass",
                "pass",
                spf("example.com", "pass"),
                "198.51.100.7",
                "20",
                "none",
                "pass",
                "fail",
                dkim("example.com", "pass") + spf("example.com", "fail"))
            .toString());
    files.add(
        report(
                "reporter a",
                D1.plusDays(3),
                "203.0.113.5",
                "30",
                "none",
                "fail",
                "fail",
                dkim("mailer.example", "pass") + spf("bounce.mailer.example", "pass"),
                "233.252.0.9",
                "7",
                "quarantine",
                "fail",
                "fail",
                spf("example.com", "fail"))
            .toString());
    files.add(
        report(
                "reporter b\u009b[31m",
                D1.plusDays(1),
                "233.252.0.9",
                "3",
                "reject",
                "fail",
                "fail",
                spf("example.com", "fail"))
            .toString());
    Cli.Result r = Cli.run(files.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
  }

  @Test
  @DisplayName("text: classes, what-if numbers, advice, reporters with their gaps")
  void text() {
    Cli.Result r = Cli.run("report", "summary", "--db", db(), "--domain", "example.com");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("DMARC summary for example.com, 2026-03-01 to 2026-03-04")
        .contains("3 reports, 160 messages: DMARC pass 120 (75.0 %), fail 40")
        .contains("  p=quarantine: 40 messages would be quarantined (7 already were)")
        .contains("  p=reject:     40 messages would be rejected (3 already were)")
        .containsPattern("aligned +100 messages")
        .containsPattern("forwarded +20 messages")
        .containsPattern("third-party +30 messages")
        .containsPattern("failing +10 messages")
        .contains("set up DKIM with d=example.com")
        .contains(
            "reporter a <dmarc@reporter.example>: 2 reports, 157 messages, 2026-03-01 to"
                + " 2026-03-04, 2 days without a report: 2026-03-02..2026-03-03")
        // a control character from a report is shown, not sent to the terminal
        .contains("reporter b\\u009b[31m")
        .doesNotContain("\u009b");
  }

  /** Reads the JSON form back into the summary it was written from. */
  static DomainSummary parse(JsonNode o) {
    Function<JsonNode, @Nullable LocalDate> day =
        n -> n == null || n.isNull() ? null : LocalDate.parse(n.asText());
    Function<JsonNode, DomainSummary.Dispositions> disp =
        n ->
            new DomainSummary.Dispositions(
                n.get("none").asLong(),
                n.get("pass").asLong(),
                n.get("quarantine").asLong(),
                n.get("reject").asLong(),
                n.get("other").asLong());
    Function<JsonNode, List<DomainSummary.Named>> names =
        a -> {
          List<DomainSummary.Named> l = new ArrayList<>();
          a.forEach(
              n ->
                  l.add(
                      new DomainSummary.Named(
                          n.get("name").asText(),
                          n.get("result").isNull() ? null : n.get("result").asText(),
                          n.get("messages").asLong())));
          return l;
        };
    List<DomainSummary.Policy> policies = new ArrayList<>();
    o.get("policies")
        .forEach(
            n ->
                policies.add(
                    new DomainSummary.Policy(
                        n.get("p").isNull() ? null : n.get("p").asText(),
                        n.get("pct").isNull() ? null : n.get("pct").asInt(),
                        n.get("testing").isNull() ? null : n.get("testing").asText(),
                        n.get("reports").asLong(),
                        day.apply(n.get("lastDay")))));
    List<DomainSummary.Day> days = new ArrayList<>();
    o.get("days")
        .forEach(
            n ->
                days.add(
                    new DomainSummary.Day(
                        day.apply(n.get("day")),
                        n.get("pass").asLong(),
                        n.get("fail").asLong(),
                        disp.apply(n.get("dispositions")))));
    List<DomainSummary.ClassTotal> classes = new ArrayList<>();
    o.get("classes")
        .forEach(
            n ->
                classes.add(
                    new DomainSummary.ClassTotal(
                        SourceClass.fromKeyword(n.get("class").asText()),
                        n.get("messages").asLong(),
                        n.get("sources").asLong(),
                        disp.apply(n.get("dispositions")))));
    List<DomainSummary.Impact> impacts = new ArrayList<>();
    JsonNode w = o.get("whatIf");
    w.get("byClass")
        .forEach(
            n ->
                impacts.add(
                    new DomainSummary.Impact(
                        SourceClass.fromKeyword(n.get("class").asText()),
                        n.get("failing").asLong(),
                        n.get("sources").asLong(),
                        n.get("advice").asText())));
    List<DomainSummary.Source> sources = new ArrayList<>();
    o.get("sources")
        .forEach(
            n ->
                sources.add(
                    new DomainSummary.Source(
                        n.get("ip").asText(),
                        SourceClass.fromKeyword(n.get("class").asText()),
                        n.get("messages").asLong(),
                        disp.apply(n.get("dispositions")),
                        names.apply(n.get("reporters")),
                        names.apply(n.get("headerFrom")),
                        names.apply(n.get("envelopeFrom")),
                        names.apply(n.get("spf")),
                        names.apply(n.get("dkim")),
                        n.get("reverseName").isNull() ? null : n.get("reverseName").asText())));
    List<DomainSummary.Reporter> reporters = new ArrayList<>();
    o.get("reporters")
        .forEach(
            n -> {
              List<DomainSummary.Gap> gaps = new ArrayList<>();
              n.get("gaps")
                  .forEach(
                      g ->
                          gaps.add(
                              new DomainSummary.Gap(
                                  day.apply(g.get("from")), day.apply(g.get("to")))));
              reporters.add(
                  new DomainSummary.Reporter(
                      n.get("orgName").asText(),
                      n.get("email").asText(),
                      n.get("reports").asLong(),
                      n.get("messages").asLong(),
                      day.apply(n.get("firstDay")),
                      day.apply(n.get("lastDay")),
                      n.get("days").asLong(),
                      gaps));
            });
    return new DomainSummary(
        o.get("domain").asText(),
        day.apply(o.get("since")),
        day.apply(o.get("until")),
        o.get("reports").asLong(),
        o.get("messages").asLong(),
        policies,
        days,
        classes,
        sources,
        new DomainSummary.WhatIf(
            w.get("failing").asLong(),
            w.get("quarantinedNow").asLong(),
            w.get("rejectedNow").asLong(),
            impacts),
        reporters,
        o.get("otherReporters").asLong(),
        o.get("reverseNames").asBoolean());
  }

  @Test
  @DisplayName("json: parses back into exactly the summary the library computes")
  void jsonRoundTrip() throws Exception {
    Cli.Result r =
        Cli.run(
            "report",
            "summary",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--since",
            "2026-03-01",
            "--format",
            "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.out());
    DomainSummary expected;
    try (JdbcReportStore store = JdbcReportStore.builder(db()).build()) {
      expected =
          ReportSummarizer.builder(store.dataSource()).build().summarize("example.com", D1, null);
    }
    assertThat(parse(o)).isEqualTo(expected);
    assertThat(o.get("dmarcFail").asLong()).isEqualTo(40);
    assertThat(o.get("whatIf").get("byClass").get(2).get("class").asText())
        .isEqualTo("third-party");
    assertThat(o.get("reporters").get(0).get("missingDays").asLong()).isEqualTo(2);
    // a control character from a report is a JSON escape
    assertThat(r.out()).contains("reporter b\\u009B[31m");
  }

  @Test
  @DisplayName("--since and --until select days; --until before --since is a usage error")
  void dates() throws Exception {
    Cli.Result r =
        Cli.run(
            "report",
            "summary",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--since",
            "2026-03-02",
            "--until",
            "2026-03-02",
            "--format",
            "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode o = new ObjectMapper().readTree(r.out());
    assertThat(o.get("reports").asLong()).isEqualTo(1);
    assertThat(o.get("messages").asLong()).isEqualTo(3);
    assertThat(o.get("since").asText()).isEqualTo("2026-03-02");

    Cli.Result bad =
        Cli.run("report", "summary", "--db", db(), "--domain", "example.com", "--since", "3/1");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--since must be a date YYYY-MM-DD, was '3/1'");
    Cli.Result order =
        Cli.run(
            "report",
            "summary",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--since",
            "2026-03-02",
            "--until",
            "2026-03-01");
    assertThat(order.exitCode()).isEqualTo(2);
    assertThat(order.err()).contains("--until must not be before --since");
  }

  @Test
  @DisplayName("an unknown domain, an empty period and an empty database: exit 1, one line")
  void nothing() {
    Cli.Result unknown = Cli.run("report", "summary", "--db", db(), "--domain", "unknown.example");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.out()).isEmpty();
    assertThat(unknown.err())
        .isEqualTo(
            "dmarc report summary: no report about unknown.example in the database (import"
                + " them with dmarc report import)"
                + System.lineSeparator());
    Cli.Result period =
        Cli.run(
            "report", "summary", "--db", db(), "--domain", "example.com", "--since", "2027-01-01");
    assertThat(period.exitCode()).isEqualTo(1);
    assertThat(period.err()).contains("no report about example.com from 2027-01-01 to the last");
    String empty = "jdbc:h2:file:" + dir.resolve("empty").toAbsolutePath();
    Cli.Result none = Cli.run("report", "summary", "--db", empty, "--domain", "example.com");
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("no report about example.com");
    Cli.Result missing =
        Cli.run(
            "report",
            "summary",
            "--db",
            "jdbc:h2:file:" + dir.resolve("no/such/folder/db").toAbsolutePath(),
            "--domain",
            "example.com");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("no folder");
  }

  @Test
  @DisplayName("html to --out: one page; --reverse-dns with a zone file names the sources")
  void htmlAndReverseNames() throws Exception {
    Path zone = dir.resolve("reverse.zone");
    Files.writeString(
        zone,
        "$ORIGIN 2.0.192.in-addr.arpa.\n"
            + "@ 3600 IN SOA ns.example. host.example. 1 3600 600 86400 60\n"
            + "1 3600 IN PTR mx1.example.com.\n");
    Path html = dir.resolve("summary.html");
    Cli.Result r =
        Cli.run(
            "report",
            "summary",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--format",
            "html",
            "--out",
            html.toString(),
            "--reverse-dns",
            "--zone",
            zone.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    String page = Files.readString(html);
    assertThat(page).startsWith("<!DOCTYPE html>").contains("mx1.example.com").contains("<svg");

    Cli.Result text =
        Cli.run(
            "report",
            "summary",
            "--db",
            db(),
            "--domain",
            "example.com",
            "--reverse-dns",
            "--zone",
            zone.toString());
    assertThat(text.out()).contains("192.0.2.1 (mx1.example.com)  100 messages");
  }
}
