// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed RFC 6376 §3.2 tag-list, as used by DKIM-Signature fields and key records (SPEC
 * DKIM-01).
 *
 * <p>Tag names are case-sensitive; a duplicated name or any deviation from the grammar makes the
 * whole list invalid ({@link #parse} returns empty). Values are kept with their interior
 * whitespace (including folding) and trimmed of surrounding FWS.
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
  String value(String name) {
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
  String firstName() {
    return tags.isEmpty() ? null : tags.keySet().iterator().next();
  }

  int size() {
    return tags.size();
  }

  /**
   * Parses {@code text} (each char one octet, as ISO-8859-1 decoding yields) as a tag-list.
   * Returns empty for any syntax error or duplicate tag.
   */
  static Optional<TagList> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    int n = text.length();
    int i = 0;
    while (true) {
      i = skipFws(text, i);
      if (i >= n) {
        // Empty list, or a trailing ";" followed only by FWS.
        break;
      }
      int nameStart = i;
      char c = text.charAt(i);
      if (!isAlpha(c)) {
        return Optional.empty();
      }
      i++;
      while (i < n && (isAlpha(text.charAt(i)) || isDigit(text.charAt(i)) || text.charAt(i) == '_')) {
        i++;
      }
      String name = text.substring(nameStart, i);
      i = skipFws(text, i);
      if (i >= n || text.charAt(i) != '=') {
        return Optional.empty();
      }
      i = skipFws(text, i + 1);
      int valueStart = i;
      int valueEnd = i;
      while (i < n && text.charAt(i) != ';') {
        char v = text.charAt(i);
        if (isWsp(v) || v == '\r' || v == '\n') {
          i++;
          continue;
        }
        if (!isValChar(v)) {
          return Optional.empty();
        }
        i++;
        valueEnd = i;
      }
      if (!validFolding(text, valueStart, valueEnd)) {
        return Optional.empty();
      }
      if (out.putIfAbsent(name, text.substring(valueStart, valueEnd)) != null) {
        return Optional.empty();
      }
      if (i >= n) {
        break;
      }
      i++; // ';'
    }
    return Optional.of(new TagList(out));
  }

  /** CR and LF may appear in a value only as a fold: CRLF (or a bare LF) followed by WSP. */
  private static boolean validFolding(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c == '\r' && (i + 1 >= to || s.charAt(i + 1) != '\n')) {
        return false;
      }
      if (c == '\n' && (i + 1 >= to || !isWsp(s.charAt(i + 1)))) {
        return false;
      }
    }
    return true;
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

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** VALCHAR = %x21-3A / %x3C-7E; octets above 0x7F are tolerated (RFC 8616 UTF-8 in i=). */
  private static boolean isValChar(char c) {
    return (c >= 0x21 && c <= 0x3A) || (c >= 0x3C && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
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
