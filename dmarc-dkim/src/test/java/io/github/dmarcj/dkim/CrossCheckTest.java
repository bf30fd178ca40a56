// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.DkimReason;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Offline half of the cross-check with dkimpy (crosscheck/SOURCE.md): messages signed here were
 * verified by dkimpy when generated; messages signed by dkimpy must verify here.
 */
final class CrossCheckTest {
  static InMemoryDnsResolver zone() {
    InMemoryDnsResolver.Builder r = InMemoryDnsResolver.builder();
    for (String line : TestData.text("crosscheck/zone.txt").split("\n")) {
      if (!line.isBlank()) {
        int sp = line.indexOf(' ');
        r.txt(line.substring(0, sp), line.substring(sp + 1).strip());
      }
    }
    return r.build();
  }

  @TestFactory
  @DisplayName(
      "RFC 6376 §3.3.2 and §3.4, RFC 8463 §3: cross-check: dkimpy verified ours, we verify dkimpy's")
  Stream<DynamicTest> manifest_everyFile_passesHereAndInDkimpy() {
    DkimMessageVerifier v =
        DkimMessageVerifier.builder(zone()).clock(TestData.fixed(1_900_000_000L)).build();
    return TestData.text("crosscheck/MANIFEST.txt")
        .lines()
        .filter(l -> !l.isBlank())
        .map(
            l ->
                DynamicTest.dynamicTest(
                    l.substring(0, l.indexOf(' ')),
                    () -> {
                      String file = l.substring(0, l.indexOf(' '));
                      assertThat(l).as("dkimpy's verdict at generation").endsWith(" 0 True");
                      DkimVerificationResult rep =
                          v.verifyMessage(TestData.resource("crosscheck/" + file))
                              .toCompletableFuture()
                              .join();
                      assertThat(rep.signatures())
                          .singleElement()
                          .satisfies(
                              s ->
                                  assertThat(s.reason())
                                      .as(s.toString())
                                      .isEqualTo(DkimReason.VERIFIED));
                    }));
  }
}
