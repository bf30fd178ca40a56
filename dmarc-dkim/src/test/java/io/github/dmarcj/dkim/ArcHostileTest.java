// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcReason;
import io.github.dmarcj.result.ArcResult;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Chains built to hurt: too many sets, duplicates, gaps, huge fields, broken base64, seals with
 * {@code h=}, a key server that fails. Each is {@code fail} with its typed reason, never an
 * exception and never {@code pass}; the structural ones cost no DNS query.
 */
final class ArcHostileTest {
  static final String CHAIN = TestData.text("arc-crosscheck/chain-3.eml");

  static ArcOutcome verify(String message) {
    return verify(ArcCrossCheckTest.zone(), message, ArcChainVerifier.DEFAULT_MAX_SETS);
  }

  static ArcOutcome verify(DnsResolver dns, String message, int maxSets) {
    ArcChainVerifier v =
        ArcChainVerifier.builder(
                DkimMessageVerifier.builder(dns).clock(TestData.fixed(1_900_000_000L)).build())
            .maxSets(maxSets)
            .build();
    return v.verifyMessage(message.getBytes(StandardCharsets.ISO_8859_1))
        .toCompletableFuture()
        .join();
  }

  /** {@code n} sets of syntactically plausible fields, instance n first, and a plain message. */
  static String sets(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = n; i >= 1; i--) {
      String cv = i == 1 ? "none" : "pass";
      b.append("ARC-Seal: i=").append(i).append("; cv=").append(cv);
      b.append("; a=rsa-sha256; d=list.example; s=list; b=AAAA\r\n");
      b.append("ARC-Message-Signature: i=").append(i);
      b.append("; a=rsa-sha256; d=list.example; s=list; h=from; bh=AAAA; b=AAAA\r\n");
      b.append("ARC-Authentication-Results: i=").append(i).append("; list.example; none\r\n");
    }
    return b + "From: a@author.example\r\n\r\nbody\r\n";
  }

  static void assertFail(ArcOutcome o, ArcReason reason) {
    assertThat(o.result()).as(o.toString()).isEqualTo(ArcResult.FAIL);
    assertThat(o.reason()).as(o.toString()).contains(reason);
  }

  @Test
  @DisplayName("RFC 8617 §4.2.1: 51 sets fail before any DNS query")
  void fiftyOneSets_tooMany_noQuery() {
    RecordingDnsResolver dns = new RecordingDnsResolver(ArcCrossCheckTest.zone());
    assertFail(verify(dns, sets(51), 50), ArcReason.TOO_MANY_SETS);
    assertFail(verify(dns, sets(200), 50), ArcReason.TOO_MANY_SETS);
    assertFail(verify(dns, "ARC-Seal: i=51; cv=pass\r\n" + sets(1), 50), ArcReason.TOO_MANY_SETS);
    assertThat(dns.count()).isZero();
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 1: more sets than the local limit fail, the limit is settable")
  void elevenSets_overDefaultLimit_failsWithoutQuery() {
    RecordingDnsResolver dns = new RecordingDnsResolver(ArcCrossCheckTest.zone());
    ArcOutcome o = verify(dns, sets(11), ArcChainVerifier.DEFAULT_MAX_SETS);
    assertFail(o, ArcReason.OVER_LOCAL_LIMIT);
    assertThat(o.instanceCount()).isEqualTo(11);
    assertThat(dns.count()).isZero();
    // Allowed by a higher limit, the same chain gets as far as its (bogus) signatures.
    assertFail(verify(dns, sets(11), 50), ArcReason.AMS_FAILED);
    assertThat(dns.count()).isPositive();
  }

  @Test
  @DisplayName("RFC 8617 §5.1.1.1: a duplicated instance fails")
  void duplicateSeal_fails() {
    int at = CHAIN.indexOf("ARC-Seal: i=3");
    int end = CHAIN.indexOf("ARC-Message-Signature: i=3");
    String seal = CHAIN.substring(at, end);
    assertFail(verify(seal + CHAIN), ArcReason.DUPLICATE_INSTANCE);
    assertThat(verify(seal + CHAIN).failedInstance()).hasValue(3);
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 3: a set without its AAR, or a gap in 1..N, fails")
  void missingAar_orGap_fails() {
    String noAar2 =
        CHAIN.replaceFirst(
            "ARC-Authentication-Results: i=2; forward.example; arc=pass;\r\n"
                + "  spf=pass smtp.mailfrom=team-bounces@list.example\r\n",
            "");
    assertThat(noAar2).isNotEqualTo(CHAIN);
    ArcOutcome o = verify(noAar2);
    assertFail(o, ArcReason.MISSING_INSTANCE);
    assertThat(o.failedInstance()).hasValue(2);
    assertFail(verify(sets(3).replace("i=2;", "i=4;")), ArcReason.MISSING_INSTANCE);
  }

  @Test
  @DisplayName("RFC 8617 §4.2.1: i=0, i=abc and an AAR without i= fail as bad instances")
  void badInstances_fail() {
    assertFail(verify(sets(1).replace("ARC-Seal: i=1", "ARC-Seal: i=0")), ArcReason.BAD_INSTANCE);
    assertFail(verify(sets(1).replace("ARC-Seal: i=1", "ARC-Seal: i=abc")), ArcReason.BAD_INSTANCE);
    assertFail(
        verify(sets(1).replace("ARC-Authentication-Results: i=1;", "ARC-Authentication-Results:")),
        ArcReason.BAD_INSTANCE);
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 2: the newest seal saying cv=fail fails the chain")
  void newestCvFail_fails() {
    ArcOutcome o = verify(CHAIN.replace("ARC-Seal: i=3; cv=pass", "ARC-Seal: i=3; cv=fail"));
    assertFail(o, ArcReason.LAST_SEAL_CV_FAIL);
    assertThat(o.failedInstance()).hasValue(3);
  }

  @Test
  @DisplayName("RFC 8617 §4.1.3: bad base64 in a seal, or a seal with h=, is a syntax failure")
  void sealSyntax_fails() {
    assertFail(verify(sets(1).replace("s=list; b=AAAA", "s=list; b=!!!")), ArcReason.SYNTAX);
    assertFail(
        verify(sets(1).replace("s=list; b=AAAA", "s=list; h=from; b=AAAA")), ArcReason.SYNTAX);
    assertFail(verify(sets(1).replace("ARC-Seal: i=1;", "ARC-Seal: i=1; i=1;")), ArcReason.SYNTAX);
  }

  @Test
  @DisplayName("RFC 8617 §4.1.2: an AMS that signs ARC-Seal fails with its own DKIM reason")
  void amsSigningSeal_fails() {
    ArcOutcome o =
        verify(
            CHAIN.replace(
                "message-id : list-id : arc-authentication-results;\r\n bh=tPg",
                "arc-seal;\r\n bh=tPg"));
    assertFail(o, ArcReason.AMS_FAILED);
    assertThat(o.instances().get(2).ams().reasonKeyword()).contains("arc-seal-signed");
  }

  @Test
  @DisplayName("RFC 6376 §6.1: a 100 KB ARC field and a header over the limit fail, no throw")
  void hugeFields_fail() {
    String huge = "ARC-Seal: i=1; cv=none; x=" + "A".repeat(100_000) + "\r\n";
    assertFail(
        verify(huge + sets(1).substring(sets(1).indexOf("ARC-Message"))),
        ArcReason.FIELD_TOO_LARGE);
    // Past DkimMessageVerifier.DEFAULT_MAX_HEADER_BYTES, below the ARC fields: the cut header
    // cannot be checked whole.
    int end = CHAIN.indexOf("\r\n\r\n") + 2;
    String longHeader =
        CHAIN.substring(0, end)
            + "X-Filler: "
            + "y".repeat(1_100_000)
            + "\r\n"
            + CHAIN.substring(end);
    ArcOutcome o = verify(longHeader);
    assertFail(o, ArcReason.HEADER_LIMIT_EXCEEDED);
  }

  @Test
  @DisplayName("RFC 8617 §5.2: a seal key that cannot be fetched fails the chain (never pass)")
  void sealKeyTempFail_failsWithDnsTempfail() {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    for (String line : TestData.text("arc-crosscheck/zone.txt").split("\n")) {
      if (!line.isBlank() && !line.startsWith("fwd.")) {
        int sp = line.indexOf(' ');
        b.txt(line.substring(0, sp), line.substring(sp + 1).strip());
      }
    }
    b.tempFail("fwd._domainkey.forward.example");
    ArcOutcome o = verify(b.build(), CHAIN, 10);
    assertFail(o, ArcReason.DNS_TEMPFAIL);
    assertThat(o.failedInstance()).hasValue(2);
  }

  @Test
  @DisplayName("RFC 8617 §5.2 step 1: no ARC field at all is none, with no DNS query")
  void noArc_none() {
    RecordingDnsResolver dns = new RecordingDnsResolver(ArcCrossCheckTest.zone());
    ArcOutcome o = verify(dns, "From: a@author.example\r\n\r\nbody\r\n", 10);
    assertThat(o).isEqualTo(ArcOutcome.none());
    assertThat(verify(dns, "", 10)).isEqualTo(ArcOutcome.none());
    assertThat(dns.count()).isZero();
  }
}
