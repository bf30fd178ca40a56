// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

/** Lexical rules shared by the writer and the parser (RFC 8601 §2.2, RFC 2045 §5.1). */
final class AuthResultsSyntax {
  private AuthResultsSyntax() {}

  /** RFC 2045 tspecials. */
  private static final String TSPECIALS = "()<>@,;:\\\"/[]?=";

  /** RFC 5322 atext specials allowed in a dot-atom besides letters and digits. */
  private static final String ATEXT = "!#$%&'*+-/=?^_`{|}~";

  /**
   * A method, result, ptype or property keyword: letters, digits, hyphens and (tolerated)
   * underscores, starting with a letter or digit.
   */
  static boolean isKeyword(String s) {
    if (s.isEmpty() || !isAlnum(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '-' && c != '_') {
        return false;
      }
    }
    return true;
  }

  /** An RFC 2045 token: printable ASCII without space or tspecials, at least one character. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F || TSPECIALS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if {@code s} may stand unquoted as a pvalue: a token, or {@code [local-part] "@"
   * domain-name} with a dot-atom local part (RFC 8601 §2.2).
   */
  static boolean isBarePropertyValue(String s) {
    if (isToken(s)) {
      return true;
    }
    int at = s.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    String local = s.substring(0, at);
    String domain = s.substring(at + 1);
    return (local.isEmpty() || isDotAtom(local)) && isDomainName(domain);
  }

  /** Writes {@code s} as an RFC 5322 quoted-string. */
  static void appendQuoted(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(printable(c));
    }
    out.append('"');
  }

  /**
   * {@code c}, or a stand-in for a character that must not appear in a header field: CR and LF
   * become a space (they would end the field), other controls and DEL become {@code ?}.
   */
  private static char printable(char c) {
    if (c == '\r' || c == '\n') {
      return ' ';
    }
    if ((c < 0x20 && c != '\t') || c == 0x7F) {
      return '?';
    }
    return c;
  }

  /** Writes {@code s} as a comment, escaping parentheses and backslashes. */
  static void appendComment(StringBuilder out, String s) {
    out.append('(');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == ')' || c == '\\') {
        out.append('\\');
      }
      out.append(printable(c));
    }
    out.append(')');
  }

  private static boolean isDotAtom(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '.' && ATEXT.indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDomainName(String s) {
    if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isAlnum(c) && c != '.' && c != '-' && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }
}
