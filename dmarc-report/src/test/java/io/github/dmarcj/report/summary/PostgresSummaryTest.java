// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dmarcj.report.JdbcReportStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
  private static Path dir;
  private static Path bin;
  private static boolean asPostgresUser;
  private static int port;

  @BeforeAll
  static void startServer() throws Exception {
    bin = findBin();
    if (bin == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL server binaries not found but CI=true");
      }
      assumeTrue(false, "PostgreSQL server binaries not installed");
    }
    asPostgresUser = "root".equals(System.getProperty("user.name"));
    dir = Files.createTempDirectory("dmarcj-pg-summary");
    if (asPostgresUser) {
      run(List.of("chown", "postgres", dir.toString()));
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    run(pg("initdb", "-D", dir.resolve("data").toString(), "-A", "trust", "-U", "dmarcj"));
    run(
        pg(
            "pg_ctl",
            "-D",
            dir.resolve("data").toString(),
            "-w",
            "-l",
            dir.resolve("log").toString(),
            "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
            "start"));
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (dir == null) {
      return;
    }
    try {
      run(pg("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Path findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.naturalOrder())
          .orElse(null);
    }
  }

  private static List<String> pg(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.add(bin.resolve(tool).toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static void run(List<String> cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("exit " + p.exitValue() + ": " + cmd);
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
    String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
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
