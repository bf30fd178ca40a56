// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.mail.ScriptedSmtpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across a crash: {@code dmarc report send} is killed ({@code SIGKILL}) after the
 * relay has the whole mail and before the sender heard the relay's reply and updated its ledger.
 * The next run after the claim's lease sends that mail once more, with the same Report-ID and
 * Message-ID, and the run after that sends nothing.
 */
final class ReportSendCrashTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final long NOW = 1_795_824_600L;

  @TempDir Path dir;

  private static List<String> args(String db, int port, long now) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "report",
                "send",
                "--db",
                db,
                "--org-name",
                "Example Receiver",
                "--from",
                "dmarc-reports@example.com",
                "--now",
                Long.toString(now),
                "--smtp",
                "127.0.0.1:" + port,
                "--starttls",
                "off",
                "--zone",
                EXAMPLES.resolve("zones/example.org.zone").toString(),
                "--zone",
                EXAMPLES.resolve("zones/example.com.zone").toString()));
    return a;
  }

  @Test
  @DisplayName(
      "killed between the relay's accept and the ledger update: one duplicate, same ids, then none")
  void send_killedAfterAccept_resendsOnceWithSameIds() throws Exception {
    String db = "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
    Cli.Result v =
        Cli.run(
            "verify",
            "--batch",
            EXAMPLES.resolve("requests.jsonl").toString(),
            "--authserv-id",
            "mx.example.net",
            "--report-db",
            db);
    assertThat(v.exitCode()).as(v.err()).isZero();

    try (ScriptedSmtpServer relay = new ScriptedSmtpServer()) {
      CountDownLatch received = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      relay.holdReplyAfterData(received, release);
      Process p =
          JavaProcess.dmarc(args(db, relay.port(), NOW).toArray(String[]::new))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("run1.txt").toFile())
              .start();
      assertThat(received.await(60, TimeUnit.SECONDS)).as("the relay got the first mail").isTrue();
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      release.countDown();
      assertThat(relay.messages).hasSize(1);
      String first = relay.messages.get(0);
      relay.holdReplyAfterData(new CountDownLatch(1), new CountDownLatch(0));

      // Within the lease the claim stands: that mail is left alone, the other one goes out.
      Cli.Result inLease = Cli.run(args(db, relay.port(), NOW + 60).toArray(String[]::new));
      assertThat(inLease.out()).as(inLease.err()).contains("in-progress");
      int afterSecond = relay.messages.size();

      Cli.Result afterLease = Cli.run(args(db, relay.port(), NOW + 11 * 60).toArray(String[]::new));
      assertThat(afterLease.exitCode()).as(afterLease.out() + afterLease.err()).isZero();
      assertThat(afterLease.out().lines()).anyMatch(l -> l.startsWith("sent "));
      assertThat(relay.messages).hasSize(afterSecond + 1);
      String resent = relay.messages.get(relay.messages.size() - 1);
      assertThat(header(resent, "Message-ID")).isEqualTo(header(first, "Message-ID"));
      assertThat(reportId(resent)).isEqualTo(reportId(first));

      Cli.Result third = Cli.run(args(db, relay.port(), NOW + 20 * 60).toArray(String[]::new));
      assertThat(third.out().lines()).allMatch(l -> l.startsWith("already-sent "));
      assertThat(relay.messages).hasSize(afterSecond + 1);
      long copies =
          relay.messages.stream()
              .filter(m -> header(m, "Message-ID").equals(header(first, "Message-ID")))
              .count();
      assertThat(copies).as("the killed run's mail: at most one duplicate").isEqualTo(2);
    }
  }

  private static String header(String mail, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + ": (.*)$").matcher(mail);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1).strip();
  }

  private static String reportId(String mail) {
    Matcher m = Pattern.compile("Report-ID: (<[^>]+>)").matcher(mail.replaceAll("\r\n[ \t]+", " "));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
