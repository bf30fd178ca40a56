// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** dkimpy's test data (dkimpy/SOURCE.md), with the expectations of dkimpy's own tests. */
final class DkimpySuiteTest {
  static final String TEST_TXT = TestData.text("dkimpy/test.txt").strip();
  static final String BRISBANE =
      "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

  /**
   * The published (since revoked) record of 20120113._domainkey.gmail.com, as dkimpy's tests use
   * it.
   */
  static final String GMAIL_2012 =
      "k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1Kd87/UeJjenpabgbFwh"
          + "+eBCsSTrqmwIYYvywlbhbqoo2DymndFkbjOVIPIldNs/m40KF+yzMn1skyoxcTUGCQ"
          + "s8g3FgD2Ap3ZB5DekAo5wMmk4wimDO+U8QzI3SD07y2+07wlNWwIt8svnxgdxGkVbb"
          + "hzY8i+RQ9DpSVpPbF7ykQxtKXkv/ahW3KjViiAH+ghvvIhkx4xYSIc9oSwVmAl5Oct"
          + "MEeWUwg8Istjqz8BZeTWbf41fbNhte7Y+YqZOwq1Sd0DbvYAD9NOZK9vlfuac0598H"
          + "Y+vtSBczUiKERHv1yRbcaQtZFh5wtiRrN04BLUTD21MycBX5jYchHjPY/wIDAQAB";

  static DkimVerificationResult verify(DnsResolver r, byte[] msg) {
    return DkimMessageVerifier.builder(r)
        .clock(TestData.fixed(1_700_000_000L))
        .build()
        .verifyMessage(msg)
        .toCompletableFuture()
        .join();
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.3.2, RFC 8463 §3: dkimpy rfc6376.signed.msg: ed25519 and rsa signatures pass")
  void rfc6376Signed_bothSignatures_pass() {
    InMemoryDnsResolver r =
        InMemoryDnsResolver.builder()
            .txt("brisbane._domainkey.football.example.com", BRISBANE)
            .txt("test._domainkey.football.example.com", TEST_TXT)
            .build();
    DkimVerificationResult rep =
        verify(r, TestData.crlf(TestData.resource("dkimpy/rfc6376.signed.msg")));
    assertThat(rep.signatures()).hasSize(2);
    assertThat(rep.signatures())
        .extracting(DkimSignatureResult::result)
        .containsOnly(DkimResult.PASS);
  }

  @Test
  @DisplayName("RFC 8463 §3: dkimpy ed25519test2.msg: Exim-made ed25519 signature passes")
  void eximEd25519_passes() {
    InMemoryDnsResolver r =
        VerifierTest.keys("sed._domainkey.test.ex", TestData.text("dkimpy/eximtest.dns").strip());
    DkimVerificationResult rep = verify(r, TestData.resource("dkimpy/ed25519test2.msg"));
    assertThat(rep.signatures())
        .singleElement()
        .extracting(DkimSignatureResult::result)
        .isEqualTo(DkimResult.PASS);
  }

  @Test
  @DisplayName("RFC 6376 §3.4.2: dkimpy test2.message: degenerate header folding verifies")
  void degenerateFolding_passes() {
    InMemoryDnsResolver r = VerifierTest.keys("20120113._domainkey.gmail.com", GMAIL_2012);
    DkimVerificationResult rep =
        verify(r, TestData.crlf(TestData.resource("dkimpy/test2.message")));
    assertThat(rep.signatures())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.result()).as(s.toString()).isEqualTo(DkimResult.PASS);
              assertThat(s.keyBits()).isEqualTo(2048);
            });
  }

  record KeyCase(String file, DkimReason expected) {}

  @TestFactory
  @DisplayName("RFC 6376 §3.6.1: dkimpy key records against a message signed with test.private")
  Stream<DynamicTest> keyRecords_signedWithTestPrivate_expectedReasons() {
    DkimSigningKey key = DkimSigningKey.fromPem(TestData.text("dkimpy/test.private"));
    DkimSigner signer =
        DkimSigner.builder(key, "example.com", "test")
            .clock(TestData.fixed(1_700_000_000L))
            .build();
    byte[] signed = signer.sign(TestData.crlf(TestData.resource("dkimpy/test.message")));
    return Stream.of(
            new KeyCase("test.txt", DkimReason.VERIFIED),
            new KeyCase("test2.txt", DkimReason.VERIFIED),
            new KeyCase("test_bad.txt", DkimReason.KEY_SYNTAX),
            new KeyCase("badversion.txt", DkimReason.KEY_SYNTAX),
            new KeyCase("badk.txt", DkimReason.KEY_TYPE_MISMATCH),
            new KeyCase("test_tlsrpt.txt", DkimReason.KEY_SERVICE_NOT_EMAIL))
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.file() + " -> " + c.expected(),
                    () -> {
                      InMemoryDnsResolver r =
                          VerifierTest.keys(
                              "test._domainkey.example.com",
                              TestData.text("dkimpy/" + c.file()).strip());
                      DkimSignatureResult s = verify(r, signed).signatures().get(0);
                      assertThat(s.reason()).as(s.toString()).isEqualTo(c.expected());
                    }));
  }

  @Test
  @DisplayName("RFC 8463 §3: dkimpy ed25519test.key signs, ed25519test.dns verifies")
  void ed25519Key_signAndVerify_passes() {
    DkimSigningKey key = DkimSigningKey.fromPem(TestData.text("dkimpy/ed25519test.key"));
    assertThat(key.algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    byte[] signed =
        DkimSigner.builder(key, "example.com", "test")
            .clock(TestData.fixed(1_700_000_000L))
            .build()
            .sign(TestData.crlf(TestData.resource("dkimpy/test.message")));
    InMemoryDnsResolver r =
        VerifierTest.keys(
            "test._domainkey.example.com", TestData.text("dkimpy/ed25519test.dns").strip());
    assertThat(verify(r, signed).hasPass()).isTrue();
  }

  @Test
  @DisplayName("RFC 8463 §3: RFC 8032 7.1 TEST 1 secret key gives the RFC 8463 brisbane public key")
  void rfc8032Key_publicKeyRecord_matchesBrisbane() {
    DkimSigningKey key = DkimSigningKey.fromPem(TestData.text("dkimpy/rfc8032_7_1.key"));
    assertThat(key.publicKeyRecord()).isEqualTo(BRISBANE);
  }

  @Test
  @DisplayName("RFC 6376 §6.1.1: dkimpy test_nofrom.message: signing without From is refused")
  void noFrom_sign_throws() {
    DkimSigningKey key = DkimSigningKey.fromPem(TestData.text("dkimpy/test.private"));
    DkimSigner signer =
        DkimSigner.builder(key, "example.com", "test")
            .clock(TestData.fixed(1_700_000_000L))
            .build();
    byte[] msg = TestData.crlf(TestData.resource("dkimpy/test_nofrom.message"));
    assertThatThrownBy(() -> signer.sign(msg)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("RFC 6376 §6.1.2: no key record at the selector is KEY_NOT_FOUND (permerror)")
  void missingKey_keyNotFound() {
    DkimSigningKey key = DkimSigningKey.fromPem(TestData.text("dkimpy/test.private"));
    byte[] signed =
        DkimSigner.builder(key, "example.com", "missing")
            .clock(TestData.fixed(1_700_000_000L))
            .build()
            .sign(TestData.crlf(TestData.resource("dkimpy/test.message")));
    List<DkimSignatureResult> sigs =
        verify(InMemoryDnsResolver.builder().build(), signed).signatures();
    assertThat(sigs)
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(DkimReason.KEY_NOT_FOUND);
              assertThat(s.result()).isEqualTo(DkimResult.PERMERROR);
            });
  }
}
