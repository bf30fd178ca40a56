// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.util.Arrays;

/** A growable byte array for header hash input; reused within one verification. */
final class ByteBuf {
  byte[] buf;
  int len;

  ByteBuf(int capacity) {
    buf = new byte[Math.max(16, capacity)];
  }

  void clear() {
    len = 0;
  }

  private void ensure(int extra) {
    int need = len + extra;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }

  void put(byte b) {
    if (len == buf.length) {
      ensure(1);
    }
    buf[len++] = b;
  }

  void put(byte[] src, int off, int n) {
    ensure(n);
    System.arraycopy(src, off, buf, len, n);
    len += n;
  }

  void putAscii(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) {
      buf[len++] = (byte) s.charAt(i);
    }
  }

  byte[] toArray() {
    return Arrays.copyOf(buf, len);
  }
}
