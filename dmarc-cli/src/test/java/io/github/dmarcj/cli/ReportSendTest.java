// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Part;
import jakarta.mail.Session;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarc report send} end to end: the example's four messages verified into an H2 report
 * database, then their reports mailed to GreenMail (a real SMTP server on loopback), DKIM-signed
 * with the example key, checked as a report consumer would (Jakarta Mail, the RFC 9990 schema,
 * dmarc-dkim and dkimpy), and not sent again by a second run.
 */
final class ReportSendTest {
  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final Path EXAMPLES = Path.of("..", "examples");

  /** 2026-11-28T00:10:00Z: the day after the example's messages. */
  private static final String NOW = "1795824600";

  private static final Path KEY =
      EXAMPLES.resolve("keys/example.com.sel2026.TEST-ONLY.private.pem");

  @TempDir Path dir;
  private String db;

  @BeforeEach
  void verifyExamples() {
    db = "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
    Cli.Result r =
        Cli.run(
            "verify",
            "--batch",
            EXAMPLES.resolve("requests.jsonl").toString(),
            "--authserv-id",
            "mx.example.net",
            "--report-db",
            db);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  private static List<String> zones() {
    List<String> a = new ArrayList<>();
    for (String z : List.of("example.com.zone", "example.net.zone", "example.org.zone")) {
      a.add("--zone");
      a.add(EXAMPLES.resolve("zones").resolve(z).toString());
    }
    return a;
  }

  private Cli.Result send(String... target) {
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
                KEY.toString(),
                "--dkim-domain",
                "example.com",
                "--dkim-selector",
                "sel2026"));
    a.addAll(zones());
    a.addAll(List.of(target));
    return Cli.run(a.toArray(String[]::new));
  }

  private String[] smtp() {
    return new String[] {
      "--smtp", "127.0.0.1:" + GREENMAIL.getSmtp().getPort(), "--starttls", "off"
    };
  }

  private static byte[] raw(MimeMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    byte[] b = out.toByteArray();
    // GreenMail adds Return-Path and Received on top; the signed mail follows them.
    String s = new String(b, StandardCharsets.US_ASCII);
    return s.substring(s.indexOf("DKIM-Signature:")).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.5: each policy domain's report reaches its rua over SMTP, signed, schema-valid")
  void send_smtp_reportsArrive() throws Exception {
    Cli.Result r = send(smtp());
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out().lines())
        .anyMatch(
            l ->
                l.startsWith(
                    "sent example.com <example.com.1795737600.1795824000@example.com>"
                        + " -> dmarc-reports@example.com"))
        .anyMatch(
            l -> l.startsWith("sent example.org <") && l.contains("-> dmarc-reports@example.org"));
    MimeMessage[] got = GREENMAIL.getReceivedMessages();
    assertThat(got).hasSize(2);
    for (MimeMessage m : got) {
      String to = m.getAllRecipients()[0].toString();
      String domain = to.substring(to.indexOf('@') + 1);
      assertThat(m.getSubject())
          .startsWith(
              "Report Domain: " + domain + " Submitter: example.com Report-ID: <" + domain + ".");
      Part gz = ((MimeMultipart) m.getContent()).getBodyPart(1);
      assertThat(gz.isMimeType("application/gzip")).isTrue();
      assertThat(gz.getFileName())
          .isEqualTo("example.com!" + domain + "!1795737600!1795824000.xml.gz");
      byte[] xml;
      try (InputStream in = new GZIPInputStream(gz.getInputStream())) {
        xml = in.readAllBytes();
      }
      try (InputStream xsd = getClass().getResourceAsStream("/dmarc-xsd/dmarc-xml-0.2.xsd")) {
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
            .newSchema(new StreamSource(xsd))
            .newValidator()
            .validate(new StreamSource(new ByteArrayInputStream(xml)));
      }
      int messages = 0;
      Matcher c =
          Pattern.compile("<count>(\\d+)</count>").matcher(new String(xml, StandardCharsets.UTF_8));
      while (c.find()) {
        messages += Integer.parseInt(c.group(1));
      }
      assertThat(messages).isEqualTo(domain.equals("example.com") ? 3 : 1);

      Path file = dir.resolve(domain + ".eml");
      Files.write(file, raw(m));
      List<String> dkim = new ArrayList<>(List.of("dkim", "--now", NOW));
      dkim.addAll(zones());
      dkim.add(file.toString());
      Cli.Result v = Cli.run(dkim.toArray(String[]::new));
      assertThat(v.out())
          .as(v.err())
          .contains("pass")
          .contains("d=example.com")
          .doesNotContain("fail");
      assertThat(dkimpy(file)).as("dkimpy on " + domain).isEqualTo("True");
    }
  }

  @Test
  @DisplayName("running the sender twice sends nothing twice; report status shows the ledger")
  void send_twice_sendsOnce() throws Exception {
    assertThat(send(smtp()).exitCode()).isZero();
    Cli.Result again = send(smtp());
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).as("the period is settled: nothing left to do").isEmpty();
    long end = Long.parseLong(NOW) / 86_400 * 86_400;
    List<String> explicit =
        new ArrayList<>(
            List.of("--begin", Long.toString(end - 86_400), "--end", Long.toString(end)));
    explicit.addAll(List.of(smtp()));
    Cli.Result named = send(explicit.toArray(String[]::new));
    assertThat(named.exitCode()).isZero();
    assertThat(named.out().lines()).hasSize(2).allMatch(l -> l.startsWith("already-sent "));
    assertThat(GREENMAIL.getReceivedMessages()).hasSize(2);
    Cli.Result status = Cli.run("report", "status", "--db", db);
    assertThat(status.exitCode()).isZero();
    assertThat(status.out().lines())
        .hasSize(2)
        .allMatch(l -> l.startsWith("sent ") && l.contains("attempts 1"));
  }

  @Test
  @DisplayName("--out DIR writes the mails as .eml files instead of sending them")
  void send_out_writesFiles() throws Exception {
    Path out = dir.resolve("mails");
    Cli.Result r = send("--out", out.toString(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.contains("\"result\":\"sent\""));
    try (Stream<Path> files = Files.list(out)) {
      List<Path> emls = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
      assertThat(emls)
          .extracting(p -> p.getFileName().toString())
          .containsExactly("dmarc-reports@example.com.1.eml", "dmarc-reports@example.org.1.eml");
      MimeMessage m =
          new MimeMessage(Session.getInstance(new Properties()), Files.newInputStream(emls.get(0)));
      assertThat(m.getSubject()).startsWith("Report Domain: example.com Submitter: example.com");
    }
    assertThat(GREENMAIL.getReceivedMessages()).isEmpty();
  }

  @Test
  @DisplayName("a relay that refuses the connection: retried later, exit code 0, nothing lost")
  void send_relayDown_retryLater() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli.Result r = send("--smtp", "127.0.0.1:" + port, "--starttls", "off");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out().lines()).hasSize(2).allMatch(l -> l.startsWith("retry-later "));
    assertThat(Cli.run("report", "status", "--db", db).out().lines())
        .hasSize(2)
        .allMatch(l -> l.startsWith("pending ") && l.contains(" next "));
  }

  @Test
  @DisplayName("usage errors: no target, both targets, half the DKIM options")
  void send_usageErrors() {
    assertThat(
            Cli.run("report", "send", "--db", db, "--org-name", "x", "--from", "a@b.example")
                .exitCode())
        .isEqualTo(2);
    assertThat(send("--out", dir.toString(), "--smtp", "127.0.0.1:25").exitCode()).isEqualTo(2);
    assertThat(
            Cli.run(
                    "report",
                    "send",
                    "--db",
                    db,
                    "--org-name",
                    "x",
                    "--from",
                    "a@b.example",
                    "--out",
                    dir.toString(),
                    "--dkim-domain",
                    "b.example")
                .exitCode())
        .isEqualTo(2);
    Cli.Result badPeriod = send("--out", dir.toString(), "--period", "5h");
    assertThat(badPeriod.exitCode()).isEqualTo(2);
    assertThat(badPeriod.err()).contains("divides a day");
    assertThat(send("--out", dir.toString(), "--lookback", "0").exitCode()).isEqualTo(2);
    assertThat(send("--out", dir.toString(), "--grace", "ten").exitCode()).isEqualTo(2);
    assertThat(
            send("--out", dir.toString(), "--begin", "0", "--end", "86400", "--period", "6h")
                .exitCode())
        .isEqualTo(2);
    assertThat(send("--out", dir.toString(), "--begin", "0").exitCode()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "a progress line on standard error on long runs (every policy domain with"
          + " --progress-every 0); nothing due within --grace of the period's end")
  void send_progressAndGrace() throws Exception {
    Path out = dir.resolve("mails");
    Cli.Result early = send("--out", out.toString(), "--grace", "11m");
    assertThat(early.exitCode()).as(early.err()).isZero();
    assertThat(early.out()).isEmpty();
    Cli.Result r = send("--out", out.toString(), "--progress-every", "0");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err().lines())
        .containsExactly(
            "progress: 1 of 2 policy domains, 1 sent", "progress: 2 of 2 policy domains, 2 sent");
    Cli.Result quiet = send("--out", out.toString(), "--progress-every", "1h");
    assertThat(quiet.err()).isEmpty();
  }

  private static String dkimpy(Path message) throws Exception {
    Path python = Path.of("/usr/bin/python3");
    boolean present =
        Files.isExecutable(python)
            && new ProcessBuilder(python.toString(), "-c", "import dkim").start().waitFor() == 0;
    if (!present && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort("dkimpy (python3-dkim) is not installed");
    }
    String zone = Files.readString(EXAMPLES.resolve("zones/example.com.zone"));
    Matcher k =
        Pattern.compile("sel2026\\._domainkey\\s+IN TXT\\s+\"([^\"]+)\" \"([^\"]+)\"")
            .matcher(zone);
    assertThat(k.find()).isTrue();
    String script =
        "import sys, dkim\n"
            + "key = sys.argv[2].encode()\n"
            + "def dns(name, timeout=5):\n"
            + "    return key if name.rstrip(b'.').lower() == b'sel2026._domainkey.example.com' else None\n"
            + "print(dkim.verify(open(sys.argv[1], 'rb').read(), dnsfunc=dns))\n";
    Process p =
        new ProcessBuilder(
                python.toString(), "-c", script, message.toString(), k.group(1) + k.group(2))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
