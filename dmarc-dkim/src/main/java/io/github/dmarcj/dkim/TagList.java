// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A parsed RFC 6376 §3.2 tag-list, as used by DKIM-Signature fields and key records.
 *
 * <p>Tag names are case-sensitive; a duplicated name or any deviation from the grammar makes the
 * whole list invalid ({@link #parse} returns empty). Values are kept with their interior whitespace
 * (including folding) and trimmed of surrounding FWS.
 */
final class TagList {
  private final Map<String, String> tags;

  private TagList(Map<String, String> tags) {
    this.tags = Collections.unmodifiableMap(tags);
  }

  /** The value of {@code name}, if the tag is present (possibly empty). */
  Optional<String> get(String name) {
    return Optional.ofNullable(tags.get(name));
  }

  /** The value of {@code name} or {@code null}. */
  @Nullable String value(String name) {
    return tags.get(name);
  }

  boolean has(String name) {
    return tags.containsKey(name);
  }

  /** Tag names in the order written. */
  Iterable<String> names() {
    return tags.keySet();
  }

  /** The first tag written, or {@code null} for an empty list. */
  @Nullable String firstName() {
    return tags.isEmpty() ? null : tags.keySet().iterator().next();
  }

  int size() {
    return tags.size();
  }

  /**
   * Parses {@code text} (each char one octet, as ISO-8859-1 decoding yields) as a tag-list. Returns
   * empty for any syntax error or duplicate tag.
   */
  static Optional<TagList> parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    return Optional.ofNullable(parse(b, 0, b.length, null));
  }

  /**
   * Parses {@code t[from..to)}; returns {@code null} for any syntax error or duplicate tag. When
   * {@code bRange} is given, it receives the offsets of the raw {@code b=} value: from just after
   * the "=" to the ";" or {@code to} (RFC 6376 §3.7), or stays {-1, -1}.
   */
  static @Nullable TagList parse(byte[] t, int from, int to, int @Nullable [] bRange) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = from;
    while (true) {
      i = skipFws(t, i, to);
      if (i >= to) {
        break; // empty list, or a trailing ";" followed only by FWS
      }
      int nameStart = i;
      if (!isAlpha(t[i])) {
        return null;
      }
      i++;
      while (i < to && (isAlpha(t[i]) || (t[i] >= '0' && t[i] <= '9') || t[i] == '_')) {
        i++;
      }
      int nameEnd = i;
      i = skipFws(t, i, to);
      if (i >= to || t[i] != '=') {
        return null;
      }
      int rawStart = ++i;
      i = skipFws(t, i, to);
      int valueStart = i;
      int valueEnd = i;
      while (i < to) {
        int v = t[i] & 0xFF;
        if (v == ';') {
          break;
        }
        if (v == ' ' || v == '\t') {
          i++;
        } else if (v == '\r' || v == '\n') {
          // Only as a fold: CRLF (or a bare LF) followed by WSP.
          int lf = v == '\r' ? i + 1 : i;
          if (lf >= to
              || t[lf] != '\n'
              || lf + 1 >= to
              || (t[lf + 1] != ' ' && t[lf + 1] != '\t')) {
            return null;
          }
          i = lf + 1;
        } else if (v > 0x20 && v != 0x7F) {
          // VALCHAR (%x21-3A / %x3C-7E); octets above 0x7F are tolerated (RFC 8616 UTF-8 in i=).
          i++;
          valueEnd = i;
        } else {
          return null;
        }
      }
      String name = new String(t, nameStart, nameEnd - nameStart, StandardCharsets.ISO_8859_1);
      String value = decode(t, valueStart, valueEnd);
      if (out.putIfAbsent(name, value) != null) {
        return null;
      }
      if (bRange != null && nameEnd - nameStart == 1 && t[nameStart] == 'b') {
        bRange[0] = rawStart;
        bRange[1] = i;
      }
      if (i >= to) {
        break;
      }
      i++; // ';'
    }
    return new TagList(out);
  }

  /**
   * The text of {@code t[from..to)}: UTF-8 when the bytes are valid UTF-8 (RFC 8616 §4 allows UTF-8
   * in tag values, as in {@code d=} with U-labels), otherwise one char per byte.
   */
  static String decode(byte[] t, int from, int to) {
    for (int i = from; i < to; i++) {
      if (t[i] < 0) {
        return utf8OrLatin1(t, from, to - from);
      }
    }
    return new String(t, from, to - from, StandardCharsets.ISO_8859_1);
  }

  /** UTF-8 when {@code b[off..off+len)} is valid UTF-8, otherwise ISO-8859-1. */
  static String utf8OrLatin1(byte[] b, int off, int len) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(b, off, len))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
  }

  private static int skipFws(byte[] t, int i, int to) {
    while (i < to && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) {
      i++;
    }
    return i;
  }

  private static boolean isAlpha(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  static int skipFws(String s, int i) {
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (isWsp(c) || c == '\r' || c == '\n') {
        i++;
      } else {
        break;
      }
    }
    return i;
  }

  static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  /** Removes every whitespace char (SP, HTAB, CR, LF) from {@code s}: for b=, bh= and p=. */
  static String stripWhitespace(String s) {
    int n = s.length();
    char[] out = null;
    int k = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        if (out == null) {
          out = new char[n];
          s.getChars(0, i, out, 0);
          k = i;
        }
      } else if (out != null) {
        out[k++] = c;
      }
    }
    return out == null ? s : new String(out, 0, k);
  }
}
