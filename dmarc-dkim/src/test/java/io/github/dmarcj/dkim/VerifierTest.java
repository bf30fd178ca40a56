// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Verification rules of RFC 6376 §3 and §6, RFC 8301 and RFC 8463, one rule per test. */
final class VerifierTest {
  static final long NOW = 1_700_000_000L;
  static final String KEY_NAME = "sel._domainkey.example.com";
  static final byte[] MSG =
      TestData.crlf(
          "From: Joe <joe@example.com>\n"
              + "To: sue@example.net\n"
              + "Subject: Hello\n"
              + "Date: Tue, 14 Nov 2023 22:13:20 +0000\n"
              + "Message-ID: <1@example.com>\n"
              + "\n"
              + "Hi Sue,\n"
              + "\n"
              + "body  text\twith tabs  \n"
              + "8-bit: \u00e9\u00ff\n"
              + "\n\n");
  static final List<String> H = List.of("From", "To", "Subject");
  static final String TEMPLATE =
      "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=sel;\r\n"
          + "\th=From:To:Subject; bh={bh};\r\n\tb={b}\r\n";

  /** One TXT record at {@code name} per string of {@code records}, nothing else. */
  static InMemoryDnsResolver keys(String name, String... records) {
    return keys(InMemoryDnsResolver.builder(), name, records).build();
  }

  /** {@code zone} with one TXT record at {@code name} per string of {@code records} added. */
  static InMemoryDnsResolver.Builder keys(
      InMemoryDnsResolver.Builder zone, String name, String... records) {
    for (String r : records) {
      zone.txt(name, r);
    }
    return zone;
  }

  /** The RSA test key at {@link #KEY_NAME}, to add more records to. */
  static InMemoryDnsResolver.Builder zone() {
    return keys(InMemoryDnsResolver.builder(), KEY_NAME, RawSigner.RSA.publicKeyRecord());
  }

  static InMemoryDnsResolver resolver() {
    return zone().build();
  }

  static DkimVerificationResult verify(DnsResolver r, byte[] msg) {
    return verify(r, msg, b -> b);
  }

  static DkimVerificationResult verify(
      DnsResolver r, byte[] msg, UnaryOperator<DkimMessageVerifier.Builder> cfg) {
    return cfg.apply(DkimMessageVerifier.builder(r).clock(TestData.fixed(NOW)))
        .build()
        .verifyMessage(msg)
        .toCompletableFuture()
        .join();
  }

  static DkimSignatureResult only(DkimVerificationResult r) {
    assertThat(r.signatures()).hasSize(1);
    return r.signatures().get(0);
  }

  static byte[] signed(String template) {
    return RawSigner.sign(MSG, template, "relaxed", "relaxed", -1, H);
  }

  static byte[] replace(byte[] m, String from, String to) {
    String s = new String(m, StandardCharsets.ISO_8859_1);
    assertThat(s).contains(from);
    return s.replace(from, to).getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  @DisplayName("RFC 6376 §3.3.2: a plain rsa-sha256 relaxed/relaxed signature passes")
  void plain_rsaSha256_passes() {
    DkimSignatureResult s = only(verify(resolver(), signed(TEMPLATE)));
    assertThat(s.result()).isEqualTo(DkimResult.PASS);
    assertThat(s.reason()).isEqualTo(DkimReason.VERIFIED);
    assertThat(s.domain()).isEqualTo("example.com");
    assertThat(s.selector()).isEqualTo("sel");
    assertThat(s.keyBits()).isEqualTo(2048);
    assertThat(s.signaturePrefix()).hasSize(12);
    assertThat(s.fieldIndex()).isZero();
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.4.1 and §3.4.3: simple/simple signature passes; any body change fails the body hash")
  void simpleSimple_passes_bodyChangeFails() {
    String t = TEMPLATE.replace("c=relaxed/relaxed", "c=simple/simple");
    byte[] m = RawSigner.sign(MSG, t, "simple", "simple", -1, H);
    assertThat(only(verify(resolver(), m)).reason()).isEqualTo(DkimReason.VERIFIED);
    byte[] changed = replace(m, "body  text", "body text");
    assertThat(only(verify(resolver(), changed)).reason()).isEqualTo(DkimReason.BODY_HASH_MISMATCH);
  }

  @Test
  @DisplayName("RFC 6376 §3.4.4: relaxed body: whitespace changes still pass, content changes fail")
  void relaxedBody_whitespaceTolerated_contentNot() {
    byte[] m = signed(TEMPLATE);
    assertThat(only(verify(resolver(), replace(m, "body  text\twith", "body text with"))).isPass())
        .isTrue();
    DkimSignatureResult s = only(verify(resolver(), replace(m, "Hi Sue", "Hi Bob")));
    assertThat(s.reason()).isEqualTo(DkimReason.BODY_HASH_MISMATCH);
    assertThat(s.result()).isEqualTo(DkimResult.FAIL);
  }

  @Test
  @DisplayName("RFC 6376 §3.4.2: relaxed header: refolding passes, changing a signed header fails")
  void relaxedHeader_refoldPasses_changeFails() {
    byte[] m = signed(TEMPLATE);
    assertThat(
            only(verify(resolver(), replace(m, "Subject: Hello", "SUBJECT:\r\n   Hello"))).isPass())
        .isTrue();
    DkimSignatureResult s =
        only(verify(resolver(), replace(m, "Subject: Hello", "Subject: Hellp")));
    assertThat(s.reason()).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
    assertThat(s.result()).isEqualTo(DkimResult.FAIL);
    // Date is not in h=, so changing it does not matter.
    assertThat(only(verify(resolver(), replace(m, "22:13:20", "22:13:21"))).isPass()).isTrue();
  }

  @Test
  @DisplayName("RFC 6376 §3.7: b= not last, bh= after it, b= folded: only the b value is removed")
  void bInMiddle_foldedValue_passes() {
    String t =
        "DKIM-Signature: v=1; a=rsa-sha256; b={b};\r\n d=example.com; s=sel; c=simple/relaxed;\r\n"
            + " h=From:To:Subject; bh={bh}\r\n";
    byte[] m = RawSigner.sign(MSG, t, "simple", "relaxed", -1, H);
    // Fold the b= value after signing: the verifier must drop it with its whitespace.
    String s = new String(m, StandardCharsets.ISO_8859_1);
    int b = s.indexOf("b=") + 2;
    int end = s.indexOf(';', b);
    String folded =
        s.substring(0, b + 10) + "\r\n\t " + s.substring(b + 10, end) + s.substring(end);
    assertThat(only(verify(resolver(), folded.getBytes(StandardCharsets.ISO_8859_1))).reason())
        .isEqualTo(DkimReason.VERIFIED);
    // Changing bh= (kept in the hash input) breaks the signature even if the body matches it.
    assertThat(only(verify(resolver(), replace(m, "bh=", "bh= "))).reason())
        .isEqualTo(DkimReason.SIGNATURE_MISMATCH);
  }

  @Test
  @DisplayName(
      "RFC 6376 §5.4.2 and §8.15: h= from the bottom; an added Subject above passes, below fails")
  void headerSelection_bottomUp() {
    byte[] m = signed(TEMPLATE);
    // A new Subject at the very top: the signed (bottom-most) Subject is unchanged.
    byte[] top = replace(m, "DKIM-Signature:", "Subject: Fake\r\nDKIM-Signature:");
    assertThat(only(verify(resolver(), top)).isPass()).isTrue();
    // A new Subject below the original becomes the selected one.
    byte[] below = replace(m, "Message-ID:", "Subject: Fake\r\nMessage-ID:");
    assertThat(only(verify(resolver(), below)).reason()).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
  }

  @Test
  @DisplayName(
      "RFC 6376 §5.4.2 and §8.15: over-signed Subject: any added Subject breaks the signature")
  void overSigned_addedInstance_fails() {
    List<String> h = List.of("From", "To", "Subject", "Subject", "Reply-To");
    String t = TEMPLATE.replace("h=From:To:Subject", "h=From:To:Subject:Subject:Reply-To");
    byte[] m = RawSigner.sign(MSG, t, "relaxed", "relaxed", -1, h);
    assertThat(only(verify(resolver(), m)).isPass()).as("absent names contribute nothing").isTrue();
    byte[] top = replace(m, "DKIM-Signature:", "Subject: Fake\r\nDKIM-Signature:");
    assertThat(only(verify(resolver(), top)).reason()).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
    byte[] reply = replace(m, "DKIM-Signature:", "Reply-To: x@evil.example\r\nDKIM-Signature:");
    assertThat(only(verify(resolver(), reply)).reason()).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.4.5 and §8.2: l= with appended content passes, flagged; policy option refuses it")
  void bodyLength_appendedContent_flaggedOrRefused() {
    String t = TEMPLATE.replace("s=sel;", "s=sel; l=20;");
    byte[] m = RawSigner.sign(MSG, t, "relaxed", "relaxed", 20, H);
    DkimSignatureResult exact = only(verify(resolver(), m));
    assertThat(exact.isPass()).isTrue();
    assertThat(exact.bodyLength()).hasValue(20);
    assertThat(exact.unsignedBodyTail()).isTrue(); // the body is longer than 20 canonical octets
    byte[] appended = replace(m, "\r\n\r\n\r\n", "\r\nEVIL APPENDED PART\r\n");
    DkimSignatureResult a = only(verify(resolver(), appended));
    assertThat(a.isPass()).isTrue();
    assertThat(a.unsignedBodyTail()).isTrue();
    DkimSignatureResult refused =
        only(verify(resolver(), appended, b -> b.refuseUnsignedBodyTail(true)));
    assertThat(refused.result()).isEqualTo(DkimResult.POLICY);
    assertThat(refused.reason()).isEqualTo(DkimReason.UNSIGNED_BODY_TAIL);
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.4.5: l= covering the whole body has no unsigned tail; l= beyond the body fails")
  void bodyLength_wholeBodyAndBeyond() {
    byte[] probe = new byte[0];
    long total;
    {
      HeaderSection hs = HeaderSection.parse(MSG, 0, MSG.length, 1 << 20);
      BodyHasher.Sink sink = new BodyHasher.Sink(Crypto.digest(DkimAlgorithm.RSA_SHA256), -1);
      BodyHasher h =
          BodyHasher.create(DkimCanonicalization.RELAXED, new BodyHasher.Sink[] {sink}, false);
      h.update(MSG, hs.bodyOffset, MSG.length - hs.bodyOffset);
      h.finish();
      total = h.canonicalLength();
    }
    byte[] whole =
        RawSigner.sign(
            MSG,
            TEMPLATE.replace("s=sel;", "s=sel; l=" + total + ";"),
            "relaxed",
            "relaxed",
            total,
            H);
    DkimSignatureResult w = only(verify(resolver(), whole, b -> b.refuseUnsignedBodyTail(true)));
    assertThat(w.isPass()).isTrue();
    assertThat(w.unsignedBodyTail()).isFalse();
    byte[] beyond =
        RawSigner.sign(
            MSG,
            TEMPLATE.replace("s=sel;", "s=sel; l=" + (total + 1) + ";"),
            "relaxed",
            "relaxed",
            total + 1,
            H);
    assertThat(only(verify(resolver(), beyond)).reason())
        .isEqualTo(DkimReason.BODY_LENGTH_EXCEEDS_BODY);
    assertThat(probe).isEmpty();
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.2: duplicate tag, malformed tag-list -> permerror SYNTAX; unknown tag ignored")
  void tagList_duplicateMalformedUnknown() {
    assertThat(
            only(verify(resolver(), signed(TEMPLATE.replace("s=sel;", "s=sel; s=sel;")))).reason())
        .isEqualTo(DkimReason.SYNTAX);
    assertThat(
            only(verify(resolver(), signed(TEMPLATE.replace("s=sel;", "s=sel; ;; =x;")))).reason())
        .isEqualTo(DkimReason.SYNTAX);
    DkimSignatureResult unknown =
        only(verify(resolver(), signed(TEMPLATE.replace("s=sel;", "s=sel; foo_1=bar baz;"))));
    assertThat(unknown.isPass()).isTrue();
    assertThat(
            only(verify(resolver(), signed(TEMPLATE.replace("s=sel;", "s=sel; S=upper;"))))
                .isPass())
        .as("tag names are case-sensitive: S is an unknown tag")
        .isTrue();
  }

  @Test
  @DisplayName("RFC 6376 §6.1.1: missing required tag and v!=1 are permerrors")
  void requiredTags_andVersion() {
    assertThat(only(verify(resolver(), signed(TEMPLATE.replace(" s=sel;", "")))).reason())
        .isEqualTo(DkimReason.MISSING_TAG);
    DkimSignatureResult v2 = only(verify(resolver(), signed(TEMPLATE.replace("v=1", "v=2"))));
    assertThat(v2.reason()).isEqualTo(DkimReason.UNSUPPORTED_VERSION);
    assertThat(v2.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(v2.domain())
        .as("identifying tags are reported even on error")
        .isEqualTo("example.com");
    assertThat(
            only(verify(resolver(), signed(TEMPLATE.replace("c=relaxed/relaxed", "c=fancy"))))
                .reason())
        .isEqualTo(DkimReason.UNSUPPORTED_CANONICALIZATION);
    assertThat(
            only(verify(
                    resolver(), signed(TEMPLATE.replace("s=sel;", "s=sel; q=http/well-known;"))))
                .reason())
        .isEqualTo(DkimReason.UNSUPPORTED_QUERY_METHOD);
  }

  @Test
  @DisplayName("RFC 6376 §3.5: x= expiry and t= in the future against the injected clock with skew")
  void timestamps_expiryAndFuture() {
    byte[] expired =
        signed(TEMPLATE.replace("s=sel;", "s=sel; t=" + (NOW - 1000) + "; x=" + (NOW - 400) + ";"));
    assertThat(only(verify(resolver(), expired)).reason()).isEqualTo(DkimReason.EXPIRED);
    assertThat(only(verify(resolver(), expired, b -> b.clockSkew(Duration.ofMinutes(10)))).isPass())
        .isTrue();
    assertThat(only(verify(resolver(), expired, b -> b.rejectExpired(false))).isPass()).isTrue();
    byte[] future = signed(TEMPLATE.replace("s=sel;", "s=sel; t=" + (NOW + 3600) + ";"));
    assertThat(only(verify(resolver(), future)).reason()).isEqualTo(DkimReason.FUTURE_TIMESTAMP);
    assertThat(only(verify(resolver(), future, b -> b.rejectFutureTimestamp(false))).isPass())
        .isTrue();
    byte[] slightly = signed(TEMPLATE.replace("s=sel;", "s=sel; t=" + (NOW + 60) + ";"));
    assertThat(only(verify(resolver(), slightly)).isPass()).isTrue();
    byte[] order = signed(TEMPLATE.replace("s=sel;", "s=sel; t=" + NOW + "; x=" + NOW + ";"));
    assertThat(only(verify(resolver(), order)).reason())
        .isEqualTo(DkimReason.EXPIRY_BEFORE_TIMESTAMP);
    byte[] far = signed(TEMPLATE.replace("s=sel;", "s=sel; t=" + NOW + "; x=1000000000000;"));
    assertThat(only(verify(resolver(), far)).isPass()).as("x= up to 10^12 accepted").isTrue();
  }

  @Test
  @DisplayName("RFC 6376 §6.1.1: h= without From is refused (permerror)")
  void fromNotSigned_permerror() {
    byte[] m =
        RawSigner.sign(
            MSG,
            TEMPLATE.replace("h=From:To:Subject", "h=To:Subject"),
            "relaxed",
            "relaxed",
            -1,
            List.of("To", "Subject"));
    assertThat(only(verify(resolver(), m)).reason()).isEqualTo(DkimReason.FROM_NOT_SIGNED);
    assertThat(only(verify(resolver(), m, b -> b.requireFromSigned(false))).isPass()).isTrue();
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.5 and §3.6.1: i= within d= passes, outside fails; t=s refuses a subdomain i=")
  void identity_withinDomain_andStrictFlag() {
    byte[] sub = signed(TEMPLATE.replace("s=sel;", "s=sel; i=joe@mail.example.com;"));
    DkimSignatureResult ok = only(verify(resolver(), sub));
    assertThat(ok.isPass()).isTrue();
    assertThat(ok.identity()).hasValue("joe@mail.example.com");
    byte[] outside = signed(TEMPLATE.replace("s=sel;", "s=sel; i=joe@example.org;"));
    assertThat(only(verify(resolver(), outside)).reason()).isEqualTo(DkimReason.IDENTITY_MISMATCH);
    byte[] qp = signed(TEMPLATE.replace("s=sel;", "s=sel; i=joe=40example.com;"));
    assertThat(only(verify(resolver(), qp)).identity()).hasValue("joe@example.com");
    InMemoryDnsResolver strict = keys(KEY_NAME, RawSigner.RSA.publicKeyRecord() + "; t=s");
    assertThat(only(verify(strict, sub)).reason()).isEqualTo(DkimReason.KEY_STRICT_IDENTITY);
    assertThat(only(verify(strict, qp)).isPass()).isTrue();
  }

  @Test
  @DisplayName("RFC 6376 §3.6.1: key record tags: revoked, h=, k=, s=, t=y, v= placement")
  void keyRecordTags() {
    byte[] m = signed(TEMPLATE);
    String p = RawSigner.RSA.publicKeyRecord().substring("v=DKIM1; k=rsa; ".length());
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM1; p="), m)).reason())
        .isEqualTo(DkimReason.KEY_REVOKED);
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM1; h=sha1; " + p), m)).reason())
        .isEqualTo(DkimReason.KEY_HASH_NOT_ALLOWED);
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM1; h=sha1:sha256; " + p), m)).isPass()).isTrue();
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM1; k=ed25519; " + p), m)).reason())
        .isEqualTo(DkimReason.KEY_TYPE_MISMATCH);
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM1; s=tlsrpt; " + p), m)).reason())
        .isEqualTo(DkimReason.KEY_SERVICE_NOT_EMAIL);
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM1; s=email:tlsrpt; " + p), m)).isPass()).isTrue();
    assertThat(only(verify(keys(KEY_NAME, "k=rsa; v=DKIM1; " + p), m)).reason())
        .isEqualTo(DkimReason.KEY_SYNTAX);
    assertThat(only(verify(keys(KEY_NAME, "v=DKIM2; " + p), m)).reason())
        .isEqualTo(DkimReason.KEY_SYNTAX);
    DkimSignatureResult testing = only(verify(keys(KEY_NAME, "v=DKIM1; t=y:q; n=note; " + p), m));
    assertThat(testing.isPass()).isTrue();
    assertThat(testing.testing()).isTrue();
    assertThat(testing.toOutcome().testing()).isTrue();
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.6.1 and §3.6.2.2: p= as bare RSAPublicKey, and split TXT strings joined, both pass")
  void bareRsaPublicKey_passes() throws Exception {
    RSAPublicKey pub =
        (RSAPublicKey)
            java.security.KeyFactory.getInstance("RSA")
                .generatePublic(
                    new java.security.spec.X509EncodedKeySpec(RawSigner.RSA.publicKeyBytes()));
    // SubjectPublicKeyInfo for RSA ends with the RSAPublicKey: BIT STRING wrapping; take the tail.
    byte[] spki = pub.getEncoded();
    byte[] pkcs1 = java.util.Arrays.copyOfRange(spki, 24, spki.length);
    assertThat(pkcs1[0]).isEqualTo((byte) 0x30);
    String rec = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pkcs1);
    assertThat(only(verify(keys(KEY_NAME, rec), signed(TEMPLATE))).isPass()).isTrue();
    // A resolver joins the strings of one TXT record without separator; whitespace in p= is
    // ignored.
    String spaced = RawSigner.RSA.publicKeyRecord().replaceAll("(.{50})", "$1 ");
    assertThat(only(verify(keys(KEY_NAME, spaced), signed(TEMPLATE))).isPass()).isTrue();
  }

  @Test
  @DisplayName("RFC 6376 §6.1.2: several TXT records: unparseable ones are skipped")
  void severalKeyRecords_tryEach() {
    InMemoryDnsResolver r =
        keys(KEY_NAME, "not a key at all", "v=spf1 -all", RawSigner.RSA.publicKeyRecord());
    assertThat(only(verify(r, signed(TEMPLATE))).isPass()).isTrue();
    InMemoryDnsResolver none = keys(KEY_NAME, "garbage");
    assertThat(only(verify(none, signed(TEMPLATE))).reason()).isEqualTo(DkimReason.KEY_SYNTAX);
  }

  @Test
  @DisplayName("RFC 6376 §6.1.2: DNS temporary failure -> temperror")
  void dnsTempFail_temperror() {
    DkimSignatureResult s =
        only(verify(InMemoryDnsResolver.builder().tempFail(KEY_NAME).build(), signed(TEMPLATE)));
    assertThat(s.result()).isEqualTo(DkimResult.TEMPERROR);
    assertThat(s.reason()).isEqualTo(DkimReason.DNS_TEMPFAIL);
  }

  @Test
  @DisplayName("RFC 8301 §3.1: rsa-sha1 refused by default, accepted when configured")
  void rsaSha1_refusedByDefault() {
    String t = TEMPLATE.replace("a=rsa-sha256", "a=rsa-sha1");
    byte[] m =
        RawSigner.sign(MSG, t, "relaxed", "relaxed", -1, H, "SHA1withRSA", RawSigner.rsaPrivate());
    DkimSignatureResult s = only(verify(resolver(), m));
    assertThat(s.reason()).isEqualTo(DkimReason.RSA_SHA1_REFUSED);
    assertThat(s.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(s.toOutcome().reason()).hasValue(DkimReason.RSA_SHA1_REFUSED);
    assertThat(s.toOutcome().reasonKeyword()).hasValue("rsa-sha1-refused");
    assertThat(only(verify(resolver(), m, b -> b.allowRsaSha1(true))).isPass()).isTrue();
  }

  @Test
  @DisplayName(
      "RFC 8301 §3.2, RFC 8601 §2.7.1: RSA key below 1024 bits is refused as policy; floor and ceiling configurable")
  void rsaKeySize_floorAndCeiling() {
    KeyPair small = RawSigner.rsaPair(768, 7);
    byte[] m =
        RawSigner.sign(
            MSG, TEMPLATE, "relaxed", "relaxed", -1, H, "SHA256withRSA", small.getPrivate());
    InMemoryDnsResolver r = keys(KEY_NAME, RawSigner.record((RSAPublicKey) small.getPublic()));
    DkimSignatureResult s = only(verify(r, m));
    assertThat(s.reason()).isEqualTo(DkimReason.KEY_TOO_SMALL);
    assertThat(s.result()).isEqualTo(DkimResult.POLICY);
    assertThat(s.keyBits()).isEqualTo(768);
    assertThat(only(verify(r, m, b -> b.minRsaKeyBits(512))).isPass()).isTrue();
    DkimSignatureResult big =
        only(verify(resolver(), signed(TEMPLATE), b -> b.maxRsaKeyBits(1024)));
    assertThat(big.reason()).isEqualTo(DkimReason.KEY_TOO_LARGE);
    assertThat(big.result()).isEqualTo(DkimResult.POLICY);
  }

  @Test
  @DisplayName("RFC 8463 §3: ed25519-sha256 signature from the signer passes; wrong key fails")
  void ed25519_signAndVerify() {
    byte[] m =
        DkimSigner.builder(RawSigner.ED, "example.com", "ed")
            .clock(TestData.fixed(NOW))
            .build()
            .sign(MSG);
    InMemoryDnsResolver r = keys("ed._domainkey.example.com", RawSigner.ED.publicKeyRecord());
    DkimSignatureResult s = only(verify(r, m));
    assertThat(s.isPass()).isTrue();
    assertThat(s.algorithm()).isEqualTo("ed25519-sha256");
    DkimSigningKey other = DkimSigningKey.ed25519Seed(new byte[32]);
    InMemoryDnsResolver wrong = keys("ed._domainkey.example.com", other.publicKeyRecord());
    assertThat(only(verify(wrong, m)).reason()).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
  }

  @Test
  @DisplayName(
      "RFC 6376 §4.2 and §6.1: two signatures, one key query per selector; a limit marks extras not checked")
  void severalSignatures_oneQueryEach_andLimit() {
    byte[] once = signed(TEMPLATE);
    byte[] twice =
        RawSigner.sign(
            once,
            TEMPLATE.replace("c=relaxed/relaxed", "c=simple/simple"),
            "simple",
            "simple",
            -1,
            H);
    RecordingDnsResolver r = new RecordingDnsResolver(resolver());
    DkimVerificationResult rep = verify(r, twice);
    assertThat(rep.signatures())
        .extracting(DkimSignatureResult::result)
        .containsExactly(DkimResult.PASS, DkimResult.PASS);
    assertThat(rep.signatures()).extracting(DkimSignatureResult::fieldIndex).containsExactly(0, 1);
    assertThat(r.queries())
        .containsExactly(new RecordingDnsResolver.Query(RecordType.TXT, KEY_NAME));
    DkimVerificationResult limited = verify(resolver(), twice, b -> b.maxSignatures(1));
    assertThat(limited.signatures().get(0).isPass()).isTrue();
    assertThat(limited.signatures().get(1).reason()).isEqualTo(DkimReason.NOT_CHECKED_LIMIT);
    assertThat(limited.signatures().get(1).result()).isEqualTo(DkimResult.NEUTRAL);
    byte[] broken = replace(twice, "Hi Sue", "Hi Bob");
    assertThat(verify(resolver(), broken).signatures())
        .extracting(DkimSignatureResult::reason)
        .containsExactly(DkimReason.BODY_HASH_MISMATCH, DkimReason.BODY_HASH_MISMATCH);
  }

  @Test
  @DisplayName("RFC 6376 §6.1: oversized signature field and too many h= names are refused")
  void limits_fieldSizeAndHeaderCount() {
    byte[] m = signed(TEMPLATE);
    assertThat(only(verify(resolver(), m, b -> b.maxSignatureFieldBytes(100))).reason())
        .isEqualTo(DkimReason.SIGNATURE_FIELD_TOO_LARGE);
    assertThat(only(verify(resolver(), m, b -> b.maxSignedHeaders(2))).reason())
        .isEqualTo(DkimReason.TOO_MANY_SIGNED_HEADERS);
  }

  @Test
  @DisplayName("RFC 8601 §2.7.1: unsigned message: no results, summary none")
  void unsigned_none() {
    DkimVerificationResult rep = verify(resolver(), MSG);
    assertThat(rep.signatures()).isEmpty();
    assertThat(rep.summary()).isEqualTo(DkimResult.NONE);
  }

  @Test
  @DisplayName("byte[], heap and direct ByteBuffer, InputStream and core's DkimVerifier agree")
  void inputForms_agree() throws Exception {
    byte[] m = signed(TEMPLATE);
    DkimMessageVerifier v =
        DkimMessageVerifier.builder(resolver()).clock(TestData.fixed(NOW)).build();
    DkimVerificationResult a = v.verifyMessage(m).toCompletableFuture().join();
    ByteBuffer direct = ByteBuffer.allocateDirect(m.length + 3);
    direct.put(new byte[] {1, 2, 3}).put(m).flip().position(3);
    DkimVerificationResult b = v.verifyMessage(direct).toCompletableFuture().join();
    assertThat(direct.position()).isEqualTo(3);
    byte[] padded = new byte[m.length + 10];
    System.arraycopy(m, 0, padded, 5, m.length);
    DkimVerificationResult c =
        v.verifyMessage(ByteBuffer.wrap(padded, 5, m.length).slice()).toCompletableFuture().join();
    DkimVerificationResult d =
        v.verifyMessage(new ByteArrayInputStream(m)).toCompletableFuture().join();
    assertThat(List.of(b, c, d)).allSatisfy(x -> assertThat(x).isEqualTo(a));
    assertThat(a.hasPass()).isTrue();
    List<DkimOutcome> outcomes = v.verify(m).toCompletableFuture().join();
    assertThat(outcomes)
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.result()).isEqualTo(DkimResult.PASS);
              assertThat(o.domain()).isEqualTo("example.com");
              assertThat(o.reason()).isEmpty();
            });
  }

  @Test
  @DisplayName(
      "RFC 6376 §4.2: signatures checked on an executor give the same results in header order")
  void executor_concurrentChecks() {
    byte[] once = signed(TEMPLATE);
    byte[] m =
        DkimSigner.builder(RawSigner.ED, "example.com", "ed")
            .clock(TestData.fixed(NOW))
            .build()
            .sign(once);
    InMemoryDnsResolver r =
        keys(zone(), "ed._domainkey.example.com", RawSigner.ED.publicKeyRecord()).build();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      DkimVerificationResult rep = verify(r, m, b -> b.executor(pool));
      assertThat(rep.signatures())
          .extracting(DkimSignatureResult::algorithm)
          .containsExactly("ed25519-sha256", "rsa-sha256");
      assertThat(rep.signatures()).allMatch(DkimSignatureResult::isPass);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("RFC 6376 §3.8: bare-LF message: fails as received, passes with normalizeBareLf")
  void bareLf_optionalNormalization() {
    byte[] m = signed(TEMPLATE);
    byte[] lf =
        new String(m, StandardCharsets.ISO_8859_1)
            .replace("\r\n", "\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(only(verify(resolver(), lf)).isPass()).isFalse();
    assertThat(only(verify(resolver(), lf, b -> b.normalizeBareLf(true))).isPass()).isTrue();
  }

  @Test
  @DisplayName("builder rejects nonsense eagerly")
  void builder_rejectsBadValues() {
    DkimMessageVerifier.Builder b = DkimMessageVerifier.builder(resolver());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.maxSignatures(0))
        .hasMessageContaining("must be positive, was 0");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.clockSkew(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> b.minRsaKeyBits(4096).maxRsaKeyBits(2048).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("RFC 8616 §5: a UTF-8 U-label in d= is read as UTF-8 and looked up as its A-label")
  void utf8Domain_decodedAsUtf8_passes() {
    // "bücher.example" as UTF-8 bytes in the field (each byte one char of the ISO-8859-1 template).
    String utf8 =
        new String(
            "b\u00fccher.example".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    String t =
        TEMPLATE.replace("d=example.com", "d=" + utf8).replace("s=sel;", "s=sel; i=@" + utf8 + ";");
    byte[] m = RawSigner.sign(MSG, t, "relaxed", "relaxed", -1, H);
    InMemoryDnsResolver r =
        keys("sel._domainkey.xn--bcher-kva.example", RawSigner.RSA.publicKeyRecord());
    DkimSignatureResult s = only(verify(r, m));
    assertThat(s.reason()).isEqualTo(DkimReason.VERIFIED);
    assertThat(s.domain()).isEqualTo("xn--bcher-kva.example");
    assertThat(s.identity()).contains("@b\u00fccher.example");
  }

  @Test
  @DisplayName("RFC 8616 §5: a quoted-printable UTF-8 i= decodes to its characters")
  void qpUtf8Identity_decoded() {
    assertThat(SignatureRecord.qpDecode("j=C3=BCrgen@example.com"))
        .isEqualTo("j\u00fcrgen@example.com");
    assertThat(SignatureRecord.qpDecode("=FF@example.com")).isEqualTo("\u00ff@example.com");
    assertThat(SignatureRecord.qpDecode("plain@example.com")).isEqualTo("plain@example.com");
  }

  @Test
  @DisplayName(
      "RFC 6376 §3.5: a signer's x= never overflows: an absurd validity is refused, a sane one verifies")
  void signerExpiry_boundedAndVerifies() {
    DkimSigner.Builder b =
        DkimSigner.builder(RawSigner.ED, "example.com", "ed").clock(TestData.fixed(NOW));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> b.expiry(Duration.ofSeconds(Long.MAX_VALUE)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most");
    byte[] m = b.expiry(Duration.ofDays(7)).build().sign(MSG);
    assertThat(new String(m, StandardCharsets.ISO_8859_1)).contains("x=" + (NOW + 7 * 86_400));
    InMemoryDnsResolver r = keys("ed._domainkey.example.com", RawSigner.ED.publicKeyRecord());
    assertThat(only(verify(r, m)).reason()).isEqualTo(DkimReason.VERIFIED);
  }
}
