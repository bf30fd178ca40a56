// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * The work of one {@link Redactor#apply}: finds the local parts of mail addresses in text, replaces
 * them by their tokens, and remembers each local part it saw, so that the same local part standing
 * alone elsewhere in the original message (a {@code Delivered-To: john}, a greeting) is replaced
 * too. Not thread-safe; one per report.
 *
 * <p>Addresses are found around each {@code @}: the local part is the run of atoms (RFC 5322 §3.2.3
 * {@code atext}, with non-ASCII characters as RFC 6532 §3.2 allows), dots and quoted strings right
 * before it, optionally followed by spaces. Text is read left to right in one pass, so the cost is
 * linear in its length; a quoted string longer than {@value #QUOTED_MAX} characters is not taken as
 * one (a local part has at most 64 octets, RFC 5321 §4.5.3.1.1), and its text is searched like any
 * other.
 *
 * <p>(Over 500 lines on purpose: the address scanner for every form a local part takes in a header,
 * quoted, encoded or folded, kept in one place so that what it sees and what it replaces cannot
 * drift apart.)
 */
final class Redaction {
  /** Longest quoted string taken as one: longer display names are read as plain text. */
  static final int QUOTED_MAX = 512;

  /** Shortest local part replaced where it stands alone (shorter ones are common words). */
  static final int STANDALONE_MIN = 3;

  private static final Pattern TOKEN = Pattern.compile("redacted-[a-z2-7]{16}");

  /**
   * Keys whose value is an address: {@code smtp.mailfrom=} (RFC 8601 §2.3), DKIM's {@code i=} (RFC
   * 6376 §3.5), {@code envelope-from=} (RFC 7208 §9.1). Before an {@code =}, these are not part of
   * the local part.
   */
  private static final Pattern KEY =
      Pattern.compile("(?i)(?:(?:smtp|header|body|policy)\\.[a-z0-9_-]+|i|envelope-from)");

  private static final Pattern URI_SCHEME = Pattern.compile("(?i)\\bhttp(s?)://");

  private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

  private final @Nullable Mac mac;
  private final boolean defang;

  /** Local part (normalised: unquoted, lower case) to its token. */
  private final Map<String, String> known = new HashMap<>();

  Redaction(@Nullable Mac mac, boolean defang) {
    this.mac = mac;
    this.defang = defang;
  }

  /** {@return the token of {@code localPart}: {@code redacted-} and 16 base32 characters} */
  static String token(Mac mac, String localPart) {
    byte[] h = mac.doFinal(normalize(localPart).getBytes(StandardCharsets.UTF_8));
    StringBuilder b = new StringBuilder("redacted-");
    // 10 bytes = 80 bits = 16 base32 characters, no padding (RFC 4648 §6, lower case).
    long hi = 0;
    for (int k = 0; k < 5; k++) {
      hi = hi << 8 | (h[k] & 0xFF);
    }
    long lo = 0;
    for (int k = 5; k < 10; k++) {
      lo = lo << 8 | (h[k] & 0xFF);
    }
    for (int k = 7; k >= 0; k--) {
      b.append(BASE32[(int) (hi >>> (5 * k)) & 31]);
    }
    for (int k = 7; k >= 0; k--) {
      b.append(BASE32[(int) (lo >>> (5 * k)) & 31]);
    }
    return b.toString();
  }

  /** {@return {@code local} unquoted (RFC 5322 §3.2.4) and in lower case} */
  static String normalize(String local) {
    String s = local;
    if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
      StringBuilder b = new StringBuilder(s.length());
      for (int k = 1; k < s.length() - 1; k++) {
        char c = s.charAt(k);
        if (c == '\\' && k + 1 < s.length() - 1) {
          c = s.charAt(++k);
        }
        b.append(c);
      }
      s = b.toString();
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /** {@return whether {@code s} is already a token} */
  static boolean isToken(String s) {
    return TOKEN.matcher(s).matches();
  }

  /** {@return whether redaction is on (a key was given)} */
  boolean redacts() {
    return mac != null;
  }

  private String tokenFor(String local) {
    String norm = normalize(local);
    String t = known.get(norm);
    if (t == null) {
      t = token(requireMac(), local);
      known.put(norm, t);
    }
    return t;
  }

  private Mac requireMac() {
    if (mac == null) {
      throw new IllegalStateException("not redacting");
    }
    return mac;
  }

  /**
   * {@return an SMTP envelope address with its local part replaced; an address without {@code @} is
   * all local part}
   */
  String envelopeAddress(String address) {
    if (mac == null || address.isEmpty()) {
      return address;
    }
    if (address.indexOf('@') < 0) {
      return isToken(address) ? address : tokenFor(address);
    }
    return addresses(address);
  }

  /** {@return {@code text} with the local part of every address in it replaced} */
  String addresses(String text) {
    if (mac == null || text.indexOf('@') < 0 && text.indexOf("%40") < 0) {
      return text;
    }
    return addresses(text, false);
  }

  /**
   * One left-to-right pass: cuts {@code s} into atoms, quoted strings, {@code @} and other
   * characters, replaces the local part before each {@code @}, and searches quoted strings that are
   * not local parts (display names) on their own.
   */
  private String addresses(String s, boolean quotesAsText) {
    int n = s.length();
    // Tokens as (start, end, kind) triples; kinds below.
    List<int[]> tokens = new ArrayList<>();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"' && !quotesAsText) {
        int close = closingQuote(s, i);
        if (close > 0) {
          tokens.add(new int[] {i, close + 1, QUOTED});
          i = close + 1;
          continue;
        }
        tokens.add(new int[] {i, i + 1, OTHER});
        i++;
      } else if (isPercentAt(s, i)) {
        tokens.add(new int[] {i, i + 3, AT});
        i += 3;
      } else if (isAtext(c) || c == '.') {
        int j = i + 1;
        while (j < n && (isAtext(s.charAt(j)) || s.charAt(j) == '.') && !isPercentAt(s, j)) {
          j++;
        }
        tokens.add(new int[] {i, j, ATOM});
        i = j;
      } else if (c == '@') {
        tokens.add(new int[] {i, i + 1, AT});
        i++;
      } else if (isSpace(c)) {
        int j = i + 1;
        while (j < n && isSpace(s.charAt(j))) {
          j++;
        }
        tokens.add(new int[] {i, j, SPACE});
        i = j;
      } else {
        int j = i + 1;
        while (j < n && isOther(s, j)) {
          j++;
        }
        tokens.add(new int[] {i, j, OTHER});
        i = j;
      }
    }
    StringBuilder out = new StringBuilder(n + 16);
    int copied = 0;
    boolean[] isLocal = new boolean[tokens.size()];
    // Local parts: the atoms and quoted strings right before an @ (spaces between allowed).
    List<int[]> spans = new ArrayList<>();
    for (int t = 0; t < tokens.size(); t++) {
      if (tokens.get(t)[2] != AT) {
        continue;
      }
      int last = t - 1;
      if (last >= 0 && tokens.get(last)[2] == SPACE) {
        last--;
      }
      int first = last + 1;
      while (first - 1 >= 0
          && (tokens.get(first - 1)[2] == ATOM || tokens.get(first - 1)[2] == QUOTED)) {
        first--;
      }
      if (first > last) {
        continue;
      }
      int start = tokens.get(first)[0];
      int end = tokens.get(last)[1];
      boolean percent = tokens.get(t)[1] - tokens.get(t)[0] == 3;
      if (tokens.get(first)[2] == ATOM && (percent || s.startsWith("//", start))) {
        // In a URI (//host/path?x=local@..., or any %40): the local part follows the last
        // delimiter of RFC 3986 §2.2 that may precede it.
        int cut = end;
        while (cut > start && "/?&=#;".indexOf(s.charAt(cut - 1)) < 0) {
          cut--;
        }
        if (cut == end) {
          continue; // a delimiter right before the @: no local part
        }
        start = Math.max(start, cut);
      } else if (tokens.get(first)[2] == ATOM) {
        // ptype.property=local@domain and the like: the key is not part of the local part.
        int eq = start;
        int atomEnd = tokens.get(first)[1];
        while (eq < atomEnd && s.charAt(eq) != '=') {
          eq++;
        }
        if (eq > start && eq < atomEnd && KEY.matcher(s.substring(start, eq)).matches()) {
          if (eq + 1 >= end) {
            continue; // header.i=@example.com: no local part
          }
          start = eq + 1;
        }
      }
      for (int k = first; k <= last; k++) {
        isLocal[k] = true;
      }
      spans.add(new int[] {start, end});
    }
    int nextSpan = 0;
    for (int t = 0; t < tokens.size(); t++) {
      int[] tok = tokens.get(t);
      while (nextSpan < spans.size() && spans.get(nextSpan)[0] < tok[1]) {
        int[] span = spans.get(nextSpan++);
        String local = s.substring(span[0], span[1]);
        out.append(s, copied, span[0]);
        out.append(isToken(local) ? local : tokenFor(local));
        copied = span[1];
      }
      if (tok[2] == QUOTED && !isLocal[t] && tok[0] >= copied) {
        String inner = s.substring(tok[0] + 1, tok[1] - 1);
        if (inner.indexOf('@') >= 0 || inner.contains("%40")) {
          out.append(s, copied, tok[0] + 1);
          out.append(addresses(inner, true));
          copied = tok[1] - 1;
        }
      }
    }
    out.append(s, copied, n);
    return out.toString();
  }

  private static final int ATOM = 0;
  private static final int QUOTED = 1;
  private static final int AT = 2;
  private static final int SPACE = 3;
  private static final int OTHER = 4;

  /** {@return whether {@code s[i]} starts no token of its own: the rest of an OTHER run} */
  private static boolean isOther(String s, int i) {
    char c = s.charAt(i);
    return c != '"' && c != '@' && c != '.' && !isAtext(c) && !isSpace(c) && !isPercentAt(s, i);
  }

  /**
   * {@return whether a percent-encoded {@code @} ({@code %40}, RFC 3986 §2.1) starts at {@code i}}
   */
  private static boolean isPercentAt(String s, int i) {
    return s.charAt(i) == '%'
        && i + 2 < s.length()
        && s.charAt(i + 1) == '4'
        && s.charAt(i + 2) == '0';
  }

  /**
   * White space, line breaks included: a folded line may separate a local part from its {@code @}.
   */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** {@return the index of the quote that closes the one at {@code open}, or -1} */
  private static int closingQuote(String s, int open) {
    int limit = Math.min(s.length(), open + QUOTED_MAX);
    for (int j = open + 1; j < limit; j++) {
      char c = s.charAt(j);
      if (c == '\\') {
        j++;
      } else if (c == '"') {
        return j;
      }
    }
    return -1;
  }

  /**
   * {@return whether {@code c} may appear in an atom: RFC 5322 §3.2.3 {@code atext}, or any
   * non-ASCII character (RFC 6532 §3.2 {@code UTF8-non-ascii})}
   */
  static boolean isAtext(char c) {
    if (c >= 0x80) {
      return true;
    }
    if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
      return true;
    }
    return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }

  /** Characters that end a word when looking for a local part standing alone. */
  private static boolean isWordChar(char c) {
    return (isAtext(c) || c == '.') && "=/?&#%".indexOf(c) < 0;
  }

  /**
   * {@return {@code text} with every word equal (ignoring case) to a local part seen so far
   * replaced by its token; words next to an {@code @} and words shorter than {@value
   * #STANDALONE_MIN} are left}
   */
  String standalone(String text) {
    if (mac == null || known.isEmpty()) {
      return text;
    }
    int n = text.length();
    StringBuilder out = null;
    int copied = 0;
    int i = 0;
    while (i < n) {
      if (!isWordChar(text.charAt(i))) {
        i++;
        continue;
      }
      int j = i;
      while (j < n && isWordChar(text.charAt(j))) {
        j++;
      }
      int a = i;
      int b = j;
      while (a < b && text.charAt(a) == '.') {
        a++;
      }
      while (b > a && text.charAt(b - 1) == '.') {
        b--;
      }
      boolean nearAt = i > 0 && text.charAt(i - 1) == '@' || j < n && text.charAt(j) == '@';
      if (b - a >= STANDALONE_MIN && !nearAt) {
        String t = known.get(text.substring(a, b).toLowerCase(Locale.ROOT));
        if (t != null) {
          if (out == null) {
            out = new StringBuilder(n + 16);
          }
          out.append(text, copied, a).append(t);
          copied = b;
        }
      }
      i = j;
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  /** {@return {@code text} with {@code http://} and {@code https://} defanged, if asked} */
  String defang(String text) {
    if (!defang || text.length() < 7) {
      return text;
    }
    return URI_SCHEME.matcher(text).replaceAll("hxxp$1://");
  }

  /** {@return a field value or other text of the original message, redacted and defanged} */
  String originalText(String value, boolean latin1View) {
    String r = standalone(addresses(value));
    if (mac != null && r.indexOf("=?") >= 0) {
      String decoded = EncodedWords.decode(r, latin1View);
      if (!decoded.equals(r)) {
        String redacted = standalone(addresses(decoded));
        if (!redacted.equals(decoded)) {
          // An address inside an encoded-word: the value goes out decoded (UTF-8, RFC 6532).
          r = redacted;
        }
      }
    }
    return defang(r);
  }

  /** {@return the header section {@code raw}, each field value redacted} */
  byte[] header(byte[] raw) {
    View v = View.of(raw);
    String s = v.text;
    StringBuilder out = new StringBuilder(s.length() + 64);
    int n = s.length();
    int i = 0;
    while (i < n) {
      int lineEnd = lineEnd(s, i);
      if (lineEnd == i || isBreak(s.charAt(i))) {
        // an empty line: kept as it is
        int next = afterBreak(s, i);
        out.append(s, i, next);
        i = next;
        continue;
      }
      int fieldEnd = afterBreak(s, lineEnd);
      while (fieldEnd < n && (s.charAt(fieldEnd) == ' ' || s.charAt(fieldEnd) == '\t')) {
        fieldEnd = afterBreak(s, lineEnd(s, fieldEnd));
      }
      int colon = nameEnd(s, i, lineEnd);
      if (colon > i) {
        out.append(s, i, colon + 1);
        out.append(originalText(s.substring(colon + 1, fieldEnd), !v.utf8));
      } else {
        out.append(originalText(s.substring(i, fieldEnd), !v.utf8));
      }
      i = fieldEnd;
    }
    return v.encode(out.toString());
  }

  /** {@return the body {@code raw}, its text redacted} */
  byte[] body(byte[] raw) {
    View v = View.of(raw);
    return v.encode(defang(standalone(addresses(v.text))));
  }

  /** {@return the index of the colon ending a field name on the line {@code s[from, to)}, or -1} */
  private static int nameEnd(String s, int from, int to) {
    for (int k = from; k < to; k++) {
      char c = s.charAt(k);
      if (c == ':') {
        return k > from ? k : -1;
      }
      if (c <= ' ' || c > '~') {
        return -1;
      }
    }
    return -1;
  }

  private static boolean isBreak(char c) {
    return c == '\r' || c == '\n';
  }

  /** {@return the index of the line break at or after {@code from}, or the end} */
  private static int lineEnd(String s, int from) {
    int k = from;
    while (k < s.length() && !isBreak(s.charAt(k))) {
      k++;
    }
    return k;
  }

  /** {@return the index after the line break at {@code at} (CRLF, LF or CR), or {@code at}} */
  private static int afterBreak(String s, int at) {
    if (at >= s.length()) {
      return at;
    }
    if (s.charAt(at) == '\r') {
      return at + 1 < s.length() && s.charAt(at + 1) == '\n' ? at + 2 : at + 1;
    }
    return s.charAt(at) == '\n' ? at + 1 : at;
  }

  /**
   * Bytes of the original message as text: UTF-8 when they are valid UTF-8 (RFC 6532), otherwise
   * ISO-8859-1, which keeps every byte as one character and writes it back unchanged.
   */
  static final class View {
    final boolean utf8;
    final String text;

    private View(boolean utf8, String text) {
      this.utf8 = utf8;
      this.text = text;
    }

    static View of(byte[] raw) {
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw))
                .toString();
        return new View(true, s);
      } catch (CharacterCodingException e) {
        return new View(false, new String(raw, StandardCharsets.ISO_8859_1));
      }
    }

    byte[] encode(String s) {
      return s.getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }
  }
}
