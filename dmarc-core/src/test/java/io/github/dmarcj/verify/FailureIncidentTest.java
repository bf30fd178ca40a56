// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfReportRequest;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.FailureIncident.Mechanism;
import io.github.dmarcj.verify.FailureIncident.Trigger;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FAIL-06 (RFC 9989 §4.7 {@code fo}, RFC 7489 §6.3): which messages a failure report is due for,
 * and what the facade hands the sink.
 */
final class FailureIncidentTest {
  private static final Instant NOW = Instant.parse("2026-11-27T10:01:00Z");
  private static final String HEADER =
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; b=AAAA; bh=x; h=from\r\n"
          + "From: Alice <alice@example.com>\r\n"
          + "To: bob@example.net\r\n"
          + "Subject: hi\r\n";
  private static final String MESSAGE = HEADER + "\r\nbody\r\n";

  private static DkimOutcome dkim(DkimResult result, String domain) {
    return new DkimOutcome(
        result,
        domain,
        "sel",
        "rsa-sha256",
        Optional.empty(),
        "AAAA",
        false,
        result == DkimResult.PASS ? Optional.empty() : Optional.of(DkimReason.BODY_HASH_MISMATCH));
  }

  private static SpfOutcome spf(SpfResult result, String domain) {
    return SpfOutcome.of(result, SpfScope.MFROM, "bounce@" + domain, domain);
  }

  private static MessageAuthenticator authenticator(
      String record,
      SpfOutcome spf,
      List<DkimOutcome> dkim,
      List<FailureIncident> sink,
      boolean whole) {
    InMemoryDnsResolver dns =
        InMemoryDnsResolver.builder()
            .txt("_dmarc.example.com", record)
            .exists("example.com")
            .build();
    return MessageAuthenticator.builder(dns)
        .authservId("mx.example.org")
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .spfVerifier(env -> CompletableFuture.completedFuture(spf))
        .dkimVerifier(msg -> CompletableFuture.completedFuture(dkim))
        .failureReportSink(sink::add)
        .failureReportMessage(whole)
        .build();
  }

  private static SmtpEnvelope envelope() throws Exception {
    return SmtpEnvelope.of(InetAddress.getByName("203.0.113.9"), "mail.example", "b@example.net");
  }

  /**
   * One row per case: fo, DKIM result (aligned d=example.com or other d=), SPF result (aligned
   * example.com or other), expected triggers.
   */
  @ParameterizedTest(name = "fo={0} dkim={1} spf={2} -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0   | fail:example.com  | fail:example.com | DMARC",
        "0   | pass:example.com  | fail:example.com | ''",
        "0   | pass:other.example| fail:example.com | DMARC",
        "1   | pass:example.com  | fail:example.com | DMARC",
        "1   | pass:example.com  | pass:example.com | ''",
        "1   | none              | pass:example.com | DMARC",
        "d   | fail:other.example| pass:example.com | DKIM",
        "d   | pass:example.com  | fail:example.com | ''",
        "s   | pass:example.com  | fail:other.example | SPF",
        "s   | pass:example.com  | softfail:example.com | ''",
        "0:d:s | fail:example.com | fail:example.com | DMARC DKIM SPF",
        "1:d | permerror:example.com | pass:example.com | DMARC DKIM",
      })
  @DisplayName("FAIL-06: fo=0 all failed, fo=1 any failed, d any failing signature, s SPF fail")
  void triggers(String fo, String dkim, String spf, String expected) throws Exception {
    List<DkimOutcome> d =
        dkim.equals("none")
            ? List.of()
            : List.of(dkim(DkimResult.fromKeyword(dkim.split(":")[0]), dkim.split(":")[1]));
    SpfOutcome s = spf(SpfResult.fromKeyword(spf.split(":")[0]), spf.split(":")[1]);
    List<FailureIncident> got = new CopyOnWriteArrayList<>();
    authenticator("v=DMARC1; p=none; fo=" + fo + "; ruf=mailto:f@example.com", s, d, got, false)
        .verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    Set<Trigger> want =
        expected.isBlank()
            ? Set.of()
            : Set.of(expected.trim().split(" ")).stream()
                .map(Trigger::valueOf)
                .collect(java.util.stream.Collectors.toSet());
    if (want.isEmpty()) {
      assertThat(got).isEmpty();
    } else {
      assertThat(got).hasSize(1);
      assertThat(got.get(0).triggers()).isEqualTo(want);
    }
  }

  @Test
  @DisplayName("no ruf, or a PSD record (psd=y): no failure report, whatever failed")
  void triggers_noRufOrPsd() throws Exception {
    List<FailureIncident> got = new CopyOnWriteArrayList<>();
    SpfOutcome s = spf(SpfResult.FAIL, "example.net");
    List<DkimOutcome> d = List.of(dkim(DkimResult.FAIL, "example.com"));
    authenticator("v=DMARC1; p=reject; fo=1:d:s", s, d, got, false)
        .verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    authenticator("v=DMARC1; p=reject; psd=y; fo=1; ruf=mailto:f@example.com", s, d, got, false)
        .verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(got).isEmpty();
  }

  @Test
  @DisplayName(
      "the sink gets the header as received, the envelope, the outcomes and the unaligned"
          + " mechanisms; the whole message only when asked and given as bytes")
  void sink_getsWhatTheReportNeeds() throws Exception {
    List<FailureIncident> got = new CopyOnWriteArrayList<>();
    SpfOutcome s = spf(SpfResult.FAIL, "example.net");
    List<DkimOutcome> d = List.of(dkim(DkimResult.FAIL, "example.com"));
    String record = "v=DMARC1; p=reject; ruf=mailto:f@example.com";
    VerificationResult r =
        authenticator(record, s, d, got, false)
            .verify(
                VerificationRequest.of(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1))
                    .withEnvelopeTo("example.net"));
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(got).hasSize(1);
    FailureIncident i = got.get(0);
    assertThat(new String(i.header(), StandardCharsets.ISO_8859_1)).isEqualTo(HEADER);
    assertThat(i.message()).isEmpty();
    assertThat(i.arrival()).isEqualTo(NOW);
    assertThat(i.envelope().clientIp().getHostAddress()).isEqualTo("203.0.113.9");
    assertThat(i.envelopeTo()).contains("example.net");
    assertThat(i.unaligned()).containsExactlyInAnyOrder(Mechanism.DKIM, Mechanism.SPF);
    assertThat(i.failedSignatures()).hasSize(1);
    assertThat(i.authenticationResults()).isEqualTo(r.authenticationResults());
    assertThat(i.dmarc().record().get().ruf()).hasSize(1);

    authenticator(record, s, d, got, true)
        .verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(got.get(1).message().map(b -> new String(b, StandardCharsets.ISO_8859_1)))
        .contains(MESSAGE);

    authenticator(record, s, d, got, true)
        .verify(
            envelope(), new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(new String(got.get(2).header(), StandardCharsets.ISO_8859_1)).isEqualTo(HEADER);
    assertThat(got.get(2).message()).as("a streamed message is not kept").isEmpty();
  }

  @Test
  @DisplayName("a sink that throws does not change the result")
  void sink_throwing_resultUnchanged() throws Exception {
    InMemoryDnsResolver dns =
        InMemoryDnsResolver.builder()
            .txt("_dmarc.example.com", "v=DMARC1; p=reject; ruf=mailto:f@example.com")
            .exists("example.com")
            .build();
    MessageAuthenticator a =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.org")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .spfVerifier(
                env -> CompletableFuture.completedFuture(spf(SpfResult.FAIL, "example.net")))
            .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
            .failureReportSink(
                i -> {
                  throw new IllegalStateException("sink down");
                })
            .build();
    VerificationResult r = a.verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.authenticationResults().resultsFor("dmarc")).hasSize(1);
  }

  private static SpfOutcome spfWithRequest(SpfResult result, int rp, Set<SpfResult> rr) {
    SpfOutcome plain = spf(result, "example.net");
    return new SpfOutcome(
        plain.result(),
        plain.scope(),
        plain.identity(),
        plain.domain(),
        plain.problem(),
        plain.mechanism(),
        plain.explanation(),
        Optional.of(new SpfReportRequest("spf-reports@example.net", rp, rr)));
  }

  @ParameterizedTest(name = "{0} rp={1} rr={2} -> {3}")
  @CsvSource({
    "fail, 100, f, true",
    "softfail, 100, f, false",
    "softfail, 100, f:s, true",
    "neutral, 100, n, true",
    "permerror, 100, e, true",
    "pass, 100, f:s:n:e, false",
    "temperror, 100, f:s:n:e, false",
    "fail, 0, f, false",
  })
  @DisplayName("FAIL-09: an SPF record's ra=/rr=/rp= asks for a report of its result")
  void spfRecordRequests(String result, int rp, String rr, boolean expected) {
    Set<SpfResult> types = new java.util.HashSet<>();
    for (String t : rr.split(":")) {
      types.add(
          switch (t) {
            case "f" -> SpfResult.FAIL;
            case "s" -> SpfResult.SOFTFAIL;
            case "n" -> SpfResult.NEUTRAL;
            default -> SpfResult.PERMERROR;
          });
    }
    SpfOutcome s = spfWithRequest(SpfResult.fromKeyword(result), rp, types);
    assertThat(FailureIncident.spfRecordRequests(s, () -> 0)).isEqualTo(expected);
  }

  @Test
  @DisplayName("rp=25 reports a draw below 25 and not one at 25 or above; 100 never draws")
  void spfRecordRequests_sampling() {
    SpfOutcome quarter = spfWithRequest(SpfResult.FAIL, 25, Set.of(SpfResult.FAIL));
    assertThat(FailureIncident.spfRecordRequests(quarter, () -> 24)).isTrue();
    assertThat(FailureIncident.spfRecordRequests(quarter, () -> 25)).isFalse();
    SpfOutcome all = spfWithRequest(SpfResult.FAIL, 100, Set.of(SpfResult.FAIL));
    assertThat(
            FailureIncident.spfRecordRequests(
                all,
                () -> {
                  throw new AssertionError("no draw for rp=100");
                }))
        .isTrue();
  }

  @Test
  @DisplayName(
      "FAIL-09: the SPF record's request reaches the sink without any DMARC record, and with"
          + " one whose fo does not ask; a seeded sampler makes rp=50 repeatable")
  void spfRecordRequest_reachesSink() throws Exception {
    List<FailureIncident> got = new CopyOnWriteArrayList<>();
    SpfOutcome s = spfWithRequest(SpfResult.FAIL, 100, Set.of(SpfResult.FAIL));
    MessageAuthenticator noDmarc =
        MessageAuthenticator.builder(InMemoryDnsResolver.builder().exists("example.com").build())
            .authservId("mx.example.org")
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .spfVerifier(env -> CompletableFuture.completedFuture(s))
            .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
            .failureReportSink(got::add)
            .build();
    VerificationResult r =
        noDmarc.verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.NONE);
    assertThat(got).hasSize(1);
    assertThat(got.get(0).triggers()).containsExactly(Trigger.SPF_RECORD);
    assertThat(got.get(0).spf().reportRequest().get().address())
        .isEqualTo("spf-reports@example.net");

    authenticator(
            "v=DMARC1; p=none; fo=0", s, List.of(dkim(DkimResult.PASS, "example.com")), got, false)
        .verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(got).hasSize(2);
    assertThat(got.get(1).triggers()).containsExactly(Trigger.SPF_RECORD);

    SpfOutcome half = spfWithRequest(SpfResult.FAIL, 50, Set.of(SpfResult.FAIL));
    int[] counts = new int[2];
    for (int run = 0; run < 2; run++) {
      List<FailureIncident> sampled = new CopyOnWriteArrayList<>();
      MessageAuthenticator a =
          MessageAuthenticator.builder(InMemoryDnsResolver.builder().build())
              .authservId("mx.example.org")
              .spfVerifier(env -> CompletableFuture.completedFuture(half))
              .dkimVerifier(msg -> CompletableFuture.completedFuture(List.of()))
              .failureReportSink(sampled::add)
              .failureReportSampling(new java.util.SplittableRandom(42))
              .build();
      for (int k = 0; k < 200; k++) {
        a.verify(envelope(), MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
      }
      counts[run] = sampled.size();
    }
    assertThat(counts[0]).isEqualTo(counts[1]).isBetween(70, 130);
  }
}
