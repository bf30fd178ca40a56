// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * A bounded byte pipe between the connection thread, which writes the message as the MTA sends it,
 * and the verification thread, which reads it: at most {@link #CAPACITY} bytes are held. Once the
 * reader has finished ({@link #readerDone}), further bytes are dropped, so a writer never waits for
 * a reader that stopped reading (the facade stops after the header of an unsigned message).
 */
final class BodyPipe extends InputStream {
  /** Bytes held at most between writer and reader. */
  static final int CAPACITY = 256 * 1024;

  private final byte[] buf = new byte[CAPACITY];
  private int head;
  private int count;
  private boolean writerDone;
  private boolean readerDone;
  private @Nullable String failure;

  /**
   * Writes {@code len} bytes, waiting for room until {@code deadlineNanos} ({@link System#nanoTime}
   * scale).
   *
   * @return false if the deadline passed before every byte was taken
   */
  synchronized boolean write(byte[] b, int off, int len, long deadlineNanos)
      throws InterruptedException {
    int pos = off;
    int end = off + len;
    while (pos < end) {
      if (readerDone || writerDone) {
        return true;
      }
      if (count == CAPACITY) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
        continue;
      }
      int tail = (head + count) % CAPACITY;
      int n = Math.min(end - pos, Math.min(CAPACITY - count, CAPACITY - tail));
      System.arraycopy(b, pos, buf, tail, n);
      count += n;
      pos += n;
      notifyAll();
    }
    return true;
  }

  /** The message is complete: the reader sees the end of the stream after the held bytes. */
  synchronized void finish() {
    writerDone = true;
    notifyAll();
  }

  /** The message is abandoned: the reader gets an {@link IOException} naming {@code why}. */
  synchronized void fail(String why) {
    if (!writerDone) {
      failure = why;
      writerDone = true;
    }
    notifyAll();
  }

  /** The reader is done with the stream; later writes are dropped. */
  synchronized void readerDone() {
    readerDone = true;
    count = 0;
    notifyAll();
  }

  @Override
  public synchronized int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (count == 0) {
      if (failure != null) {
        throw new IOException(failure);
      }
      if (writerDone) {
        return -1;
      }
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    if (failure != null) {
      throw new IOException(failure);
    }
    int n = Math.min(len, Math.min(count, CAPACITY - head));
    System.arraycopy(buf, head, b, off, n);
    head = (head + n) % CAPACITY;
    count -= n;
    notifyAll();
    return n;
  }

  @Override
  public synchronized int available() {
    return count;
  }
}
