// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class MessageInputTest {

  /** A stream that hands out at most {@code chunk} bytes per read, like a pipe. */
  private static InputStream trickle(byte[] data, int chunk) {
    return new ByteArrayInputStream(data) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, chunk));
      }
    };
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + 7);
    }
    return b;
  }

  @Test
  @DisplayName("readAll: a pipe's size hint of 0, or a wrong hint, still reads everything")
  void readAll_anyHint_readsEverything() throws IOException {
    byte[] data = bytes(200_000);
    assertThat(MessageInput.readAll(trickle(data, 4096), 0)).isEqualTo(data);
    assertThat(MessageInput.readAll(trickle(data, 1000), 10)).isEqualTo(data);
    assertThat(MessageInput.readAll(trickle(data, 1000), 500_000)).isEqualTo(data);
    assertThat(MessageInput.readAll(trickle(data, 1000), data.length)).isEqualTo(data);
    assertThat(MessageInput.readAll(new ByteArrayInputStream(new byte[0]), 0)).isEmpty();
  }

  @Test
  @DisplayName("readAll: exactly the cap is read; one byte more is refused")
  void readAll_overCap_refused() throws IOException {
    long cap = MessageInput.MAX_BYTES;
    InputStream atCap = zeros(cap);
    assertThat(MessageInput.readAll(atCap, 0)).hasSize((int) cap);
    assertThatThrownBy(() -> MessageInput.readAll(zeros(cap + 1), 0))
        .isInstanceOf(IOException.class)
        .hasMessage("larger than 64 MiB (67108864 bytes)");
  }

  /** {@code n} zero bytes, produced as read. */
  private static InputStream zeros(long n) {
    return new InputStream() {
      long left = n;

      @Override
      public int read() {
        return left-- > 0 ? 0 : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int k = (int) Math.min(len, Math.min(left, 1 << 20));
        Arrays.fill(b, off, off + k, (byte) 0);
        left -= k;
        return k;
      }
    };
  }
}
