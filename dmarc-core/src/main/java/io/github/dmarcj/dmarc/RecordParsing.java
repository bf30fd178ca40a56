// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dmarc.RecordProblem.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The record grammar of RFC 9989 §4.8 and RFC 7489 §6.4, applied leniently (§4.7 last para). */
final class RecordParsing {
  private RecordParsing() {}

  private static final Set<String> URI_SCHEMES = Set.of("mailto", "https", "http");

  static boolean startsWithVersion(String text) {
    String[] parts = splitFirst(trimWsp(text));
    return parts != null && parts[0].equalsIgnoreCase("v") && parts[1].equals("DMARC1");
  }

  /** {name, value} of the first tag, or null if it has no "=". */
  private static String @Nullable [] splitFirst(String text) {
    int semi = text.indexOf(';');
    String first = semi < 0 ? text : text.substring(0, semi);
    int eq = first.indexOf('=');
    if (eq < 0) {
      return null;
    }
    return new String[] {trimWsp(first.substring(0, eq)), trimWsp(first.substring(eq + 1))};
  }

  static DmarcRecordParser.Result parse(String text) {
    if (text.length() > DmarcRecordParser.MAX_RECORD_LENGTH) {
      return new DmarcRecordParser.NotDmarc(
          DmarcRecordParser.NotDmarcReason.TOO_LONG, "record of " + text.length() + " characters");
    }
    String[] first = splitFirst(trimWsp(text));
    if (first == null || !first[0].equalsIgnoreCase("v")) {
      return new DmarcRecordParser.NotDmarc(
          DmarcRecordParser.NotDmarcReason.NO_VERSION_TAG, "the first tag is not v=DMARC1");
    }
    if (!first[1].equals("DMARC1")) {
      return new DmarcRecordParser.NotDmarc(
          DmarcRecordParser.NotDmarcReason.WRONG_VERSION, "v=" + first[1]);
    }
    Builder b = new Builder(text);
    String[] parts = text.split(";", -1);
    int position = 0;
    for (int i = 1; i < parts.length; i++) {
      String part = trimWsp(parts[i]);
      if (part.isEmpty()) {
        continue;
      }
      position++;
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : trimWsp(part.substring(0, eq));
      if (eq < 0 || !isAlpha(name)) {
        b.problem(Kind.MALFORMED_TAG, "", "not a tag=value pair: \"" + part + "\"");
        continue;
      }
      String tag = name.toLowerCase(Locale.ROOT);
      String value = trimWsp(part.substring(eq + 1));
      if (position == 1 && !tag.equals("p")) {
        b.secondTag = tag;
      }
      if (value.isEmpty() || !validValueChars(value)) {
        b.problem(
            value.isEmpty() && tag.equals("p") ? Kind.INVALID_P : invalidKind(tag),
            tag,
            "empty or non-printable value for " + tag);
        b.seenInvalid(tag);
        continue;
      }
      if (!b.seen.add(tag)) {
        b.problem(Kind.DUPLICATE_TAG, tag, tag + " given more than once; the first counts");
        continue;
      }
      b.tag(tag, value);
    }
    return new DmarcRecordParser.Parsed(b.build());
  }

  private static Kind invalidKind(String tag) {
    switch (tag) {
      case "p":
        return Kind.INVALID_P;
      case "sp":
        return Kind.INVALID_SP;
      case "np":
        return Kind.INVALID_NP;
      default:
        return Kind.INVALID_VALUE;
    }
  }

  private static final class Builder {
    final String text;
    final Set<String> seen = new LinkedHashSet<>();
    final List<String> tags = new ArrayList<>();
    final List<RecordProblem> problems = new ArrayList<>();
    @Nullable String secondTag;
    Optional<DmarcPolicy> p = Optional.empty();
    Optional<DmarcPolicy> sp = Optional.empty();
    Optional<DmarcPolicy> np = Optional.empty();
    AlignmentMode adkim = AlignmentMode.RELAXED;
    AlignmentMode aspf = AlignmentMode.RELAXED;
    int pct = 100;
    List<ReportUri> rua = List.of();
    List<ReportUri> ruf = List.of();
    Set<FailureReportOption> fo = EnumSet.of(FailureReportOption.ALL_FAIL);
    List<String> rf = List.of("afrf");
    long ri = DmarcRecord.DEFAULT_REPORT_INTERVAL;
    boolean testing;
    PsdFlag psd = PsdFlag.U;

    Builder(String text) {
      this.text = text;
    }

    void problem(Kind kind, String tag, String detail) {
      problems.add(new RecordProblem(kind, tag, detail));
    }

    void seenInvalid(String tag) {
      seen.add(tag);
    }

    void tag(String tag, String value) {
      switch (tag) {
        case "v":
          problem(Kind.DUPLICATE_TAG, "v", "v given again after the start");
          return;
        case "p":
          p = policy(tag, value, Kind.INVALID_P);
          break;
        case "sp":
          sp = policy(tag, value, Kind.INVALID_SP);
          break;
        case "np":
          np = policy(tag, value, Kind.INVALID_NP);
          problem(Kind.RFC9989_ONLY_TAG, tag, "np is defined by RFC 9989 only");
          break;
        case "adkim":
          adkim = alignment(tag, value, adkim);
          break;
        case "aspf":
          aspf = alignment(tag, value, aspf);
          break;
        case "pct":
          problem(Kind.OBSOLETE_TAG, tag, "pct was removed by RFC 9989");
          if (isDigits(value, 3) && Integer.parseInt(value) <= 100) {
            pct = Integer.parseInt(value);
          } else {
            problem(Kind.INVALID_VALUE, tag, "pct must be 0..100, was \"" + value + "\"");
          }
          break;
        case "rua":
          rua = uris(tag, value);
          break;
        case "ruf":
          ruf = uris(tag, value);
          break;
        case "fo":
          fo = failureOptions(value);
          break;
        case "rf":
          problem(Kind.OBSOLETE_TAG, tag, "rf was removed by RFC 9989");
          if (value.matches("[A-Za-z0-9-]+(\\s*:\\s*[A-Za-z0-9-]+)*")) {
            List<String> formats = new ArrayList<>();
            for (String f : value.split(":")) {
              formats.add(trimWsp(f).toLowerCase(Locale.ROOT));
            }
            rf = formats;
          } else {
            problem(Kind.INVALID_VALUE, tag, "rf must be a colon-separated keyword list");
          }
          break;
        case "ri":
          problem(Kind.OBSOLETE_TAG, tag, "ri was removed by RFC 9989");
          if (isDigits(value, 10) && Long.parseLong(value) <= 0xFFFF_FFFFL) {
            ri = Long.parseLong(value);
          } else {
            problem(Kind.INVALID_VALUE, tag, "ri must be a 32-bit number, was \"" + value + "\"");
          }
          break;
        case "t":
          problem(Kind.RFC9989_ONLY_TAG, tag, "t is defined by RFC 9989 only");
          if (value.equalsIgnoreCase("y")) {
            testing = true;
          } else if (!value.equalsIgnoreCase("n")) {
            problem(Kind.INVALID_VALUE, tag, "t must be y or n, was \"" + value + "\"");
          }
          break;
        case "psd":
          problem(Kind.RFC9989_ONLY_TAG, tag, "psd is defined by RFC 9989 only");
          switch (value.toLowerCase(Locale.ROOT)) {
            case "y":
              psd = PsdFlag.Y;
              break;
            case "n":
              psd = PsdFlag.N;
              break;
            case "u":
              psd = PsdFlag.U;
              break;
            default:
              problem(Kind.INVALID_VALUE, tag, "psd must be y, n or u, was \"" + value + "\"");
          }
          break;
        default:
          problem(Kind.UNKNOWN_TAG, tag, "unknown tag " + tag + " ignored");
          return;
      }
      tags.add(tag);
    }

    private Optional<DmarcPolicy> policy(String tag, String value, Kind kind) {
      Optional<DmarcPolicy> v = DmarcPolicy.fromKeyword(value);
      if (v.isEmpty()) {
        problem(kind, tag, tag + " must be none, quarantine or reject, was \"" + value + "\"");
      }
      return v;
    }

    private AlignmentMode alignment(String tag, String value, AlignmentMode dflt) {
      if (value.equalsIgnoreCase("r")) {
        return AlignmentMode.RELAXED;
      }
      if (value.equalsIgnoreCase("s")) {
        return AlignmentMode.STRICT;
      }
      problem(Kind.INVALID_VALUE, tag, tag + " must be r or s, was \"" + value + "\"");
      return dflt;
    }

    private Set<FailureReportOption> failureOptions(String value) {
      Set<FailureReportOption> set = EnumSet.noneOf(FailureReportOption.class);
      for (String raw : value.split(":", -1)) {
        String o = trimWsp(raw).toLowerCase(Locale.ROOT);
        FailureReportOption opt = null;
        for (FailureReportOption f : FailureReportOption.values()) {
          if (f.keyword().equals(o)) {
            opt = f;
          }
        }
        if (opt == null || !set.add(opt)) {
          problem(Kind.INVALID_VALUE, "fo", "fo must combine 0, 1, d, s; was \"" + value + "\"");
          return EnumSet.of(FailureReportOption.ALL_FAIL);
        }
      }
      if (set.contains(FailureReportOption.ALL_FAIL)
          && set.contains(FailureReportOption.ANY_FAIL)) {
        problem(Kind.INVALID_VALUE, "fo", "fo options 0 and 1 exclude each other");
        return EnumSet.of(FailureReportOption.ALL_FAIL);
      }
      return set;
    }

    private List<ReportUri> uris(String tag, String value) {
      List<ReportUri> out = new ArrayList<>();
      for (String raw : value.split(",", -1)) {
        String u = trimWsp(raw);
        if (u.isEmpty()) {
          problem(Kind.INVALID_URI, tag, "empty URI in " + tag);
          continue;
        }
        ReportUri parsed = ReportUris.parse(u, tag, this::problem);
        if (parsed == null) {
          continue;
        }
        if (out.size() >= DmarcRecordParser.MAX_URIS_PER_TAG) {
          problem(
              Kind.INVALID_URI,
              tag,
              "more than " + DmarcRecordParser.MAX_URIS_PER_TAG + " URIs; the rest are ignored");
          break;
        }
        out.add(parsed);
      }
      return out;
    }

    DmarcRecord build() {
      if (!seen.contains("p")) {
        problem(Kind.MISSING_P, "p", "no p tag");
      } else if (secondTag != null) {
        problem(Kind.P_NOT_SECOND, "p", "RFC 7489 expects p right after v, found " + secondTag);
      }
      return new DmarcRecord(
          text, p, sp, np, adkim, aspf, pct, rua, ruf, fo, rf, ri, testing, psd, tags, problems);
    }
  }

  static String trimWsp(String s) {
    int a = 0;
    int b = s.length();
    while (a < b && (s.charAt(a) == ' ' || s.charAt(a) == '\t')) {
      a++;
    }
    while (b > a && (s.charAt(b - 1) == ' ' || s.charAt(b - 1) == '\t')) {
      b--;
    }
    return s.substring(a, b);
  }

  /** 1 to {@code max} ASCII digits. */
  static boolean isDigits(String s, int max) {
    if (s.isEmpty() || s.length() > max) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean validValueChars(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t') {
        continue;
      }
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** For ReportUri's size suffix: the multiplier of k/m/g/t. */
  static OptionalLong size(String digits, char unit) {
    if (digits.length() > 15) {
      return OptionalLong.empty();
    }
    long n = Long.parseLong(digits);
    int shift;
    switch (Character.toLowerCase(unit)) {
      case 0:
        shift = 0;
        break;
      case 'k':
        shift = 10;
        break;
      case 'm':
        shift = 20;
        break;
      case 'g':
        shift = 30;
        break;
      case 't':
        shift = 40;
        break;
      default:
        return OptionalLong.empty();
    }
    if (n > (Long.MAX_VALUE >> shift)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(n << shift);
  }

  static boolean isUriScheme(String scheme) {
    return URI_SCHEMES.contains(scheme);
  }
}
