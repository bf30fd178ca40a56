// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DkimCommandTest {
  private static final String ZONE = Cli.resource("dkim/example.com.zone");
  private static final String SIGNED = Cli.resource("dkim/signed.eml");
  private static final String MESSAGE = Cli.resource("dkim/message.eml");
  private static final String RSA = Cli.resource("keys/rsa2048.pem");
  private static final String ED = Cli.resource("keys/ed25519.pem");

  @Test
  @DisplayName(
      "RFC 6376 §3.3.2 and §3.6.2.2: dkim: stored signed message passes with a split TXT key, exit 0")
  void dkim_storedSigned_passes() {
    Cli.Result r = Cli.run("dkim", "--zone", ZONE, "--now", "1700000000", SIGNED);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip())
        .startsWith("dkim=pass d=example.com s=sel a=rsa-sha256 b=")
        .contains("reason=verified key-bits=2048");
  }

  @Test
  @DisplayName(
      "RFC 8601 §2.7.1: dkim: unsigned message prints none, exit 1; --json has the summary")
  void dkim_unsigned_none() throws Exception {
    Cli.Result r = Cli.run("dkim", "--zone", ZONE, MESSAGE);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("dkim=none");
    Cli.Result j = Cli.run("dkim", "--zone", ZONE, "--json", MESSAGE);
    JsonNode n = new ObjectMapper().readTree(j.out());
    assertThat(n.get("summary").asText()).isEqualTo("none");
    assertThat(n.get("signatures")).isEmpty();
  }

  @Test
  @DisplayName("RFC 8463 §3: dkim-sign ed25519 then dkim --json: both signatures pass")
  void sign_thenVerify_roundTrip(@TempDir Path dir) throws Exception {
    Cli.Result s =
        Cli.run(
            "dkim-sign",
            "--key",
            ED,
            "--domain",
            "example.com",
            "--selector",
            "ed",
            "--algorithm",
            "ed25519-sha256",
            "--over-sign",
            "--expire",
            "3600",
            "--now",
            "1700000000",
            SIGNED);
    assertThat(s.exitCode()).as(s.err()).isZero();
    assertThat(s.out())
        .startsWith("DKIM-Signature: v=1; a=ed25519-sha256;")
        .contains("x=1700003600");
    Path out = dir.resolve("twice.eml");
    Files.writeString(out, s.out(), StandardCharsets.ISO_8859_1);
    Cli.Result v = Cli.run("dkim", "--zone", ZONE, "--now", "1700000100", "--json", out.toString());
    assertThat(v.exitCode()).as(v.out() + v.err()).isZero();
    JsonNode n = new ObjectMapper().readTree(v.out());
    assertThat(n.get("signatures")).hasSize(2);
    assertThat(n.get("signatures").get(0).get("algorithm").asText()).isEqualTo("ed25519-sha256");
    assertThat(n.get("signatures").findValuesAsText("result")).containsOnly("pass");
    // Past the x= expiry the ed25519 signature is a permerror; the RSA one still passes.
    Cli.Result late = Cli.run("dkim", "--zone", ZONE, "--now", "1700009999", out.toString());
    assertThat(late.out()).contains("dkim=permerror d=example.com s=ed").contains("reason=expired");
  }

  @Test
  @DisplayName("RFC 6376 §6.1.3: dkim: a changed body fails with body-hash-mismatch, exit 1")
  void dkim_tampered_fails(@TempDir Path dir) throws Exception {
    String text =
        Files.readString(Path.of(SIGNED), StandardCharsets.ISO_8859_1).replace("Hello", "Jello");
    Path p = dir.resolve("bad.eml");
    Files.writeString(p, text, StandardCharsets.ISO_8859_1);
    Cli.Result r = Cli.run("dkim", "--zone", ZONE, "--now", "1700000000", p.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("dkim=fail").contains("reason=body-hash-mismatch");
  }

  @Test
  @DisplayName("dkim reads the message from stdin with -")
  void dkim_stdin() throws Exception {
    InputStream old = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(Path.of(SIGNED))));
      Cli.Result r = Cli.run("dkim", "--zone", ZONE, "--now", "1700000000", "-");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).startsWith("dkim=pass");
    } finally {
      System.setIn(old);
    }
  }

  @Test
  @DisplayName("dkim-sign: signing with the stored inputs reproduces signed.eml byte for byte")
  void sign_deterministic_matchesStored() throws Exception {
    PrintStream old = System.out;
    Cli.Result s =
        Cli.run(
            "dkim-sign",
            "--key",
            RSA,
            "--domain",
            "example.com",
            "--selector",
            "sel",
            "--now",
            "1700000000",
            MESSAGE);
    assertThat(System.out).isSameAs(old);
    assertThat(s.exitCode()).isZero();
    assertThat(s.out()).isEqualTo(Files.readString(Path.of(SIGNED), StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName(
      "dkim-sign usage errors: algorithm mismatch, missing file, bad canonicalization -> exit 2")
  void sign_usageErrors() {
    assertThat(
            Cli.run(
                    "dkim-sign",
                    "--key",
                    RSA,
                    "--domain",
                    "example.com",
                    "--selector",
                    "sel",
                    "--algorithm",
                    "ed25519-sha256",
                    MESSAGE)
                .exitCode())
        .isEqualTo(2);
    assertThat(
            Cli.run(
                    "dkim-sign",
                    "--key",
                    RSA,
                    "--domain",
                    "example.com",
                    "--selector",
                    "sel",
                    "/nonexistent/file.eml")
                .exitCode())
        .isEqualTo(2);
    Cli.Result c =
        Cli.run(
            "dkim-sign",
            "--key",
            RSA,
            "--domain",
            "example.com",
            "--selector",
            "sel",
            "-c",
            "fancy/simple",
            MESSAGE);
    assertThat(c.exitCode()).isEqualTo(2);
    assertThat(c.err()).contains("unknown canonicalization fancy");
  }

  @Test
  @DisplayName("RFC 6376 §3.6.1: dkim: revoked key selector gives permerror key-revoked")
  void dkim_revokedKey(@TempDir Path dir) throws Exception {
    Cli.Result s =
        Cli.run(
            "dkim-sign",
            "--key",
            RSA,
            "--domain",
            "example.com",
            "--selector",
            "revoked",
            "--now",
            "1700000000",
            MESSAGE);
    Path p = dir.resolve("revoked.eml");
    Files.writeString(p, s.out(), StandardCharsets.ISO_8859_1);
    Cli.Result r = Cli.run("dkim", "--zone", ZONE, "--now", "1700000000", p.toString());
    assertThat(r.out()).contains("dkim=permerror").contains("reason=key-revoked");
    assertThat(r.exitCode()).isEqualTo(1);
  }
}
