// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.HeaderLimits;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The header block of one message: its fields and where the body starts. Reading from a stream
 * stops at the empty line (or the size limit), keeping any body bytes already read.
 */
final class HeaderSection {
  final List<HeaderField> fields;

  /** Offset of the first body byte relative to the start of the parsed bytes. */
  final int bodyOffset;

  /** True when the size limit stopped parsing before the end of the header. */
  final boolean truncated;

  private HeaderSection(List<HeaderField> fields, int bodyOffset, boolean truncated) {
    this.fields = fields;
    this.bodyOffset = bodyOffset;
    this.truncated = truncated;
  }

  /**
   * The header another parser read: cut (as if by {@code maxHeaderBytes}) when a limit stopped that
   * parser or its fields add up to more than {@code maxHeaderBytes}.
   */
  static HeaderSection of(ParsedHeader h, int maxHeaderBytes) {
    long total = 0;
    for (io.github.dmarcj.message.HeaderField f : h.fields()) {
      total += f.rawLength();
    }
    boolean cut = h.isTruncated() || total > maxHeaderBytes;
    return new HeaderSection(h.fields(), h.bodyOffset(), cut);
  }

  /** Parses the header at {@code m[off..off+len)} with core's byte-preserving parser. */
  static HeaderSection parse(byte[] m, int off, int len, int maxHeaderBytes) {
    ParsedHeader h =
        MessageHeaderParser.withLimits(
                new HeaderLimits(maxHeaderBytes, HeaderLimits.DEFAULT_MAX_FIELDS))
            .parse(m, off, len);
    return new HeaderSection(h.fields(), h.bodyOffset(), h.isTruncated());
  }

  /**
   * The start of a message read from {@code in}: at least the whole header (up to {@code
   * maxHeaderBytes}), possibly followed by some body bytes. {@code length} is how many bytes of
   * {@code bytes} are valid.
   */
  static final class Prefix {
    final byte[] bytes;
    final int length;

    Prefix(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }
  }

  /** Reads until the header's empty line, the end of the stream or the header limit. */
  static Prefix read(InputStream in, int maxHeaderBytes, int chunk) throws IOException {
    byte[] buf = new byte[chunk];
    int len = 0;
    int scanned = 0;
    while (true) {
      if (len == buf.length) {
        if (len >= maxHeaderBytes + chunk) {
          return new Prefix(buf, len);
        }
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        return new Prefix(buf, len);
      }
      len += n;
      // Look for an empty line: LF followed by CRLF or LF (or the input starts with one).
      int from = Math.max(0, scanned - 2);
      for (int i = from; i < len; i++) {
        if (buf[i] != '\n') {
          continue;
        }
        if (i + 1 < len && buf[i + 1] == '\n') {
          return new Prefix(buf, len);
        }
        if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n') {
          return new Prefix(buf, len);
        }
      }
      if (len >= 2 && (buf[0] == '\n' || (buf[0] == '\r' && buf[1] == '\n'))) {
        return new Prefix(buf, len);
      }
      scanned = len;
      if (len > maxHeaderBytes) {
        return new Prefix(buf, len);
      }
    }
  }
}
