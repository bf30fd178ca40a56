// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Builds DKIM-Signature fields from a hand-written template, so tests can produce any tag
 * combination (odd tag order, l=, x=, rsa-sha1...). The template holds {@code {bh}} where the body
 * hash goes and {@code {b}} where the signature goes.
 */
final class RawSigner {
  static final String RSA_PEM = TestData.text("keys/rsa2048.pem");
  static final DkimSigningKey RSA = DkimSigningKey.fromPem(RSA_PEM);
  static final DkimSigningKey ED = DkimSigningKey.fromPem(TestData.text("keys/ed25519.pem"));

  private RawSigner() {}

  static PrivateKey rsaPrivate() {
    try {
      String b64 = RSA_PEM.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      return KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A deterministic RSA key pair of {@code bits}. */
  static KeyPair rsaPair(int bits, long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits, r);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String record(RSAPublicKey k) {
    return "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(k.getEncoded());
  }

  /** Signs with the 2048-bit RSA test key, rsa-sha256. */
  static byte[] sign(byte[] msg, String template, String hc, String bc, long l, List<String> h) {
    return sign(msg, template, hc, bc, l, h, "SHA256withRSA", rsaPrivate());
  }

  static byte[] sign(
      byte[] msg,
      String template,
      String hc,
      String bc,
      long l,
      List<String> h,
      String jcaAlg,
      PrivateKey key) {
    HeaderSection hs = HeaderSection.parse(msg, 0, msg.length, Integer.MAX_VALUE);
    DkimCanonicalization bodyC = DkimCanonicalization.fromKeyword(bc).orElseThrow();
    DkimCanonicalization headC = DkimCanonicalization.fromKeyword(hc).orElseThrow();
    BodyHasher.Sink sink =
        new BodyHasher.Sink(
            Crypto.digest(
                jcaAlg.startsWith("SHA1") ? DkimAlgorithm.RSA_SHA1 : DkimAlgorithm.RSA_SHA256),
            l);
    BodyHasher bh = BodyHasher.create(bodyC, new BodyHasher.Sink[] {sink}, false);
    bh.update(msg, hs.bodyOffset, msg.length - hs.bodyOffset);
    bh.finish();
    String field =
        template.replace("{bh}", Base64.getEncoder().encodeToString(sink.digest.digest()));
    String unsigned = field.replace("{b}", "");
    byte[] u = unsigned.getBytes(StandardCharsets.ISO_8859_1);
    int len = HeaderCanonicalizer.withoutLineEnding(u, u.length);
    ByteBuf data = HeaderHashInput.build(hs.fields, h, headC, Arrays.copyOf(u, len), false);
    try {
      Signature s = Signature.getInstance(jcaAlg);
      s.initSign(key);
      s.update(data.buf, 0, data.len);
      String b = Base64.getEncoder().encodeToString(s.sign());
      byte[] f = field.replace("{b}", b).getBytes(StandardCharsets.ISO_8859_1);
      byte[] out = new byte[f.length + msg.length];
      System.arraycopy(f, 0, out, 0, f.length);
      System.arraycopy(msg, 0, out, f.length, msg.length);
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
