// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dmarc.RecordProblem.Kind;
import io.github.dmarcj.domain.DomainName;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/** DMARC URI syntax: RFC 3986 URIs, commas and "!" percent-encoded, optional 7489 size. */
final class ReportUris {
  private ReportUris() {}

  interface Problems {
    void add(Kind kind, String tag, String detail);
  }

  /** Parses one list entry; null (with a problem) if it is to be ignored. */
  static @Nullable ReportUri parse(String text, String tag, Problems problems) {
    String uri = text;
    OptionalLong size = OptionalLong.empty();
    int bang = text.indexOf('!');
    if (bang >= 0) {
      uri = text.substring(0, bang);
      String suffix = text.substring(bang + 1);
      if (!suffix.matches("[0-9]+[kKmMgGtT]?")) {
        problems.add(Kind.INVALID_URI, tag, "bad size suffix in \"" + text + "\"");
        return null;
      }
      char last = suffix.charAt(suffix.length() - 1);
      boolean unit = !Character.isDigit(last);
      size =
          RecordParsing.size(
              unit ? suffix.substring(0, suffix.length() - 1) : suffix, unit ? last : (char) 0);
      if (size.isEmpty()) {
        problems.add(Kind.INVALID_URI, tag, "size suffix too large in \"" + text + "\"");
        return null;
      }
      problems.add(
          Kind.OBSOLETE_SIZE_SUFFIX, tag, "size suffix !" + suffix + " is ignored by RFC 9989");
    }
    int colon = uri.indexOf(':');
    if (colon <= 0 || colon == uri.length() - 1 || !schemeChars(uri.substring(0, colon))) {
      problems.add(Kind.INVALID_URI, tag, "not a URI: \"" + text + "\"");
      return null;
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "-._~:/?#[]@$&'()*+;=%".indexOf(c) >= 0;
      if (!ok) {
        problems.add(Kind.INVALID_URI, tag, "character not allowed in a URI: \"" + text + "\"");
        return null;
      }
      if (c == '%'
          && (i + 2 >= uri.length() || !isHex(uri.charAt(i + 1)) || !isHex(uri.charAt(i + 2)))) {
        problems.add(Kind.INVALID_URI, tag, "bad percent-encoding in \"" + text + "\"");
        return null;
      }
    }
    String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
    if (!RecordParsing.isUriScheme(scheme)) {
      problems.add(
          Kind.UNSUPPORTED_URI_SCHEME, tag, "unsupported URI scheme " + scheme + " ignored");
      return null;
    }
    ReportUri result = new ReportUri(uri, scheme, size);
    if (result.host().isEmpty()) {
      problems.add(Kind.INVALID_URI, tag, "no usable address or host in \"" + text + "\"");
      return null;
    }
    return result;
  }

  private static boolean schemeChars(String s) {
    if (!Character.isLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) && c < 0x80) && c != '+' && c != '-' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  static Optional<String> mailbox(ReportUri uri) {
    if (!uri.isMailto()) {
      return Optional.empty();
    }
    String rest = uri.uri().substring(uri.uri().indexOf(':') + 1);
    int q = rest.indexOf('?');
    if (q >= 0) {
      rest = rest.substring(0, q);
    }
    String decoded = percentDecode(rest);
    if (decoded == null) {
      return Optional.empty();
    }
    int at = decoded.lastIndexOf('@');
    if (at <= 0 || at == decoded.length() - 1 || decoded.indexOf(',') >= 0) {
      return Optional.empty();
    }
    return Optional.of(decoded);
  }

  static Optional<String> host(ReportUri uri) {
    String host;
    if (uri.isMailto()) {
      Optional<String> box = mailbox(uri);
      if (box.isEmpty()) {
        return Optional.empty();
      }
      host = box.get().substring(box.get().lastIndexOf('@') + 1);
    } else {
      String rest = uri.uri().substring(uri.uri().indexOf(':') + 1);
      if (!rest.startsWith("//")) {
        return Optional.empty();
      }
      rest = rest.substring(2);
      int end = rest.length();
      for (char c : new char[] {'/', '?', '#'}) {
        int i = rest.indexOf(c);
        if (i >= 0 && i < end) {
          end = i;
        }
      }
      host = rest.substring(0, end);
      int at = host.lastIndexOf('@');
      if (at >= 0) {
        host = host.substring(at + 1);
      }
      if (host.startsWith("[")) {
        return Optional.empty();
      }
      int colon = host.indexOf(':');
      if (colon >= 0) {
        host = host.substring(0, colon);
      }
      host = percentDecode(host);
      if (host == null) {
        return Optional.empty();
      }
    }
    return DomainName.parse(host).map(DomainName::name);
  }

  private static @Nullable String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          return null;
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
