// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import io.github.dmarcj.report.ingest.ImportException.Reason;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;

/**
 * Counts the bytes read through it and fails, with a {@link LimitException}, once they pass a
 * bound; for decompressed bytes also once they pass the ratio to the compressed bytes read so far.
 * Closing it does not close the stream under it.
 */
final class LimitedInputStream extends FilterInputStream {
  /** The bound was passed; an {@link IOException} so that it crosses readers and decoders. */
  static final class LimitException extends IOException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    LimitException(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    ImportException toImportException() {
      return new ImportException(reason, String.valueOf(getMessage()), this);
    }
  }

  private final long max;
  private final Reason reason;
  private final @Nullable LimitedInputStream compressed;
  private final long ratio;
  private final long ratioThreshold;
  private long count;

  private LimitedInputStream(
      InputStream in,
      long max,
      Reason reason,
      @Nullable LimitedInputStream compressed,
      long ratio,
      long ratioThreshold) {
    super(in);
    this.max = max;
    this.reason = reason;
    this.compressed = compressed;
    this.ratio = ratio;
    this.ratioThreshold = ratioThreshold;
  }

  /** Received bytes: at most {@link ImportLimits#maxCompressedBytes()}. */
  static LimitedInputStream compressed(InputStream in, ImportLimits limits) {
    return new LimitedInputStream(
        in, limits.maxCompressedBytes(), Reason.COMPRESSED_TOO_LARGE, null, 0, 0);
  }

  /** Mail bytes: at most {@link ImportLimits#maxMailBytes()}. */
  static LimitedInputStream mail(InputStream in, ImportLimits limits) {
    return new LimitedInputStream(in, limits.maxMailBytes(), Reason.MAIL_TOO_LARGE, null, 0, 0);
  }

  /**
   * Decompressed bytes: at most {@link ImportLimits#maxUncompressedBytes()}, and at most {@link
   * ImportLimits#maxRatio()} times what {@code compressed} has read, once past the threshold. With
   * a null {@code compressed} (plain XML) only the size bound applies.
   */
  static LimitedInputStream uncompressed(
      InputStream in, ImportLimits limits, @Nullable LimitedInputStream compressed) {
    return new LimitedInputStream(
        in,
        limits.maxUncompressedBytes(),
        Reason.UNCOMPRESSED_TOO_LARGE,
        compressed,
        limits.maxRatio(),
        limits.ratioThreshold());
  }

  long count() {
    return count;
  }

  private void add(long n) throws LimitException {
    if (n <= 0) {
      return;
    }
    count += n;
    if (count > max) {
      throw new LimitException(reason, "more than " + max + " bytes");
    }
    LimitedInputStream c = compressed;
    if (c != null && count > ratioThreshold && count > ratio * Math.max(1, c.count)) {
      throw new LimitException(
          Reason.RATIO_TOO_HIGH,
          count + " bytes from " + c.count + " compressed: more than " + ratio + " to 1");
    }
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      add(1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    add(n);
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long k = super.skip(n);
    add(k);
    return k;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() {
    // the owner closes the stream under it
  }

  /** The limit failure in {@code t} or its causes, if any. */
  static @Nullable LimitException limitIn(Throwable t) {
    Throwable c = t;
    for (int i = 0; c != null && i < 16; i++) {
      if (c instanceof LimitException l) {
        return l;
      }
      Throwable next =
          c instanceof javax.xml.stream.XMLStreamException x && x.getNestedException() != null
              ? x.getNestedException()
              : c.getCause();
      c = next;
    }
    return null;
  }
}
