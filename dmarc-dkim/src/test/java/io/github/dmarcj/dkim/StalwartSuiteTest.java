// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Stalwart mail-auth's DKIM messages (resources/dkim, see stalwart-dkim/SOURCE.md): key records,
 * then the message; the last signature must pass at the upstream clock 1667843664.
 */
final class StalwartSuiteTest {
  static final long CLOCK = 1667843664L;

  record Case(String name, InMemoryDnsResolver resolver, byte[] message) {}

  static Case load(String file) {
    String text = TestData.text("stalwart-dkim/" + file);
    int split = text.indexOf("\n\n");
    InMemoryDnsResolver.Builder r = InMemoryDnsResolver.builder();
    for (String line : text.substring(0, split).split("\n")) {
      int sp = line.indexOf(' ');
      r.txt(line.substring(0, sp), line.substring(sp + 1));
    }
    byte[] msg = TestData.crlf(text.substring(split + 2).getBytes(StandardCharsets.ISO_8859_1));
    return new Case(file, r.build(), msg);
  }

  @TestFactory
  @DisplayName("RFC 6376 §3.3.2 and §3.7: stalwart resources/dkim: last signature passes")
  Stream<DynamicTest> stalwart_eachMessage_lastSignaturePasses() {
    return Stream.of("001.txt", "002.txt", "003.txt", "004.txt", "005.txt", "006.txt")
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f,
                    () -> {
                      Case c = load(f);
                      // Upstream checks x= only; 004 carries a t= five hours after its clock.
                      DkimMessageVerifier v =
                          DkimMessageVerifier.builder(c.resolver())
                              .clock(TestData.fixed(CLOCK))
                              .rejectFutureTimestamp(false)
                              .build();
                      DkimVerificationResult report =
                          v.verifyMessage(c.message()).toCompletableFuture().join();
                      assertThat(report.signatures()).isNotEmpty();
                      DkimSignatureResult last =
                          report.signatures().get(report.signatures().size() - 1);
                      assertThat(last.result()).as(last.toString()).isEqualTo(DkimResult.PASS);
                    }));
  }

  @Test
  @DisplayName("RFC 8463 Appendix A: ed25519-sha256 and rsa-sha256 both pass")
  void rfc8463_appendixA_bothSignaturesPass() {
    Case c = load("001.txt");
    DkimMessageVerifier v =
        DkimMessageVerifier.builder(c.resolver()).clock(TestData.fixed(CLOCK)).build();
    List<DkimSignatureResult> sigs =
        v.verifyMessage(c.message()).toCompletableFuture().join().signatures();
    assertThat(sigs)
        .extracting(DkimSignatureResult::algorithm)
        .containsExactly("ed25519-sha256", "rsa-sha256");
    assertThat(sigs).extracting(DkimSignatureResult::result).containsOnly(DkimResult.PASS);
    assertThat(sigs).extracting(DkimSignatureResult::keyBits).containsExactly(256, 1024);
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.5: stalwart 004 at the upstream clock: t= five hours ahead is a future timestamp")
  void stalwart004_defaultPolicy_futureTimestamp() {
    Case c = load("004.txt");
    DkimMessageVerifier v =
        DkimMessageVerifier.builder(c.resolver()).clock(TestData.fixed(CLOCK)).build();
    DkimSignatureResult r =
        v.verifyMessage(c.message()).toCompletableFuture().join().signatures().get(0);
    assertThat(r.reason()).isEqualTo(DkimReason.FUTURE_TIMESTAMP);
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    DkimMessageVerifier later =
        DkimMessageVerifier.builder(c.resolver()).clock(TestData.fixed(1667862801L)).build();
    assertThat(later.verifyMessage(c.message()).toCompletableFuture().join().hasPass()).isTrue();
  }
}
