// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.authres.MethodResult;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.spi.DkimVerifier;
import io.github.dmarcj.spi.SpfVerifier;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class MessageAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:01:00Z");
  private static final String SIGNED =
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; b=AAAABBBBCCCCDDDD; bh=x; h=from\r\n"
          + "From: Alice <alice@example.com>\r\n"
          + "Subject: hi\r\n\r\nbody\r\n";
  private static final String UNSIGNED =
      "From: Alice <alice@example.com>\r\nSubject: hi\r\n\r\nbody\r\n";

  private final InMemoryDnsResolver dns =
      InMemoryDnsResolver.builder()
          .ttl(60)
          .negativeTtl(60)
          .txt("_dmarc.example.com", "v=DMARC1; p=quarantine; rua=mailto:r@example.com")
          .exists("example.com")
          .build();

  private static SmtpEnvelope envelope(String mailFrom) throws Exception {
    return SmtpEnvelope.of(InetAddress.getByName("192.0.2.25"), "mail.example.com", mailFrom);
  }

  private static SpfOutcome spf(SpfResult result, String identity) {
    String domain = identity.substring(identity.indexOf('@') + 1);
    return SpfOutcome.of(result, SpfScope.MFROM, identity, domain);
  }

  private static DkimOutcome dkim(DkimResult result, String domain) {
    return new DkimOutcome(
        result,
        domain,
        "sel",
        "rsa-sha256",
        Optional.empty(),
        "AAAABBBBCCCCDDDD",
        false,
        result == DkimResult.PASS ? Optional.empty() : Optional.of(DkimReason.SIGNATURE_MISMATCH));
  }

  private MessageAuthenticator.Builder builder(SpfVerifier spf, DkimVerifier dkim) {
    return MessageAuthenticator.builder(dns)
        .authservId("mx.example.org")
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .spfVerifier(spf)
        .dkimVerifier(dkim);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.4.1, RFC 8601 §2.7: aligned DKIM pass: dmarc=pass, one A-R field with every method")
  void verify_alignedDkimPass_passWithHeader() throws Exception {
    MessageAuthenticator a =
        builder(
                env -> CompletableFuture.completedFuture(spf(SpfResult.FAIL, "bounce@example.net")),
                msg ->
                    CompletableFuture.completedFuture(
                        List.of(dkim(DkimResult.PASS, "example.com"))))
            .build();
    VerificationResult r = a.verify(envelope("bounce@example.net"), bytes(SIGNED));
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
    AuthenticationResults ar = r.authenticationResults();
    assertThat(ar.authservId()).isEqualTo("mx.example.org");
    assertThat(ar.results())
        .extracting(MethodResult::method)
        .containsExactly("spf", "dkim", "dmarc");
    assertThat(ar.resultsFor("spf").get(0).property("smtp", "mailfrom"))
        .contains("bounce@example.net");
    MethodResult d = ar.resultsFor("dkim").get(0);
    assertThat(d.property("header", "d")).contains("example.com");
    assertThat(d.property("header", "s")).contains("sel");
    assertThat(d.property("header", "b")).contains("AAAABBBBCCCC");
    MethodResult dm = ar.resultsFor("dmarc").get(0);
    assertThat(dm.result()).isEqualTo("pass");
    assertThat(dm.property("header", "from")).contains("example.com");
    assertThat(dm.property("policy", "dmarc")).contains("none");
    assertThat(
            AuthenticationResults.parse(
                r.authenticationResultsField()
                    .substring(r.authenticationResultsField().indexOf(':') + 1)))
        .contains(ar);
    ReportRecord rec = r.reportRecord().orElseThrow();
    assertThat(rec.dkimAligned()).isEqualTo(DmarcResult.PASS);
    assertThat(rec.spfAligned()).isEqualTo(DmarcResult.FAIL);
    assertThat(rec.evaluatedAt()).isEqualTo(NOW);
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3 and §5.3.5: nothing aligned: fail, quarantine, reason in A-R and report row")
  void verify_nothingAligned_quarantineAndRecord() throws Exception {
    List<ReportRecord> sunk = new CopyOnWriteArrayList<>();
    MessageAuthenticator a =
        builder(
                env -> CompletableFuture.completedFuture(spf(SpfResult.PASS, "bounce@example.net")),
                msg -> CompletableFuture.completedFuture(List.of()))
            .reportRecordSink(sunk::add)
            .build();
    VerificationResult r =
        a.verify(
            VerificationRequest.of(envelope("bounce@example.net"), bytes(UNSIGNED))
                .withEnvelopeTo("example.org"));
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(r.authenticationResults().resultsFor("dkim").get(0).result()).isEqualTo("none");
    MethodResult dm = r.authenticationResults().resultsFor("dmarc").get(0);
    assertThat(dm.reason()).isPresent();
    assertThat(dm.property("policy", "dmarc")).contains("quarantine");
    ReportRecord rec = r.reportRecord().orElseThrow();
    assertThat(sunk).containsExactly(rec);
    assertThat(rec.sourceIp().getHostAddress()).isEqualTo("192.0.2.25");
    assertThat(rec.headerFrom()).isEqualTo("example.com");
    assertThat(rec.envelopeFrom()).contains("example.net");
    assertThat(rec.envelopeTo()).contains("example.org");
    assertThat(rec.policyPublished().domain()).isEqualTo("example.com");
    assertThat(rec.policyPublished().p()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(rec.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(rec.spf())
        .isEqualTo(new ReportRecord.SpfAuth("example.net", SpfScope.MFROM, SpfResult.PASS));
    assertThat(rec.dkim()).isEmpty();
  }

  @Test
  @DisplayName("SPF and DKIM run concurrently: each waits for the other to have started")
  void verify_spfAndDkim_overlap() throws Exception {
    CountDownLatch spfStarted = new CountDownLatch(1);
    CountDownLatch dkimStarted = new CountDownLatch(1);
    SpfVerifier spf =
        env -> {
          spfStarted.countDown();
          return CompletableFuture.supplyAsync(
              () -> {
                await(dkimStarted);
                return spf(SpfResult.PASS, "alice@example.com");
              });
        };
    DkimVerifier dkim =
        msg -> {
          dkimStarted.countDown();
          await(spfStarted);
          return CompletableFuture.completedFuture(List.of(dkim(DkimResult.PASS, "example.com")));
        };
    VerificationResult r =
        builder(spf, dkim)
            .timeout(Duration.ofSeconds(10))
            .build()
            .verify(envelope("alice@example.com"), bytes(SIGNED));
    assertThat(r.spf().result()).isEqualTo(SpfResult.PASS);
    assertThat(r.dkim()).extracting(DkimOutcome::result).containsExactly(DkimResult.PASS);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other check never started");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  @DisplayName("a precomputed SPF outcome is used and SPF is not checked again")
  void verify_precomputedSpf_verifierNotCalled() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MessageAuthenticator a =
        builder(
                env -> {
                  calls.incrementAndGet();
                  return CompletableFuture.completedFuture(spf(SpfResult.FAIL, "x@example.com"));
                },
                msg -> CompletableFuture.completedFuture(List.of()))
            .build();
    SpfOutcome early = spf(SpfResult.PASS, "alice@example.com");
    VerificationResult r =
        a.verify(
            VerificationRequest.of(envelope("alice@example.com"), bytes(UNSIGNED)).withSpf(early));
    assertThat(calls).hasValue(0);
    assertThat(r.spf()).isSameAs(early);
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(r.dmarc().spfAligned()).isTrue();
  }

  @Test
  @DisplayName(
      "a throwing SPF verifier becomes spf=temperror reason=internal-error, never an exception")
  void verify_spfThrows_temperror() throws Exception {
    MessageAuthenticator a =
        builder(
                env -> {
                  throw new IllegalStateException("boom");
                },
                msg -> CompletableFuture.completedFuture(List.of()))
            .build();
    VerificationResult r = a.verify(envelope("alice@example.com"), bytes(UNSIGNED));
    assertThat(r.spf().result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(r.spf().reason()).contains("internal-error");
    assertThat(r.authenticationResults().resultsFor("spf").get(0).reason())
        .contains("internal-error");
    assertThat(r.dmarc().result()).isIn(DmarcResult.TEMPERROR, DmarcResult.FAIL);
  }

  @Test
  @DisplayName(
      "a broken DKIM stage becomes neutral per signature (never temperror), named by d= and s=")
  void verify_dkimFails_neutralPerSignature() throws Exception {
    MessageAuthenticator a =
        builder(
                env -> CompletableFuture.completedFuture(spf(SpfResult.FAIL, "alice@example.com")),
                msg -> CompletableFuture.failedFuture(new IllegalStateException("boom")))
            .build();
    VerificationResult r = a.verify(envelope("alice@example.com"), bytes(SIGNED));
    assertThat(r.dkim()).hasSize(1);
    DkimOutcome d = r.dkim().get(0);
    assertThat(d.result()).isEqualTo(DkimResult.NEUTRAL);
    assertThat(d.domain()).isEqualTo("example.com");
    assertThat(d.selector()).isEqualTo("sel");
    assertThat(d.reason()).contains(DkimReason.INTERNAL_ERROR);
    // A defect is no reason to skip the policy: no aligned pass, so DMARC fails.
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
  }

  @Test
  @DisplayName("a stage that never completes times out into temperror reason=timeout")
  void verify_spfHangs_timeoutTemperror() throws Exception {
    MessageAuthenticator a =
        builder(
                env -> new CompletableFuture<>(),
                msg -> CompletableFuture.completedFuture(List.of()))
            .timeout(Duration.ofMillis(200))
            .build();
    VerificationResult r = a.verify(envelope("alice@example.com"), bytes(UNSIGNED));
    assertThat(r.spf().result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(r.spf().reason()).contains("timeout");
  }

  @Test
  @DisplayName("a throwing report sink does not change or fail the result")
  void verify_sinkThrows_resultUnaffected() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    MessageAuthenticator a =
        builder(
                env -> CompletableFuture.completedFuture(spf(SpfResult.PASS, "alice@example.com")),
                msg -> CompletableFuture.completedFuture(List.of()))
            .reportRecordSink(
                rec -> {
                  calls.incrementAndGet();
                  throw new IllegalStateException("disk full");
                })
            .build();
    VerificationResult r = a.verify(envelope("alice@example.com"), bytes(UNSIGNED));
    assertThat(calls).hasValue(1);
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(r.reportRecord()).isPresent();
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1 and §11.5: no From and two From fields: dmarc=none, no report row")
  void verify_fromProblems_noneWithoutRecord() throws Exception {
    MessageAuthenticator a =
        builder(
                env -> CompletableFuture.completedFuture(spf(SpfResult.PASS, "alice@example.com")),
                msg -> CompletableFuture.completedFuture(List.of()))
            .build();
    for (String msg :
        List.of(
            "Subject: no from\r\n\r\nbody\r\n",
            "From: a@example.com\r\nFrom: b@example.net\r\n\r\nbody\r\n",
            "From: a@example.com, b@example.net\r\n\r\nbody\r\n",
            "",
            "\u0000\u0001garbage without header structure")) {
      VerificationResult r = a.verify(envelope("alice@example.com"), bytes(msg));
      assertThat(r.dmarc().result()).as(msg).isEqualTo(DmarcResult.NONE);
      assertThat(r.reportRecord()).as(msg).isEmpty();
      assertThat(r.authenticationResults().resultsFor("dmarc")).hasSize(1);
    }
  }

  @Test
  @DisplayName("builder: missing authserv-id and bad values are the caller's mistakes")
  void build_misuse_throws() {
    SpfVerifier spf = env -> CompletableFuture.completedFuture(spf(SpfResult.NONE, "a@b.example"));
    DkimVerifier dkim = msg -> CompletableFuture.completedFuture(List.of());
    assertThatThrownBy(
            () -> MessageAuthenticator.builder(dns).spfVerifier(spf).dkimVerifier(dkim).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("authserv-id");
    assertThatThrownBy(() -> MessageAuthenticator.builder(dns).authservId("mx example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MessageAuthenticator.builder(dns).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "without verifiers and without providers on the class path, build() says what is missing")
  void build_noProviders_explains() {
    assertThatThrownBy(() -> MessageAuthenticator.builder(dns).authservId("mx").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dmarc-spf");
  }

  @Test
  @DisplayName("verifyAsync completes normally and concurrently for many messages")
  void verifyAsync_many_allComplete() throws Exception {
    MessageAuthenticator a =
        builder(
                env -> CompletableFuture.completedFuture(spf(SpfResult.PASS, "alice@example.com")),
                msg ->
                    CompletableFuture.completedFuture(
                        List.of(dkim(DkimResult.PASS, "example.com"))))
            .build();
    List<CompletableFuture<VerificationResult>> fs = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fs.add(a.verifyAsync(envelope("alice@example.com"), bytes(SIGNED)).toCompletableFuture());
    }
    for (CompletableFuture<VerificationResult> f : fs) {
      assertThat(f.get(10, TimeUnit.SECONDS).dmarc().result()).isEqualTo(DmarcResult.PASS);
    }
  }
}
