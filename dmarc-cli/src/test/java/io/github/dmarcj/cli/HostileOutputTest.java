// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command, fed answers and messages that hold terminal control sequences and line breaks,
 * prints each value on its own line with those characters escaped (text), or as JSON escapes.
 */
final class HostileOutputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EVIL_ZONE = Cli.resource("hostile/evil.example.zone");
  private static final String EXAMPLE_ZONE =
      Path.of("..", "examples", "zones", "example.com.zone")
          .toAbsolutePath()
          .normalize()
          .toString();

  /**
   * A message from example.com whose DKIM-Signature has an i= that decodes (quoted-printable) to CR
   * LF, a forged result line, a screen-clearing escape sequence and RIGHT-TO-LEFT OVERRIDE.
   */
  private static final String FORGED_I =
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com;\r\n"
          + " i==0D=0Adkim=3Dpass=20d=3Dbank.example=1B[2J=E2=80=AE@example.com; s=sel2026;\r\n"
          + " t=1795773600; h=from; bh=EE9RIdcl/ilns9JDOJoIIHIh3pP2+OFVyiV1lwa/f6s=; b=AAAA\r\n"
          + "From: Alice <alice@example.com>\r\n"
          + "Subject: hello\r\n"
          + "\r\n"
          + "body\r\n";

  @TempDir Path dir;

  /** Lines of the output; none holds a character that could drive the terminal. */
  private static List<String> safeLines(String out, boolean foldTabs) {
    assertThat(out).endsWith("\n");
    List<String> lines = Arrays.asList(out.substring(0, out.length() - 1).split("\n", -1));
    for (String line : lines) {
      String body = foldTabs && line.startsWith("\t") ? line.substring(1) : line;
      assertThat(body.chars().filter(c -> SafeText.unsafe((char) c)))
          .as("unsafe character in %s", line)
          .isEmpty();
    }
    return lines;
  }

  /** JSON output: only the pretty-printer's line breaks, every value escaped. */
  private static JsonNode safeJson(String out) throws Exception {
    assertThat(out.chars().filter(c -> c != '\n' && SafeText.unsafe((char) c))).isEmpty();
    return JSON.readTree(out);
  }

  private Path message(String text) throws Exception {
    Path p = dir.resolve("hostile.eml");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  @DisplayName("dkim: an i= decoding to CR LF cannot forge a second dkim=pass line")
  void dkim_forgedIdentity_oneEscapedLine() throws Exception {
    String msg = message(FORGED_I).toString();
    Cli.Result r = Cli.run("dkim", "--zone", EXAMPLE_ZONE, "--now", "1795773660", msg);
    assertThat(r.exitCode()).isEqualTo(1);
    List<String> lines = safeLines(r.out(), false);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .startsWith("dkim=fail d=example.com s=sel2026")
        .contains("i=\\r\\ndkim=pass d=bank.example\\x1b[2J");
    assertThat(lines).filteredOn(l -> l.startsWith("dkim=pass")).isEmpty();

    Cli.Result j = Cli.run("dkim", "--json", "--zone", EXAMPLE_ZONE, "--now", "1795773660", msg);
    JsonNode n = safeJson(j.out());
    // JSON keeps the exact value, as escapes.
    assertThat(n.at("/signatures/0/identity").asText())
        .startsWith("\r\ndkim=pass d=bank.example\u001b[2J");
  }

  @Test
  @DisplayName("verify: sender values in Authentication-Results stay inside their folded lines")
  void verify_hostileMessageAndEnvelope_escaped() throws Exception {
    String msg = message(FORGED_I).toString();
    Cli.Result r =
        Cli.run(
            "verify",
            "--zone",
            EXAMPLE_ZONE,
            "--now",
            "1795773660",
            "--client-ip",
            "192.0.2.25",
            "--helo",
            "h\u001b]0;x\u0007.example",
            "--mail-from",
            "a\u001b[2J\u202e@example.com",
            msg);
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = safeLines(r.out(), true);
    assertThat(lines.get(0)).isEqualTo("Authentication-Results: localhost;");
    assertThat(lines.subList(1, lines.size() - 1)).allMatch(l -> l.startsWith("\t"));
    assertThat(lines.get(lines.size() - 1)).startsWith("DMARC ");
    // The header writer already turned ESC into '?'; the bidi override is escaped on print.
    assertThat(r.out()).contains("a?[2J\\u202e@example.com");

    Cli.Result j =
        Cli.run(
            "verify",
            "--json",
            "--zone",
            EXAMPLE_ZONE,
            "--now",
            "1795773660",
            "--client-ip",
            "192.0.2.25",
            "--mail-from",
            "a\u001b[2J\u202e@example.com",
            msg);
    JsonNode n = safeJson(j.out());
    assertThat(j.out()).doesNotContain("\n\n").hasLineCount(1);
    assertThat(n.get("authenticationResults").asText()).contains("a?[2J\u202e@example.com");
  }

  @Test
  @DisplayName("verify --batch: one JSON line per request, hostile values escaped, error lines too")
  void verifyBatch_hostile_oneSafeLinePerRequest() throws Exception {
    Path msg = message(FORGED_I);
    Path req = dir.resolve("r.jsonl");
    Files.writeString(
        req,
        "{\"id\":\"a\\u001b[2J\\u2028\",\"message\":\""
            + msg
            + "\",\"zone\":\""
            + EXAMPLE_ZONE
            + "\",\"clientIp\":\"192.0.2.25\",\"mailFrom\":\"x\\u009b@example.com\",\"now\":1795773660}\n"
            + "{\"id\":\"b\",\"message\":\"missing\\u001b[2J\\r\\n.eml\",\"clientIp\":\"192.0.2.25\"}\n",
        StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("verify", "--batch", req.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<String> lines = safeLines(r.out(), false);
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines.get(0)).get("id").asText()).isEqualTo("a\u001b[2J\u2028");
    assertThat(JSON.readTree(lines.get(1)).get("error").asText())
        .contains("missing\u001b[2J\r\n.eml");
  }

  @Test
  @DisplayName("dns: TXT records with escape sequences and CR LF print as one escaped line each")
  void dns_hostileTxt_escaped() throws Exception {
    Cli.Result r = Cli.run("dns", "txt", "evil.example", "--zone", EVIL_ZONE);
    assertThat(r.exitCode()).isZero();
    List<String> lines = safeLines(r.out(), false);
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("TXT evil.example: found, 2 records, ttl 3600s");
    assertThat(lines)
        .contains(
            "  note\\r\\nTXT evil.example: found, 9 records \\x1b[2J\\x1b]0;pwned\\x07 \\u009b 31m"
                + " \\u202e \\u2028end");

    JsonNode n =
        safeJson(Cli.run("dns", "txt", "evil.example", "--json", "--zone", EVIL_ZONE).out());
    assertThat(n.get("records").findValuesAsText("records")).isEmpty();
    assertThat(n.get("records").get(1).asText()).startsWith("note\r\nTXT").contains("\u202e");
  }

  @Test
  @DisplayName("record: the DMARC record and the findings quoting it are escaped, text and JSON")
  void record_hostileDmarcRecord_escaped() throws Exception {
    Cli.Result r = Cli.run("record", "evil.example", "--zone", EVIL_ZONE);
    List<String> lines = safeLines(r.out(), false);
    assertThat(lines)
        .contains(
            "  v=DMARC1; p=reject; rua=mailto:r\\x1b[2J@evil.example; x=\\x1b]0;title\\x07\\u202e");
    JsonNode n = safeJson(Cli.run("record", "evil.example", "--json", "--zone", EVIL_ZONE).out());
    assertThat(n.at("/record/text").asText()).endsWith("title\u0007\u202e");
  }

  @Test
  @DisplayName("spf: a MAIL FROM with CR LF cannot add lines to the text output")
  void spf_hostileMailFrom_escaped() throws Exception {
    String[] args = {
      "spf",
      "--zone",
      EVIL_ZONE,
      "--client-ip",
      "203.0.113.9",
      "--helo",
      "h.example",
      "--mail-from",
      "a\r\nspf=pass\u001b[2J@evil.example"
    };
    Cli.Result r = Cli.run(args);
    assertThat(r.exitCode()).isEqualTo(1);
    List<String> lines = safeLines(r.out(), false);
    assertThat(lines).hasSize(7);
    assertThat(lines).filteredOn(l -> l.startsWith("spf=pass")).isEmpty();
    assertThat(lines).contains("identity:     mfrom a\\r\\nspf=pass\\x1b[2J@evil.example");
    String[] json = Arrays.copyOf(args, args.length + 1);
    json[args.length] = "--json";
    assertThat(safeJson(Cli.run(json).out()).get("identity").asText())
        .isEqualTo("a\r\nspf=pass\u001b[2J@evil.example");
  }

  @Test
  @DisplayName(
      "report aggregate: C1 and bidi characters from stored rows become XML character references")
  void reportAggregate_hostileRow_characterReferences() throws Exception {
    String db = "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
    Path msg = message("From: Mallory <m@evil.example>\r\nSubject: x\r\n\r\nbody\r\n");
    Cli.Result v =
        Cli.run(
            "verify",
            "--report-db",
            db,
            "--zone",
            EVIL_ZONE,
            "--now",
            "1795773660",
            "--client-ip",
            "203.0.113.9",
            "--mail-from",
            "m@ev\u009bil\u202e.example",
            msg.toString());
    assertThat(v.exitCode()).as(v.err()).isZero();
    Cli.Result r =
        Cli.run(
            "report",
            "aggregate",
            "--db",
            db,
            "--domain",
            "evil.example",
            "--begin",
            "1795737600",
            "--end",
            "1795824000",
            "--org-name",
            "Receiver",
            "--email",
            "dmarc@receiver.example");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().chars().filter(c -> c != '\n' && SafeText.unsafe((char) c))).isEmpty();
    assertThat(r.out()).contains("<envelope_from>ev&#x9B;il&#x202E;.example</envelope_from>");
  }

  @Test
  @DisplayName("error lines: a hostile argument or file name is escaped, on one line")
  void errors_hostileArguments_oneEscapedLine() throws Exception {
    Cli.Result r = Cli.run("record", "a\u001b[2J\r\nb.example", "--zone", EVIL_ZONE);
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(safeLines(r.err(), false))
        .containsExactly("dmarc record: not a domain name: a\\x1b[2J\\r\\nb.example");
    Cli.Result m =
        Cli.run(
            "verify",
            "--client-ip",
            "192.0.2.1",
            "--zone",
            EVIL_ZONE,
            dir.resolve("no\u001b[2J.eml").toString());
    assertThat(m.exitCode()).isEqualTo(1);
    assertThat(safeLines(m.err(), false))
        .hasSize(1)
        .allMatch(l -> l.contains("no\\x1b[2J.eml: no such file"));
  }
}
