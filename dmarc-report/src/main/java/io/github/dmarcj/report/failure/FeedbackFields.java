// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.nio.charset.StandardCharsets;

/**
 * Writes the fields of a {@code message/feedback-report} part (RFC 5965 §3): {@code Name: value}
 * lines, folded at spaces (RFC 5322 §2.2.3). Values are made safe first: line breaks and tabs
 * become spaces, other control characters {@code ?}, runs of spaces one space, so a value can
 * neither end its field nor start another. Non-ASCII characters are kept in UTF-8 (RFC 6532 §3.2)
 * and make the part {@code 8bit}. A word longer than {@value #MAX_WORD_BYTES} octets is cut, so no
 * line exceeds the 998-octet limit of RFC 5322 §2.1.1.
 */
final class FeedbackFields {
  /** Longest word kept, in UTF-8 octets. */
  static final int MAX_WORD_BYTES = 900;

  private static final int FOLD_AT = 78;

  private final StringBuilder out = new StringBuilder(512);
  private boolean eightBit;

  /** Appends one field. */
  FeedbackFields add(String name, String value) {
    out.append(name).append(':');
    int lineLength = name.length() + 1;
    boolean first = true;
    for (String word : clean(value).split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      String w = cut(word);
      if (!first && lineLength + 1 + w.length() > FOLD_AT) {
        out.append("\r\n");
        lineLength = 0;
      }
      out.append(' ').append(w);
      lineLength += 1 + w.length();
      first = false;
    }
    out.append("\r\n");
    return this;
  }

  /** {@return whether a value holds non-ASCII characters (the part is then {@code 8bit})} */
  boolean isEightBit() {
    return eightBit;
  }

  /** {@return the fields, CRLF line endings, UTF-8} */
  byte[] bytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@return {@code value} with line breaks and tabs as spaces, control characters (C0, DEL, C1,
   * the Unicode line and paragraph separators) and lone surrogates as {@code ?}, runs of spaces as
   * one, trimmed}
   */
  String clean(String value) {
    String s = safe(value, false);
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) >= 0x80) {
        eightBit = true;
        break;
      }
    }
    return s;
  }

  /**
   * {@return {@code value} made safe for one header line: see {@link #clean}; with {@code ascii},
   * non-ASCII characters become {@code ?} too}
   *
   * @param value any text
   * @param ascii whether to keep only printable ASCII
   */
  static String safe(String value, boolean ascii) {
    StringBuilder b = new StringBuilder(value.length());
    boolean space = true; // drops leading spaces and collapses runs
    for (int k = 0; k < value.length(); ) {
      int cp = value.codePointAt(k);
      k += Character.charCount(cp);
      if (cp == '\r' || cp == '\n' || cp == '\t' || cp == ' ') {
        if (!space) {
          b.append(' ');
          space = true;
        }
        continue;
      }
      space = false;
      if (cp < 0x20
          || cp == 0x7F
          || cp >= 0x80 && cp <= 0x9F
          || cp == 0x2028
          || cp == 0x2029
          || cp >= 0xD800 && cp <= 0xDFFF
          || ascii && cp > 0x7E) {
        b.append('?');
      } else {
        b.appendCodePoint(cp);
      }
    }
    int end = b.length();
    while (end > 0 && b.charAt(end - 1) == ' ') {
      end--;
    }
    b.setLength(end);
    return b.toString();
  }

  /** {@return {@code word}, cut to at most {@value #MAX_WORD_BYTES} UTF-8 octets} */
  private static String cut(String word) {
    if (word.length() * 3 <= MAX_WORD_BYTES) {
      return word;
    }
    int bytes = 0;
    for (int k = 0; k < word.length(); ) {
      int cp = word.codePointAt(k);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > MAX_WORD_BYTES) {
        return word.substring(0, k);
      }
      bytes += len;
      k += Character.charCount(cp);
    }
    return word;
  }
}
