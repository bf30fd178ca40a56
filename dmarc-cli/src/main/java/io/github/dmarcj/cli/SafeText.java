// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.jspecify.annotations.Nullable;

/**
 * Makes text that came from the network, a message or a file safe to print on a terminal. Every
 * command prints such values only through this class:
 *
 * <ul>
 *   <li>{@link #of} for text output and error lines: C0 controls (including CR, LF and TAB), DEL,
 *       C1 controls, the Unicode line and paragraph separators, bidirectional controls and lone
 *       surrogates are written visibly as {@code \r}, {@code \n}, {@code \t}, {@code \x1b}, <code>
 *       &#92;u0085</code>, <code>&#92;u202e</code>, ... so one value stays on one line and cannot
 *       move the cursor, change colours or the window title, or reorder what follows it;
 *   <li>{@link #jsonFactory()} and {@link #mapper()} for JSON output: the same characters are
 *       written as JSON <code>&#92;uXXXX</code> escapes (Jackson escapes only C0 by itself), so the
 *       JSON still carries the exact value;
 *   <li>{@link #xmlCharRefs} for XML written to standard output: numeric character references.
 * </ul>
 *
 * <p>A backslash is printed as it is, so a value that holds the characters {@code \x1b} reads the
 * same as one that held an escape character: the JSON output tells them apart.
 */
final class SafeText {
  private SafeText() {}

  /** Whether {@code c} is written escaped: it could break a line or change the terminal. */
  static boolean unsafe(char c) {
    if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
      return true; // C0, DEL, C1
    }
    if (c < 0x061c) {
      return false;
    }
    return c == 0x061c // ARABIC LETTER MARK
        || c == 0x200e // LEFT-TO-RIGHT MARK
        || c == 0x200f // RIGHT-TO-LEFT MARK
        || c >= 0x2028 && c <= 0x202e // LINE/PARAGRAPH SEPARATOR, LRE, RLE, PDF, LRO, RLO
        || c >= 0x2066 && c <= 0x2069 // LRI, RLI, FSI, PDI
        || Character.isSurrogate(c);
  }

  /** {@code s} with every {@linkplain #unsafe unsafe} character written visibly; null as "null". */
  static String of(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    int i = 0;
    while (i < s.length()) {
      if (pairAt(s, i)) {
        i += 2;
      } else if (!unsafe(s.charAt(i))) {
        i++;
      } else {
        break;
      }
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (pairAt(s, i)) {
        b.append(c).append(s.charAt(++i)); // a well-formed pair is an ordinary character
      } else if (!unsafe(c)) {
        b.append(c);
      } else {
        escape(b, c);
      }
    }
    return b.toString();
  }

  /** Whether a well-formed surrogate pair starts at {@code i}. */
  private static boolean pairAt(String s, int i) {
    return Character.isHighSurrogate(s.charAt(i))
        && i + 1 < s.length()
        && Character.isLowSurrogate(s.charAt(i + 1));
  }

  private static void escape(StringBuilder b, char c) {
    switch (c) {
      case '\r' -> b.append("\\r");
      case '\n' -> b.append("\\n");
      case '\t' -> b.append("\\t");
      default -> {
        if (c <= 0x7f) {
          b.append("\\x")
              .append(Character.forDigit(c >> 4, 16))
              .append(Character.forDigit(c & 0xf, 16));
        } else {
          b.append(String.format("\\u%04x", (int) c));
        }
      }
    }
  }

  /**
   * A header field as the library folds it ({@code CRLF} followed by white space between lines, a
   * final {@code CRLF}), printed as lines: each fold becomes a line break that keeps its leading
   * white space, and everything else is {@linkplain #of escaped}, including a CR or LF that is not
   * part of a fold.
   */
  static String field(String folded, String lineSeparator) {
    String body = folded.endsWith("\r\n") ? folded.substring(0, folded.length() - 2) : folded;
    String[] lines = FOLD.split(body, -1);
    StringBuilder b = new StringBuilder(body.length() + 16);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i > 0) {
        // the fold's own white space stays as it is
        b.append(lineSeparator).append(line.charAt(0));
        line = line.substring(1);
      }
      b.append(of(line));
    }
    return b.append(lineSeparator).toString();
  }

  private static final java.util.regex.Pattern FOLD =
      java.util.regex.Pattern.compile("\r\n(?=[ \t])");

  /** One line about {@code e} for an error message: its message, escaped, first line only. */
  static String message(Throwable e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    if (nl > 0) {
      m = m.substring(0, nl).stripTrailing();
    }
    return of(m);
  }

  /**
   * {@code xml} with every {@linkplain #unsafe unsafe} character other than TAB, CR and LF written
   * as a numeric character reference: the same document, safe on a terminal. Only for documents
   * whose markup is ASCII (element and attribute names, no comments or processing instructions
   * holding such characters), as the report writer produces.
   */
  static String xmlCharRefs(String xml) {
    StringBuilder b = null;
    for (int i = 0; i < xml.length(); i++) {
      char c = xml.charAt(i);
      boolean pair = pairAt(xml, i);
      boolean refer = !pair && unsafe(c) && c != '\t' && c != '\r' && c != '\n';
      if (refer && b == null) {
        b = new StringBuilder(xml.length() + 16).append(xml, 0, i);
      }
      if (b != null) {
        if (refer) {
          b.append("&#x")
              .append(Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT))
              .append(';');
        } else {
          b.append(c);
          if (pair) {
            b.append(xml.charAt(++i));
          }
        }
      } else if (pair) {
        i++;
      }
    }
    return b == null ? xml : b.toString();
  }

  /** JSON escapes for the {@linkplain #unsafe unsafe} characters Jackson leaves as they are. */
  private static final class JsonEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    JsonEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      ascii[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int ch) {
      return ch <= 0xffff && unsafe((char) ch)
          ? new SerializedString(String.format("\\u%04X", ch))
          : null;
    }
  }

  /** A factory for JSON output (and input) that writes unsafe characters as JSON escapes. */
  static JsonFactory jsonFactory() {
    return new JsonFactory().setCharacterEscapes(new JsonEscapes());
  }

  /** An indenting mapper over {@link #jsonFactory()}, for the commands that print a JSON tree. */
  static ObjectMapper mapper() {
    return new ObjectMapper(jsonFactory()).enable(SerializationFeature.INDENT_OUTPUT);
  }
}
