// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A key record a sender publishes for its own domain must decide that sender's signature only:
 * never a later one, on the same thread or in the same message.
 */
final class KeyRecordIsolationTest {
  /** Hostile or broken key records, each served at {@code bad._domainkey.example.com}. */
  static final String[] HOSTILE = {
    "v=DKIM1; k=; p=AAAA",
    "v=DKIM1; k=; p=" + Base64.getEncoder().encodeToString(RawSigner.RSA.publicKeyBytes()),
    "v=DKIM1; k=ed25519; p=AAAA",
    "v=DKIM1; k=rsa; p=AAAA",
    "v=DKIM1; k=rsa; p=MA==",
    "v=DKIM1; k=x25519; p=AAAA",
    "v=DKIM1; p=",
    "v=DKIM1; k=ed25519; p=" + Base64.getEncoder().encodeToString(new byte[32]),
  };

  static byte[] signedBy(String selector) {
    return VerifierTest.replace(
        VerifierTest.signed(VerifierTest.TEMPLATE), "s=sel;", "s=" + selector + ";");
  }

  static InMemoryDnsResolver resolverWith(String hostile) {
    return VerifierTest.keys(VerifierTest.zone(), "bad._domainkey.example.com", hostile).build();
  }

  /** Runs {@code r} on a thread that has verified nothing before, and returns what it returned. */
  static <T> T onFreshThread(java.util.function.Supplier<T> r) throws InterruptedException {
    AtomicReference<T> out = new AtomicReference<>();
    AtomicReference<Throwable> err = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                out.set(r.get());
              } catch (Throwable e) {
                err.set(e);
              }
            });
    t.start();
    t.join();
    assertThat(err.get()).isNull();
    return out.get();
  }

  @Test
  void emptyKeyType_firstOnThread_laterValidSignaturePasses() throws Exception {
    InMemoryDnsResolver r = resolverWith("v=DKIM1; k=; p=AAAA");
    List<DkimSignatureResult> seen =
        onFreshThread(
            () -> {
              List<DkimSignatureResult> out = new ArrayList<>();
              out.add(VerifierTest.only(VerifierTest.verify(r, signedBy("bad"))));
              for (int i = 0; i < 3; i++) {
                out.add(VerifierTest.only(VerifierTest.verify(r, signedBy("sel"))));
              }
              return out;
            });
    assertThat(seen.get(0).reason()).isEqualTo(DkimReason.KEY_SYNTAX);
    assertThat(seen.subList(1, 4))
        .allSatisfy(s -> assertThat(s.reason()).isEqualTo(DkimReason.VERIFIED));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void hostileKey_aboveValidSignatureInOneMessage_validOnePasses(int which) throws Exception {
    InMemoryDnsResolver r = resolverWith(HOSTILE[which]);
    byte[] good = VerifierTest.signed(VerifierTest.TEMPLATE);
    // A second, hostile signature above the valid one: its own field, same body hash.
    String s = new String(good, StandardCharsets.ISO_8859_1);
    String sigField = s.substring(0, s.indexOf("\r\nFrom:") + 2);
    byte[] both = (sigField.replace("s=sel;", "s=bad;") + s).getBytes(StandardCharsets.ISO_8859_1);
    DkimVerificationResult report = onFreshThread(() -> VerifierTest.verify(r, both));
    assertThat(report.signatures()).hasSize(2);
    assertThat(report.signatures().get(0).isPass()).isFalse();
    assertThat(report.signatures().get(0).result()).isNotEqualTo(DkimResult.TEMPERROR);
    assertThat(report.signatures().get(1).reason()).isEqualTo(DkimReason.VERIFIED);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void hostileKey_thenValidMessagesOnSameThread_allPass(int which) throws Exception {
    InMemoryDnsResolver r = resolverWith(HOSTILE[which]);
    List<DkimReason> reasons =
        onFreshThread(
            () -> {
              List<DkimReason> out = new ArrayList<>();
              out.add(VerifierTest.only(VerifierTest.verify(r, signedBy("bad"))).reason());
              out.add(VerifierTest.only(VerifierTest.verify(r, signedBy("sel"))).reason());
              return out;
            });
    assertThat(reasons.get(0))
        .isNotEqualTo(DkimReason.VERIFIED)
        .isNotEqualTo(DkimReason.DNS_TEMPFAIL);
    assertThat(reasons.get(1)).isEqualTo(DkimReason.VERIFIED);
  }

  @Test
  void emptyKeyType_withEd25519Key_isKeySyntaxNotTemperror() {
    String edKey = Base64.getEncoder().encodeToString(RawSigner.ED.publicKeyBytes());
    InMemoryDnsResolver r =
        VerifierTest.keys("ed._domainkey.example.com", "v=DKIM1; k=; p=" + edKey);
    byte[] m =
        DkimSigner.builder(RawSigner.ED, "example.com", "ed")
            .clock(TestData.fixed(VerifierTest.NOW))
            .build()
            .sign(VerifierTest.MSG);
    DkimSignatureResult s = VerifierTest.only(VerifierTest.verify(r, m));
    assertThat(s.reason()).isEqualTo(DkimReason.KEY_SYNTAX);
    assertThat(s.result()).isEqualTo(DkimResult.PERMERROR);
  }

  @Test
  void emptyKeyType_withRsaKey_isKeySyntax() {
    String rsaKey = Base64.getEncoder().encodeToString(RawSigner.RSA.publicKeyBytes());
    InMemoryDnsResolver r = VerifierTest.keys(VerifierTest.KEY_NAME, "v=DKIM1; k=; p=" + rsaKey);
    DkimSignatureResult s =
        VerifierTest.only(VerifierTest.verify(r, VerifierTest.signed(VerifierTest.TEMPLATE)));
    assertThat(s.reason()).isEqualTo(DkimReason.KEY_SYNTAX);
    assertThat(s.result()).isEqualTo(DkimResult.PERMERROR);
  }

  @Test
  void longPublicExponent_refusedWithoutRsaWork() throws Exception {
    BigInteger n = BigInteger.ONE.shiftLeft(3071).add(BigInteger.valueOf(0x123457));
    BigInteger e = BigInteger.ONE.shiftLeft(3069).add(BigInteger.ONE);
    RSAPublicKey k =
        (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
    InMemoryDnsResolver r = VerifierTest.keys(VerifierTest.KEY_NAME, RawSigner.record(k));
    DkimSignatureResult s =
        VerifierTest.only(VerifierTest.verify(r, VerifierTest.signed(VerifierTest.TEMPLATE)));
    assertThat(s.reason()).isEqualTo(DkimReason.KEY_EXPONENT_TOO_LARGE);
    assertThat(s.result()).isEqualTo(DkimResult.POLICY);
    assertThat(s.keyBits()).isEqualTo(3072);
  }

  @Test
  void exponentAtBound_isChecked() throws Exception {
    // 2^64 - 59 is odd and 64 bits long: within the bound, so the signature is checked (and fails).
    BigInteger e = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.valueOf(59));
    RSAPublicKey real =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(
                    new java.security.spec.X509EncodedKeySpec(RawSigner.RSA.publicKeyBytes()));
    RSAPublicKey k =
        (RSAPublicKey)
            KeyFactory.getInstance("RSA")
                .generatePublic(new RSAPublicKeySpec(real.getModulus(), e));
    InMemoryDnsResolver r = VerifierTest.keys(VerifierTest.KEY_NAME, RawSigner.record(k));
    DkimSignatureResult s =
        VerifierTest.only(VerifierTest.verify(r, VerifierTest.signed(VerifierTest.TEMPLATE)));
    assertThat(s.reason()).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
  }

  @Test
  void manyKeyRecordsAtOneSelector_onlyTheFirstFourAreTried() throws Exception {
    List<String> records = new ArrayList<>();
    for (int i = 0; i < DkimMessageVerifier.MAX_KEY_RECORDS_PER_SIGNATURE; i++) {
      records.add(RawSigner.record((RSAPublicKey) RawSigner.rsaPair(1024, 100 + i).getPublic()));
    }
    InMemoryDnsResolver.Builder zone =
        VerifierTest.keys(
            InMemoryDnsResolver.builder(), VerifierTest.KEY_NAME, records.toArray(new String[0]));
    byte[] m = VerifierTest.signed(VerifierTest.TEMPLATE);
    assertThat(VerifierTest.only(VerifierTest.verify(zone.build(), m)).reason())
        .isEqualTo(DkimReason.SIGNATURE_MISMATCH);
    // The right key as the fifth record is never reached; as the fourth it is.
    InMemoryDnsResolver fifth =
        zone.txt(VerifierTest.KEY_NAME, RawSigner.RSA.publicKeyRecord()).build();
    assertThat(VerifierTest.only(VerifierTest.verify(fifth, m)).reason())
        .isEqualTo(DkimReason.SIGNATURE_MISMATCH);
    InMemoryDnsResolver fourth =
        VerifierTest.keys(
                InMemoryDnsResolver.builder(),
                VerifierTest.KEY_NAME,
                records.subList(0, 3).toArray(new String[0]))
            .txt(VerifierTest.KEY_NAME, RawSigner.RSA.publicKeyRecord())
            .build();
    assertThat(VerifierTest.only(VerifierTest.verify(fourth, m)).reason())
        .isEqualTo(DkimReason.VERIFIED);
  }
}
