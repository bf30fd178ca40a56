// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class SpfCommandTest {

  private static final String ZONE = Cli.resource("spf/example.org.zone");

  private static Cli.Result spf(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "spf";
    all[1] = "--zone";
    all[2] = ZONE;
    System.arraycopy(args, 0, all, 3, args.length);
    return Cli.run(all);
  }

  @Test
  @DisplayName("RFC 7208 §5.4 and §9.1: mx match passes and prints Received-SPF, exit 0")
  void spf_mxMatch_pass() {
    Cli.Result r =
        spf(
            "--client-ip",
            "192.0.2.10",
            "--helo",
            "mx.sender.example",
            "--mail-from",
            "user@example.org",
            "--receiver",
            "mx.receiver.example");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("spf=pass smtp.mailfrom=user@example.org")
        .contains("mechanism:    mx")
        .contains(
            "Received-SPF: pass (mx.receiver.example: domain of user@example.org"
                + " designates 192.0.2.10 as permitted sender) client-ip=192.0.2.10;"
                + " envelope-from=\"user@example.org\"; helo=mx.sender.example;"
                + " receiver=mx.receiver.example; identity=mailfrom; mechanism=mx;");
  }

  @Test
  @DisplayName("RFC 7208 §6.2: fail shows the exp= explanation, exit 1")
  void spf_fail_explanation() {
    Cli.Result r =
        spf(
            "--client-ip",
            "203.0.113.5",
            "--helo",
            "h.example",
            "--mail-from",
            "<user@example.org>");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out())
        .contains("spf=fail")
        .contains("explanation:  203.0.113.5 is not allowed to send mail as user@example.org");
  }

  @Test
  @DisplayName("RFC 7208 §2.3: HELO identity with --identity helo and JSON output")
  void spf_heloJson_pass() throws Exception {
    Cli.Result r =
        spf(
            "--client-ip",
            "192.0.2.25",
            "--helo",
            "mail.example.org",
            "--identity",
            "helo",
            "--json");
    assertThat(r.exitCode()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("result").asText()).isEqualTo("pass");
    assertThat(j.get("scope").asText()).isEqualTo("helo");
    assertThat(j.get("identity").asText()).isEqualTo("postmaster@mail.example.org");
    assertThat(j.get("receivedSpf").asText()).startsWith("Received-SPF: pass (");
  }

  @Test
  @DisplayName("RFC 7208 §4.5 and §4.6.4: multiple records and include loops are permerror, exit 4")
  void spf_permerrors_exitFour() {
    Cli.Result two =
        spf("--client-ip", "192.0.2.1", "--helo", "h.example", "--mail-from", "a@two.example.org");
    assertThat(two.exitCode()).isEqualTo(4);
    assertThat(two.out()).contains("problem:      multiple-records");
    Cli.Result loop =
        spf(
            "--client-ip",
            "192.0.2.1",
            "--helo",
            "h.example",
            "--mail-from",
            "a@loop.example.org",
            "--json");
    assertThat(loop.exitCode()).isEqualTo(4);
    assertThat(loop.out())
        .contains("\"problem\" : \"too-many-dns-lookups\"")
        .contains("\"dnsLookups\" : 10");
  }

  @Test
  @DisplayName("a bad --client-ip is a usage error, exit 2")
  void spf_badClientIp_usageError() {
    Cli.Result r = spf("--client-ip", "not-an-ip", "--helo", "h.example");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--client-ip");
  }
}
