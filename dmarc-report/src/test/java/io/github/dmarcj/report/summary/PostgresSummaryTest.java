// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.PostgresServer;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The summary's SQL on a real PostgreSQL server, started by this test in a temporary directory on
 * 127.0.0.1 (Debian package {@code postgresql}), as {@code PostgresReportStoreTest} does. Skipped
 * when the server binaries are absent, unless the environment variable CI is "true".
 */
final class PostgresSummaryTest {
  private static PostgresServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = PostgresServer.start("dmarcj-pg-summary");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @DisplayName("PostgreSQL: the same reports give exactly the summary H2 gives")
  void postgres_sameSummaryAsH2() throws Exception {
    DataSource h2 = ReportSummarizerTest.memory();
    ReportXml.importAll(h2, ReportSummarizerTest.handChecked());
    DomainSummary expected =
        ReportSummarizer.builder(h2).build().summarize("example.com", null, null);
    DomainSummary expectedSince =
        ReportSummarizer.builder(h2)
            .build()
            .summarize("example.com", ReportSummarizerTest.D1.plusDays(2), null);
    String url = server.url("postgres");
    try (JdbcReportStore store = JdbcReportStore.builder(url, "dmarcj", "").build()) {
      ReportXml.importAll(store.dataSource(), ReportSummarizerTest.handChecked());
      ReportSummarizer pg = ReportSummarizer.builder(store.dataSource()).build();
      DomainSummary actual = pg.summarize("example.com", null, null);
      assertThat(actual).isEqualTo(expected);
      assertThat(actual.messages()).isEqualTo(228);
      assertThat(pg.summarize("example.com", ReportSummarizerTest.D1.plusDays(2), null))
          .isEqualTo(expectedSince);
      assertThat(pg.summarize("unknown.example", null, null).isEmpty()).isTrue();
    }
  }
}
