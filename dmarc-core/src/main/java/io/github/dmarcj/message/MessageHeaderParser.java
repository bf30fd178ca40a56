// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Splits the header section of an Internet message into its fields without changing a byte (RFC
 * 5322 §2.1, §2.2). DKIM needs each field exactly as received; DMARC needs the From field.
 *
 * <p>Build one parser and share it: it holds only its {@link HeaderLimits} and is thread-safe.
 *
 * <pre>{@code
 * MessageHeaderParser parser = MessageHeaderParser.create();
 * ParsedHeader header = parser.parse(messageBytes);
 * List<HeaderField> from = header.fields("From");
 * byte[] body = Arrays.copyOfRange(messageBytes, header.bodyOffset(), messageBytes.length);
 * }</pre>
 *
 * <h2>What is accepted</h2>
 *
 * <ul>
 *   <li>Lines end with CRLF or a bare LF, mixed freely; each field keeps the line endings it
 *       arrived with. A lone CR is an ordinary byte ({@link HeaderProblem.Reason#BARE_CR}).
 *   <li>A field starts with a name of printable ASCII characters other than the colon, optional
 *       spaces or tabs (the obsolete syntax of RFC 5322 §4.5), and a colon. Lines that start with a
 *       space or tab continue the field above (folding, RFC 5322 §2.2.3).
 *   <li>Any byte, 8-bit included (RFC 6532), may appear in a value. NUL is kept but reported.
 *   <li>The header ends at the first empty line, which is consumed. Input that ends without one is
 *       a message without a body, and the last field may lack its line ending.
 * </ul>
 *
 * <p>Input that is not a header is reported, never thrown: a line that is neither a field nor a
 * continuation is skipped with its continuation lines ({@link HeaderProblem.Reason#MALFORMED_LINE},
 * {@link HeaderProblem.Reason#ORPHAN_CONTINUATION}) and parsing goes on, so a field hidden behind a
 * broken line is still seen. A limit stops parsing with {@link
 * HeaderProblem.Reason#HEADER_TOO_LARGE} or {@link HeaderProblem.Reason#TOO_MANY_FIELDS}.
 *
 * @since 0.1.0
 */
public final class MessageHeaderParser {
  /** Bytes requested from an {@link InputStream} per read. */
  static final int BLOCK_SIZE = 8192;

  private final HeaderLimits limits;

  private MessageHeaderParser(HeaderLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** {@return a parser with {@link HeaderLimits#defaults()}} */
  public static MessageHeaderParser create() {
    return new MessageHeaderParser(HeaderLimits.defaults());
  }

  /**
   * {@return a parser with the given limits}
   *
   * @param limits the limits to apply
   */
  public static MessageHeaderParser withLimits(HeaderLimits limits) {
    return new MessageHeaderParser(limits);
  }

  /** {@return the limits this parser applies} */
  public HeaderLimits limits() {
    return limits;
  }

  /**
   * Parses the header at the start of {@code message}; offsets count from index 0.
   *
   * @param message the message bytes
   * @return the parsed header
   */
  public ParsedHeader parse(byte[] message) {
    return parse(message, 0, message.length);
  }

  /**
   * Parses the header at {@code message[offset]}; offsets in the result count from {@code offset}.
   *
   * @param message the array holding the message
   * @param offset the index of the message's first byte
   * @param length the number of bytes from {@code offset} that belong to the message
   * @return the parsed header
   * @throws IndexOutOfBoundsException if the range is outside the array
   */
  public ParsedHeader parse(byte[] message, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, message.length);
    return parseRange(message, offset, length, null);
  }

  /**
   * Parses the header at the buffer's position; offsets in the result count from that position. The
   * buffer's position and limit are not changed.
   *
   * @param message the buffer holding the message from its position to its limit
   * @return the parsed header
   */
  public ParsedHeader parse(ByteBuffer message) {
    if (message.hasArray()) {
      return parseRange(
          message.array(), message.arrayOffset() + message.position(), message.remaining(), null);
    }
    int n = (int) Math.min(message.remaining(), (long) limits.maxHeaderBytes() + 1);
    byte[] copy = new byte[n];
    ByteBuffer view = message.duplicate();
    view.get(copy);
    // Past the limit only From fields are looked for; read the rest of the header from the view.
    return parseRange(copy, 0, n, view.hasRemaining() ? new ByteBufferStream(view) : null);
  }

  /**
   * Reads and parses the header from {@code in}, consuming the header and the empty line after it
   * but no body byte, so the body can then be read from the same stream. {@link
   * ParsedHeader#bodyOffset()} is the number of bytes consumed.
   *
   * <p>Reads in blocks when the stream supports {@link InputStream#mark(int)} (as {@link
   * java.io.BufferedInputStream} and {@link java.io.ByteArrayInputStream} do); otherwise it must
   * read one byte at a time, so wrap such a stream in a {@code BufferedInputStream}. After a
   * truncating problem ({@link ParsedHeader#isTruncated()}) the stream position is unspecified.
   *
   * @param in the stream positioned at the start of the message
   * @return the parsed header
   * @throws IOException if reading the stream fails
   */
  public ParsedHeader parse(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    try {
      return parseStream(in);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private ParsedHeader parseStream(InputStream in) throws IOException {
    int cap =
        limits.maxHeaderBytes() >= Integer.MAX_VALUE - 16
            ? Integer.MAX_VALUE - 16
            : limits.maxHeaderBytes() + 1;
    byte[] acc = new byte[Math.min(cap, BLOCK_SIZE)];
    int total = 0;
    int state = LINE_START;
    boolean markable = in.markSupported();
    while (total < cap) {
      int want = Math.min(BLOCK_SIZE, cap - total);
      if (acc.length - total < want) {
        acc =
            Arrays.copyOf(acc, (int) Math.min(cap, Math.max((long) acc.length * 2, total + want)));
      }
      if (markable) {
        in.mark(want);
        int n = in.read(acc, total, want);
        if (n < 0) {
          break;
        }
        for (int i = total; i < total + n; i++) {
          state = nextState(state, acc[i]);
          if (state == END) {
            in.reset();
            in.skipNBytes(i + 1 - total);
            return parseRange(acc, 0, i + 1, null);
          }
        }
        total += n;
      } else {
        int c = in.read();
        if (c < 0) {
          break;
        }
        acc[total++] = (byte) c;
        state = nextState(state, (byte) c);
        if (state == END) {
          break;
        }
      }
    }
    return parseRange(acc, 0, total, state == END ? null : in);
  }

  private static final int MID_LINE = 0;
  private static final int LINE_START = 1;
  private static final int LINE_START_CR = 2;
  private static final int END = 3;

  /** Tracks whether the bytes so far end with an empty line. */
  private static int nextState(int state, byte c) {
    if (c == '\n') {
      return state == MID_LINE ? LINE_START : END;
    }
    if (c == '\r') {
      return state == LINE_START ? LINE_START_CR : MID_LINE;
    }
    return MID_LINE;
  }

  /**
   * Parses {@code b[off..off+len)}; when a limit cuts the header, the From fields past the cut are
   * still looked for, in the rest of the array and then in {@code tail} if there is one.
   */
  private ParsedHeader parseRange(byte[] b, int off, int len, @Nullable InputStream tail) {
    final int maxBytes = limits.maxHeaderBytes();
    final int maxFields = limits.maxFields();
    final boolean overLimit = len > maxBytes;
    final int end = off + (overLimit ? maxBytes : len);
    List<HeaderField> fields = new ArrayList<>(32);
    Problems problems = new Problems(off);
    int pos = off;
    int fieldStart = -1;
    int nameEnd = -1;
    int colon = -1;
    boolean skipping = false;
    boolean separator = false;
    boolean stopped = false;
    int bodyOffset = -1;
    while (pos < end) {
      final int lineStart = pos;
      int lf = -1;
      for (int i = pos; i < end; i++) {
        byte c = b[i];
        if (c == '\n') {
          lf = i;
          break;
        }
        if (c == 0) {
          problems.add(HeaderProblem.Reason.NUL_BYTE, i);
        } else if (c == '\r' && (i + 1 == end || b[i + 1] != '\n')) {
          problems.add(HeaderProblem.Reason.BARE_CR, i);
        }
      }
      int next;
      int contentEnd;
      if (lf < 0) {
        if (overLimit) {
          // A line cut by the limit; if it starts a new field, the open field above is complete.
          byte c = b[lineStart];
          if (fieldStart >= 0 && c != ' ' && c != '\t') {
            fields.add(field(b, fieldStart, nameEnd, colon, lineStart));
            fieldStart = -1;
          }
          break;
        }
        next = end;
        contentEnd = end;
      } else {
        next = lf + 1;
        contentEnd = lf > lineStart && b[lf - 1] == '\r' ? lf - 1 : lf;
      }
      if (contentEnd == lineStart) {
        if (fieldStart >= 0) {
          fields.add(field(b, fieldStart, nameEnd, colon, lineStart));
          fieldStart = -1;
        }
        separator = true;
        bodyOffset = next;
        break;
      }
      byte first = b[lineStart];
      if (first == ' ' || first == '\t') {
        if (fieldStart < 0 && !skipping) {
          problems.add(HeaderProblem.Reason.ORPHAN_CONTINUATION, lineStart);
          skipping = true;
        }
        pos = next;
        continue;
      }
      if (fieldStart >= 0) {
        fields.add(field(b, fieldStart, nameEnd, colon, lineStart));
        fieldStart = -1;
      }
      skipping = false;
      int j = lineStart;
      while (j < contentEnd && isFtext(b[j])) {
        j++;
      }
      int ne = j;
      while (j < contentEnd && (b[j] == ' ' || b[j] == '\t')) {
        j++;
      }
      if (ne == lineStart || j >= contentEnd || b[j] != ':') {
        problems.add(HeaderProblem.Reason.MALFORMED_LINE, lineStart);
        skipping = true;
        pos = next;
        continue;
      }
      if (fields.size() >= maxFields) {
        problems.add(HeaderProblem.Reason.TOO_MANY_FIELDS, lineStart);
        bodyOffset = lineStart;
        stopped = true;
        break;
      }
      fieldStart = lineStart;
      nameEnd = ne;
      colon = j;
      pos = next;
    }
    int resume = -1;
    if (stopped) {
      resume = bodyOffset;
    } else if (!separator) {
      if (overLimit) {
        // The open field might continue past the limit: it is not known complete, so drop it.
        problems.add(HeaderProblem.Reason.HEADER_TOO_LARGE, end);
        resume = fieldStart >= 0 ? fieldStart : pos;
      } else {
        if (fieldStart >= 0) {
          fields.add(field(b, fieldStart, nameEnd, colon, end));
        }
        bodyOffset = end;
      }
    }
    if (resume < 0) {
      return new ParsedHeader(fields, bodyOffset - off, separator, problems.list());
    }
    // A limit cut the header. The fields kept stop here, but every From field below the cut must
    // still be seen, or junk fields above a From field would hide it from DMARC.
    long budget = (long) Integer.MAX_VALUE - 16 - (resume - off);
    FromScan scan = new FromScan(budget);
    int stop = scan.feed(b, resume, off + len);
    long consumed;
    if (stop >= 0) {
      consumed = (long) stop - off;
    } else {
      consumed = len;
      if (tail != null && !scan.complete()) {
        try {
          consumed += scanTail(tail, scan);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      scan.finish();
    }
    return new ParsedHeader(
        fields,
        (int) Math.min(consumed, Integer.MAX_VALUE - 16),
        scan.endedByEmptyLine(),
        problems.list(),
        scan.kept(),
        scan.count(),
        scan.complete());
  }

  /**
   * Feeds {@code in} to {@code scan} up to the end of the header section, consuming no byte past it
   * when the stream supports marks. Returns the number of bytes consumed.
   */
  private static long scanTail(InputStream in, FromScan scan) throws IOException {
    long consumed = 0;
    if (in.markSupported()) {
      byte[] buf = new byte[BLOCK_SIZE];
      while (true) {
        in.mark(BLOCK_SIZE);
        int n = in.read(buf, 0, BLOCK_SIZE);
        if (n < 0) {
          return consumed;
        }
        int stop = scan.feed(buf, 0, n);
        if (stop >= 0) {
          in.reset();
          in.skipNBytes(stop);
          return consumed + stop;
        }
        consumed += n;
        if (scan.complete() || !scan.goingOn()) {
          return consumed;
        }
      }
    }
    byte[] one = new byte[1];
    while (true) {
      int c = in.read();
      if (c < 0) {
        return consumed;
      }
      one[0] = (byte) c;
      consumed++;
      if (scan.feed(one, 0, 1) >= 0 || !scan.goingOn()) {
        return consumed;
      }
    }
  }

  /** Reads a ByteBuffer from its position without changing the caller's buffer. */
  private static final class ByteBufferStream extends InputStream {
    private final ByteBuffer b;

    ByteBufferStream(ByteBuffer b) {
      this.b = b;
    }

    @Override
    public int read() {
      return b.hasRemaining() ? b.get() & 0xFF : -1;
    }

    @Override
    public int read(byte[] dst, int off, int n) {
      if (!b.hasRemaining()) {
        return -1;
      }
      int k = Math.min(n, b.remaining());
      b.get(dst, off, k);
      return k;
    }

    @Override
    public boolean markSupported() {
      return true;
    }

    @Override
    public synchronized void mark(int limit) {
      b.mark();
    }

    @Override
    public synchronized void reset() {
      b.reset();
    }
  }

  private static HeaderField field(byte[] b, int start, int nameEnd, int colon, int end) {
    String name = new String(b, start, nameEnd - start, StandardCharsets.ISO_8859_1);
    return HeaderField.owning(name, Arrays.copyOfRange(b, start, end), colon + 1 - start);
  }

  /** RFC 5322 §3.6.8 {@code ftext}: printable US-ASCII except the colon. */
  private static boolean isFtext(byte c) {
    return c >= 33 && c <= 126 && c != ':';
  }

  /** At most one problem per reason, in the order first seen. */
  private static final class Problems {
    private final int base;
    private static final int REASONS = HeaderProblem.Reason.values().length;
    private final boolean[] seen = new boolean[REASONS];
    private List<HeaderProblem> list = List.of();

    Problems(int base) {
      this.base = base;
    }

    void add(HeaderProblem.Reason reason, int absoluteOffset) {
      if (!seen[reason.ordinal()]) {
        seen[reason.ordinal()] = true;
        if (list.isEmpty()) {
          list = new ArrayList<>(4);
        }
        list.add(new HeaderProblem(reason, absoluteOffset - base));
      }
    }

    List<HeaderProblem> list() {
      return list;
    }
  }
}
