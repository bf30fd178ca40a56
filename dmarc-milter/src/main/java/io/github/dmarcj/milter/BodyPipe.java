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

  /** The buffer a message starts with; it doubles up to {@link #CAPACITY} as it fills. */
  static final int INITIAL = 8 * 1024;

  private byte[] buf = new byte[INITIAL];
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
    return write(b, off, len, deadlineNanos, true);
  }

  /**
   * Writes {@code len} bytes as {@link #write(byte[], int, int, long)} does; with {@code wake}
   * false the reader is not woken for them (it is when the buffer fills, and by the next waking
   * write, {@link #finish} or {@link #fail}), so header fields pass in one hand-over, not one each.
   *
   * @return false if the deadline passed before every byte was taken
   */
  synchronized boolean write(byte[] b, int off, int len, long deadlineNanos, boolean wake)
      throws InterruptedException {
    int pos = off;
    int end = off + len;
    while (pos < end) {
      if (readerDone || writerDone) {
        return true;
      }
      if (count == buf.length && buf.length < CAPACITY) {
        grow();
      }
      int size = buf.length;
      if (count == size) {
        notifyAll(); // the reader must make room
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        wait(Math.max(1, left / 1_000_000));
        continue;
      }
      int tail = (head + count) % size;
      int n = Math.min(end - pos, Math.min(size - count, size - tail));
      System.arraycopy(b, pos, buf, tail, n);
      count += n;
      pos += n;
    }
    if (wake) {
      notifyAll();
    }
    return true;
  }

  /** Doubles the buffer (up to {@link #CAPACITY}), keeping the held bytes in order. */
  private void grow() {
    byte[] bigger = new byte[Math.min(CAPACITY, buf.length * 2)];
    int first = Math.min(count, buf.length - head);
    System.arraycopy(buf, head, bigger, 0, first);
    System.arraycopy(buf, 0, bigger, first, count - first);
    buf = bigger;
    head = 0;
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
    int n = Math.min(len, Math.min(count, buf.length - head));
    System.arraycopy(buf, head, b, off, n);
    head = (head + n) % buf.length;
    count -= n;
    notifyAll();
    return n;
  }

  @Override
  public synchronized int available() {
    return count;
  }
}
