// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code dmarc arc} and the ARC part of {@code dmarc verify}, offline with arc/arc.zone. */
final class ArcCommandTest {
  private static final String ZONE = Cli.resource("arc/arc.zone");
  private static final String CHAIN = Cli.resource("arc/chain-3.eml");
  private static final String TAMPERED = Cli.resource("arc/tampered-seal2.eml");
  private static final String PLAIN = Cli.resource("dkim/message.eml");

  @Test
  @DisplayName("RFC 8617 §5.2: arc prints the passing chain and one line per set, exit 0")
  void arc_threeHops_passes() {
    Cli.Result r = Cli.run("arc", "--zone", ZONE, CHAIN);
    assertThat(r.exitCode()).as(r.err()).isZero();
    String[] lines = r.out().strip().split("\\R");
    assertThat(lines).hasSize(4);
    assertThat(lines[0])
        .isEqualTo(
            "arc=pass sets=3 oldest-pass=0 sealers=list.example,forward.example,relay.example");
    assertThat(lines[1])
        .startsWith("i=1 d=list.example s=list cv=none ams=pass seal=pass aar: list.example;")
        .contains("dmarc=pass header.from=author.example");
    assertThat(lines[3]).startsWith("i=3 d=relay.example s=relay cv=pass ams=pass seal=pass");
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 6: arc --json names the failing step and instance, exit 1")
  void arc_tamperedSeal_failsJson() throws Exception {
    Cli.Result r = Cli.run("arc", "--zone", ZONE, "--json", TAMPERED);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    JsonNode a = new ObjectMapper().readTree(r.out()).get("arc");
    assertThat(a.get("result").asText()).isEqualTo("fail");
    assertThat(a.get("reason").asText()).isEqualTo("seal-failed");
    assertThat(a.get("failedInstance").asInt()).isEqualTo(3);
    assertThat(a.get("instances").get(2).get("sealReason").asText())
        .isEqualTo("signature-mismatch");
    Cli.Result t = Cli.run("arc", "--zone", ZONE, TAMPERED);
    assertThat(t.out()).startsWith("arc=fail sets=3 reason=seal-failed at-i=3");
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 1: arc on a message without ARC prints none, exit 1")
  void arc_noChain_none() {
    Cli.Result r = Cli.run("arc", "--zone", ZONE, PLAIN);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out().strip()).isEqualTo("arc=none (no ARC Set)");
    assertThat(Cli.run("arc", "--zone", ZONE, "--max-sets", "51", CHAIN).exitCode()).isEqualTo(2);
  }

  @Test
  @DisplayName(
      "RFC 8617 §10.1 and §7.2: verify shows arc= and the chain; a trusted sealer turns reject"
          + " into none (local_policy), an unknown one does not")
  void verify_forwardedThroughList_trustedSealerOverrides() throws Exception {
    String[] base = {
      "verify",
      "--zone",
      ZONE,
      "--client-ip",
      "203.0.113.9",
      "--helo",
      "relay.example",
      "--mail-from",
      "team-bounces@list.example",
      "--now",
      "1700001000"
    };
    Cli.Result plain = Cli.run(concat(base, CHAIN));
    assertThat(plain.out())
        .contains("arc=pass")
        .contains("smtp.remote-ip=203.0.113.9")
        .contains("header.oldest-pass=0")
        .contains("DMARC fail for author.example")
        .contains("disposition reject")
        .contains("arc=pass sets=3 oldest-pass=0");
    Cli.Result trusted =
        Cli.run(concat(base, "--trusted-arc-sealer", "list.example", "--json", CHAIN));
    JsonNode n = new ObjectMapper().readTree(trusted.out());
    assertThat(n.get("dmarc").get("result").asText()).isEqualTo("fail");
    assertThat(n.get("dmarc").get("disposition").asText()).isEqualTo("none");
    JsonNode o = n.get("dmarc").get("overrides").get(0);
    assertThat(o.get("type").asText()).isEqualTo("local_policy");
    assertThat(o.get("comment").asText())
        .startsWith("arc=pass as[3].d=relay.example as[3].s=relay")
        .contains("trusted-sealer=list.example i=1 saw dmarc=pass header.from=author.example");
    assertThat(n.get("arc").get("sets").asInt()).isEqualTo(3);
    assertThat(n.get("authenticationResults").asText()).contains("override=local_policy");
    Cli.Result unknown =
        Cli.run(concat(base, "--trusted-arc-sealer", "other.example", "--json", CHAIN));
    JsonNode u = new ObjectMapper().readTree(unknown.out());
    assertThat(u.get("dmarc").get("disposition").asText()).isEqualTo("reject");
    assertThat(u.get("dmarc").get("overrides")).isEmpty();
    Cli.Result broken =
        Cli.run(concat(base, "--trusted-arc-sealer", "list.example", "--json", TAMPERED));
    JsonNode b = new ObjectMapper().readTree(broken.out());
    assertThat(b.get("arc").get("result").asText()).isEqualTo("fail");
    assertThat(b.get("dmarc").get("disposition").asText()).isEqualTo("reject");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
