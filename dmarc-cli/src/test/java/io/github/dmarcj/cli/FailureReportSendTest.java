// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure reports end to end: the example's messages verified with {@code --failure-reports}, then
 * {@code dmarc report send} writes or mails the ARF reports (RFC 9991, RFC 5965) to the {@code ruf}
 * of example.com, redacted, DKIM-signed, once.
 */
final class FailureReportSendTest {
  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String NOW = "1795824600";

  @TempDir Path dir;

  private String verify(boolean failureReports) {
    String db = "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
    List<String> a =
        new ArrayList<>(
            List.of(
                "verify",
                "--batch",
                EXAMPLES.resolve("requests.jsonl").toString(),
                "--authserv-id",
                "mx.example.net",
                "--report-db",
                db));
    if (failureReports) {
      a.add("--failure-reports");
    }
    Cli.Result r = Cli.run(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return db;
  }

  private static Cli.Result send(String db, String... target) {
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
                NOW,
                "--dkim-key",
                EXAMPLES.resolve("keys/example.com.sel2026.TEST-ONLY.private.pem").toString(),
                "--dkim-domain",
                "example.com",
                "--dkim-selector",
                "sel2026"));
    for (String z : List.of("example.com.zone", "example.net.zone", "example.org.zone")) {
      a.add("--zone");
      a.add(EXAMPLES.resolve("zones").resolve(z).toString());
    }
    a.addAll(List.of(target));
    return Cli.run(a.toArray(String[]::new));
  }

  private static MimeMessage parse(byte[] mail) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail));
  }

  private static String partText(BodyPart p) throws Exception {
    try (InputStream in = p.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.UnsupportedEncodingException e) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      p.writeTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  @DisplayName(
      "FAIL-01..05, FAIL-08, FAIL-10: the spoofed and third-party example.com messages give one"
          + " ARF report each at example.com's ruf, redacted and signed; example.org (no ruf) and"
          + " the passing message give none")
  void failureReports_outDir() throws Exception {
    String db = verify(true);
    Path out = dir.resolve("mails");
    Cli.Result r = send(db, "--out", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> failureLines = r.out().lines().filter(l -> l.contains("<failure.")).toList();
    assertThat(failureLines)
        .hasSize(2)
        .allMatch(
            l ->
                l.startsWith("sent example.com <failure.")
                    && l.contains("-> dmarc-failures@example.com: written to "));
    List<Path> arf;
    try (Stream<Path> files = Files.list(out)) {
      arf =
          files
              .filter(p -> p.getFileName().toString().startsWith("dmarc-failures@example.com"))
              .sorted()
              .toList();
    }
    assertThat(arf).hasSize(2);
    List<String> sources = new ArrayList<>();
    for (Path p : arf) {
      byte[] bytes = Files.readAllBytes(p);
      String raw = new String(bytes, StandardCharsets.UTF_8);
      assertThat(raw).startsWith("DKIM-Signature:").contains("d=example.com");
      MimeMessage m = parse(bytes);
      assertThat(m.getContentType()).contains("multipart/report").contains("feedback-report");
      MimeMultipart mp = (MimeMultipart) m.getContent();
      assertThat(mp.getCount()).isEqualTo(3);
      assertThat(mp.getBodyPart(0).getContentType()).startsWith("text/plain");
      assertThat(mp.getBodyPart(1).getContentType()).startsWith("message/feedback-report");
      assertThat(mp.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
      InternetHeaders fields =
          new InternetHeaders(
              new ByteArrayInputStream(
                  partText(mp.getBodyPart(1)).getBytes(StandardCharsets.UTF_8)));
      assertThat(fields.getHeader("Feedback-Type", null)).isEqualTo("auth-failure");
      assertThat(fields.getHeader("Auth-Failure", null)).isEqualTo("dmarc");
      assertThat(fields.getHeader("Version", null)).isEqualTo("1");
      assertThat(fields.getHeader("Reported-Domain", null)).isEqualTo("example.com");
      assertThat(fields.getHeader("Identity-Alignment", null)).isNotBlank();
      assertThat(fields.getHeader("Authentication-Results", null)).contains("dmarc=fail");
      assertThat(fields.getHeader("SPF-DNS", null)).startsWith("txt : ");
      sources.add(fields.getHeader("Source-IP", null));
      // FAIL-10: no local part of the original leaves the receiver.
      for (String local : List.of("payroll", "bob", "bounce-4711", "alice")) {
        assertThat(raw).as(p + " carries " + local).doesNotContain(local + "@");
      }
    }
    assertThat(sources).containsExactlyInAnyOrder("203.0.113.66", "198.51.100.7");
    Cli.Result again = send(db, "--out", out.toString());
    assertThat(again.out().lines().filter(l -> l.contains("<failure."))).isEmpty();

    // the owner's side reads what was sent: the aggregate reports and the two failure reports
    String owner = "jdbc:h2:file:" + dir.resolve("owner").toAbsolutePath();
    Cli.Result imported = Cli.run("report", "import", "--db", owner, out.toString());
    assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
    assertThat(imported.out()).contains("2 failure reports imported, 0 already known, 0 refused");
  }

  @Test
  @DisplayName(
      "over SMTP: GreenMail receives the failure reports; without --failure-reports at verify"
          + " time there are none")
  void failureReports_smtp_andOffByDefault() throws Exception {
    String db = verify(true);
    Cli.Result r =
        send(db, "--smtp", "127.0.0.1:" + GREENMAIL.getSmtp().getPort(), "--starttls", "off");
    assertThat(r.exitCode()).as(r.err()).isZero();
    long arf =
        Stream.of(GREENMAIL.getReceivedMessages())
            .filter(
                m -> {
                  try {
                    return m.getContentType().contains("feedback-report");
                  } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .count();
    assertThat(arf).isEqualTo(2);

    java.nio.file.Path other = dir.resolve("off");
    Files.createDirectories(other);
    String dbOff = "jdbc:h2:file:" + other.resolve("reports").toAbsolutePath();
    Cli.Result v =
        Cli.run(
            "verify",
            "--batch",
            EXAMPLES.resolve("requests.jsonl").toString(),
            "--authserv-id",
            "mx.example.net",
            "--report-db",
            dbOff);
    assertThat(v.exitCode()).isZero();
    Cli.Result off = send(dbOff, "--out", other.resolve("mails").toString());
    assertThat(off.out().lines().filter(l -> l.contains("<failure."))).isEmpty();
    assertThat(Cli.run("verify", "--failure-reports", "x.eml").exitCode()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "FAIL-09: an SPF record with ra=/rr=f gets an Auth-Failure: spf report at ra@its domain"
          + " for an SPF fail, with SPF-DNS; a softfail it did not ask for gets none")
  void spfRecordRequest_outDir() throws Exception {
    Path zone = dir.resolve("bounces.example.zone");
    Files.writeString(
        zone,
        "$ORIGIN bounces.example.\n$TTL 300\n"
            + "@ IN SOA ns.bounces.example. hostmaster.bounces.example. 1 3600 600 86400 300\n"
            + "@ IN NS ns.bounces.example.\n"
            + "@ IN TXT \"v=spf1 ip4:192.0.2.0/24 ra=spf-failures rr=f -all\"\n"
            + "soft IN TXT \"v=spf1 ip4:192.0.2.0/24 ra=spf-failures rr=f ~all\"\n",
        StandardCharsets.US_ASCII);
    String message = EXAMPLES.resolve("messages/spoofed.eml").toAbsolutePath().toString();
    String zones =
        "[\""
            + zone.toAbsolutePath()
            + "\", \""
            + EXAMPLES.resolve("zones/example.com.zone").toAbsolutePath()
            + "\"]";
    Path requests = dir.resolve("requests.jsonl");
    Files.writeString(
        requests,
        "{\"id\": \"fail\", \"message\": \""
            + message
            + "\", \"zone\": "
            + zones
            + ", \"clientIp\": \"203.0.113.66\", \"helo\": \"mx.attacker.invalid\","
            + " \"mailFrom\": \"payroll@bounces.example\", \"now\": 1795773660}\n"
            + "{\"id\": \"soft\", \"message\": \""
            + message
            + "\", \"zone\": "
            + zones
            + ", \"clientIp\": \"203.0.113.67\", \"helo\": \"mx.attacker.invalid\","
            + " \"mailFrom\": \"payroll@soft.bounces.example\", \"now\": 1795773660}\n",
        StandardCharsets.UTF_8);
    String db = "jdbc:h2:file:" + dir.resolve("spf-reports").toAbsolutePath();
    Cli.Result v =
        Cli.run(
            "verify",
            "--batch",
            requests.toString(),
            "--authserv-id",
            "mx.example.net",
            "--report-db",
            db,
            "--failure-reports");
    assertThat(v.exitCode()).as(v.err()).isZero();
    Path out = dir.resolve("spf-mails");
    Cli.Result r = send(db, "--zone", zone.toString(), "--out", out.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<Path> arf;
    try (Stream<Path> files = Files.list(out)) {
      arf =
          files
              .filter(p -> p.getFileName().toString().startsWith("spf-failures@bounces.example"))
              .toList();
    }
    assertThat(arf).as(r.out()).hasSize(1);
    MimeMultipart mp = (MimeMultipart) parse(Files.readAllBytes(arf.get(0))).getContent();
    InternetHeaders fields =
        new InternetHeaders(
            new ByteArrayInputStream(partText(mp.getBodyPart(1)).getBytes(StandardCharsets.UTF_8)));
    assertThat(fields.getHeader("Auth-Failure", null)).isEqualTo("spf");
    assertThat(fields.getHeader("Reported-Domain", null)).isEqualTo("bounces.example");
    assertThat(fields.getHeader("Source-IP", null)).isEqualTo("203.0.113.66");
    assertThat(fields.getHeader("SPF-DNS", null))
        .contains("bounces.example")
        .contains("ra=spf-failures");
    assertThat(partText(mp.getBodyPart(0)))
        .contains("Requested by the published record of bounces.example.");
    assertThat(r.out().lines().filter(l -> l.contains("soft.bounces.example"))).isEmpty();
  }
}
