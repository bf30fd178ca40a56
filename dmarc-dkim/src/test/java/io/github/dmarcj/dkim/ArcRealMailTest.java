// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.ArcInstance;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcResult;
import io.github.dmarcj.result.DkimResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Real forwarded mail with ARC from Stalwart mail-auth's resources/arc (stalwart-arc/SOURCE.md): a
 * Google-sealed message relayed through the IETF list, and a two-hop chain of RSA and Ed25519
 * seals. Each chain must pass, as it does upstream.
 */
final class ArcRealMailTest {
  static ArcOutcome verify(String file) {
    String text = TestData.text("stalwart-arc/" + file);
    int split = text.indexOf("\n\n");
    InMemoryDnsResolver.Builder r = InMemoryDnsResolver.builder();
    for (String line : text.substring(0, split).split("\n")) {
      int sp = line.indexOf(' ');
      r.txt(line.substring(0, sp), line.substring(sp + 1));
    }
    byte[] msg = TestData.crlf(text.substring(split + 2).getBytes(StandardCharsets.ISO_8859_1));
    DkimMessageVerifier dkim =
        DkimMessageVerifier.builder(r.build())
            .clock(TestData.fixed(StalwartSuiteTest.CLOCK))
            .rejectFutureTimestamp(false)
            .build();
    return ArcChainVerifier.builder(dkim).build().verifyMessage(msg).toCompletableFuture().join();
  }

  @Test
  @DisplayName("RFC 8617 §5.2: a Google-sealed message from a mailing list passes")
  void googleSealed_listMessage_passes() {
    ArcOutcome o = verify("001.txt");
    assertThat(o.result()).as(o.toString()).isEqualTo(ArcResult.PASS);
    assertThat(o.instanceCount()).isEqualTo(o.instances().size()).isPositive();
    assertThat(o.sealers()).contains("google.com");
    for (ArcInstance i : o.instances()) {
      assertThat(i.seal().result()).isEqualTo(DkimResult.PASS);
    }
    assertThat(o.oldestPass()).isPresent();
  }

  @Test
  @DisplayName("RFC 8617 §5.2 and RFC 8463: a two-hop chain, Ed25519 seal then RSA seal, passes")
  void twoHops_ed25519ThenRsa_passes() {
    ArcOutcome o = verify("002.txt");
    assertThat(o.result()).as(o.toString()).isEqualTo(ArcResult.PASS);
    assertThat(o.instanceCount()).isEqualTo(2);
    assertThat(o.sealers()).isEqualTo(List.of("scamorza.org", "manchego.org"));
    assertThat(o.instances().get(0).seal().algorithm()).isEqualTo("ed25519-sha256");
    assertThat(o.instances().get(0).chainValidation()).isEqualTo("none");
    assertThat(o.instances().get(1).chainValidation()).isEqualTo("pass");
    assertThat(o.chainSummary()).startsWith("arc=pass as[2].d=manchego.org as[2].s=rsa");
  }
}
