// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Finds the From fields in the part of a header section that lies past a parser limit, so that no
 * number of junk fields and no oversized field can hide a From field (RFC 5322 §3.6.2). It keeps
 * nothing but From fields, each up to {@link #MAX_KEPT_FIELD_BYTES} and at most {@link
 * #MAX_KEPT_FIELDS} of them, and counts every one it sees. Memory is bounded by those two numbers
 * whatever the input.
 *
 * <p>Bytes are fed in order, starting at the beginning of a line, until {@link #feed} reports the
 * empty line that ends the header section.
 */
final class FromScan {
  /** Most bytes kept of one From field found past a limit; a longer one is counted, not kept. */
  static final int MAX_KEPT_FIELD_BYTES = 64 * 1024;

  /** Most From fields kept past a limit; more are counted. */
  static final int MAX_KEPT_FIELDS = 8;

  private final long maxScanBytes;

  private final List<HeaderField> kept = new ArrayList<>(2);
  private int count;
  private long scanned;
  private boolean complete;
  private boolean exhausted;
  private boolean emptyLine;

  // Line states.
  private static final int START = 0; // at the first byte of a line
  private static final int START_CR = 1; // a line that so far is a CR alone
  private static final int NAME = 2; // reading a field name that may be "From"
  private static final int NAME_WSP = 3; // "From" read, then optional spaces or tabs
  private static final int FROM_BODY = 4; // inside a From field (its first line or a continuation)
  private static final int OTHER = 5; // inside any other line

  private int state = START;

  /** Characters of "from" matched so far in state NAME. */
  private int matched;

  /** The open From field's bytes, or null when no From field is open or it grew too large. */
  private byte @Nullable [] field;

  private int fieldLen;
  private boolean fromOpen;
  private boolean fieldOversize;

  private static final byte[] FROM = {'f', 'r', 'o', 'm'};

  /** A scan that gives up after {@code maxScanBytes} bytes. */
  FromScan(long maxScanBytes) {
    this.maxScanBytes = maxScanBytes;
  }

  /**
   * Scans {@code b[from..to)}. Returns the index just after the empty line that ends the header, or
   * -1 if the header goes on past {@code to} (feed more) or the scan gave up.
   */
  int feed(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (complete || exhausted) {
        return -1;
      }
      if (++scanned > maxScanBytes) {
        exhausted = true;
        closeField();
        return -1;
      }
      byte c = b[i];
      switch (state) {
        case START:
          if (c == '\n') {
            closeField();
            complete = true;
            emptyLine = true;
            return i + 1;
          }
          if (c == ' ' || c == '\t') {
            // A continuation line: part of whatever field is open.
            state = fromOpen ? FROM_BODY : OTHER;
            append(c);
            break;
          }
          closeField();
          if (c == '\r') {
            state = START_CR;
          } else if ((c | 0x20) == 'f') {
            state = NAME;
            matched = 1;
            openField();
            append(c);
          } else {
            state = OTHER;
          }
          break;
        case START_CR:
          if (c == '\n') {
            complete = true;
            emptyLine = true;
            return i + 1;
          }
          state = OTHER; // a line starting with a bare CR is no field (MALFORMED_LINE)
          break;
        case NAME:
          append(c);
          if (matched < FROM.length && (c | 0x20) == FROM[matched]) {
            matched++;
            if (matched == FROM.length) {
              state = NAME_WSP;
            }
          } else {
            dropField(c);
          }
          break;
        case NAME_WSP:
          append(c);
          if (c == ':') {
            state = FROM_BODY;
          } else if (c != ' ' && c != '\t') {
            dropField(c);
          }
          break;
        case FROM_BODY:
          append(c);
          if (c == '\n') {
            state = START;
          }
          break;
        default:
          if (c == '\n') {
            state = START;
          }
          break;
      }
    }
    return -1;
  }

  private void openField() {
    fromOpen = true;
    field = new byte[256];
    fieldLen = 0;
    fieldOversize = false;
  }

  /** The line being read turned out not to be a From field. */
  private void dropField(byte c) {
    fromOpen = false;
    field = null;
    state = c == '\n' ? START : OTHER;
  }

  // NullAway: field holds the open From field while fromOpen and not fieldOversize.
  @SuppressWarnings("NullAway")
  private void append(byte c) {
    if (!fromOpen || fieldOversize) {
      return;
    }
    if (fieldLen == field.length) {
      if (fieldLen >= MAX_KEPT_FIELD_BYTES) {
        fieldOversize = true;
        field = null;
        return;
      }
      field = Arrays.copyOf(field, Math.min(MAX_KEPT_FIELD_BYTES, fieldLen * 2));
    }
    field[fieldLen++] = c;
  }

  /** Ends the open From field, if any: it counts, and it is kept if small enough. */
  private void closeField() {
    if (!fromOpen) {
      return;
    }
    fromOpen = false;
    if (state == NAME || state == NAME_WSP) {
      field = null; // the name never reached its colon
      return;
    }
    count++;
    if (!fieldOversize && kept.size() < MAX_KEPT_FIELDS) {
      byte[] raw = Arrays.copyOf(field, fieldLen);
      int colon = 4;
      while (raw[colon] != ':') {
        colon++;
      }
      kept.add(
          HeaderField.owning(new String(raw, 0, 4, StandardCharsets.ISO_8859_1), raw, colon + 1));
    }
    field = null;
  }

  /** Ends the input: a field still open is complete. */
  void finish() {
    if (!complete && !exhausted) {
      closeField();
      complete = true;
    }
  }

  /** From fields found and kept, in order. */
  List<HeaderField> kept() {
    return kept;
  }

  /** Every From field found, kept or not. */
  int count() {
    return count;
  }

  /** True while more input could still change the result. */
  boolean goingOn() {
    return !complete && !exhausted;
  }

  /** Bytes scanned so far. */
  long scanned() {
    return scanned;
  }

  /** True if an empty line ended the header section. */
  boolean endedByEmptyLine() {
    return emptyLine;
  }

  /** True if the scan reached the end of the header or of the input. */
  boolean complete() {
    return complete;
  }
}
