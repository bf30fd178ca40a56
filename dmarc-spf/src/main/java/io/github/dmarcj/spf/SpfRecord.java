// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code v=spf1} record (RFC 7208 §4.5, §4.6, §12). The whole record is parsed before
 * anything is evaluated, so a syntax error anywhere is found before the first DNS query (§4.6). A
 * text that does not parse gives a record with a {@link #problem} and no terms. Immutable and
 * shared between evaluations through the checker's parse cache ({@link SpfChecker#parsedRecord}).
 */
final class SpfRecord {
  final Directive[] directives;
  final @Nullable MacroString redirect;
  final @Nullable String redirectText;
  final @Nullable MacroString exp;
  final boolean hasAll;

  /** Why the text is not a valid record (a {@code permerror}, §4.6), or {@code null}. */
  final @Nullable SpfProblem problem;

  /** The parser's message when {@link #problem} is set, else {@code null}. */
  final @Nullable String problemDetail;

  private SpfRecord(
      Directive[] directives,
      @Nullable MacroString redirect,
      @Nullable String redirectText,
      @Nullable MacroString exp,
      @Nullable SpfProblem problem,
      @Nullable String problemDetail) {
    this.directives = directives;
    this.redirect = redirect;
    this.redirectText = redirectText;
    this.exp = exp;
    this.problem = problem;
    this.problemDetail = problemDetail;
    boolean all = false;
    for (Directive d : directives) {
      all |= d.kind == Directive.Kind.ALL;
    }
    this.hasAll = all;
  }

  /** True if {@code txt} is an SPF version 1 record: "v=spf1" then SP or end (§4.5). */
  static boolean isSpf1(String txt) {
    return txt.length() >= 6
        && txt.regionMatches(true, 0, "v=spf1", 0, 6)
        && (txt.length() == 6 || txt.charAt(6) == ' ');
  }

  /**
   * Parses a record that {@link #isSpf1} accepted; on any error, a record without terms whose
   * {@link #problem} says why.
   */
  // NullAway: every SpfSyntaxException is thrown with a message.
  @SuppressWarnings("NullAway")
  static SpfRecord parseOrInvalid(String txt) {
    try {
      return parse(txt);
    } catch (SpfSyntaxException e) {
      String msg = e.getMessage();
      return msg.startsWith("duplicate ")
          ? invalid(SpfProblem.DUPLICATE_MODIFIER, msg)
          : invalid(SpfProblem.SYNTAX_ERROR, msg);
    }
  }

  private static SpfRecord invalid(SpfProblem problem, String detail) {
    return new SpfRecord(new Directive[0], null, null, null, problem, detail);
  }

  static SpfRecord parse(String txt) throws SpfSyntaxException {
    List<Directive> directives = new ArrayList<>();
    MacroString redirect = null;
    String redirectText = null;
    MacroString exp = null;
    int n = txt.length();
    int i = 6;
    while (i < n) {
      if (txt.charAt(i) != ' ') {
        throw new SpfSyntaxException("terms must be separated by spaces");
      }
      while (i < n && txt.charAt(i) == ' ') {
        i++;
      }
      if (i == n) {
        break;
      }
      int end = txt.indexOf(' ', i);
      if (end < 0) {
        end = n;
      }
      // a modifier: name "=" with name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." )
      int eq = modifierNameEnd(txt, i, end);
      if (eq > 0) {
        String name = txt.substring(i, eq);
        if (name.equalsIgnoreCase("redirect")) {
          if (redirect != null) {
            throw new SpfSyntaxException("duplicate redirect modifier");
          }
          redirect = MacroString.parse(txt, eq + 1, end, MacroString.Context.DOMAIN_SPEC);
          redirectText = txt.substring(i, end);
        } else if (name.equalsIgnoreCase("exp")) {
          if (exp != null) {
            throw new SpfSyntaxException("duplicate exp modifier");
          }
          exp = MacroString.parse(txt, eq + 1, end, MacroString.Context.DOMAIN_SPEC);
        } else {
          MacroString.parse(txt, eq + 1, end, MacroString.Context.MODIFIER);
        }
      } else {
        directives.add(parseDirective(txt, i, end));
      }
      i = end;
    }
    return new SpfRecord(
        directives.toArray(new Directive[0]), redirect, redirectText, exp, null, null);
  }

  /** The index of '=' if {@code txt[from,to)} starts with a modifier name, else -1. */
  private static int modifierNameEnd(String txt, int from, int to) {
    char c = txt.charAt(from);
    if (!isAlpha(c)) {
      return -1;
    }
    for (int k = from + 1; k < to; k++) {
      c = txt.charAt(k);
      if (c == '=') {
        return k;
      }
      if (!(isAlpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static Directive parseDirective(String txt, int from, int to) throws SpfSyntaxException {
    String text = txt.substring(from, to);
    SpfResult q = SpfResult.PASS;
    int i = from;
    switch (txt.charAt(i)) {
      case '+':
        i++;
        break;
      case '-':
        q = SpfResult.FAIL;
        i++;
        break;
      case '~':
        q = SpfResult.SOFTFAIL;
        i++;
        break;
      case '?':
        q = SpfResult.NEUTRAL;
        i++;
        break;
      default:
        break;
    }
    int nameEnd = i;
    while (nameEnd < to && isAlpha(txt.charAt(nameEnd)) || nameEnd < to && isDigit(txt, nameEnd)) {
      nameEnd++;
    }
    Directive.Kind kind = kindOf(txt, i, nameEnd);
    if (kind == null) {
      throw new SpfSyntaxException("unknown mechanism '" + text + "'");
    }
    int rest = nameEnd;
    switch (kind) {
      case ALL:
        if (rest != to) {
          throw new SpfSyntaxException("'all' takes no argument: '" + text + "'");
        }
        return new Directive(q, kind, null, 32, 128, 0, 0, 0, text);
      case INCLUDE:
      case EXISTS:
        {
          if (rest >= to || txt.charAt(rest) != ':') {
            throw new SpfSyntaxException("'" + text + "' needs ':' domain-spec");
          }
          MacroString spec = MacroString.parse(txt, rest + 1, to, MacroString.Context.DOMAIN_SPEC);
          return new Directive(q, kind, spec, 32, 128, 0, 0, 0, text);
        }
      case PTR:
        {
          MacroString spec = null;
          if (rest < to) {
            if (txt.charAt(rest) != ':') {
              throw new SpfSyntaxException("bad 'ptr' term '" + text + "'");
            }
            spec = MacroString.parse(txt, rest + 1, to, MacroString.Context.DOMAIN_SPEC);
          }
          return new Directive(q, kind, spec, 32, 128, 0, 0, 0, text);
        }
      case A:
      case MX:
        return parseAddressTerm(txt, rest, to, q, kind, text);
      case IP4:
        return parseIp4(txt, rest, to, q, text);
      case IP6:
        return parseIp6(txt, rest, to, q, text);
      default:
        throw new AssertionError(kind);
    }
  }

  private static boolean isDigit(String s, int i) {
    char c = s.charAt(i);
    return c >= '0' && c <= '9';
  }

  private static Directive.@Nullable Kind kindOf(String s, int from, int to) {
    int len = to - from;
    switch (len) {
      case 1:
        return s.regionMatches(true, from, "a", 0, 1) ? Directive.Kind.A : null;
      case 2:
        return s.regionMatches(true, from, "mx", 0, 2) ? Directive.Kind.MX : null;
      case 3:
        if (s.regionMatches(true, from, "all", 0, 3)) {
          return Directive.Kind.ALL;
        }
        if (s.regionMatches(true, from, "ptr", 0, 3)) {
          return Directive.Kind.PTR;
        }
        if (s.regionMatches(true, from, "ip4", 0, 3)) {
          return Directive.Kind.IP4;
        }
        if (s.regionMatches(true, from, "ip6", 0, 3)) {
          return Directive.Kind.IP6;
        }
        return null;
      case 6:
        return s.regionMatches(true, from, "exists", 0, 6) ? Directive.Kind.EXISTS : null;
      case 7:
        return s.regionMatches(true, from, "include", 0, 7) ? Directive.Kind.INCLUDE : null;
      default:
        return null;
    }
  }

  /** Parses "/" len with no leading zero; -1 if {@code s[from,to)} is not such a number. */
  private static int cidrLength(String s, int from, int to, int max) {
    int len = to - from;
    if (len < 1 || len > 3 || (len > 1 && s.charAt(from) == '0')) {
      return -1;
    }
    int v = 0;
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= max ? v : -1;
  }

  /** a / mx: [ ":" domain-spec ] [ dual-cidr-length ] (§5.3, §5.4, §5.6). */
  private static Directive parseAddressTerm(
      String s, int from, int to, SpfResult q, Directive.Kind kind, String text)
      throws SpfSyntaxException {
    int cidr4 = 32;
    int cidr6 = 128;
    int end = to;
    int k = end;
    while (k > from && isDigit(s, k - 1)) {
      k--;
    }
    if (k < end && k > from && s.charAt(k - 1) == '/') {
      if (k - 1 > from && s.charAt(k - 2) == '/') {
        cidr6 = cidrLength(s, k, end, 128);
        if (cidr6 < 0) {
          throw new SpfSyntaxException("bad IPv6 prefix length in '" + text + "'");
        }
        end = k - 2;
        int k4 = end;
        while (k4 > from && isDigit(s, k4 - 1)) {
          k4--;
        }
        if (k4 < end && k4 > from && s.charAt(k4 - 1) == '/') {
          cidr4 = cidrLength(s, k4, end, 32);
          if (cidr4 < 0) {
            throw new SpfSyntaxException("bad IPv4 prefix length in '" + text + "'");
          }
          end = k4 - 1;
        }
      } else {
        cidr4 = cidrLength(s, k, end, 32);
        if (cidr4 < 0) {
          throw new SpfSyntaxException("bad IPv4 prefix length in '" + text + "'");
        }
        end = k - 1;
      }
    }
    MacroString spec = null;
    if (end > from) {
      if (s.charAt(from) != ':') {
        throw new SpfSyntaxException(
            "bad '" + kind.name().toLowerCase(Locale.ROOT) + "' term '" + text + "'");
      }
      spec = MacroString.parse(s, from + 1, end, MacroString.Context.DOMAIN_SPEC);
    }
    return new Directive(q, kind, spec, cidr4, cidr6, 0, 0, 0, text);
  }

  private static Directive parseIp4(String s, int from, int to, SpfResult q, String text)
      throws SpfSyntaxException {
    if (from >= to || s.charAt(from) != ':') {
      throw new SpfSyntaxException("'ip4' needs ':' address: '" + text + "'");
    }
    int slash = s.indexOf('/', from);
    int addrEnd = slash < 0 || slash > to ? to : slash;
    long addr = Ip.parse4(s, from + 1, addrEnd);
    if (addr < 0) {
      throw new SpfSyntaxException("bad IPv4 address in '" + text + "'");
    }
    int cidr = 32;
    if (addrEnd < to) {
      cidr = cidrLength(s, addrEnd + 1, to, 32);
      if (cidr < 0) {
        throw new SpfSyntaxException("bad IPv4 prefix length in '" + text + "'");
      }
    }
    return new Directive(q, Directive.Kind.IP4, null, cidr, 128, (int) addr, 0, 0, text);
  }

  private static Directive parseIp6(String s, int from, int to, SpfResult q, String text)
      throws SpfSyntaxException {
    if (from >= to || s.charAt(from) != ':') {
      throw new SpfSyntaxException("'ip6' needs ':' address: '" + text + "'");
    }
    int slash = s.indexOf('/', from);
    int addrEnd = slash < 0 || slash > to ? to : slash;
    long[] v = new long[2];
    if (!Ip.parse6(s, from + 1, addrEnd, v)) {
      throw new SpfSyntaxException("bad IPv6 address in '" + text + "'");
    }
    int cidr = 128;
    if (addrEnd < to) {
      cidr = cidrLength(s, addrEnd + 1, to, 128);
      if (cidr < 0) {
        throw new SpfSyntaxException("bad IPv6 prefix length in '" + text + "'");
      }
    }
    return new Directive(q, Directive.Kind.IP6, null, 32, cidr, 0, v[0], v[1], text);
  }
}
