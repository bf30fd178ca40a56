// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.arc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcReason;
import io.github.dmarcj.result.ArcResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.ReportRecord;
import io.github.dmarcj.verify.VerificationRequest;
import io.github.dmarcj.verify.VerificationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * ARC through the verification facade, with the real SPF, DKIM and ARC verifiers found on the class
 * path, a dkimpy-sealed chain and an offline zone (arc/SOURCE.md).
 */
final class ArcFacadeTest {
  static final SmtpEnvelope ENVELOPE =
      SmtpEnvelope.of(
          InetAddress.getLoopbackAddress(), "relay.example", "team-bounces@list.example");

  static byte[] resource(String name) {
    try (InputStream in = ArcFacadeTest.class.getResourceAsStream("/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static MessageAuthenticator authenticator(
      Consumer<MessageAuthenticator.Builder> options, List<ReportRecord> rows) {
    MessageAuthenticator.Builder b =
        MessageAuthenticator.builder(
                ZoneFileResolver.fromString(
                    new String(resource("arc/arc.zone"), StandardCharsets.US_ASCII)))
            .authservId("mx.example.net")
            .clock(Clock.fixed(Instant.ofEpochSecond(1_700_001_000L), ZoneOffset.UTC))
            .reportRecordSink(rows::add);
    options.accept(b);
    return b.build();
  }

  @Test
  @DisplayName(
      "RFC 8617 §7.2.2, RFC 9990 §3.1.6: a trusted sealer's dmarc=pass turns reject into none,"
          + " and the report row says local_policy with the sealer")
  void trustedSealer_dmarcFail_overriddenAndReported() {
    List<ReportRecord> rows = new ArrayList<>();
    VerificationResult r =
        authenticator(b -> b.trustedArcSealers(List.of("list.example")), rows)
            .verify(ENVELOPE, resource("arc/chain-3.eml"));
    assertThat(r.arc().result()).isEqualTo(ArcResult.PASS);
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(rows).hasSize(1);
    ReportRecord.Override o = rows.get(0).overrides().get(0);
    assertThat(o.type()).isEqualTo(OverrideReason.LOCAL_POLICY);
    assertThat(o.comment()).contains("trusted-sealer=list.example i=1");
    assertThat(r.authenticationResultsField())
        .contains("arc=pass")
        .contains("header.oldest-pass=0")
        .contains("smtp.remote-ip=127.0.0.1");
  }

  @Test
  @DisplayName("RFC 8617 §7: without trusted sealers a passing chain changes nothing")
  void noTrustedSealer_passingChain_dispositionKept() {
    List<ReportRecord> rows = new ArrayList<>();
    VerificationResult r =
        authenticator(b -> {}, rows).verify(ENVELOPE, resource("arc/chain-3.eml"));
    assertThat(r.arc().isPass()).isTrue();
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(rows.get(0).overrides()).isEmpty();
  }

  @Test
  @DisplayName("RFC 8617 §5.2: a broken chain is never trusted, whoever sealed it")
  void trustedSealer_brokenChain_noOverride() {
    VerificationResult r =
        authenticator(b -> b.trustedArcSealers(List.of("list.example")), new ArrayList<>())
            .verify(ENVELOPE, resource("arc/tampered-seal2.eml"));
    assertThat(r.arc().reason()).contains(ArcReason.SEAL_FAILED);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(r.authenticationResultsField()).contains("arc=fail");
  }

  @Test
  @DisplayName("The streaming entry point validates the same chain the same way")
  void streamed_sameResultAsArray() throws IOException {
    MessageAuthenticator a =
        authenticator(b -> b.trustedArcSealers(List.of("list.example")), new ArrayList<>());
    VerificationResult bytes = a.verify(ENVELOPE, resource("arc/chain-3.eml"));
    VerificationResult streamed =
        a.verify(
            VerificationRequest.of(ENVELOPE),
            new ByteArrayInputStream(resource("arc/chain-3.eml")));
    assertThat(streamed.arc()).isEqualTo(bytes.arc());
    assertThat(streamed.dmarc()).isEqualTo(bytes.dmarc());
  }

  @Test
  @DisplayName("A message without ARC fields: the same result with ARC on and off, arc=none")
  void noArcFields_sameResultWithArcOnAndOff() {
    byte[] plain =
        ("From: Alice <alice@author.example>\r\nTo: bob@example.net\r\nSubject: hi\r\n"
                + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n\r\nhello\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    List<ReportRecord> onRows = new ArrayList<>();
    List<ReportRecord> offRows = new ArrayList<>();
    VerificationResult on =
        authenticator(b -> b.trustedArcSealers(List.of("list.example")), onRows)
            .verify(ENVELOPE, plain);
    VerificationResult off =
        authenticator(b -> b.arcValidation(false), offRows).verify(ENVELOPE, plain);
    assertThat(on).isEqualTo(off);
    assertThat(on.arc()).isEqualTo(ArcOutcome.none());
    assertThat(on.authenticationResults().resultsFor("arc")).isEmpty();
    assertThat(onRows).isEqualTo(offRows);
  }
}
