// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.authres.MethodResult;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.HeaderLimits;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A header limit never makes a message more trusted: a spoofed From from a {@code p=reject} domain
 * stays rejected however many junk fields or bytes come before it, and a cut header is never "no
 * policy".
 */
final class HeaderLimitSpoofTest {
  private final InMemoryDnsResolver dns =
      InMemoryDnsResolver.builder()
          .txt("_dmarc.bank.example", "v=DMARC1; p=reject")
          .txt("_dmarc.relaxed.example", "v=DMARC1; p=none")
          .exists("bank.example")
          .exists("relaxed.example")
          .exists("evil.example")
          .build();

  private MessageAuthenticator authenticator(SpfResult spf, String spfDomain) {
    return MessageAuthenticator.builder(dns)
        .authservId("mx.example.org")
        .spfVerifier(
            env ->
                CompletableFuture.completedFuture(
                    SpfOutcome.of(spf, SpfScope.MFROM, "x@" + spfDomain, spfDomain)))
        .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
        .build();
  }

  private static VerificationResult verify(MessageAuthenticator a, String message)
      throws Exception {
    return a.verify(
        SmtpEnvelope.of(InetAddress.getByName("192.0.2.9"), "evil.example", "x@evil.example"),
        message.getBytes(StandardCharsets.ISO_8859_1));
  }

  static String junk(int fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields; i++) {
      b.append("X-J").append(i).append(": j\r\n");
    }
    return b.toString();
  }

  static String bigField(int bytes) {
    StringBuilder b = new StringBuilder(bytes + 80).append("X-Big: ");
    while (b.length() < bytes) {
      b.append("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n ");
    }
    return b.append("end\r\n").toString();
  }

  @Test
  void spoofBehind1001JunkFields_isStillRejected() throws Exception {
    VerificationResult r =
        verify(
            authenticator(SpfResult.PASS, "evil.example"),
            junk(1001) + "From: ceo@bank.example\r\nSubject: pay\r\n\r\nbody\r\n");
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.dmarc().fromDomain()).map(Object::toString).contains("bank.example");
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(r.dmarc().headerLimitExceeded()).isTrue();
    assertThat(r.dmarc().reason()).contains(DmarcReason.HEADER_LIMIT_EXCEEDED);
    MethodResult m = r.authenticationResults().resultsFor("dmarc").get(0);
    assertThat(m.result()).isEqualTo("fail");
    assertThat(r.authenticationResultsField()).contains("header-limit-exceeded");
  }

  @Test
  void spoofBehindOne2MbField_isStillRejected() throws Exception {
    VerificationResult r =
        verify(
            authenticator(SpfResult.PASS, "evil.example"),
            bigField(2 << 20) + "From: ceo@bank.example\r\n\r\nbody\r\n");
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  void secondFromAfter10000Fields_isNeverNone() throws Exception {
    VerificationResult r =
        verify(
            authenticator(SpfResult.PASS, "relaxed.example"),
            "From: a@relaxed.example\r\n"
                + junk(10_000)
                + "From: ceo@bank.example\r\n\r\nbody\r\n");
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(r.dmarc().reason()).contains(DmarcReason.HEADER_LIMIT_EXCEEDED);
    assertThat(r.disposition()).isEqualTo(DmarcEvaluatorDefaults.HEADER_LIMIT);
  }

  @Test
  void noFromAtAllInACutHeader_isPermerrorWithTheFloor() throws Exception {
    VerificationResult r =
        verify(authenticator(SpfResult.PASS, "evil.example"), junk(1500) + "\r\nbody\r\n");
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(r.dmarc().overrides())
        .singleElement()
        .satisfies(o -> assertThat(o.reason()).isEqualTo(OverrideReason.LOCAL_POLICY));
  }

  @Test
  void alignedPassInACutHeader_keepsPassButGetsTheFloor() throws Exception {
    VerificationResult r =
        verify(
            authenticator(SpfResult.PASS, "relaxed.example"),
            junk(1001) + "From: a@relaxed.example\r\n\r\nbody\r\n");
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(r.dmarc().reason()).contains(DmarcReason.HEADER_LIMIT_EXCEEDED);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
  }

  @Test
  void floorIsConfigurable_andNeverWeakensThePolicy() throws Exception {
    MessageAuthenticator a =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.org")
            .spfVerifier(
                env ->
                    CompletableFuture.completedFuture(
                        SpfOutcome.of(
                            SpfResult.FAIL, SpfScope.MFROM, "x@evil.example", "evil.example")))
            .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
            .dmarcOptions(b -> b.headerLimitDisposition(DmarcPolicy.NONE))
            .headerLimits(new HeaderLimits(HeaderLimits.DEFAULT_MAX_HEADER_BYTES, 10))
            .build();
    VerificationResult spoof = verify(a, junk(20) + "From: ceo@bank.example\r\n\r\n");
    assertThat(spoof.disposition()).isEqualTo(DmarcPolicy.REJECT);
    VerificationResult none = verify(a, junk(20) + "\r\n");
    assertThat(none.dmarc().result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(none.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  @Test
  void headerWithinTheLimits_isNotFlagged() throws Exception {
    VerificationResult r =
        verify(
            authenticator(SpfResult.PASS, "relaxed.example"),
            junk(999) + "From: a@relaxed.example\r\n\r\nbody\r\n");
    assertThat(r.dmarc().headerLimitExceeded()).isFalse();
    assertThat(r.dmarc().reason()).isEmpty();
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  /** The documented default, spelled out where a test reads it. */
  private static final class DmarcEvaluatorDefaults {
    static final DmarcPolicy HEADER_LIMIT =
        io.github.dmarcj.dmarc.DmarcEvaluator.DEFAULT_HEADER_LIMIT_DISPOSITION;
  }
}
