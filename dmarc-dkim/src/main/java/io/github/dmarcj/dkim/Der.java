// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/** The little DER reading DKIM needs: PKCS#1 RSAPublicKey (RFC 8017 A.1.1). */
final class Der {
  private Der() {}

  /** {@code SEQUENCE { INTEGER n, INTEGER e }} exactly, or {@code null}. */
  static BigInteger @Nullable [] rsaPublicKey(byte[] der) {
    int[] pos = {0};
    int seqLen = header(der, pos, 0x30);
    if (seqLen < 0 || pos[0] + seqLen != der.length) {
      return null;
    }
    BigInteger n = integer(der, pos);
    BigInteger e = n == null ? null : integer(der, pos);
    if (e == null || pos[0] != der.length) {
      return null;
    }
    return new BigInteger[] {n, e};
  }

  private static @Nullable BigInteger integer(byte[] der, int[] pos) {
    int len = header(der, pos, 0x02);
    if (len <= 0 || pos[0] + len > der.length) {
      return null;
    }
    byte[] v = new byte[len];
    System.arraycopy(der, pos[0], v, 0, len);
    pos[0] += len;
    return new BigInteger(v);
  }

  /** Reads tag and length; returns the content length or -1. */
  private static int header(byte[] der, int[] pos, int tag) {
    int p = pos[0];
    if (p + 2 > der.length || (der[p] & 0xFF) != tag) {
      return -1;
    }
    int len = der[p + 1] & 0xFF;
    p += 2;
    if (len >= 0x80) {
      int n = len & 0x7F;
      if (n == 0 || n > 3 || p + n > der.length) {
        return -1;
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = (len << 8) | (der[p + i] & 0xFF);
      }
      p += n;
    }
    pos[0] = p;
    return len;
  }
}
