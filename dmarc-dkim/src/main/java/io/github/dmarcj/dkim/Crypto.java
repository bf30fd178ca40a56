// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signature verification and hashing, each with the provider measured fastest here: the JDK for
 * SHA-256 (CPU SHA extensions) and RSA, Bouncy Castle's Ed25519 with keys decoded once (RFC 6376
 * §3.3.2, RFC 8463 §3).
 *
 * <p>Every verification uses a {@link Signature} object of its own, taken from the provider chosen
 * once when this class loads. Nothing is reused from one verification to the next, so no key
 * record, however malformed, can leave state behind that changes a later verdict (a shared {@code
 * Signature} whose provider selection once failed stays unusable for every later key).
 */
final class Crypto {
  private Crypto() {}

  private static final MessageDigest SHA256 = prototype("SHA-256");
  private static final MessageDigest SHA1 = prototype("SHA-1");

  /** The provider of each RSA algorithm, resolved once against a real key. */
  private static final Provider RSA_SHA256_PROVIDER = provider("SHA256withRSA");

  private static final Provider RSA_SHA1_PROVIDER = provider("SHA1withRSA");

  private static MessageDigest prototype(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + name, e);
    }
  }

  /**
   * The provider that verifies {@code name} with an RSA public key. The choice is made with a
   * fixed, valid key so that it never depends on the first key a sender publishes.
   */
  private static Provider provider(String name) {
    try {
      Signature probe = Signature.getInstance(name);
      probe.initVerify(ProbeKey.KEY);
      return probe.getProvider();
    } catch (GeneralSecurityException e) {
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

  /**
   * Verifies {@code sig} over {@code data[0..len)} with the key of {@code record}, which must hold
   * the key the algorithm needs.
   *
   * @throws NullPointerException if {@code record} has no key of {@code algorithm}'s type: a defect
   *     of the caller, which checks the key type first
   */
  static boolean verify(
      DkimAlgorithm algorithm, KeyRecord record, byte[] data, int len, byte[] sig) {
    if (algorithm == DkimAlgorithm.ED25519_SHA256) {
      Ed25519.PublicPoint key = Objects.requireNonNull(record.edKey, "Ed25519 key");
      if (sig.length != Ed25519.SIGNATURE_SIZE) {
        return false;
      }
      MessageDigest md = digest(algorithm);
      md.update(data, 0, len);
      byte[] hash = md.digest();
      return Ed25519.verify(sig, 0, key, hash, 0, hash.length);
    }
    return verifyRsa(algorithm, Objects.requireNonNull(record.rsaKey, "RSA key"), data, len, sig);
  }

  static boolean verifyRsa(
      DkimAlgorithm algorithm, RSAPublicKey key, byte[] data, int len, byte[] sig) {
    Objects.requireNonNull(key, "key");
    Signature s;
    try {
      s =
          algorithm == DkimAlgorithm.RSA_SHA1
              ? Signature.getInstance("SHA1withRSA", RSA_SHA1_PROVIDER)
              : Signature.getInstance("SHA256withRSA", RSA_SHA256_PROVIDER);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the RSA provider lost its algorithm", e);
    }
    try {
      s.initVerify(key);
      s.update(data, 0, len);
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      // A malformed signature value (wrong length, not PKCS#1 v1.5) is simply not a valid one.
      return false;
    }
  }

  /** A fixed 1024-bit RSA public key (e = 65537), used only to pick the provider. */
  private static final class ProbeKey {
    static final RSAPublicKey KEY = key();

    private static RSAPublicKey key() {
      java.math.BigInteger n =
          java.math.BigInteger.ONE.shiftLeft(1023).add(java.math.BigInteger.valueOf(0x2d));
      try {
        return (RSAPublicKey)
            java.security.KeyFactory.getInstance("RSA")
                .generatePublic(
                    new java.security.spec.RSAPublicKeySpec(
                        n, java.math.BigInteger.valueOf(65537)));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no RSA key factory", e);
      }
    }
  }
}
