// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfReportRequest;
import io.github.dmarcj.result.SpfResult;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

  /**
   * The request for failure reports (RFC 6652 §3: {@code ra=}, {@code rp=}, {@code rr=}), or {@code
   * null} when the record has no usable {@code ra=}. Never affects the result.
   */
  final @Nullable ReportModifiers report;

  /**
   * The RFC 6652 modifiers of a record with a usable {@code ra=}.
   *
   * @param local the {@code ra=} local-part
   * @param percentage {@code rp=}, 0 to 100; 100 when absent or unusable
   * @param results {@code rr=} as results; every failure result when absent or unusable
   */
  record ReportModifiers(String local, int percentage, Set<SpfResult> results) {}

  private SpfRecord(
      Directive[] directives,
      @Nullable MacroString redirect,
      @Nullable String redirectText,
      @Nullable MacroString exp,
      @Nullable SpfProblem problem,
      @Nullable String problemDetail,
      @Nullable ReportModifiers report) {
    this.directives = directives;
    this.report = report;
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
    return new SpfRecord(new Directive[0], null, null, null, problem, detail, null);
  }

  static SpfRecord parse(String txt) throws SpfSyntaxException {
    List<Directive> directives = new ArrayList<>();
    MacroString redirect = null;
    String redirectText = null;
    MacroString exp = null;
    String ra = null;
    String rp = null;
    String rr = null;
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
          // RFC 6652 §3; the first of each counts, as a repeated unknown modifier is no error
          String value = txt.substring(eq + 1, end);
          if (name.equalsIgnoreCase("ra") && ra == null) {
            ra = value;
          } else if (name.equalsIgnoreCase("rp") && rp == null) {
            rp = value;
          } else if (name.equalsIgnoreCase("rr") && rr == null) {
            rr = value;
          }
        }
      } else {
        directives.add(parseDirective(txt, i, end));
      }
      i = end;
    }
    return new SpfRecord(
        directives.toArray(new Directive[0]),
        redirect,
        redirectText,
        exp,
        null,
        null,
        reportModifiers(ra, rp, rr));
  }

  /** Longest local-part of a mail address (RFC 5321 §4.5.3.1.1). */
  private static final int MAX_LOCAL_PART = 64;

  /**
   * The RFC 6652 request made of the three modifier values; {@code null} without a usable {@code
   * ra=} (a dot-atom local-part, RFC 5322 §3.2.3, of at most 64 characters), since {@code rp=} and
   * {@code rr=} mean nothing without it. An unusable {@code rp=} or {@code rr=} falls back to its
   * default.
   */
  static @Nullable ReportModifiers reportModifiers(
      @Nullable String ra, @Nullable String rp, @Nullable String rr) {
    if (ra == null || !isDotAtom(ra) || ra.length() > MAX_LOCAL_PART) {
      return null;
    }
    return new ReportModifiers(ra, percentage(rp), requestedResults(rr));
  }

  /** {@code rp=}: 1 to 3 digits, at most 100 (RFC 6652 §3); 100 otherwise. */
  private static int percentage(@Nullable String rp) {
    if (rp == null || rp.isEmpty() || rp.length() > 3) {
      return 100;
    }
    int v = 0;
    for (int k = 0; k < rp.length(); k++) {
      char c = rp.charAt(k);
      if (c < '0' || c > '9') {
        return 100;
      }
      v = v * 10 + (c - '0');
    }
    return v <= 100 ? v : 100;
  }

  /**
   * {@code rr=}: {@code all} or a colon-separated list of {@code e} (permerror), {@code f} (fail),
   * {@code s} (softfail), {@code n} (neutral), case-insensitive (RFC 6652 §3). Unknown words are
   * skipped; a value with no known word means every failure result.
   */
  private static Set<SpfResult> requestedResults(@Nullable String rr) {
    if (rr == null) {
      return SpfReportRequest.ALL_RESULTS;
    }
    Set<SpfResult> out = EnumSet.noneOf(SpfResult.class);
    for (String w : rr.split(":", -1)) {
      switch (w.toLowerCase(Locale.ROOT)) {
        case "all" -> out.addAll(SpfReportRequest.ALL_RESULTS);
        case "e" -> out.add(SpfResult.PERMERROR);
        case "f" -> out.add(SpfResult.FAIL);
        case "s" -> out.add(SpfResult.SOFTFAIL);
        case "n" -> out.add(SpfResult.NEUTRAL);
        default -> {
          // an unknown report type is skipped
        }
      }
    }
    return out.isEmpty() ? SpfReportRequest.ALL_RESULTS : Set.copyOf(out);
  }

  /** True if {@code s} is a dot-atom: atext runs separated by single dots (RFC 5322 §3.2.3). */
  private static boolean isDotAtom(String s) {
    if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.') {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '.') {
        if (s.charAt(k - 1) == '.') {
          return false;
        }
      } else if (!isAtext(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * atext (RFC 5322 §3.2.3) without {@code %} and {@code ?}, which would need escaping in the
   * {@code mailto:} URI the report goes to; such an {@code ra=} is not honoured.
   */
  private static boolean isAtext(char c) {
    return isAlpha(c) || (c >= '0' && c <= '9') || "!#$&'*+-/=^_`{|}~".indexOf(c) >= 0;
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
