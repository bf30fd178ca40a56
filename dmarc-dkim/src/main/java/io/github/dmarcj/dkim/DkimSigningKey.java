// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.io.IOException;
import java.io.StringReader;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/**
 * A private key for DKIM signing: RSA (rsa-sha256) or Ed25519 (ed25519-sha256, RFC 8463).
 *
 * <p>Load one with {@link #fromPem(String)} (PKCS#1 {@code RSA PRIVATE KEY} or PKCS#8 {@code
 * PRIVATE KEY}, RSA or Ed25519), {@link #ed25519Seed(byte[])} for a raw 32-byte Ed25519 key, or
 * {@link #rsa(RSAPrivateCrtKey)}. {@link #publicKeyRecord()} gives the TXT record to publish.
 *
 * @since 0.1.0
 */
public final class DkimSigningKey {
  private final DkimAlgorithm algorithm;
  private final @Nullable RSAPrivateCrtKey rsa;
  private final byte @Nullable [] edSeed;
  private final byte[] publicKey;

  private DkimSigningKey(
      DkimAlgorithm algorithm, @Nullable RSAPrivateCrtKey rsa, byte @Nullable [] edSeed) {
    this.algorithm = algorithm;
    this.rsa = rsa;
    this.edSeed = edSeed;
    if (rsa != null) {
      try {
        RSAPublicKey pub =
            (RSAPublicKey)
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
        this.publicKey = pub.getEncoded();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalArgumentException("unusable RSA key", e);
      }
    } else {
      this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
      Ed25519.generatePublicKey(edSeed, 0, publicKey, 0);
    }
  }

  /**
   * {@return an RSA key (signs {@code rsa-sha256})}
   *
   * @param key the RSA private key
   */
  public static DkimSigningKey rsa(RSAPrivateCrtKey key) {
    return new DkimSigningKey(DkimAlgorithm.RSA_SHA256, Objects.requireNonNull(key, "key"), null);
  }

  /**
   * {@return an Ed25519 key from its 32-byte private seed (RFC 8032 §5.1.5; signs {@code
   * ed25519-sha256})}
   *
   * @param seed the 32-byte seed
   * @throws IllegalArgumentException if {@code seed} is not 32 bytes
   */
  public static DkimSigningKey ed25519Seed(byte[] seed) {
    if (seed.length != Ed25519.SECRET_KEY_SIZE) {
      throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
    }
    return new DkimSigningKey(DkimAlgorithm.ED25519_SHA256, null, seed.clone());
  }

  /**
   * {@return a key from PEM text: {@code RSA PRIVATE KEY} (PKCS#1), or {@code PRIVATE KEY} (PKCS#8)
   * holding an RSA or Ed25519 key} A bare base64 string of 32 bytes is taken as a raw Ed25519 seed.
   *
   * @param pem the PEM text or the base64 seed
   * @throws IllegalArgumentException if the text holds no usable private key
   */
  public static DkimSigningKey fromPem(String pem) {
    Objects.requireNonNull(pem, "pem");
    String trimmed = pem.strip();
    if (!trimmed.startsWith("-----")) {
      byte[] raw;
      try {
        raw = Base64.getMimeDecoder().decode(trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not PEM and not base64", e);
      }
      return ed25519Seed(raw);
    }
    Object parsed;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      parsed = parser.readObject();
    } catch (IOException e) {
      throw new IllegalArgumentException("unreadable PEM: " + e.getMessage(), e);
    }
    try {
      PrivateKeyInfo info;
      if (parsed instanceof PEMKeyPair pair) {
        info = pair.getPrivateKeyInfo();
      } else if (parsed instanceof PrivateKeyInfo pki) {
        info = pki;
      } else {
        throw new IllegalArgumentException(
            "no private key in PEM"
                + (parsed == null ? "" : " (found " + parsed.getClass().getSimpleName() + ")"));
      }
      AsymmetricKeyParameter params = PrivateKeyFactory.createKey(info);
      if (params instanceof Ed25519PrivateKeyParameters ed) {
        return ed25519Seed(ed.getEncoded());
      }
      PrivateKey k = new JcaPEMKeyConverter().getPrivateKey(info);
      if (k instanceof RSAPrivateCrtKey crt) {
        return rsa(crt);
      }
      throw new IllegalArgumentException("unsupported key type " + k.getAlgorithm());
    } catch (IOException e) {
      throw new IllegalArgumentException("unusable private key: " + e.getMessage(), e);
    }
  }

  /** {@return the algorithm this key signs with} */
  public DkimAlgorithm algorithm() {
    return algorithm;
  }

  /** {@return key size in bits (256 for Ed25519)} */
  public int keyBits() {
    return rsa != null ? rsa.getModulus().bitLength() : 256;
  }

  /**
   * {@return the DNS TXT record to publish at {@code <selector>._domainkey.<domain>} (RFC 6376
   * §3.6.1; RSA as SubjectPublicKeyInfo, Ed25519 as the raw 32 bytes, RFC 8463 §4)}
   */
  public String publicKeyRecord() {
    return "v=DKIM1; k="
        + algorithm.keyType()
        + "; p="
        + Base64.getEncoder().encodeToString(publicKey);
  }

  /** The public key bytes as they go into {@code p=}, before base64. */
  byte[] publicKeyBytes() {
    return publicKey.clone();
  }

  /** Signs the header hash input {@code data[0..len)}. */
  byte[] sign(byte[] data, int len) {
    if (rsa != null) {
      try {
        java.security.Signature s = java.security.Signature.getInstance("SHA256withRSA");
        s.initSign(rsa);
        s.update(data, 0, len);
        return s.sign();
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("RSA signing failed", e);
      }
    }
    java.security.MessageDigest md = Crypto.digest(DkimAlgorithm.ED25519_SHA256);
    md.update(data, 0, len);
    byte[] hash = md.digest();
    byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
    Ed25519.sign(edSeed, 0, hash, 0, hash.length, sig, 0);
    return sig;
  }

  @Override
  public String toString() {
    return "DkimSigningKey["
        + algorithm.keyword()
        + ", "
        + keyBits()
        + " bits, public "
        + Arrays.hashCode(publicKey)
        + "]";
  }
}
