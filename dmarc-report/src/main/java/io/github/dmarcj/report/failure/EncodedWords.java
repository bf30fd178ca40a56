// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads RFC 2047 encoded-words ({@code =?charset?B?...?=}, {@code =?charset?Q?...?=}) in header
 * field values, leniently: a word that does not decode is left as it is, an unknown charset is read
 * as UTF-8, and nothing throws. Adjacent encoded-words separated only by white space are joined
 * (RFC 2047 §6.2); line breaks and control characters in decoded text are replaced, so decoded text
 * stays on its line. Used to see addresses hidden in encoded-words and to show the original
 * Subject.
 */
final class EncodedWords {
  /** Longest charset name read; real names are far shorter. */
  private static final int MAX_CHARSET = 64;

  private EncodedWords() {}

  /**
   * {@return {@code value} unfolded, with its encoded-words decoded; the same string if it has
   * none}
   *
   * @param value a field value
   * @param latin1View whether {@code value} holds raw bytes as ISO-8859-1 characters: decoded text
   *     is then given as its UTF-8 bytes in the same form, so the result encodes back with
   *     ISO-8859-1
   */
  static String decode(String value, boolean latin1View) {
    if (value.indexOf("=?") < 0) {
      return value;
    }
    String s = unfold(value);
    StringBuilder out = new StringBuilder(s.length());
    int copied = 0;
    int lastWordEnd = -1;
    int i = s.indexOf("=?");
    boolean any = false;
    while (i >= 0) {
      int end = wordEnd(s, i);
      if (end < 0) {
        i = s.indexOf("=?", i + 2);
        continue;
      }
      String decoded = decodeWord(s, i, end);
      if (decoded == null) {
        i = s.indexOf("=?", end);
        continue;
      }
      any = true;
      if (lastWordEnd == copied && isLinearWhiteSpace(s, copied, i)) {
        // RFC 2047 §6.2: white space between adjacent encoded-words is not shown.
      } else {
        out.append(s, copied, i);
      }
      out.append(
          latin1View
              ? new String(decoded.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
              : decoded);
      copied = end;
      lastWordEnd = end;
      i = s.indexOf("=?", end);
    }
    if (!any) {
      return value;
    }
    out.append(s, copied, s.length());
    return out.toString();
  }

  /** {@return {@code s} with each line break that is followed by white space removed} */
  static String unfold(String s) {
    if (s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n') {
        int j = i + 1;
        if (c == '\r' && j < n && s.charAt(j) == '\n') {
          j++;
        }
        if (j < n && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
          i = j - 1;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }

  private static boolean isLinearWhiteSpace(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c != ' ' && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * {@return the index after the {@code ?=} of the encoded-word starting at {@code start}, or -1}
   */
  private static int wordEnd(String s, int start) {
    int n = s.length();
    int q1 = start + 2;
    int k = q1;
    while (k < n
        && s.charAt(k) != '?'
        && k - q1 <= MAX_CHARSET
        && !Character.isWhitespace(s.charAt(k))) {
      k++;
    }
    if (k == q1 || k >= n || s.charAt(k) != '?') {
      return -1;
    }
    if (k + 2 >= n || s.charAt(k + 2) != '?') {
      return -1;
    }
    char enc = s.charAt(k + 1);
    if (enc != 'B' && enc != 'b' && enc != 'Q' && enc != 'q') {
      return -1;
    }
    int t = k + 3;
    while (t < n && s.charAt(t) != '?' && s.charAt(t) > ' ') {
      t++;
    }
    if (t + 1 >= n || s.charAt(t) != '?' || s.charAt(t + 1) != '=') {
      return -1;
    }
    return t + 2;
  }

  /** {@return the text of the encoded-word {@code s[start, end)}, or null if it does not decode} */
  private static @Nullable String decodeWord(String s, int start, int end) {
    int q1 = s.indexOf('?', start + 2);
    String charsetName = s.substring(start + 2, q1);
    int star = charsetName.indexOf('*'); // RFC 2231 §5: charset*language
    if (star >= 0) {
      charsetName = charsetName.substring(0, star);
    }
    char enc = Character.toUpperCase(s.charAt(q1 + 1));
    String text = s.substring(q1 + 3, end - 2);
    byte[] bytes;
    if (enc == 'B') {
      bytes = base64(text);
      if (bytes == null) {
        return null;
      }
    } else {
      bytes = quoted(text);
    }
    return controlsReplaced(new String(bytes, charset(charsetName)));
  }

  /**
   * {@return {@code s} with line breaks and tabs as spaces and other control characters as {@code
   * ?}: decoded text must not start a field or a line of its own}
   */
  private static String controlsReplaced(String s) {
    StringBuilder b = null;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < 0x20 || c == 0x7F) {
        if (b == null) {
          b = new StringBuilder(s);
        }
        b.setCharAt(k, c == '\r' || c == '\n' || c == '\t' ? ' ' : '?');
      }
    }
    return b == null ? s : b.toString();
  }

  private static byte @Nullable [] base64(String text) {
    StringBuilder b = new StringBuilder(text.length() + 3);
    for (int k = 0; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '+'
          || c == '/') {
        b.append(c);
      }
    }
    if (b.length() % 4 == 1) {
      b.setLength(b.length() - 1);
    }
    while (b.length() % 4 != 0) {
      b.append('=');
    }
    try {
      return Base64.getDecoder().decode(b.toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static byte[] quoted(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int n = text.length();
    for (int k = 0; k < n; k++) {
      char c = text.charAt(k);
      if (c == '_') {
        out.write(' ');
      } else if (c == '='
          && k + 2 < n
          && hex(text.charAt(k + 1)) >= 0
          && hex(text.charAt(k + 2)) >= 0) {
        out.write(hex(text.charAt(k + 1)) * 16 + hex(text.charAt(k + 2)));
        k += 2;
      } else {
        out.write(c < 0x80 ? c : '?');
      }
    }
    return out.toByteArray();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char u = Character.toUpperCase(c);
    return u >= 'A' && u <= 'F' ? u - 'A' + 10 : -1;
  }

  private static Charset charset(String name) {
    try {
      return Charset.forName(name.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) { // illegal or unsupported name
      return StandardCharsets.UTF_8;
    }
  }
}
