// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.verify.ReportRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class JdbcReportStoreTest {
  private static final Instant END = Records.T0.plusSeconds(86_400);

  private static TestDataSource fresh() {
    return TestDataSource.memory("store-" + UUID.randomUUID());
  }

  private static JdbcReportStore.Builder fast(TestDataSource ds) {
    return JdbcReportStore.builder(ds).backoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  @Test
  @DisplayName("RFC 9990 §3.1.1.7: every row field survives a write and read back")
  void accept_fullRecord_roundTrips() throws Exception {
    TestDataSource ds = fresh();
    ReportRecord full = Records.full(Records.T0.plusSeconds(5).plusNanos(123_456_789));
    ReportRecord bare =
        new ReportRecord(
            Records.T0.plusSeconds(6),
            DmarcMode.RFC7489,
            Records.ip("2001:db8::25"),
            "example.com",
            Optional.empty(),
            Optional.empty(),
            Records.policy7489("example.com"),
            io.github.dmarcj.dmarc.DmarcPolicy.QUARANTINE,
            io.github.dmarcj.result.DmarcResult.FAIL,
            io.github.dmarcj.result.DmarcResult.FAIL,
            List.of(new ReportRecord.Override(OverrideReason.SAMPLED_OUT, "")),
            List.of(),
            full.spf());
    try (JdbcReportStore store = fast(ds).build()) {
      store.accept(full);
      store.accept(bare);
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.records("example.com", Records.T0, END)).containsExactly(full, bare);
      assertThat(store.records("example.org", Records.T0, END)).isEmpty();
      assertThat(store.records("example.com", Records.T0.plusSeconds(6), END))
          .containsExactly(bare);
      assertThat(store.records("example.com", Records.T0, Records.T0.plusSeconds(6)))
          .containsExactly(full);
      assertThat(store.policyDomains(Records.T0, END)).containsExactly("example.com");
      assertThat(store.stats().stored()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "a sender-controlled selector with NUL and 1000 characters is stored cut, not failed")
  void accept_hostileSelector_storedTruncated() throws Exception {
    TestDataSource ds = fresh();
    String selector = "a\0" + "b".repeat(1000);
    ReportRecord r = Records.full(Records.T0);
    ReportRecord hostile =
        new ReportRecord(
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
            List.of(new ReportRecord.DkimAuth("example.com", selector, DkimResult.FAIL)),
            r.spf());
    try (JdbcReportStore store = fast(ds).build()) {
      store.accept(hostile);
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      ReportRecord back = store.records("example.com", Records.T0, END).get(0);
      assertThat(back.dkim().get(0).selector()).isEqualTo("a" + "b".repeat(254));
      assertThat(store.stats().failed()).isZero();
    }
  }

  @Test
  @DisplayName("8 threads x 500 records: every record stored exactly once")
  void accept_concurrentWriters_allStored() throws Exception {
    TestDataSource ds = fresh();
    int threads = 8;
    int each = 500;
    try (JdbcReportStore store =
        fast(ds).batchSize(64).queueCapacity(256).offerTimeout(Duration.ofSeconds(30)).build()) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    store.accept(
                        Records.passing(
                            Records.T0.plusSeconds(thread * each + i), "192.0.2." + (thread + 1)));
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(store.flush(Duration.ofSeconds(60))).isTrue();
      List<ReportRecord> back = store.records("example.com", Records.T0, END);
      assertThat(back).hasSize(threads * each);
      Set<Instant> times = new HashSet<>();
      back.forEach(r -> times.add(r.evaluatedAt()));
      assertThat(times).hasSize(threads * each);
      assertThat(store.stats())
          .isEqualTo(
              new JdbcReportStore.Stats(
                  threads * each, threads * each, 0, 0, 0, store.stats().batches(), 0));
      assertThat(store.stats().batches()).isLessThan(threads * each);
    }
  }

  @Test
  @DisplayName("close() commits everything queued before it returns")
  void close_queuedRecords_drained() throws Exception {
    TestDataSource ds = fresh();
    JdbcReportStore store = fast(ds).batchSize(10).queueCapacity(5000).build();
    for (int i = 0; i < 3000; i++) {
      store.accept(Records.passing(Records.T0.plusSeconds(i), "192.0.2.9"));
    }
    store.close();
    assertThat(store.stats().stored()).isEqualTo(3000);
    assertThat(store.stats().pending()).isZero();
    try (Connection c = DriverManager.getConnection(ds.url());
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT COUNT(*) FROM dmarcj_report_record")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(3000);
    }
    store.accept(Records.passing(Records.T0, "192.0.2.9"));
    assertThat(store.stats().dropped()).isEqualTo(1);
  }

  @Test
  @DisplayName("commits that fail for the first 3 batches are retried; nothing lost or doubled")
  void accept_failingCommits_retriedWithoutLoss() throws Exception {
    TestDataSource ds = fresh();
    try (JdbcReportStore store = fast(ds).batchSize(7).build()) {
      ds.failCommits.set(3);
      for (int i = 0; i < 100; i++) {
        store.accept(Records.full(Records.T0.plusSeconds(i)));
      }
      assertThat(store.flush(Duration.ofSeconds(30))).isTrue();
      JdbcReportStore.Stats s = store.stats();
      assertThat(s.retries()).isEqualTo(3);
      assertThat(s.stored()).isEqualTo(100);
      assertThat(s.failed()).isZero();
      List<ReportRecord> back = store.records("example.com", Records.T0, END);
      assertThat(back).hasSize(100);
      assertThat(back).allSatisfy(r -> assertThat(r.dkim()).hasSize(2));
    }
  }

  @Test
  @DisplayName("a batch that fails every attempt is counted as failed, not retried forever")
  void accept_alwaysFailing_countedAsFailed() throws Exception {
    TestDataSource ds = fresh();
    try (JdbcReportStore store = fast(ds).maxAttempts(3).batchSize(100).build()) {
      ds.failCommits.set(Integer.MAX_VALUE);
      store.accept(Records.full(Records.T0));
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.stats().failed()).isEqualTo(1);
      assertThat(store.stats().retries()).isEqualTo(2);
      ds.failCommits.set(0);
      assertThat(store.records("example.com", Records.T0, END)).isEmpty();
    }
  }

  @Test
  @DisplayName("a full queue makes accept() give up after its timeout and count drops")
  void accept_fullQueue_dropsCountedWithoutHanging() throws Exception {
    TestDataSource ds = fresh();
    JdbcReportStore store =
        fast(ds).queueCapacity(10).batchSize(5).offerTimeout(Duration.ofMillis(5)).build();
    ds.gate = new CountDownLatch(1); // the writer blocks on its next connection
    store.accept(Records.passing(Records.T0, "192.0.2.7"));
    // the writer holds that one record and waits at the gate
    assertThat(ds.atGate.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(store.stats().pending()).isZero();
    assertTimeoutPreemptively(
        Duration.ofSeconds(10),
        () -> {
          for (int i = 1; i < 50; i++) {
            store.accept(Records.passing(Records.T0.plusSeconds(i), "192.0.2.7"));
          }
        });
    JdbcReportStore.Stats blocked = store.stats();
    assertThat(blocked.accepted()).isEqualTo(50);
    assertThat(blocked.pending()).isEqualTo(10);
    assertThat(blocked.dropped()).isEqualTo(39);
    ds.gate.countDown();
    store.close();
    JdbcReportStore.Stats after = store.stats();
    assertThat(after.stored() + after.dropped()).isEqualTo(50);
    assertThat(after.failed()).isZero();
  }

  @Test
  @DisplayName("the schema is created once, versioned, and a newer version is refused")
  void build_existingSchema_reusedAndVersionChecked() throws Exception {
    TestDataSource ds = fresh();
    try (JdbcReportStore a = fast(ds).build()) {
      a.accept(Records.full(Records.T0));
      a.flush(Duration.ofSeconds(10));
    }
    try (JdbcReportStore b = fast(ds).build()) {
      assertThat(b.records("example.com", Records.T0, END)).hasSize(1);
    }
    try (Connection c = DriverManager.getConnection(ds.url());
        Statement s = c.createStatement()) {
      s.execute("UPDATE dmarcj_schema_version SET version = 99");
    }
    assertThatThrownBy(() -> fast(ds).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("99");
  }

  private static ReportRecord withPolicy(ReportRecord r, ReportRecord.PublishedPolicy p) {
    return new ReportRecord(
        r.evaluatedAt(),
        r.mode(),
        r.sourceIp(),
        r.headerFrom(),
        r.envelopeFrom(),
        r.envelopeTo(),
        p,
        r.disposition(),
        r.dkimAligned(),
        r.spfAligned(),
        r.overrides(),
        r.dkim(),
        r.spf());
  }

  @Test
  @DisplayName(
      "AGG-07: the record's problems survive the store (line breaks and NULs from DNS made safe);"
          + " a version 1 database gains the column and keeps its rows")
  void errors_roundTrip_andMigrationFromVersion1() throws Exception {
    TestDataSource ds = fresh();
    ReportRecord plain = Records.full(Records.T0);
    try (JdbcReportStore store = fast(ds).build()) {
      store.accept(plain);
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
    }
    // Make it a version 1 database, as stored before the column existed.
    try (Connection c = DriverManager.getConnection(ds.url());
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE dmarcj_report_record DROP COLUMN policy_errors");
      s.execute("UPDATE dmarcj_schema_version SET version = 1");
    }
    ReportRecord withErrors =
        withPolicy(
            Records.full(Records.T0.plusSeconds(1)),
            AggregateReportWriterTest.withErrors(
                plain.policyPublished(),
                List.of("unknown tag foo ignored", "adkim must be r or s, was \"a\nb\u0000\"")));
    try (JdbcReportStore store = fast(ds).build()) {
      store.accept(withErrors);
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      List<ReportRecord> back = store.records("example.com", Records.T0, END);
      assertThat(back).hasSize(2);
      assertThat(back.get(0)).isEqualTo(plain);
      assertThat(back.get(1).policyPublished().errors())
          .containsExactly("unknown tag foo ignored", "adkim must be r or s, was \"a b\"");
    }
    try (Connection c = DriverManager.getConnection(ds.url());
        Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT MAX(version) FROM dmarcj_schema_version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  @DisplayName(
      "stored keywords in another case, fo options in another order and repeated addresses read"
          + " back as written")
  void records_keywordsInOtherCaseAndRepeatedAddresses_readBack() throws Exception {
    TestDataSource ds = fresh();
    List<ReportRecord> written = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      written.add(
          i % 2 == 0
              ? Records.full(Records.T0.plusSeconds(i))
              : Records.passing(Records.T0.plusSeconds(i), "2001:db8::" + (i % 4)));
    }
    try (JdbcReportStore store = fast(ds).build()) {
      written.forEach(store::accept);
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.records("example.com", Records.T0, END)).isEqualTo(written);
      try (Connection c = DriverManager.getConnection(ds.url());
          Statement s = c.createStatement()) {
        s.execute(
            "UPDATE dmarcj_report_record SET discovery_method = UPPER(discovery_method),"
                + " p = UPPER(p), sp = UPPER(sp), disposition = UPPER(disposition),"
                + " dkim_aligned = ' ' || UPPER(dkim_aligned), spf_scope = UPPER(spf_scope),"
                + " spf_result = UPPER(spf_result), fo = 'd:1'");
        s.execute("UPDATE dmarcj_report_dkim SET result = UPPER(result)");
      }
      assertThat(store.records("example.com", Records.T0, END)).isEqualTo(written);
    }
  }

  @Test
  @DisplayName("an H2 file database keeps the records across store instances")
  void build_h2File_durable(@TempDir java.nio.file.Path dir) throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
    try (JdbcReportStore a = JdbcReportStore.builder(url).build()) {
      a.accept(Records.full(Records.T0));
    }
    try (JdbcReportStore b = JdbcReportStore.builder(url).build()) {
      assertThat(b.records("example.com", Records.T0, END))
          .containsExactly(Records.full(Records.T0));
    }
  }

  @Test
  @DisplayName(
      "writers racing with close(): every record is stored, dropped or failed, and counted")
  void close_racingWriters_everyRecordAccountedFor() throws Exception {
    TestDataSource ds = fresh();
    JdbcReportStore store =
        fast(ds).batchSize(16).queueCapacity(64).offerTimeout(Duration.ofMillis(1)).build();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch started = new CountDownLatch(4);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      futures.add(
          pool.submit(
              () -> {
                started.countDown();
                for (int i = 0; i < 2000; i++) {
                  store.accept(Records.passing(Records.T0.plusSeconds(i), "192.0.2.3"));
                }
                return null;
              }));
    }
    started.await();
    store.close();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    JdbcReportStore.Stats s = store.stats();
    assertThat(s.accepted()).isEqualTo(8000);
    assertThat(s.stored() + s.dropped() + s.failed()).isEqualTo(8000);
    assertThat(s.pending()).isZero();
    try (Connection c = DriverManager.getConnection(ds.url());
        Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*) FROM dmarcj_report_record")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(s.stored());
    }
  }
}
