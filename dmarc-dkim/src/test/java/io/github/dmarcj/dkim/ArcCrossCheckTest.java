// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcReason;
import io.github.dmarcj.result.ArcResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Chains sealed by dkimpy (arc-crosscheck/SOURCE.md): dmarcj's verdict on each file equals the one
 * dkimpy recorded in MANIFEST.txt, and the failures have the reason the tampering calls for.
 */
final class ArcCrossCheckTest {
  static InMemoryDnsResolver zone() {
    InMemoryDnsResolver.Builder r = InMemoryDnsResolver.builder();
    for (String line : TestData.text("arc-crosscheck/zone.txt").split("\n")) {
      if (!line.isBlank()) {
        int sp = line.indexOf(' ');
        r.txt(line.substring(0, sp), line.substring(sp + 1).strip());
      }
    }
    return r.build();
  }

  static ArcChainVerifier verifier(InMemoryDnsResolver zone) {
    return ArcChainVerifier.builder(
            DkimMessageVerifier.builder(zone).clock(TestData.fixed(1_900_000_000L)).build())
        .build();
  }

  static ArcOutcome verify(String file) {
    return verifier(zone())
        .verifyMessage(TestData.resource("arc-crosscheck/" + file))
        .toCompletableFuture()
        .join();
  }

  static Map<String, ArcResult> manifest() {
    Map<String, ArcResult> out = new LinkedHashMap<>();
    for (String line : TestData.text("arc-crosscheck/MANIFEST.txt").split("\n")) {
      if (!line.isBlank()) {
        String[] parts = line.strip().split(" ");
        out.put(parts[0], ArcResult.fromKeyword(parts[1]));
      }
    }
    return out;
  }

  @TestFactory
  @DisplayName("RFC 8617 §5.2: every dkimpy-sealed file gets dkimpy's verdict")
  Stream<DynamicTest> manifest_eachFile_sameVerdictAsDkimpy() {
    Map<String, ArcResult> m = manifest();
    assertThat(m).hasSize(7);
    return m.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey() + " " + e.getValue().keyword(),
                    () -> {
                      ArcOutcome o = verify(e.getKey());
                      assertThat(o.result()).as(o.toString()).isEqualTo(e.getValue());
                    }));
  }

  @Test
  @DisplayName("RFC 8617 §5.2 steps 5 and 6: a three-hop chain passes, every AMS and seal verified")
  void threeHops_pass_oldestPassAndSealers() {
    ArcOutcome o = verify("chain-3.eml");
    assertThat(o.result()).isEqualTo(ArcResult.PASS);
    assertThat(o.instanceCount()).isEqualTo(3);
    assertThat(o.oldestPass()).hasValue(0);
    assertThat(o.sealers()).containsExactly("list.example", "forward.example", "relay.example");
    assertThat(o.instance(1).orElseThrow().authenticationResults())
        .startsWith("list.example;")
        .contains("dmarc=pass header.from=author.example");
    assertThat(o.chainSummary())
        .isEqualTo(
            "arc=pass as[3].d=relay.example as[3].s=relay as[2].d=forward.example as[2].s=fwd"
                + " as[1].d=list.example as[1].s=list");
  }

  @Test
  @DisplayName("RFC 8617 §5.2: each tampering fails at the step and instance it touches")
  void tampered_failWithTypedReasons() {
    ArcOutcome body = verify("tampered-body.eml");
    assertThat(body.reason()).contains(ArcReason.AMS_FAILED);
    assertThat(body.failedInstance()).hasValue(3);
    assertThat(body.instances().get(2).ams().reasonKeyword()).contains("body-hash-mismatch");
    ArcOutcome seal = verify("tampered-seal2.eml");
    assertThat(seal.reason()).contains(ArcReason.SEAL_FAILED);
    // Seals are checked from the newest down, and seal 3 signs seal 2 with its b=.
    assertThat(seal.failedInstance()).hasValue(3);
    ArcOutcome aar = verify("tampered-aar1.eml");
    // dkimpy's AMS lists arc-authentication-results once, which picks the lowest one (i=1,
    // RFC 6376 §5.4.2), so the newest AMS already fails, before any seal is checked.
    assertThat(aar.reason()).contains(ArcReason.AMS_FAILED);
    assertThat(aar.failedInstance()).hasValue(3);
    ArcOutcome cv = verify("tampered-cv.eml");
    assertThat(cv.reason()).contains(ArcReason.CV_MISMATCH);
    assertThat(cv.failedInstance()).hasValue(2);
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 5: an older AMS that no longer verifies sets oldest-pass")
  void olderAmsBroken_chainPasses_oldestPassAboveIt() {
    // Every AMS of the dkimpy chain signs the same headers, so no change breaks only the oldest;
    // the ValiMail suite has a case built for this (AMS 1 broken, AMS 2 and both seals intact).
    ArcOutcome valimail =
        ArcSuiteTest.load().stream()
            .flatMap(s -> s.cases().stream().map(c -> Map.entry(s, c)))
            .filter(e -> e.getValue().name().equals("cv_pass_i2_1_ams1_invalid"))
            .map(e -> ArcSuiteTest.verify(e.getKey().resolver(), e.getValue().message()))
            .findFirst()
            .orElseThrow();
    assertThat(valimail.result()).isEqualTo(ArcResult.PASS);
    assertThat(valimail.oldestPass()).hasValue(2);
  }
}
