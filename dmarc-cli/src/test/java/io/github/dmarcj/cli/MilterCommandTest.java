// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.milter.MilterTestClient;
import io.github.dmarcj.milter.MilterTestClient.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarc milter} and {@code dmarc milter status}: a wrong configuration is one line and exit
 * code 2; the daemon, in a JVM of its own with DNS from the example zones, checks a message,
 * answers its control socket, stores the report row, and on SIGTERM finishes and exits.
 */
final class MilterCommandTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  @Test
  void wrongConfiguration_isOneLineAndExitCode2(@TempDir Path dir) throws IOException {
    Path conf = dir.resolve("milter.conf");
    Files.writeString(conf, "AuthservID mx.example.net\nRejectFailure yes\n");
    Cli.Result r = Cli.run("milter", "--config", conf.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err().strip())
        .isEqualTo("dmarc milter: " + conf + " line 2: unknown key 'RejectFailure'");
  }

  @Test
  void statusWithoutAMilter_isExitCode1() throws IOException {
    Cli.Result r =
        Cli.run("milter", "status", "--control-socket", "inet:" + freePort() + "@127.0.0.1");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).startsWith("dmarc milter status: no answer from inet:");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void daemon_checksAMessage_reportsStatus_storesTheRow_andStopsOnSigterm(@TempDir Path dir)
      throws Exception {
    int port = freePort();
    int controlPort = freePort();
    Path conf = dir.resolve("milter.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "Socket inet:" + port + "@127.0.0.1",
            "ControlSocket inet:" + controlPort + "@127.0.0.1",
            "AuthservID mx.example.net",
            "ReportDatabase jdbc:h2:file:" + dir.resolve("db").resolve("reports"),
            ""));
    Process p =
        JavaProcess.dmarc(
                "milter",
                "--config",
                conf.toString(),
                "--zone",
                EXAMPLES.resolve("zones/example.com.zone").toString(),
                "--zone",
                EXAMPLES.resolve("zones/example.org.zone").toString(),
                "--now",
                "1795773660")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("milter.log").toFile())
            .start();
    try {
      String control = "inet:" + controlPort + "@127.0.0.1";
      Cli.Result health = null;
      for (int i = 0; i < 300 && p.isAlive(); i++) {
        health = Cli.run("milter", "status", "--health", "--control-socket", control);
        if (health.exitCode() == 0) {
          break;
        }
        Thread.sleep(100);
      }
      assertThat(health).isNotNull();
      assertThat(health.out()).as(Files.readString(dir.resolve("milter.log"))).isEqualTo("ok\n");

      try (MilterTestClient c =
          new MilterTestClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        c.optneg();
        c.connect("mail.example.com", "192.0.2.25");
        c.helo("mail.example.com");
        c.mail("alice@example.com");
        c.rcpt("bob@example.net");
        List<Reply> replies =
            c.message(Files.readAllBytes(EXAMPLES.resolve("messages/legit.eml")), 4096);
        Reply inserted = replies.stream().filter(r -> r.code() == 'i').findFirst().orElseThrow();
        assertThat(inserted.strings(4).get(1)).contains("dmarc=pass");
      }
      Cli.Result status = Cli.run("milter", "status", "--control-socket", control);
      assertThat(status.exitCode()).isZero();
      assertThat(status.out().lines())
          .contains("state ok", "messages 1", "dmarc.pass 1", "action.accept 1");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(143);
    } finally {
      p.destroyForcibly();
    }
    assertThat(Files.readString(dir.resolve("milter.log"), StandardCharsets.UTF_8))
        .contains("dmarc milter: stopped");
    try (Connection db =
            DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("db").resolve("reports"));
        ResultSet rs =
            db.createStatement().executeQuery("SELECT COUNT(*) FROM dmarcj_report_record")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }
}
