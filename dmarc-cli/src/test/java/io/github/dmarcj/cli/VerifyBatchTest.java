// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class VerifyBatchTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

  @TempDir Path dir;

  private List<JsonNode> run(String... lines) throws Exception {
    Path req = dir.resolve("requests.jsonl");
    Files.write(req, List.of(lines), StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("verify", "--batch", req.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> out = new ArrayList<>();
    for (String l : r.out().split("\\R")) {
      if (!l.isEmpty()) {
        out.add(JSON.readTree(l));
      }
    }
    return out;
  }

  private static String request(String id, String message, String ip) {
    return "{\"id\":\""
        + id
        + "\",\"message\":\""
        + EXAMPLES.resolve("messages").resolve(message)
        + "\",\"zone\":[\""
        + EXAMPLES.resolve("zones/example.com.zone")
        + "\",\""
        + EXAMPLES.resolve("zones/example.org.zone")
        + "\"],\"clientIp\":\""
        + ip
        + "\",\"helo\":\"h.example\",\"mailFrom\":\"x@example.com\",\"now\":1795773660}";
  }

  @Test
  @DisplayName("bad lines get an error line and the batch goes on, in order")
  void batch_badLines_errorLinesInOrder() throws Exception {
    List<JsonNode> out =
        run(
            request("a", "legit.eml", "192.0.2.25"),
            "this is not json",
            "[1,2]",
            "{\"id\":\"no-message\",\"clientIp\":\"192.0.2.1\"}",
            "{\"id\":\"bad-ip\",\"message\":\"x.eml\",\"clientIp\":\"mail.example.com\"}",
            request("missing-file", "does-not-exist.eml", "192.0.2.25"),
            "{\"id\":\"bad-zone\",\"message\":\""
                + EXAMPLES.resolve("messages/legit.eml")
                + "\",\"zone\":[\"/nonexistent.zone\"],\"clientIp\":\"192.0.2.25\"}",
            "",
            request("z", "spoofed.eml", "203.0.113.66"));
    assertThat(out).hasSize(8);
    assertThat(out.get(0).at("/dmarc/result").asText()).isEqualTo("pass");
    for (int i = 1; i <= 6; i++) {
      assertThat(out.get(i).hasNonNull("error")).as(out.get(i).toString()).isTrue();
    }
    assertThat(out.get(3).get("id").asText()).isEqualTo("no-message");
    assertThat(out.get(4).get("id").asText()).isEqualTo("bad-ip");
    assertThat(out.get(7).get("id").asText()).isEqualTo("z");
    assertThat(out.get(7).at("/dmarc/disposition").asText()).isEqualTo("quarantine");
  }

  @Test
  @DisplayName("many requests: output order equals input order; absent values are null")
  void batch_manyRequests_ordered() throws Exception {
    String[] lines = new String[600];
    for (int i = 0; i < lines.length; i++) {
      lines[i] =
          i % 2 == 0
              ? request("r" + i, "legit.eml", "192.0.2.25")
              : request("r" + i, "spoofed.eml", "203.0.113.66");
    }
    List<JsonNode> out = run(lines);
    assertThat(out).hasSize(600);
    for (int i = 0; i < out.size(); i++) {
      JsonNode n = out.get(i);
      assertThat(n.get("id").asText()).isEqualTo("r" + i);
      assertThat(n.at("/dmarc/result").asText()).isEqualTo(i % 2 == 0 ? "pass" : "fail");
      assertThat(n.has("authenticationResults")).isTrue();
    }
    JsonNode spoofed = out.get(1);
    assertThat(spoofed.get("dkim").size()).isZero();
    assertThat(spoofed.at("/dmarc/reason").isNull()).isTrue();
  }

  @Test
  @DisplayName("--batch with --dmarc-mode rfc7489 reports the mode in every line")
  void batch_rfc7489Mode_applied() throws Exception {
    Path req = dir.resolve("r.jsonl");
    Files.write(
        req, List.of(request("m", "spoofed-reject.eml", "203.0.113.66")), StandardCharsets.UTF_8);
    Cli.Result r = Cli.run("verify", "--batch", req.toString(), "--dmarc-mode", "rfc7489");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode n = JSON.readTree(r.out());
    assertThat(n.at("/dmarc/mode").asText()).isEqualTo("rfc7489");
    assertThat(n.at("/dmarc/disposition").asText()).isEqualTo("reject");
    // The record sits at the author domain itself, so no Organizational Domain (and no list) was
    // needed.
    assertThat(n.get("dmarc").has("publicSuffixList")).isTrue();
    assertThat(n.at("/dmarc/publicSuffixList").isNull()).isTrue();
  }

  @Test
  @DisplayName(
      "--batch - answers each request without waiting for the next one (a process of its own)")
  void batchStdin_openPipe_answersEachRequest() throws Exception {
    Process p = JavaProcess.dmarc("verify", "--batch", "-").start();
    try (var requests = new java.io.PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        var results =
            new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
      try {
        for (String id : List.of("first", "second")) {
          requests.println(request(id, "legit.eml", "192.0.2.25"));
          // stdin stays open: the result must come anyway
          String line =
              pool.submit(results::readLine).get(60, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(JSON.readTree(line).get("id").asText()).isEqualTo(id);
        }
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  @Test
  @DisplayName("usage errors: --batch with a message, single mode without --client-ip")
  void verify_usageErrors_exit2() {
    assertThat(Cli.run("verify", "--batch", "x.jsonl", "m.eml").exitCode()).isEqualTo(2);
    assertThat(Cli.run("verify", "m.eml").exitCode()).isEqualTo(2);
    assertThat(Cli.run("verify", "--client-ip", "not-an-ip", "m.eml").exitCode()).isEqualTo(2);
  }
}
