// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.ingest.ImportLimits;
import io.github.dmarcj.report.ingest.ReportImporter;
import io.github.dmarcj.report.summary.DomainSummary;
import io.github.dmarcj.report.summary.ReportSummarizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The domain owner's summary of a year of received aggregate reports. The setup imports (through
 * {@link ReportImporter}, as {@code dmarc report import} does) one RFC 9990 report per day and
 * reporter for one domain: 365 days, 20 reporters, 7,300 reports, each with the domain's own
 * servers, a mail service signing with the domain, a mailing list on most days, a third-party
 * service and zero to eight spoofing addresses out of a pool of 2,000 (seed 20261205), into an
 * embedded H2 file database. Then:
 *
 * <ul>
 *   <li><b>scanRows</b>: one query that reads every row of the domain's reports and sums the
 *       messages (the least any summary must do): the baseline;
 *   <li><b>summaryYear</b>: {@link ReportSummarizer#summarize} over the whole year;
 *   <li><b>summaryMonth</b>: the same for the last 30 days ({@code --since}).
 * </ul>
 *
 * <p>The fork runs with a 128 MB heap, so a summary that held the rows in memory would show it.
 *
 * <pre>
 * java -jar dmarc-bench/target/benchmarks.jar ReportSummaryBench -f 1 -wi 3 -i 5
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx128m")
public class ReportSummaryBench {
  static final LocalDate FIRST = LocalDate.of(2025, 12, 1);
  static final int DAYS = 365;
  static final int REPORTERS = 20;
  static final int SPOOF_POOL = 2000;

  private Path dir;
  private JdbcReportStore store;
  private DataSource dataSource;
  private ReportSummarizer summarizer;

  /** Rows imported, for the record. */
  long rows;

  @Setup
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("dmarcj-summary-bench");
    store =
        JdbcReportStore.builder("jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath()).build();
    dataSource = store.dataSource();
    ReportImporter importer = new ReportImporter(dataSource, ImportLimits.defaults());
    Random rnd = new Random(20261205L);
    long refused = 0;
    ReportImporter.Listener listener = new ReportImporter.Listener() {};
    for (int d = 0; d < DAYS; d++) {
      LocalDate day = FIRST.plusDays(d);
      for (int r = 0; r < REPORTERS; r++) {
        String xml = report(rnd, day, r);
        ReportImporter.Summary s =
            importer.importStream(
                "r" + r + "-" + day,
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                listener);
        refused = s.refused();
        rows = s.rows();
      }
    }
    if (refused > 0) {
      throw new IllegalStateException(refused + " generated reports were refused");
    }
    summarizer = ReportSummarizer.builder(dataSource).build();
    System.out.printf("%n%d reports, %d rows imported%n", DAYS * REPORTERS, rows);
  }

  @TearDown
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  static String report(Random rnd, LocalDate day, int reporter) {
    long begin = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    double share = 1.0 / (reporter + 2);
    long base = Math.round(4000 * share * (0.8 + 0.4 * rnd.nextDouble())) + 1;
    StringBuilder b = new StringBuilder(4096);
    b.append("<?xml version=\"1.0\"?><feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">")
        .append("<report_metadata><org_name>reporter")
        .append(reporter)
        .append(".example</org_name><email>dmarc@reporter")
        .append(reporter)
        .append(".example</email><report_id>")
        .append(reporter)
        .append('.')
        .append(day)
        .append("</report_id><date_range><begin>")
        .append(begin)
        .append("</begin><end>")
        .append(begin + 86_399)
        .append("</end></date_range></report_metadata><policy_published>")
        .append("<domain>example.com</domain><p>none</p></policy_published>");
    for (int own = 0; own < 3; own++) {
      row(
          b,
          "192.0.2." + (10 + own),
          base / (own + 1),
          "pass",
          "pass",
          "example.com",
          "<dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim>"
              + spf("example.com", "pass"));
    }
    row(
        b,
        "198.51.100.25",
        base / 3 + 1,
        "pass",
        "fail",
        "bounces.mailservice.example",
        "<dkim><domain>example.com</domain><selector>m1</selector><result>pass</result></dkim>"
            + spf("bounces.mailservice.example", "pass"));
    if (rnd.nextInt(4) > 0) {
      row(
          b,
          "198.51.100.200",
          rnd.nextInt(20) + 1,
          "pass",
          "fail",
          "lists.example.org",
          "<dkim><domain>example.com</domain><selector>s1</selector><result>pass</result></dkim>"
              + spf("lists.example.org", "pass"));
    }
    row(
        b,
        "203.0.113.20",
        base / 12 + 1,
        "fail",
        "fail",
        "bounce.crm-mailer.example",
        "<dkim><domain>crm-mailer.example</domain><selector>c</selector><result>pass</result>"
            + "</dkim>"
            + spf("bounce.crm-mailer.example", "pass"));
    int spoofers = rnd.nextInt(9);
    for (int k = 0; k < spoofers; k++) {
      int n = rnd.nextInt(SPOOF_POOL);
      row(
          b,
          "233.252." + (n / 250) + "." + (n % 250 + 1),
          rnd.nextInt(40) + 1,
          "fail",
          "fail",
          "example.com",
          spf("example.com", "fail"));
    }
    return b.append("</feedback>").toString();
  }

  private static String spf(String domain, String result) {
    return "<spf><domain>"
        + domain
        + "</domain><scope>mfrom</scope><result>"
        + result
        + "</result></spf>";
  }

  private static void row(
      StringBuilder b,
      String ip,
      long count,
      String dkim,
      String spf,
      String envelopeFrom,
      String auth) {
    b.append("<record><row><source_ip>")
        .append(ip)
        .append("</source_ip><count>")
        .append(count)
        .append("</count><policy_evaluated><disposition>none</disposition><dkim>")
        .append(dkim)
        .append("</dkim><spf>")
        .append(spf)
        .append("</spf></policy_evaluated></row><identifiers><envelope_from>")
        .append(envelopeFrom)
        .append("</envelope_from><header_from>example.com</header_from></identifiers>")
        .append("<auth_results>")
        .append(auth)
        .append("</auth_results></record>");
  }

  @Benchmark
  public long scanRows() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*), SUM(w.message_count) FROM dmarcj_received_report r"
                    + " JOIN dmarcj_received_row w ON w.report = r.id"
                    + " WHERE LOWER(r.policy_domain) = ?")) {
      ps.setString(1, "example.com");
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1) + rs.getLong(2);
      }
    }
  }

  @Benchmark
  public DomainSummary summaryYear() throws SQLException {
    return summarizer.summarize("example.com", null, null);
  }

  @Benchmark
  public DomainSummary summaryMonth() throws SQLException {
    return summarizer.summarize("example.com", FIRST.plusDays(DAYS - 30), null);
  }
}
