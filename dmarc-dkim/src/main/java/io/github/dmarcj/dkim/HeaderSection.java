// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  /** Parses the header at {@code m[off..off+len)}. */
  static HeaderSection parse(byte[] m, int off, int len, int maxHeaderBytes) {
    int end = off + len;
    int scanEnd = (int) Math.min(end, (long) off + maxHeaderBytes);
    List<HeaderField> fields = new ArrayList<>();
    int p = off;
    int fieldStart = -1;
    while (p < scanEnd) {
      int lineEnd = indexOf(m, (byte) '\n', p, scanEnd);
      if (lineEnd < 0) {
        if (scanEnd < end) {
          addField(fields, m, fieldStart, p);
          return new HeaderSection(fields, p - off, true);
        }
        lineEnd = end - 1; // last line without a line ending
      }
      int next = lineEnd + 1;
      boolean empty = m[p] == '\n' || (m[p] == '\r' && p + 1 < end && m[p + 1] == '\n');
      if (empty) {
        addField(fields, m, fieldStart, p);
        return new HeaderSection(fields, next - off, false);
      }
      boolean continuation = m[p] == ' ' || m[p] == '\t';
      if (!continuation) {
        addField(fields, m, fieldStart, p);
        fieldStart = p;
      }
      p = next;
    }
    addField(fields, m, fieldStart, p);
    return new HeaderSection(fields, p - off, p < end);
  }

  private static void addField(List<HeaderField> out, byte[] m, int start, int end) {
    if (start < 0 || end <= start) {
      return;
    }
    int colon = indexOf(m, (byte) ':', start, end);
    if (colon < 0) {
      return; // not a field
    }
    int nameEnd = colon;
    while (nameEnd > start && (m[nameEnd - 1] == ' ' || m[nameEnd - 1] == '\t')) {
      nameEnd--;
    }
    String name = new String(m, start, nameEnd - start, StandardCharsets.ISO_8859_1);
    out.add(new HeaderField(name, Arrays.copyOfRange(m, start, end), colon + 1 - start));
  }

  private static int indexOf(byte[] m, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (m[i] == b) {
        return i;
      }
    }
    return -1;
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
