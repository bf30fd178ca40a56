// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.verify.ReportRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The store against a real PostgreSQL server, started by this test in a temporary directory on
 * 127.0.0.1 (Debian package {@code postgresql}). Skipped when the server binaries are absent,
 * unless the environment variable CI is "true".
 */
final class PostgresReportStoreTest {
  private static final Instant END = Records.T0.plusSeconds(86_400);
  private static PostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start("dmarcj-pg");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static String url() {
    return server.url("postgres");
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.1.7: PostgreSQL: the same SQL creates the schema, stores and reads every field")
  void postgres_roundTripAndReport_valid() throws Exception {
    List<ReportRecord> written = new ArrayList<>();
    try (JdbcReportStore store =
        JdbcReportStore.builder(url(), "dmarcj", "").batchSize(50).build()) {
      for (int i = 0; i < 120; i++) {
        ReportRecord r =
            i % 3 == 0
                ? Records.full(Records.T0.plusSeconds(i).plusNanos(999_999_999))
                : Records.passing(Records.T0.plusSeconds(i), "2001:db8::" + (i % 4 + 1));
        written.add(r);
        store.accept(r);
      }
      assertThat(store.flush(Duration.ofSeconds(60))).isTrue();
      assertThat(store.stats().stored()).isEqualTo(120);
      assertThat(store.records("example.com", Records.T0, END)).isEqualTo(written);
      ReportAggregator agg = new ReportAggregator("example.com", Records.T0, END);
      store.forEachRecord("example.com", Records.T0, END, agg::add);
      AggregateReport report =
          agg.reports(ReportMetadata.of("R", "d@receiver.example", "pg1")).get(0);
      assertThat(report.messageCount()).isEqualTo(120);
      Xsd.validate(Xsd.rfc9990(), AggregateReportWriter.toXml(report, ReportFormat.RFC9990));
    }
    try (JdbcReportStore again = JdbcReportStore.builder(url(), "dmarcj", "").build()) {
      assertThat(again.policyDomains(Records.T0, END)).containsExactly("example.com");
    }
  }

  @Test
  @DisplayName(
      "PostgreSQL: received reports import; two importers racing on the same files store each once")
  void postgres_receivedReports_importOnce() throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url(), "dmarcj", "");
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE received");
    }
    String db = server.url("received");
    Path corpus =
        Path.of(PostgresReportStoreTest.class.getResource("/received/parsedmarc").toURI());
    try (JdbcReportStore store = JdbcReportStore.builder(db, "dmarcj", "").build()) {
      io.github.dmarcj.report.ingest.ReportImporter.Summary first =
          new io.github.dmarcj.report.ingest.ReportImporter(
                  store.dataSource(), io.github.dmarcj.report.ingest.ImportLimits.defaults())
              .importPaths(
                  List.of(corpus), new io.github.dmarcj.report.ingest.ReportImporter.Listener() {});
      assertThat(first.reports()).isEqualTo(21);
      assertThat(first.rows()).isEqualTo(2353);
      List<java.util.concurrent.Future<io.github.dmarcj.report.ingest.ReportImporter.Summary>>
          runs = new ArrayList<>();
      java.util.concurrent.ExecutorService pool =
          java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        for (int i = 0; i < 2; i++) {
          runs.add(
              pool.submit(
                  () ->
                      new io.github.dmarcj.report.ingest.ReportImporter(
                              store.dataSource(),
                              io.github.dmarcj.report.ingest.ImportLimits.defaults())
                          .importPaths(
                              List.of(corpus),
                              new io.github.dmarcj.report.ingest.ReportImporter.Listener() {})));
        }
        for (var f : runs) {
          assertThat(f.get(120, TimeUnit.SECONDS).reports()).isZero();
        }
      } finally {
        pool.shutdownNow();
      }
      try (java.sql.Connection c = store.dataSource().getConnection();
          java.sql.ResultSet rs =
              c.createStatement()
                  .executeQuery("SELECT COUNT(*), SUM(row_count) FROM dmarcj_received_report")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getLong(1)).isEqualTo(21);
        assertThat(rs.getLong(2)).isEqualTo(2353);
      }
    }
  }

  @Test
  @DisplayName(
      "PostgreSQL: the schema migrates from version 1; failure incidents are stored and folded")
  void postgres_migrationAndFailureIncidents() throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url(), "dmarcj", "");
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE failures");
    }
    String db = server.url("failures");
    try (JdbcReportStore store = JdbcReportStore.builder(db, "dmarcj", "").build()) {
      store.accept(Records.full(Records.T0));
      assertThat(store.flush(Duration.ofSeconds(60))).isTrue();
    }
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(db, "dmarcj", "");
        java.sql.Statement s = c.createStatement()) {
      s.execute("ALTER TABLE dmarcj_report_record DROP COLUMN policy_errors");
      s.execute("UPDATE dmarcj_schema_version SET version = 1");
    }
    try (JdbcReportStore store = JdbcReportStore.builder(db, "dmarcj", "").build();
        io.github.dmarcj.report.failure.FailureIncidentStore failures =
            io.github.dmarcj.report.failure.FailureIncidentStore.builder(store.dataSource())
                .build()) {
      assertThat(store.records("example.com", Records.T0, END))
          .containsExactly(Records.full(Records.T0));
      io.github.dmarcj.verify.MessageAuthenticator auth =
          io.github.dmarcj.verify.MessageAuthenticator.builder(
                  io.github.dmarcj.dns.InMemoryDnsResolver.builder()
                      .txt("_dmarc.example.com", "v=DMARC1; p=reject; ruf=mailto:f@example.com")
                      .exists("example.com")
                      .build())
              .authservId("mx.receiver.example")
              .spfVerifier(
                  env ->
                      java.util.concurrent.CompletableFuture.completedFuture(
                          io.github.dmarcj.result.SpfOutcome.of(
                              io.github.dmarcj.result.SpfResult.FAIL,
                              io.github.dmarcj.result.SpfScope.MFROM,
                              "a@example.com",
                              "example.com")))
              .dkimVerifier(
                  msg -> java.util.concurrent.CompletableFuture.completedFuture(List.of()))
              .failureReportSink(failures)
              .build();
      byte[] message =
          "From: a@example.com\r\nSubject: \u00e9\0\r\n\r\nx\r\n"
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < 2; i++) {
        auth.verify(
            io.github.dmarcj.message.SmtpEnvelope.of(
                java.net.InetAddress.getByName("203.0.113.9"), "h.example", "a@example.com"),
            message);
      }
      assertThat(failures.flush(Duration.ofSeconds(30))).isTrue();
      assertThat(failures.failed()).isZero();
      List<io.github.dmarcj.report.failure.FailureIncidentStore.Stored> pending =
          failures.pending(10);
      assertThat(pending).hasSize(1);
      assertThat(pending.get(0).incidents()).isEqualTo(2);
      assertThat(pending.get(0).header())
          .isEqualTo(java.util.Arrays.copyOf(message, message.length - 5));
    }
  }

  @Test
  @DisplayName("two senders racing on one PostgreSQL store: every report goes out exactly once")
  void postgres_twoSendersRacing_eachReportOnce() throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url(), "dmarcj", "");
        java.sql.Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE race");
    }
    String raceUrl = server.url("race");
    int domains = 40;
    io.github.dmarcj.dns.InMemoryDnsResolver.Builder zone =
        io.github.dmarcj.dns.InMemoryDnsResolver.builder();
    try (JdbcReportStore writer = JdbcReportStore.builder(raceUrl, "dmarcj", "").build()) {
      for (int i = 0; i < domains; i++) {
        writer.accept(AggregateReportSenderTest.record("d" + i + ".example", "192.0.2." + (i + 1)));
        zone.txt(
            "_dmarc.d" + i + ".example", "v=DMARC1; p=none; rua=mailto:agg@d" + i + ".example");
      }
      assertThat(writer.flush(Duration.ofSeconds(60))).isTrue();
    }
    io.github.dmarcj.dns.InMemoryDnsResolver dns = zone.build();
    java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> perMessageId =
        new java.util.concurrent.ConcurrentHashMap<>();
    io.github.dmarcj.report.mail.MailTransport relay =
        (from, to, mail) -> {
          String text = new String(mail, java.nio.charset.StandardCharsets.US_ASCII);
          java.util.regex.Matcher m =
              java.util.regex.Pattern.compile("(?m)^Message-ID: (.*)$").matcher(text);
          m.find();
          perMessageId
              .computeIfAbsent(
                  m.group(1).strip(), k -> new java.util.concurrent.atomic.AtomicInteger())
              .incrementAndGet();
          try {
            Thread.sleep(15);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return new io.github.dmarcj.report.mail.MailTransport.Delivery.Accepted("250 ok");
        };
    java.time.Clock clock = java.time.Clock.fixed(END.plusSeconds(600), java.time.ZoneOffset.UTC);
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<List<io.github.dmarcj.report.mail.DeliveryOutcome>>> runs =
        new ArrayList<>();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int k = 0; k < 2; k++) {
        runs.add(
            pool.submit(
                () -> {
                  try (JdbcReportStore store =
                      JdbcReportStore.builder(raceUrl, "dmarcj", "").build()) {
                    io.github.dmarcj.report.mail.AggregateReportSender sender =
                        io.github.dmarcj.report.mail.AggregateReportSender.builder(
                                store,
                                new io.github.dmarcj.report.mail.DeliveryLedger(store.dataSource()),
                                io.github.dmarcj.dmarc.DmarcEvaluator.builder(dns).build(),
                                io.github.dmarcj.report.mail.ReportMail.builder(
                                        "r@mx.receiver.example")
                                    .clock(clock)
                                    .build(),
                                relay)
                            .clock(clock)
                            .build();
                    go.await();
                    return sender.send(Records.T0, END, o -> {});
                  }
                }));
      }
      go.countDown();
      List<io.github.dmarcj.report.mail.DeliveryOutcome> all = new ArrayList<>();
      for (var f : runs) {
        all.addAll(f.get(120, TimeUnit.SECONDS));
      }
      assertThat(perMessageId).hasSize(domains);
      assertThat(perMessageId.values()).allMatch(n -> n.get() == 1);
      assertThat(
              all.stream()
                  .filter(o -> o.kind() == io.github.dmarcj.report.mail.DeliveryOutcome.Kind.SENT))
          .hasSize(domains);
      assertThat(all)
          .extracting(io.github.dmarcj.report.mail.DeliveryOutcome::kind)
          .containsOnly(
              io.github.dmarcj.report.mail.DeliveryOutcome.Kind.SENT,
              io.github.dmarcj.report.mail.DeliveryOutcome.Kind.IN_PROGRESS,
              io.github.dmarcj.report.mail.DeliveryOutcome.Kind.ALREADY_SENT);
      System.out.println(
          "[race] outcomes: "
              + all.stream()
                  .collect(
                      java.util.stream.Collectors.groupingBy(
                          io.github.dmarcj.report.mail.DeliveryOutcome::kind,
                          java.util.stream.Collectors.counting())));
    } finally {
      pool.shutdownNow();
    }
  }
}
