// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import com.sun.management.ThreadMXBean;
import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.report.AggregateReport;
import io.github.dmarcj.report.AggregateReportWriter;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.RecordReader;
import io.github.dmarcj.report.ReportAggregator;
import io.github.dmarcj.report.ReportFormat;
import io.github.dmarcj.report.ReportMetadata;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Building aggregate reports from a large store, against reading the same rows with plain JDBC.
 * Fills the database (when it holds no rows yet) with {@code ROWS} report rows spread over {@code
 * DOMAINS} policy domains in one day (ten sending IPs per domain, one or two DKIM results, an
 * override on some), then for every domain:
 *
 * <ul>
 *   <li><b>read</b>: the three queries {@code JdbcReportStore} runs for a domain and period
 *       (records, DKIM results, overrides), every column read, nothing built: the baseline;
 *   <li><b>build</b>: {@code RecordReader.forEachRecord} (one connection for the run) into a {@link
 *       ReportAggregator}, then each report written as gzip-compressed RFC 9990 XML (to a counting
 *       sink).
 * </ul>
 *
 * <p>Prints one JSON line per phase: the wall time, the CPU time and the bytes allocated by the
 * thread that runs it (for H2 that includes the database's work; for PostgreSQL it is the client's
 * share only) and the peak heap use during it. Run it with a small heap to show memory stays
 * constant: {@code -Xmx64m}. Any JDBC URL whose driver is on the class path works (H2 and
 * PostgreSQL are); {@code -Ddb.user} and {@code -Ddb.password} give the credentials.
 *
 * <pre>
 * java -Xmx64m -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.ReportBuildBench \
 *     jdbc:h2:file:/tmp/reports-bench [ROWS] [DOMAINS] [ROUNDS]
 * java -Xmx64m -Ddb.user=dmarcj -cp dmarc-bench/target/benchmarks.jar \
 *     io.github.dmarcj.bench.ReportBuildBench jdbc:postgresql://127.0.0.1:55432/postgres
 * </pre>
 */
public final class ReportBuildBench {
  static final Instant DAY = Instant.parse("2026-11-26T00:00:00Z");

  private ReportBuildBench() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int rows = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int domains = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String user = System.getProperty("db.user");
    String password = System.getProperty("db.password", "");
    try (JdbcReportStore store =
        (user == null ? JdbcReportStore.builder(url) : JdbcReportStore.builder(url, user, password))
            .batchSize(1000)
            .queueCapacity(20_000)
            .offerTimeout(Duration.ofMinutes(5))
            .build()) {
      List<String> present = store.policyDomains(DAY, DAY.plusSeconds(86_400));
      if (present.isEmpty()) {
        long t0 = System.nanoTime();
        fill(store, rows, domains);
        System.out.printf(
            "{\"phase\":\"fill\",\"rows\":%d,\"domains\":%d,\"seconds\":%.1f}%n",
            rows, domains, (System.nanoTime() - t0) / 1e9);
        present = store.policyDomains(DAY, DAY.plusSeconds(86_400));
      }
      List<String> all = present;
      for (int round = 1; round <= rounds; round++) {
        phase("read", round, all.size(), () -> read(store, all));
        phase("build", round, all.size(), () -> build(store, all));
      }
    }
  }

  interface Phase {
    long run() throws Exception;
  }

  private static final HeapPeak HEAP_PEAK = new HeapPeak();

  private static void phase(String name, int round, int domains, Phase p) throws Exception {
    System.gc();
    // The notification of the collection above comes on another thread, later.
    Thread.sleep(200);
    HEAP_PEAK.reset();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long self = Thread.currentThread().getId();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long allocated0 = threads.getThreadAllocatedBytes(self);
    long t0 = System.nanoTime();
    long n = p.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    long allocated = threads.getThreadAllocatedBytes(self) - allocated0;
    long peak = HEAP_PEAK.get();
    System.out.printf(
        "{\"phase\":\"%s\",\"round\":%d,\"domains\":%d,\"rows\":%d,\"seconds\":%.2f,"
            + "\"threadCpuSeconds\":%.2f,\"allocatedMB\":%.0f,\"peakHeapMB\":%.1f,"
            + "\"maxHeapMB\":%.0f}%n",
        name,
        round,
        domains,
        n,
        seconds,
        cpuSeconds,
        allocated / 1048576.0,
        peak / 1048576.0,
        Runtime.getRuntime().maxMemory() / 1048576.0);
  }

  static void fill(JdbcReportStore store, int rows, int domains) throws Exception {
    Random rng = new Random(20261205);
    for (int i = 0; i < rows; i++) {
      int d = i % domains;
      String domain = "d" + d + ".example";
      int ipIndex = rng.nextInt(10);
      boolean pass = ipIndex < 7;
      InetAddress ip =
          InetAddress.getByAddress(
              new byte[] {(byte) 198, 51, (byte) (d % 200), (byte) (ipIndex + 1)});
      List<ReportRecord.DkimAuth> dkim =
          ipIndex % 3 == 0
              ? List.of(
                  new ReportRecord.DkimAuth(domain, "s1", pass ? DkimResult.PASS : DkimResult.FAIL),
                  new ReportRecord.DkimAuth(
                      "esp" + (d % 50) + ".example", "k" + (ipIndex % 2), DkimResult.PASS))
              : List.of(
                  new ReportRecord.DkimAuth(
                      domain, "s1", pass ? DkimResult.PASS : DkimResult.FAIL));
      List<ReportRecord.Override> overrides =
          ipIndex == 9
              ? List.of(
                  new ReportRecord.Override(
                      OverrideReason.MAILING_LIST, "list" + (d % 7) + ".example"))
              : List.of();
      store.accept(
          new ReportRecord(
              DAY.plusSeconds(rng.nextInt(86_400)),
              DmarcMode.RFC9989,
              ip,
              domain,
              Optional.of(pass ? domain : "bounce.esp" + (d % 50) + ".example"),
              Optional.empty(),
              new ReportRecord.PublishedPolicy(
                  domain,
                  DiscoveryMethod.TREEWALK,
                  DmarcPolicy.QUARANTINE,
                  Optional.empty(),
                  Optional.empty(),
                  AlignmentMode.RELAXED,
                  AlignmentMode.RELAXED,
                  Optional.empty(),
                  Set.of(FailureReportOption.ALL_FAIL),
                  false),
              pass
                  ? DmarcPolicy.NONE
                  : (overrides.isEmpty() ? DmarcPolicy.QUARANTINE : DmarcPolicy.NONE),
              pass ? DmarcResult.PASS : DmarcResult.FAIL,
              pass ? DmarcResult.PASS : DmarcResult.FAIL,
              overrides,
              dkim,
              new ReportRecord.SpfAuth(
                  pass ? domain : "esp" + (d % 50) + ".example",
                  SpfScope.MFROM,
                  pass ? SpfResult.PASS : SpfResult.SOFTFAIL)));
    }
    if (!store.flush(Duration.ofHours(1))) {
      throw new IllegalStateException("the store did not commit every row");
    }
  }

  private static final String[] QUERIES = {
    "SELECT r.id, r.evaluated_s, r.evaluated_ns, r.dmarc_mode, r.source_ip, r.header_from,"
        + " r.envelope_from, r.envelope_to, r.policy_domain, r.discovery_method, r.p, r.sp,"
        + " r.np, r.adkim, r.aspf, r.pct, r.fo, r.testing, r.disposition, r.dkim_aligned,"
        + " r.spf_aligned, r.spf_domain, r.spf_scope, r.spf_result"
        + " FROM dmarcj_report_record r WHERE r.policy_domain = ? AND r.evaluated_s >= ?"
        + " AND r.evaluated_s < ? ORDER BY r.id",
    "SELECT d.record_id, d.domain, d.selector, d.result FROM dmarcj_report_dkim d"
        + " JOIN dmarcj_report_record r ON r.id = d.record_id WHERE r.policy_domain = ?"
        + " AND r.evaluated_s >= ? AND r.evaluated_s < ? ORDER BY d.record_id, d.ordinal",
    "SELECT o.record_id, o.reason, o.comment FROM dmarcj_report_override o"
        + " JOIN dmarcj_report_record r ON r.id = o.record_id WHERE r.policy_domain = ?"
        + " AND r.evaluated_s >= ? AND r.evaluated_s < ? ORDER BY o.record_id, o.ordinal"
  };

  /** The baseline: every row and column of every domain, read and dropped. */
  static long read(JdbcReportStore store, List<String> domains) throws SQLException {
    long rows = 0;
    long sink = 0;
    try (Connection c = store.dataSource().getConnection()) {
      c.setAutoCommit(false);
      for (String domain : domains) {
        for (int q = 0; q < QUERIES.length; q++) {
          try (PreparedStatement ps = c.prepareStatement(QUERIES[q])) {
            ps.setFetchSize(500);
            ps.setString(1, domain);
            ps.setLong(2, DAY.getEpochSecond());
            ps.setLong(3, DAY.getEpochSecond() + 86_400);
            try (ResultSet rs = ps.executeQuery()) {
              int columns = rs.getMetaData().getColumnCount();
              while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                  Object o = rs.getObject(i);
                  sink += o == null ? 0 : o.hashCode();
                }
                if (q == 0) {
                  rows++;
                }
              }
            }
          }
        }
      }
      c.commit();
    }
    return sink == 42 ? rows + 1 : rows;
  }

  /** The work of a report run: rows into reports, each written as gzip XML. */
  static long build(JdbcReportStore store, List<String> domains) throws Exception {
    long rows = 0;
    CountingSink out = new CountingSink();
    try (RecordReader reader = store.reader()) {
      for (String domain : domains) {
        ReportAggregator a = new ReportAggregator(domain, DAY, DAY.plusSeconds(86_400));
        reader.forEachRecord(domain, DAY, DAY.plusSeconds(86_400), a::add);
        for (AggregateReport r :
            a.reports(
                ReportMetadata.of(
                    "Receiver", "dmarc@receiver.example", domain + ".1@receiver.example"))) {
          rows += r.messageCount();
          AggregateReportWriter.writeGzip(r, ReportFormat.RFC9990, out);
        }
      }
    }
    return out.bytes == 0 ? -1 : rows;
  }

  private static final class CountingSink extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }
}
