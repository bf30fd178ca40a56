// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter behind a real Postfix (Debian's {@code postfix} package): a private instance with its
 * own configuration and queue directories under a temporary folder, listening on a loopback port,
 * {@code smtpd_milters} pointing at the milter, relaying what it accepts to a GreenMail sink.
 * {@code swaks} sends the example messages; Postfix's XCLIENT gives each the client address of its
 * scenario, so SPF sees the address the example zones expect.
 *
 * <p>Postfix's master runs as root and its daemons as {@code mail_owner} ({@code postfix}); the
 * data directory must belong to that user, every folder above the queue must be searchable by it,
 * and the set-gid programs ({@code postqueue}) work with {@code -c DIR} only for root. Skipped when
 * postfix or swaks is missing or the test does not run as root, unless {@code CI=true}.
 */
final class PostfixEndToEndTest {
  private static final String AUTHSERV_ID = "mx.example.net";

  @RegisterExtension
  static final GreenMailExtension SINK =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

  @TempDir static Path dir;

  private static MilterServer milter;
  private static Path etc;
  private static int smtpPort;
  private static boolean postfixStarted;
  private static Process postfixProcess;

  static void assumeInstalled() {
    boolean present =
        Files.isExecutable(Path.of("/usr/sbin/postfix"))
            && Files.isExecutable(Path.of("/usr/bin/swaks"))
            && "root".equals(System.getProperty("user.name"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true but postfix or swaks is missing, or not running as root");
    }
    Assumptions.assumeTrue(present, "postfix/swaks not installed or not root; skipping");
  }

  @BeforeAll
  static void startPostfix() throws Exception {
    assumeInstalled();
    milter =
        MilterServer.builder(
                MilterServerTest.config()
                    .controlSocket(null)
                    .messageTimeout(Duration.ofSeconds(10))
                    .build(),
                MilterServerTest.zones())
            .build();
    milter.start();
    int milterPort = ((InetSocketAddress) milter.localAddress()).getPort();
    int sinkPort = SINK.getSmtp().getPort();
    smtpPort = freePort();

    Path root = dir.resolve("postfix");
    etc = root.resolve("etc");
    Path data = root.resolve("data");
    Files.createDirectories(etc);
    Files.createDirectories(root.resolve("spool"));
    Files.createDirectories(data);
    // The temporary folder is private to root; Postfix's daemons must reach their queue in it.
    for (Path p : List.of(dir, root)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    UserPrincipal postfix =
        root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
    Files.setOwner(data, postfix);
    Files.writeString(
        etc.resolve("main.cf"),
        String.join(
            "\n",
            "compatibility_level = 3.6",
            "config_directory = " + etc,
            "queue_directory = " + root.resolve("spool"),
            "data_directory = " + data,
            "mail_owner = postfix",
            "setgid_group = postdrop",
            "myhostname = " + AUTHSERV_ID,
            "mydomain = example.net",
            "myorigin = example.net",
            "mydestination =",
            "relay_domains = example.net",
            "inet_interfaces = 127.0.0.1",
            "inet_protocols = ipv4",
            "mynetworks = 127.0.0.0/8",
            "smtpd_relay_restrictions = reject_unauth_destination",
            "smtpd_authorized_xclient_hosts = 127.0.0.0/8",
            "relay_transport = smtp:[127.0.0.1]:" + sinkPort,
            "default_transport = smtp:[127.0.0.1]:" + sinkPort,
            "smtp_dns_support_level = disabled",
            "smtp_host_lookup = native",
            "maillog_file = /dev/stdout",
            "smtpd_milters = inet:127.0.0.1:" + milterPort,
            "milter_default_action = tempfail",
            "alias_maps =",
            "alias_database =",
            "biff = no",
            ""));
    Files.writeString(etc.resolve("master.cf"), MASTER_CF.replace("PORT", "" + smtpPort));
    Path dynamicMaps = Path.of("/etc/postfix/dynamicmaps.cf");
    if (Files.exists(dynamicMaps)) {
      Files.copy(dynamicMaps, etc.resolve("dynamicmaps.cf"));
    }
    // In the foreground, logging to standard output (into the maillog file): a maillog_file
    // outside /var makes a daemonized start fail without a word.
    postfixProcess =
        new ProcessBuilder("postfix", "-c", etc.toString(), "start-fg")
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("maillog").toFile())
            .start();
    postfixStarted = true;
    awaitListening(smtpPort);
  }

  /** Every service chroot-free (column 5 "n"), smtpd on the test's loopback port. */
  private static final String MASTER_CF =
      String.join(
          "\n",
          "127.0.0.1:PORT inet n - n - - smtpd",
          "pickup unix n - n 60 1 pickup",
          "cleanup unix n - n - 0 cleanup",
          "qmgr unix n - n 300 1 qmgr",
          "rewrite unix - - n - - trivial-rewrite",
          "bounce unix - - n - 0 bounce",
          "defer unix - - n - 0 bounce",
          "trace unix - - n - 0 bounce",
          "verify unix - - n - 1 verify",
          "flush unix n - n 1000? 0 flush",
          "proxymap unix - - n - - proxymap",
          "smtp unix - - n - - smtp",
          "relay unix - - n - - smtp",
          "showq unix n - n - - showq",
          "error unix - - n - - error",
          "retry unix - - n - - error",
          "discard unix - - n - - discard",
          "anvil unix - - n - 1 anvil",
          "scache unix - - n - 1 scache",
          "postlog unix-dgram n - n - 1 postlogd",
          "");

  @AfterAll
  static void stopAll() throws Exception {
    if (postfixStarted) {
      run(List.of("postfix", "-c", etc.toString(), "stop"));
      if (!postfixProcess.waitFor(30, TimeUnit.SECONDS)) {
        run(List.of("postfix", "-c", etc.toString(), "abort"));
        postfixProcess.destroy();
      }
    }
    if (milter != null) {
      milter.stop(Duration.ofSeconds(5));
    }
  }

  record Run(int exit, String output) {}

  private static Run run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish: " + out);
    }
    return new Run(p.exitValue(), out);
  }

  private static String maillog() {
    try {
      Path log = etc.getParent().resolve("maillog");
      return Files.exists(log) ? "\nmaillog:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 200 && postfixProcess.isAlive(); i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("postfix does not listen on " + port + maillog());
  }

  private static Run swaks(String clientIp, String helo, String from, Path message)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(
        List.of(
            "swaks",
            "--server",
            "127.0.0.1:" + smtpPort,
            "--helo",
            helo,
            "--from",
            from,
            "--to",
            "bob@example.net",
            "--xclient-addr",
            clientIp,
            "--xclient-helo",
            helo,
            "--data",
            message.toString(),
            "--timeout",
            "30"));
    return run(cmd);
  }

  @Test
  void legitimateMessage_arrivesWithDmarcPass_andTheForgedResultIsGone() throws Exception {
    String forged =
        "Authentication-Results: " + AUTHSERV_ID + "; dmarc=pass (forged by the sender)\r\n";
    Path message = dir.resolve("legit-forged.eml");
    Files.write(
        message,
        (forged + new String(MilterServerTest.example("legit.eml"), StandardCharsets.ISO_8859_1))
            .getBytes(StandardCharsets.ISO_8859_1));
    Run r = swaks("192.0.2.25", "mail.example.com", "alice@example.com", message);
    assertThat(r.exit()).as(r.output() + maillog()).isZero();
    assertThat(SINK.waitForIncomingEmail(30_000, 1)).as("delivered" + maillog()).isTrue();
    MimeMessage delivered = SINK.getReceivedMessages()[0];
    String raw = GreenMailUtil.getWholeMessage(delivered);
    String header = raw.substring(0, raw.indexOf("\r\n\r\n"));
    assertThat(header).doesNotContain("forged by the sender");
    String[] ar = delivered.getHeader("Authentication-Results");
    assertThat(ar).hasSize(1);
    assertThat(ar[0]).startsWith(AUTHSERV_ID + ";").contains("dkim=pass").contains("dmarc=pass");
    assertThat(ar[0]).contains("spf=pass");
  }

  @Test
  void spoofedRejectPolicy_isRefusedAtSmtpTime() throws Exception {
    Run r =
        swaks(
            "203.0.113.66",
            "mx.attacker.invalid",
            "billing@example.org",
            MilterServerTest.EXAMPLES.resolve("messages/spoofed-reject.eml").toAbsolutePath());
    assertThat(r.exit()).isNotZero();
    assertThat(r.output())
        .contains("<** 550 5.7.1 Message rejected by the DMARC policy of example.org");
  }

  @Test
  void quarantinedMessage_waitsInTheHoldQueue() throws Exception {
    Run r =
        swaks(
            "203.0.113.66",
            "mx.attacker.invalid",
            "payroll@example.com",
            MilterServerTest.EXAMPLES.resolve("messages/spoofed.eml").toAbsolutePath());
    assertThat(r.exit()).as(r.output()).isZero();
    String queue = "";
    for (int i = 0; i < 100 && !queue.contains("\"queue_name\": \"hold\""); i++) {
      queue = run(List.of("postqueue", "-c", etc.toString(), "-j")).output();
      Thread.sleep(100);
    }
    assertThat(queue)
        .as("postqueue -j" + maillog())
        .contains("\"queue_name\": \"hold\"")
        .contains("\"sender\": \"payroll@example.com\"");
  }
}
