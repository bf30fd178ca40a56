// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The shipped example (examples/), through the same files and commands as examples/run.sh. */
final class ExampleTest {
  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> args(String... rest) {
    List<String> a = new ArrayList<>(List.of("verify", "--json", "--now", "1795773660"));
    for (String z : List.of("example.com.zone", "example.net.zone", "example.org.zone")) {
      a.add("--zone");
      a.add(EXAMPLES.resolve("zones").resolve(z).toString());
    }
    a.addAll(List.of(rest));
    return a;
  }

  private static JsonNode verify(String ip, String helo, String mailFrom, String message)
      throws Exception {
    List<String> a =
        args(
            "--client-ip",
            ip,
            "--helo",
            helo,
            "--mail-from",
            mailFrom,
            EXAMPLES.resolve("messages").resolve(message).toString());
    Cli.Result r = Cli.run(a.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.4.1 and §4.4.2: example 1: example.com's own signed mail passes DKIM, SPF and DMARC")
  void verify_legitimate_pass() throws Exception {
    JsonNode r = verify("192.0.2.25", "mail.example.com", "alice@example.com", "legit.eml");
    assertThat(r.at("/spf/result").asText()).isEqualTo("pass");
    assertThat(r.at("/dkim/0/result").asText()).isEqualTo("pass");
    assertThat(r.at("/dkim/0/domain").asText()).isEqualTo("example.com");
    assertThat(r.at("/dkim/0/selector").asText()).isEqualTo("sel2026");
    assertThat(r.at("/dmarc/result").asText()).isEqualTo("pass");
    assertThat(r.at("/dmarc/policy").asText()).isEqualTo("quarantine");
    assertThat(r.at("/dmarc/disposition").asText()).isEqualTo("none");
    assertThat(r.at("/dmarc/spfAligned").asBoolean()).isTrue();
    assertThat(r.at("/dmarc/dkimAligned").asBoolean()).isTrue();
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3 and §5.3.5: example 2: a third-party mailer without signature or SPF: quarantine")
  void verify_thirdParty_quarantine() throws Exception {
    JsonNode r =
        verify(
            "198.51.100.7",
            "mailer.example.net",
            "bounce-4711@mailer.example.net",
            "third-party.eml");
    assertThat(r.at("/spf/result").asText()).isEqualTo("pass");
    assertThat(r.at("/spf/domain").asText()).isEqualTo("mailer.example.net");
    assertThat(r.at("/dkim").size()).isZero();
    assertThat(r.at("/dmarc/result").asText()).isEqualTo("fail");
    assertThat(r.at("/dmarc/spfAligned").asBoolean()).isFalse();
    assertThat(r.at("/dmarc/disposition").asText()).isEqualTo("quarantine");
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3: example 3 and 4: spoofed From: quarantine for example.com, reject for example.org")
  void verify_spoofed_quarantineAndReject() throws Exception {
    JsonNode q =
        verify("203.0.113.66", "mx.attacker.invalid", "payroll@example.com", "spoofed.eml");
    assertThat(q.at("/spf/result").asText()).isEqualTo("fail");
    assertThat(q.at("/dmarc/result").asText()).isEqualTo("fail");
    assertThat(q.at("/dmarc/disposition").asText()).isEqualTo("quarantine");
    JsonNode r =
        verify("203.0.113.66", "mx.attacker.invalid", "billing@example.org", "spoofed-reject.eml");
    assertThat(r.at("/dmarc/result").asText()).isEqualTo("fail");
    assertThat(r.at("/dmarc/policyDomain").asText()).isEqualTo("example.org");
    assertThat(r.at("/dmarc/disposition").asText()).isEqualTo("reject");
  }

  @Test
  @DisplayName("example --batch: one JSON line per request, in order, same outcomes")
  void batch_exampleRequests_inOrder() throws Exception {
    Cli.Result r = Cli.run("verify", "--batch", EXAMPLES.resolve("requests.jsonl").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().split("\\R")) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines)
        .extracting(n -> n.get("id").asText())
        .containsExactly("legit", "third-party", "spoofed", "spoofed-reject");
    assertThat(lines)
        .extracting(n -> n.at("/dmarc/disposition").asText())
        .containsExactly("none", "quarantine", "quarantine", "reject");
  }

  @Test
  @DisplayName("RFC 8601 §2.2: human output: the Authentication-Results field and a summary line")
  void verify_text_printsHeader() throws Exception {
    Cli.Result r =
        Cli.run(
            "verify",
            "--now",
            "1795773660",
            "--zone",
            EXAMPLES.resolve("zones/example.com.zone").toString(),
            "--client-ip",
            "192.0.2.25",
            "--helo",
            "mail.example.com",
            "--mail-from",
            "alice@example.com",
            "--authserv-id",
            "mx.example.net",
            EXAMPLES.resolve("messages/legit.eml").toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("Authentication-Results: mx.example.net;");
    assertThat(r.out()).contains("dkim=pass header.d=example.com");
    assertThat(r.out()).contains("dmarc=pass");
    assertThat(r.out()).contains("DMARC pass for example.com");
  }

  @Test
  @DisplayName("the example files exist where run.sh expects them")
  void examples_present() {
    assertThat(Files.isRegularFile(EXAMPLES.resolve("run.sh"))).isTrue();
    assertThat(Files.isRegularFile(EXAMPLES.resolve("messages/legit.eml"))).isTrue();
  }
}
