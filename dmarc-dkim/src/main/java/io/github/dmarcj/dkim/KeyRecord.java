// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.result.DkimReason;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.jspecify.annotations.Nullable;

/**
 * A parsed DKIM key record (RFC 6376 §3.6.1, RFC 8463 §3 and §4). Immutable, so a parsed record can
 * be shared between verifications of the same TXT text.
 */
final class KeyRecord {
  /** Why the record is unusable, or {@code null}. */
  final @Nullable DkimReason error;

  final String keyType;
  final List<String> hashes;
  final boolean serviceEmail;
  final boolean testing;
  final boolean strict;

  /** RSA key (JCA) or {@code null}. */
  final @Nullable RSAPublicKey rsaKey;

  /** Ed25519 key, decoded once (Bouncy Castle point) or {@code null}. */
  final Ed25519.@Nullable PublicPoint edKey;

  final int keyBits;

  /** Bit length of the RSA public exponent, 0 for other key types. */
  final int exponentBits;

  private KeyRecord(
      @Nullable DkimReason error,
      String keyType,
      List<String> hashes,
      boolean serviceEmail,
      boolean testing,
      boolean strict,
      @Nullable RSAPublicKey rsaKey,
      Ed25519.@Nullable PublicPoint edKey,
      int keyBits) {
    this.error = error;
    this.keyType = keyType;
    this.hashes = hashes;
    this.serviceEmail = serviceEmail;
    this.testing = testing;
    this.strict = strict;
    this.rsaKey = rsaKey;
    this.edKey = edKey;
    this.keyBits = keyBits;
    this.exponentBits = rsaKey == null ? 0 : rsaKey.getPublicExponent().bitLength();
  }

  private static KeyRecord error(DkimReason r, boolean testing) {
    return error(r, testing, "");
  }

  private static KeyRecord error(DkimReason r, boolean testing, String keyType) {
    return new KeyRecord(r, keyType, List.of(), false, testing, false, null, null, 0);
  }

  static KeyRecord parse(String txt) {
    TagList tags = TagList.parse(txt).orElse(null);
    if (tags == null) {
      return error(DkimReason.KEY_SYNTAX, false);
    }
    String v = tags.value("v");
    if (v != null && (!"v".equals(tags.firstName()) || !"DKIM1".equals(v))) {
      return error(DkimReason.KEY_SYNTAX, false);
    }
    boolean testing = false;
    boolean strict = false;
    String t = tags.value("t");
    if (t != null) {
      for (String flag : t.split(":", -1)) {
        String f = flag.strip();
        if (f.equals("y")) {
          testing = true;
        } else if (f.equals("s")) {
          strict = true;
        }
      }
    }
    String p = tags.value("p");
    if (p == null) {
      return error(DkimReason.KEY_SYNTAX, testing);
    }
    String keyData = TagList.stripWhitespace(p);
    if (keyData.isEmpty()) {
      return error(DkimReason.KEY_REVOKED, testing);
    }
    String k = tags.value("k");
    String keyType = k == null ? "rsa" : k.strip().toLowerCase(java.util.Locale.ROOT);
    if (keyType.isEmpty()) {
      // k= with no value is not a key type (RFC 6376 §3.6.1 key-k-tag-type is 1*ALPHA/DIGIT).
      return error(DkimReason.KEY_SYNTAX, testing);
    }
    List<String> hashes = List.of();
    String h = tags.value("h");
    if (h != null) {
      hashes = java.util.Arrays.stream(h.split(":", -1)).map(String::strip).toList();
    }
    boolean email = true;
    String s = tags.value("s");
    if (s != null) {
      email = false;
      for (String svc : s.split(":", -1)) {
        String x = svc.strip();
        if (x.equals("*") || x.equals("email")) {
          email = true;
        }
      }
    }
    byte[] der = SignatureRecord.base64(keyData);
    if (der == null) {
      return error(DkimReason.KEY_SYNTAX, testing, keyType);
    }
    if (keyType.equals("rsa")) {
      RSAPublicKey key = rsaKey(der);
      if (key == null) {
        return error(DkimReason.KEY_SYNTAX, testing, keyType);
      }
      return new KeyRecord(
          null, keyType, hashes, email, testing, strict, key, null, key.getModulus().bitLength());
    }
    if (keyType.equals("ed25519")) {
      if (der.length != Ed25519.PUBLIC_KEY_SIZE) {
        return error(DkimReason.KEY_SYNTAX, testing, keyType);
      }
      Ed25519.PublicPoint point = Ed25519.validatePublicKeyPartialExport(der, 0);
      if (point == null) {
        return error(DkimReason.KEY_SYNTAX, testing, keyType);
      }
      return new KeyRecord(null, keyType, hashes, email, testing, strict, null, point, 256);
    }
    // An unknown key type: the record parses but cannot serve any algorithm we know.
    return new KeyRecord(null, keyType, hashes, email, testing, strict, null, null, 0);
  }

  /** An RSA key from DER SubjectPublicKeyInfo or bare PKCS#1 RSAPublicKey (RFC 6376 §3.6.1). */
  static @Nullable RSAPublicKey rsaKey(byte[] der) {
    KeyFactory kf;
    try {
      kf = KeyFactory.getInstance("RSA");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no RSA key factory", e);
    }
    try {
      PublicKey k = kf.generatePublic(new X509EncodedKeySpec(der));
      if (k instanceof RSAPublicKey rsa) {
        return rsa;
      }
    } catch (InvalidKeySpecException | RuntimeException e) {
      // not SubjectPublicKeyInfo; try RSAPublicKey below
    }
    BigInteger[] ne = Der.rsaPublicKey(der);
    if (ne == null || ne[0].signum() <= 0 || ne[1].signum() <= 0) {
      return null;
    }
    try {
      return (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(ne[0], ne[1]));
    } catch (InvalidKeySpecException | RuntimeException e) {
      return null;
    }
  }
}
