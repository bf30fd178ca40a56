// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A hand-written RFC 5322 §3.4 address-list parser, including the obsolete forms of §4.4 (routes,
 * phrases with dots, CFWS between the parts of an addr-spec, empty list elements) and group syntax
 * as RFC 6854 allows it in From.
 *
 * <p>Input is an unfolded field value with one char per byte (ISO-8859-1), as {@link
 * HeaderField#value()} gives it; bytes of 0x80 and above are accepted as text (RFC 6532). RFC 2047
 * encoded words in display names are ordinary atoms here and are never read as addresses.
 */
final class AddressListParser {
  /** Outcome: the mailboxes, or why the text is not an address list. */
  record Result(List<Mailbox> mailboxes, Optional<String> error) {}

  private static final int WORD = 0;
  private static final int QUOTED = 1;
  private static final int LITERAL = 2;
  private static final int SPECIAL = 3;

  /** Largest number of tokens looked at; a longer value is rejected. */
  static final int MAX_TOKENS = 10_000;

  private record Token(int type, String text, char special, int index) {}

  /** Thrown inside the parser only; turned into {@link Result#error()}. */
  private static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  private final List<Token> tokens;
  private int i;

  private AddressListParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static Result parse(String value) {
    try {
      List<Token> tokens = lex(value);
      AddressListParser p = new AddressListParser(tokens);
      List<Mailbox> out = new ArrayList<>(1);
      p.addressList(out);
      return new Result(List.copyOf(out), Optional.empty());
    } catch (SyntaxError e) {
      // NullAway: every SyntaxError is thrown with a message.
      @SuppressWarnings("NullAway")
      Result failed = new Result(List.of(), Optional.of(e.getMessage()));
      return failed;
    }
  }

  private void addressList(List<Mailbox> out) throws SyntaxError {
    while (true) {
      while (isSpecial(',')) {
        i++; // obs-addr-list: empty elements
      }
      if (i >= tokens.size()) {
        return;
      }
      address(out);
      if (i >= tokens.size()) {
        return;
      }
      if (!isSpecial(',')) {
        throw unexpected("',' or end after an address");
      }
    }
  }

  private void address(List<Mailbox> out) throws SyntaxError {
    int start = i;
    while (i < tokens.size() && (tokens.get(i).type == WORD || tokens.get(i).type == QUOTED)) {
      i++;
    }
    if (isSpecial(':')) {
      if (i == start) {
        throw new SyntaxError("group without a display name");
      }
      i++;
      while (true) {
        if (isSpecial(';')) {
          i++;
          return;
        }
        if (isSpecial(',')) {
          i++;
          continue;
        }
        if (i >= tokens.size()) {
          throw new SyntaxError("group not closed with ';'");
        }
        int mstart = i;
        while (i < tokens.size() && (tokens.get(i).type == WORD || tokens.get(i).type == QUOTED)) {
          i++;
        }
        out.add(mailbox(mstart));
        if (!isSpecial(',') && !isSpecial(';')) {
          throw unexpected("',' or ';' in a group");
        }
      }
    }
    out.add(mailbox(start));
  }

  /** A mailbox whose leading words run from {@code start} to the current token. */
  private Mailbox mailbox(int start) throws SyntaxError {
    if (isSpecial('<')) {
      Optional<String> display = i == start ? Optional.empty() : Optional.of(phrase(start, i));
      i++;
      if (isSpecial('@')) {
        // obs-route: "@a.example,@b.example:" before the addr-spec
        while (!isSpecial(':')) {
          if (i >= tokens.size() || isSpecial('>')) {
            throw new SyntaxError("route not ended with ':'");
          }
          i++;
        }
        i++;
      }
      if (isSpecial('>')) {
        throw new SyntaxError("empty angle address");
      }
      int lstart = i;
      while (i < tokens.size() && (tokens.get(i).type == WORD || tokens.get(i).type == QUOTED)) {
        i++;
      }
      Mailbox m = addrSpec(display, lstart, i);
      if (!isSpecial('>')) {
        throw unexpected("'>' after the address");
      }
      i++;
      return m;
    }
    if (i == start) {
      throw unexpected("an address");
    }
    return addrSpec(Optional.empty(), start, i);
  }

  /** local-part "@" domain, where the local part is the tokens {@code from..to}. */
  private Mailbox addrSpec(Optional<String> display, int from, int to) throws SyntaxError {
    if (from == to) {
      throw unexpected("a local part");
    }
    if (!isSpecial('@')) {
      throw unexpected("'@' after the local part");
    }
    String local = dotJoined(from, to, "local part");
    i++;
    if (i < tokens.size() && tokens.get(i).type == LITERAL) {
      String literal = tokens.get(i++).text;
      return new Mailbox(display, local, literal, true);
    }
    int dstart = i;
    while (i < tokens.size() && tokens.get(i).type == WORD) {
      i++;
    }
    if (dstart == i) {
      throw unexpected("a domain");
    }
    return new Mailbox(display, local, utf8(dotJoined(dstart, i, "domain")), false);
  }

  /**
   * The text of dot-separated words: the obsolete syntax allows comments and spaces around the
   * dots, but two words without a dot between them are not one local part or domain.
   */
  private String dotJoined(int from, int to, String what) throws SyntaxError {
    StringBuilder sb = new StringBuilder(tokens.get(from).text);
    for (int k = from + 1; k < to; k++) {
      String t = tokens.get(k).text;
      boolean prevDot =
          sb.length() > 0 && sb.charAt(sb.length() - 1) == '.' && tokens.get(k - 1).type == WORD;
      boolean nextDot = tokens.get(k).type == WORD && t.startsWith(".");
      if (!prevDot && !nextDot) {
        throw new SyntaxError("words without a dot between them in the " + what);
      }
      sb.append(t);
    }
    return sb.toString();
  }

  private String phrase(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int k = from; k < to; k++) {
      if (k > from) {
        sb.append(' ');
      }
      sb.append(tokens.get(k).text);
    }
    return utf8(sb.toString());
  }

  private boolean isSpecial(char c) {
    if (i >= tokens.size()) {
      return false;
    }
    Token t = tokens.get(i);
    return t.type == SPECIAL && t.special == c;
  }

  private SyntaxError unexpected(String expected) {
    if (i >= tokens.size()) {
      return new SyntaxError("expected " + expected + " but the value ended");
    }
    Token t = tokens.get(i);
    String found = t.type == SPECIAL ? "'" + t.special + "'" : "\"" + t.text + "\"";
    return new SyntaxError("expected " + expected + " but found " + found + " at " + t.index);
  }

  /** Lexes into words (atoms with dots), quoted strings, domain literals and specials. */
  private static List<Token> lex(String s) throws SyntaxError {
    List<Token> out = new ArrayList<>();
    int n = s.length();
    int p = 0;
    while (p < n) {
      if (out.size() > MAX_TOKENS) {
        throw new SyntaxError("more than " + MAX_TOKENS + " tokens");
      }
      char c = s.charAt(p);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        p++;
      } else if (c == '(') {
        int depth = 0;
        int q = p;
        while (true) {
          if (q >= n) {
            throw new SyntaxError("comment not closed, opened at " + p);
          }
          char d = s.charAt(q);
          if (d == '\\') {
            q += 2;
            continue;
          }
          if (d == '(') {
            depth++;
          } else if (d == ')' && --depth == 0) {
            break;
          }
          q++;
        }
        p = q + 1;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        int q = p + 1;
        while (true) {
          if (q >= n) {
            throw new SyntaxError("quoted string not closed, opened at " + p);
          }
          char d = s.charAt(q);
          if (d == '"') {
            break;
          }
          if (d == '\\') {
            if (q + 1 >= n) {
              throw new SyntaxError("quoted string not closed, opened at " + p);
            }
            d = s.charAt(++q);
          }
          if (d != '\r' && d != '\n') {
            sb.append(d);
          }
          q++;
        }
        out.add(new Token(QUOTED, sb.toString(), '\0', p));
        p = q + 1;
      } else if (c == '[') {
        StringBuilder sb = new StringBuilder();
        int q = p + 1;
        while (true) {
          if (q >= n) {
            throw new SyntaxError("domain literal not closed, opened at " + p);
          }
          char d = s.charAt(q);
          if (d == ']') {
            break;
          }
          if (d == '[') {
            throw new SyntaxError("'[' inside a domain literal at " + q);
          }
          if (d == '\\') {
            if (q + 1 >= n) {
              throw new SyntaxError("domain literal not closed, opened at " + p);
            }
            d = s.charAt(++q);
          }
          if (d != ' ' && d != '\t') {
            sb.append(d);
          }
          q++;
        }
        out.add(new Token(LITERAL, sb.toString(), '\0', p));
        p = q + 1;
      } else if (c == '<' || c == '>' || c == '@' || c == ',' || c == ';' || c == ':') {
        out.add(new Token(SPECIAL, String.valueOf(c), c, p));
        p++;
      } else if (isWordChar(c)) {
        int q = p + 1;
        while (q < n && isWordChar(s.charAt(q))) {
          q++;
        }
        out.add(new Token(WORD, s.substring(p, q), '\0', p));
        p = q;
      } else {
        throw new SyntaxError("unexpected character 0x" + Integer.toHexString(c) + " at " + p);
      }
    }
    return out;
  }

  /** RFC 5322 atext plus the dot; bytes 0x80 and above are UTF-8 text (RFC 6532 §3.2). */
  private static boolean isWordChar(char c) {
    if (c >= 0x80) {
      return c <= 0xFF;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      return true;
    }
    return "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
  }

  /** Reinterprets one-char-per-byte text as UTF-8 when it holds 8-bit bytes; else unchanged. */
  static String utf8(String latin1) {
    boolean ascii = true;
    for (int k = 0; k < latin1.length(); k++) {
      if (latin1.charAt(k) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return latin1;
    }
    // Malformed sequences become U+FFFD, which no valid domain contains.
    return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }
}
