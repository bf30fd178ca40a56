// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.JdbcReportStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarc verify --batch --report-db}, stopped by a signal in the middle of a batch: the
 * database holds a row for every result line the process printed (and at most one burst more).
 */
final class ReportDbSignalTest {
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
  private static final int REQUESTS = 20_000;

  /** Printed lines after which the signal is sent. */
  private static final int KILL_AFTER = 400;

  @TempDir Path dir;

  private record Outcome(int exitCode, int printed, long rows, String err) {}

  private Outcome runAndSignal(boolean forcibly) throws Exception {
    String request =
        "{\"id\":\"r%d\",\"message\":\""
            + EXAMPLES.resolve("messages/legit.eml")
            + "\",\"zone\":[\""
            + EXAMPLES.resolve("zones/example.com.zone")
            + "\"],\"clientIp\":\"192.0.2.25\",\"helo\":\"mail.example.com\","
            + "\"mailFrom\":\"alice@example.com\",\"now\":1795773660}";
    List<String> lines = new ArrayList<>(REQUESTS);
    for (int i = 0; i < REQUESTS; i++) {
      lines.add(String.format(request, i));
    }
    Path req = Files.write(dir.resolve("requests.jsonl"), lines, StandardCharsets.UTF_8);
    String db = "jdbc:h2:file:" + dir.resolve("reports");

    Process p = JavaProcess.dmarc("verify", "--batch", req.toString(), "--report-db", db).start();
    StringBuilder err = new StringBuilder();
    Thread errReader =
        new Thread(
            () -> {
              try {
                err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (java.io.IOException e) {
                err.append(e);
              }
            });
    errReader.start();
    AtomicInteger printed = new AtomicInteger();
    CountDownLatch enough = new CountDownLatch(1);
    Thread outReader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  assertThat(line).contains("\"dmarc\":{\"result\":\"pass\"");
                  if (printed.incrementAndGet() == KILL_AFTER) {
                    enough.countDown();
                  }
                }
              } catch (java.io.IOException e) {
                // the pipe closes when the process ends
              }
            });
    outReader.start();
    assertThat(enough.await(120, TimeUnit.SECONDS))
        .as("lines printed: %s; %s", printed, err)
        .isTrue();
    if (forcibly) {
      p.destroyForcibly(); // SIGKILL
    } else {
      p.destroy(); // SIGTERM on Linux
    }
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    outReader.join();
    errReader.join();

    long rows;
    try (JdbcReportStore store = JdbcReportStore.builder(db).build()) {
      rows = store.records("example.com", Instant.EPOCH, Instant.ofEpochSecond(Epoch.MAX)).size();
    }
    return new Outcome(p.exitValue(), printed.get(), rows, err.toString());
  }

  @Test
  @DisplayName("SIGTERM mid-batch: every printed line's report row is in the database")
  void sigterm_midBatch_everyPrintedRowStored() throws Exception {
    Outcome o = runAndSignal(false);
    assertThat(o.exitCode()).as(o.err()).isEqualTo(128 + 15);
    assertThat(o.printed()).as("the signal came before the batch ended").isLessThan(REQUESTS);
    assertThat(o.rows())
        .as("rows for %s printed lines", o.printed())
        .isGreaterThanOrEqualTo(o.printed());
    assertThat(o.rows()).isLessThanOrEqualTo(o.printed() + BatchVerifier.WINDOW);
    assertThat(o.err()).doesNotContain("\tat ");
  }

  @Test
  @DisplayName("SIGKILL mid-batch: the rows of printed lines were committed, and H2 kept them")
  void sigkill_midBatch_everyPrintedRowStored() throws Exception {
    Outcome o = runAndSignal(true);
    assertThat(o.exitCode()).isEqualTo(128 + 9);
    assertThat(o.printed()).isLessThan(REQUESTS);
    assertThat(o.rows())
        .as("rows for %s printed lines", o.printed())
        .isGreaterThanOrEqualTo(o.printed());
    assertThat(o.rows()).isLessThanOrEqualTo(o.printed() + BatchVerifier.WINDOW);
  }
}
