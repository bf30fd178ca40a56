// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signature verification and hashing, each with the provider measured fastest here: the JDK for
 * SHA-256 (CPU SHA extensions) and RSA, Bouncy Castle's Ed25519 with keys decoded once (RFC 8463
 * §3; SPEC DKIM-21/22).
 */
final class Crypto {
  private Crypto() {}

  private static final MessageDigest SHA256 = prototype("SHA-256");
  private static final MessageDigest SHA1 = prototype("SHA-1");

  private static final ThreadLocal<Signature> RSA_SHA256 =
      ThreadLocal.withInitial(() -> signature("SHA256withRSA"));
  private static final ThreadLocal<Signature> RSA_SHA1 =
      ThreadLocal.withInitial(() -> signature("SHA1withRSA"));

  private static MessageDigest prototype(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e);
    }
  }

  private static Signature signature(String name) {
    try {
      return Signature.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e);
    }
  }

  /** A fresh digest for {@code algorithm}'s hash. */
  static MessageDigest digest(DkimAlgorithm algorithm) {
    MessageDigest proto = algorithm == DkimAlgorithm.RSA_SHA1 ? SHA1 : SHA256;
    try {
      return (MessageDigest) proto.clone();
    } catch (CloneNotSupportedException e) {
      return prototype(proto.getAlgorithm());
    }
  }

  /** Verifies {@code sig} over {@code data[0..len)} with the key of {@code record}. */
  static boolean verify(
      DkimAlgorithm algorithm, KeyRecord record, byte[] data, int len, byte[] sig) {
    if (algorithm == DkimAlgorithm.ED25519_SHA256) {
      if (sig.length != Ed25519.SIGNATURE_SIZE) {
        return false;
      }
      MessageDigest md = digest(algorithm);
      md.update(data, 0, len);
      byte[] hash = md.digest();
      return Ed25519.verify(sig, 0, record.edKey, hash, 0, hash.length);
    }
    return verifyRsa(algorithm, record.rsaKey, data, len, sig);
  }

  static boolean verifyRsa(DkimAlgorithm algorithm, RSAPublicKey key, byte[] data, int len, byte[] sig) {
    Signature s = (algorithm == DkimAlgorithm.RSA_SHA1 ? RSA_SHA1 : RSA_SHA256).get();
    try {
      s.initVerify(key);
      s.update(data, 0, len);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A malformed signature value (wrong length, not PKCS#1 v1.5) is simply not a valid one.
      return false;
    }
  }
}
