// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.ArcInstance;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcResult;
import io.github.dmarcj.result.DkimResult;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes ARC chain validation: any message, checked against the keys of the dkimpy-sealed chain
 * (arc-crosscheck), gives one typed outcome, the same from an array and a stream. Seeds are that
 * chain and its tampered variants.
 */
@Tag("fuzz")
final class ArcFuzzTest {
  private static final InMemoryDnsResolver ZONE = ArcCrossCheckTest.zone();

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void verifyChain_fuzzedMessage_typedOutcome(byte[] message) throws Exception {
    ArcChainVerifier verifier = ArcCrossCheckTest.verifier(ZONE);
    ArcOutcome o = verifier.verifyMessage(message).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertThat(o.reason().isPresent()).isEqualTo(o.result() == ArcResult.FAIL);
    assertThat(o.instances().size()).isLessThanOrEqualTo(o.instanceCount());
    assertThat(o.instanceCount()).isLessThanOrEqualTo(3 * 50 + 50);
    if (o.result() == ArcResult.NONE) {
      assertThat(o).isEqualTo(ArcOutcome.none());
    }
    if (o.result() == ArcResult.PASS) {
      // A pass means every seal and the newest AMS verified, instances 1..N in order.
      assertThat(o.instances()).hasSize(o.instanceCount());
      for (int i = 0; i < o.instances().size(); i++) {
        ArcInstance x = o.instances().get(i);
        assertThat(x.instance()).isEqualTo(i + 1);
        assertThat(x.seal().result()).isEqualTo(DkimResult.PASS);
        assertThat(x.chainValidation()).isEqualTo(i == 0 ? "none" : "pass");
      }
      assertThat(o.instances().get(o.instanceCount() - 1).ams().result())
          .isEqualTo(DkimResult.PASS);
      assertThat(o.oldestPass()).isPresent();
      assertThat(o.oldestPass().getAsInt()).isBetween(0, o.instanceCount());
    }
    assertThat(o.chainSummary()).startsWith("arc=" + o.result().keyword());
    ArcOutcome streamed =
        verifier
            .verifyMessage(new ByteArrayInputStream(message))
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    assertThat(streamed).isEqualTo(o);
  }
}
