// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The pipe between connection and verification: order, growth, hand-over and its bound. */
final class BodyPipeTest {
  private static long inSeconds(int s) {
    return System.nanoTime() + TimeUnit.SECONDS.toNanos(s);
  }

  private static CompletableFuture<byte[]> drain(BodyPipe pipe) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          byte[] b = new byte[3000];
          try {
            for (int n; (n = pipe.read(b, 0, b.length)) >= 0; ) {
              out.write(b, 0, n);
            }
          } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
          }
          return out.toByteArray();
        });
  }

  @Test
  @DisplayName(
      "a megabyte in pieces of every size, waking or not, reaches the reader in order while the"
          + " buffer grows from 8 KiB to its bound and wraps")
  void order_growth_noDeadlock() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(1).nextBytes(data);
    BodyPipe pipe = new BodyPipe();
    CompletableFuture<byte[]> read = drain(pipe);
    Random sizes = new Random(2);
    int pos = 0;
    while (pos < data.length) {
      int n = Math.min(data.length - pos, 1 + sizes.nextInt(70_000));
      assertThat(pipe.write(data, pos, n, inSeconds(10), sizes.nextBoolean())).isTrue();
      pos += n;
    }
    pipe.finish();
    assertThat(read.get(20, TimeUnit.SECONDS)).isEqualTo(data);
  }

  @Test
  @DisplayName("bytes written without waking are read once a later write wakes the reader")
  void heldUntilWoken() throws Exception {
    BodyPipe pipe = new BodyPipe();
    CompletableFuture<byte[]> read = drain(pipe);
    pipe.write("From: a@b\r\n".getBytes(), 0, 11, inSeconds(5), false);
    pipe.write("To: c@d\r\n".getBytes(), 0, 9, inSeconds(5), false);
    pipe.write("\r\n".getBytes(), 0, 2, inSeconds(5), true);
    pipe.finish();
    assertThat(new String(read.get(10, TimeUnit.SECONDS)))
        .isEqualTo("From: a@b\r\nTo: c@d\r\n\r\n");
  }

  @Test
  @DisplayName("a reader that never reads: the writer gives up at its deadline with the pipe full")
  void stalledReader_deadline() throws Exception {
    BodyPipe pipe = new BodyPipe();
    byte[] big = new byte[BodyPipe.CAPACITY + 1];
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    assertThat(pipe.write(big, 0, big.length, deadline, false)).isFalse();
    assertThat(pipe.available()).isEqualTo(BodyPipe.CAPACITY);
  }
}
