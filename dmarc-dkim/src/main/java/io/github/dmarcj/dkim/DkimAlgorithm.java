// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.util.Optional;

/**
 * Signing algorithms, tag {@code a=} (RFC 6376 §3.3, RFC 8301 §3.1, RFC 8463 §3).
 *
 * <p>{@link #RSA_SHA1} is listed so that signatures using it can be named in results; it is refused
 * for verification unless explicitly allowed and never used for signing (RFC 8301).
 */
public enum DkimAlgorithm {
  /** {@code rsa-sha256}: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 6376 §3.3.2). */
  RSA_SHA256("rsa-sha256", "rsa", "sha256"),
  /** {@code ed25519-sha256}: PureEdDSA Ed25519 over the SHA-256 of the header data (RFC 8463). */
  ED25519_SHA256("ed25519-sha256", "ed25519", "sha256"),
  /** {@code rsa-sha1}: historic (RFC 6376 §3.3.1), not to be used (RFC 8301 §3.1). */
  RSA_SHA1("rsa-sha1", "rsa", "sha1");

  private final String keyword;
  private final String keyType;
  private final String hashName;

  DkimAlgorithm(String keyword, String keyType, String hashName) {
    this.keyword = keyword;
    this.keyType = keyType;
    this.hashName = hashName;
  }

  /** {@return the {@code a=} token, for example {@code rsa-sha256}} */
  public String keyword() {
    return keyword;
  }

  /**
   * {@return the key record {@code k=} value this algorithm needs: {@code rsa} or {@code ed25519}}
   */
  public String keyType() {
    return keyType;
  }

  /**
   * {@return the hash name used in the key record {@code h=} tag: {@code sha256} or {@code sha1}}
   */
  public String hashName() {
    return hashName;
  }

  String jcaDigest() {
    return this == RSA_SHA1 ? "SHA-1" : "SHA-256";
  }

  /**
   * {@return the algorithm for an {@code a=} value (exact, lower case as RFC 6376 writes it)}
   *
   * @param keyword an {@code a=} value
   */
  public static Optional<DkimAlgorithm> fromKeyword(String keyword) {
    java.util.Objects.requireNonNull(keyword, "keyword");
    for (DkimAlgorithm a : values()) {
      if (a.keyword.equals(keyword)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
