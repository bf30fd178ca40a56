// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads the message files the commands take: a path, or {@code -} for standard input. Pipes, FIFOs
 * and {@code /dev/stdin} are read to their end (their size from the file system is only a hint, 0
 * for a pipe). Whole-message reads stop at {@link #MAX_BYTES}; {@code verify} streams messages
 * instead, so it has no such limit.
 */
final class MessageInput {
  /** Largest message read whole, in MiB; the help texts state it. */
  static final int MAX_MIB = 64;

  /** Largest message read whole, in bytes. */
  static final long MAX_BYTES = (long) MAX_MIB << 20;

  private static final int FIRST_CHUNK = 64 * 1024;

  private MessageInput() {}

  /** A verification that reads a message as it streams. */
  interface StreamVerification<T> {
    /**
     * Starts reading {@code in}.
     *
     * @param in the message
     * @return the result when reading ends
     * @throws IOException if reading fails at once
     */
    java.util.concurrent.CompletionStage<T> verify(InputStream in) throws IOException;
  }

  /**
   * Streams the message named {@code name} into {@code verification} and waits for its result.
   * Failing to read the message, at once or while it streams, is an {@link IOException}; anything
   * else the verification throws goes on unchanged.
   */
  static <T> T verifyStreamed(String name, StreamVerification<T> verification) throws IOException {
    try (InputStream in = open(name)) {
      return verification.verify(in).toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException | UncheckedIOException e) {
      Throwable c =
          e instanceof java.util.concurrent.CompletionException && e.getCause() != null
              ? e.getCause()
              : e;
      if (c instanceof UncheckedIOException u) {
        c = u.getCause();
      }
      if (c instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  /** The whole message named {@code name}: a file, or standard input for {@code -}. */
  static byte[] read(String name) throws IOException {
    return name.equals("-") ? readAll(System.in, 0) : read(Path.of(name));
  }

  /**
   * The whole file if it is a regular file of at most {@code limit} bytes; {@code null} if it is
   * larger (read it with {@link #open(String)} then).
   */
  static byte @Nullable [] readIfAtMost(Path file, long limit) throws IOException {
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (size > limit) {
        return null;
      }
      byte[] b = readAll(Channels.newInputStream(ch), size);
      return b.length > limit ? null : b;
    }
  }

  /** The whole file; at most {@link #MAX_BYTES}. */
  static byte[] read(Path file) throws IOException {
    // One open, one size query and the reads: no separate stat of the path.
    try (SeekableByteChannel ch = Files.newByteChannel(file)) {
      long size = ch.size();
      if (size > MAX_BYTES) {
        throw tooLarge();
      }
      return readAll(Channels.newInputStream(ch), size);
    }
  }

  /**
   * Everything {@code in} holds, at most {@link #MAX_BYTES}. {@code sizeHint} (0 if unknown) sizes
   * the buffer; the stream is read to its end whatever the hint says.
   */
  static byte[] readAll(InputStream in, long sizeHint) throws IOException {
    byte[] buf = new byte[sizeHint > 0 ? (int) Math.min(sizeHint, MAX_BYTES) : FIRST_CHUNK];
    int n = 0;
    while (true) {
      if (n == buf.length) {
        int b = in.read(); // full: at the end, or is there more?
        if (b < 0) {
          return buf;
        }
        if (n >= MAX_BYTES) {
          throw tooLarge();
        }
        buf = Arrays.copyOf(buf, (int) Math.min(MAX_BYTES, Math.max(FIRST_CHUNK, 2L * n)));
        buf[n++] = (byte) b;
        continue;
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        return Arrays.copyOf(buf, n);
      }
      n += r;
    }
  }

  /** A stream over the message named {@code name}, for commands that read it as it comes. */
  static InputStream open(String name) throws IOException {
    if (name.equals("-")) {
      return new BufferedInputStream(System.in);
    }
    return open(Path.of(name), name);
  }

  /** A stream over the message file {@code p}; {@code name} is how the user wrote it. */
  static InputStream open(Path p, String name) throws IOException {
    if (Files.isRegularFile(p)) {
      return new BufferedInputStream(Files.newInputStream(p));
    }
    if (Files.isDirectory(p)) {
      throw new IOException("is a folder");
    }
    if (!Files.exists(p)) {
      throw new NoSuchFileException(name);
    }
    // A FIFO, /dev/stdin or another device: a channel's stream would try to seek on it.
    return new BufferedInputStream(new FileInputStream(p.toFile()));
  }

  /** What went wrong, for "cannot read FILE: ..." (the file name is not repeated). */
  static String problem(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    return SafeText.message(e);
  }

  /** {@link #problem(IOException)} of the I/O failure an {@link UncheckedIOException} wraps. */
  // NullAway: an UncheckedIOException always has its cause (its constructors require one).
  @SuppressWarnings("NullAway")
  static String problem(UncheckedIOException e) {
    return problem(e.getCause());
  }

  private static IOException tooLarge() {
    return new IOException("larger than " + MAX_MIB + " MiB (" + MAX_BYTES + " bytes)");
  }
}
