// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import org.jspecify.annotations.Nullable;

/**
 * A parsed macro-string or domain-spec (RFC 7208 §7.1). Parsing happens once per record text;
 * expansion appends to a caller's {@link StringBuilder} without regular expressions. A string
 * without macros keeps its literal text and expands to it as is.
 */
final class MacroString {

  /** Where a macro string appears; decides which letters and characters are allowed. */
  enum Context {
    /** A domain-spec of a mechanism, {@code redirect} or {@code exp}: no c, r, t; domain-end. */
    DOMAIN_SPEC,
    /** The value of an unknown modifier: syntax checked only. */
    MODIFIER,
    /** Explanation text fetched for {@code exp=}: c, r, t allowed, spaces allowed. */
    EXPLANATION
  }

  /** Supplies the value of a macro letter during expansion. */
  interface Values {
    /**
     * The value of {@code letter} (lower case) with {@code domain} as {@code <domain>}, or {@code
     * null} if the term must not match (a non-ASCII local-part, RFC 8616 §4).
     */
    @Nullable String macroValue(char letter, String domain);
  }

  /** One {@code %{...}} expansion. */
  static final class Macro {
    final char letter;
    final boolean upper;
    final int keep;
    final boolean reverse;
    final int delimiters;

    Macro(char letter, boolean upper, int keep, boolean reverse, int delimiters) {
      this.letter = letter;
      this.upper = upper;
      this.keep = keep;
      this.reverse = reverse;
      this.delimiters = delimiters;
    }

    boolean plain() {
      return keep == 0 && !reverse && delimiters == DOT;
    }
  }

  private static final String DELIMS = ".-+,/_=";
  private static final int DOT = 1;

  /** The literal text when there is no macro, otherwise {@code null}. */
  final @Nullable String literal;

  /** Literal {@link String}s and {@link Macro}s in order, when {@link #literal} is null. */
  final Object @Nullable [] parts;

  /** {@link #literal} without one trailing dot: the name to query (§7.3), or {@code null}. */
  final @Nullable String literalName;

  final boolean usesPtr;

  private MacroString(@Nullable String literal, Object @Nullable [] parts, boolean usesPtr) {
    this.literal = literal;
    this.parts = parts;
    this.usesPtr = usesPtr;
    this.literalName =
        literal != null && literal.endsWith(".")
            ? literal.substring(0, literal.length() - 1)
            : literal;
  }

  /** Whether the string has no macro and expands to {@link #literal}. */
  boolean isLiteral() {
    return literal != null;
  }

  static MacroString parse(String s, Context context) throws SpfSyntaxException {
    return parse(s, 0, s.length(), context);
  }

  /** Parses {@code s[from, to)}. */
  // NullAway: lit is allocated whenever parts is (the first macro starts both).
  @SuppressWarnings("NullAway")
  static MacroString parse(String s, int from, int to, Context context) throws SpfSyntaxException {
    if (context == Context.DOMAIN_SPEC && from >= to) {
      throw new SpfSyntaxException("empty domain-spec");
    }
    java.util.ArrayList<Object> parts = null;
    StringBuilder lit = null;
    boolean usesPtr = false;
    boolean endsWithMacro = false;
    int literalRunStart = from;
    int i = from;
    while (i < to) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 1 >= to) {
          throw new SpfSyntaxException("'%' at the end of a macro string");
        }
        char n = s.charAt(i + 1);
        if (n == '%' || n == '_' || n == '-') {
          if (lit == null) {
            lit = new StringBuilder(to - from);
            lit.append(s, from, i);
          }
          lit.append(n == '%' ? "%" : n == '_' ? " " : "%20");
          i += 2;
          endsWithMacro = true;
          literalRunStart = i;
          continue;
        }
        if (n != '{') {
          throw new SpfSyntaxException("'%' followed by '" + n + "'");
        }
        int j = i + 2;
        if (j >= to) {
          throw new SpfSyntaxException("unterminated macro");
        }
        char letterRaw = s.charAt(j);
        char letter = Character.toLowerCase(letterRaw);
        boolean upper = letterRaw != letter;
        if (letterRaw > 0x7E
            || "slodipvhcrt".indexOf(letter) < 0
            || (context == Context.DOMAIN_SPEC
                && (letter == 'c' || letter == 'r' || letter == 't'))) {
          throw new SpfSyntaxException("macro letter '" + letterRaw + "' not allowed here");
        }
        j++;
        int keep = 0;
        int digits = 0;
        while (j < to && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
          if (digits < 4) {
            keep = keep * 10 + (s.charAt(j) - '0');
          }
          digits++;
          j++;
        }
        if (digits > 0 && keep == 0) {
          throw new SpfSyntaxException("macro transformer keeps zero parts");
        }
        if (digits > 3) {
          keep = 999;
        }
        boolean reverse = false;
        if (j < to && (s.charAt(j) == 'r' || s.charAt(j) == 'R')) {
          reverse = true;
          j++;
        }
        int delims = 0;
        while (j < to && s.charAt(j) != '}') {
          int d = DELIMS.indexOf(s.charAt(j));
          if (d < 0) {
            throw new SpfSyntaxException("bad character '" + s.charAt(j) + "' in macro");
          }
          delims |= 1 << d;
          j++;
        }
        if (j >= to) {
          throw new SpfSyntaxException("unterminated macro");
        }
        if (parts == null) {
          parts = new java.util.ArrayList<>(4);
        }
        if (lit != null) {
          if (lit.length() > 0) {
            parts.add(lit.toString());
          }
          lit.setLength(0);
        } else if (i > from) {
          parts.add(s.substring(from, i));
        }
        if (lit == null) {
          lit = new StringBuilder(to - from);
        }
        parts.add(new Macro(letter, upper, keep, reverse, delims == 0 ? DOT : delims));
        usesPtr |= letter == 'p';
        i = j + 1;
        endsWithMacro = true;
        literalRunStart = i;
        continue;
      }
      boolean ok = (c >= 0x21 && c <= 0x7E) || (c == ' ' && context == Context.EXPLANATION);
      if (!ok) {
        throw new SpfSyntaxException(
            "character U+" + String.format("%04X", (int) c) + " not allowed in a macro string");
      }
      if (lit != null) {
        lit.append(c);
      }
      endsWithMacro = false;
      i++;
    }
    if (context == Context.DOMAIN_SPEC && !endsWithMacro) {
      checkDomainEnd(s, literalRunStart, to);
    }
    if (parts == null) {
      return new MacroString(lit == null ? s.substring(from, to) : lit.toString(), null, false);
    }
    if (lit.length() > 0) {
      parts.add(lit.toString());
    }
    return new MacroString(null, parts.toArray(), usesPtr);
  }

  /** domain-end = ( "." toplabel [ "." ] ) / macro-expand (RFC 7208 §7.1). */
  private static void checkDomainEnd(String s, int from, int to) throws SpfSyntaxException {
    int end = to;
    if (end > from && s.charAt(end - 1) == '.') {
      end--;
    }
    int dot = -1;
    for (int k = end - 1; k >= from; k--) {
      if (s.charAt(k) == '.') {
        dot = k;
        break;
      }
    }
    if (dot < 0) {
      throw new SpfSyntaxException("domain-spec does not end in '.' toplabel");
    }
    int a = dot + 1;
    if (a >= end) {
      throw new SpfSyntaxException("empty top label");
    }
    boolean alpha = false;
    boolean hyphen = false;
    for (int k = a; k < end; k++) {
      char c = s.charAt(k);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        alpha = true;
      } else if (c == '-') {
        hyphen = true;
      } else if (c < '0' || c > '9') {
        throw new SpfSyntaxException("bad top label '" + s.substring(a, end) + "'");
      }
    }
    if (s.charAt(a) == '-' || s.charAt(end - 1) == '-' || (!hyphen && !alpha)) {
      throw new SpfSyntaxException("bad top label '" + s.substring(a, end) + "'");
    }
  }

  /**
   * Appends the expansion to {@code sb}; false if a value was refused (the term does not match).
   */
  // NullAway: a macro string has either its literal or its parts.
  @SuppressWarnings("NullAway")
  boolean expandTo(StringBuilder sb, Values values, String domain) {
    if (literal != null) {
      sb.append(literal);
      return true;
    }
    for (Object part : parts) {
      if (part instanceof String str) {
        sb.append(str);
        continue;
      }
      Macro m = (Macro) part;
      String v = values.macroValue(m.letter, domain);
      if (v == null) {
        return false;
      }
      int mark = sb.length();
      if (m.plain()) {
        sb.append(v);
      } else {
        transform(sb, v, m);
      }
      if (m.upper) {
        escape(sb, mark);
      }
    }
    return true;
  }

  private static boolean isDelimiter(char c, int mask) {
    int bit;
    switch (c) {
      case '.':
        bit = 1;
        break;
      case '-':
        bit = 1 << 1;
        break;
      case '+':
        bit = 1 << 2;
        break;
      case ',':
        bit = 1 << 3;
        break;
      case '/':
        bit = 1 << 4;
        break;
      case '_':
        bit = 1 << 5;
        break;
      case '=':
        bit = 1 << 6;
        break;
      default:
        return false;
    }
    return (mask & bit) != 0;
  }

  /**
   * Split on the delimiters, optionally reverse, keep the right-most parts, join with "." (§7.3).
   * Works in place on the value, without splitting it into an array.
   */
  static void transform(StringBuilder sb, String v, Macro m) {
    int len = v.length();
    int mask = m.delimiters;
    int n = 1;
    for (int k = 0; k < len; k++) {
      if (isDelimiter(v.charAt(k), mask)) {
        n++;
      }
    }
    int keep = m.keep == 0 || m.keep > n ? n : m.keep;
    if (!m.reverse) {
      // drop the first n - keep parts, then copy with every delimiter turned into "."
      int skip = n - keep;
      int pos = 0;
      while (skip > 0) {
        if (isDelimiter(v.charAt(pos), mask)) {
          skip--;
        }
        pos++;
      }
      for (int k = pos; k < len; k++) {
        char c = v.charAt(k);
        sb.append(isDelimiter(c, mask) ? '.' : c);
      }
      return;
    }
    // reversed, the right-most parts are the first "keep" original parts, last one first
    int end = len;
    int count = 0;
    for (int k = 0; k < len; k++) {
      if (isDelimiter(v.charAt(k), mask) && ++count == keep) {
        end = k;
        break;
      }
    }
    int partEnd = end;
    for (int k = end - 1; k >= -1; k--) {
      if (k == -1 || isDelimiter(v.charAt(k), mask)) {
        sb.append(v, k + 1, partEnd);
        if (k >= 0) {
          sb.append('.');
        }
        partEnd = k;
      }
    }
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** URL-escapes {@code sb[from..]}: everything outside RFC 3986 unreserved (§7.3). */
  static void escape(StringBuilder sb, int from) {
    String raw = sb.substring(from);
    sb.setLength(from);
    byte[] bytes = raw.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (byte b : bytes) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        sb.append((char) c);
      } else {
        sb.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
      }
    }
  }
}
