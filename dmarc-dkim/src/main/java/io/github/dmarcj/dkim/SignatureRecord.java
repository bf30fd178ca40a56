// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.result.DkimReason;
import java.net.IDN;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One parsed DKIM-Signature field (RFC 6376 §3.2, §3.5 and §6.1.1). Built by {@link #parse}; a
 * field that cannot be used carries its {@link #error} and whatever identifying tags could be read.
 */
final class SignatureRecord {
  /**
   * The two fields verified this way: a DKIM-Signature (RFC 6376 §3.5) and an ARC-Message-Signature
   * (RFC 8617 §4.1.2), which has the same tags except that {@code i=} is the ARC instance (not an
   * AUID), there is no {@code v=}, and {@code h=} must not list ARC-Seal.
   */
  enum Kind {
    DKIM("DKIM-Signature"),
    AMS("ARC-Message-Signature");

    private final String fieldName;

    Kind(String fieldName) {
      this.fieldName = fieldName;
    }

    String fieldName() {
      return fieldName;
    }
  }

  final HeaderField field;
  final int index;
  @Nullable DkimReason error;

  String domainRaw = "";
  String domain = "";
  String selector = "";
  String algorithmText = "";
  @Nullable String identity;
  String bText = "";

  @Nullable DkimAlgorithm algorithm;
  @Nullable DkimCanonicalization headerCanon = DkimCanonicalization.SIMPLE;
  @Nullable DkimCanonicalization bodyCanon = DkimCanonicalization.SIMPLE;
  List<String> signedHeaders = List.of();
  long bodyLength = -1;
  long timestamp = -1;
  long expiry = -1;
  byte @Nullable [] signature;
  byte @Nullable [] bodyHash;

  /** Offsets in the field's raw bytes of the b= value (after "b=", up to ";" or field end). */
  int bValueStart = -1;

  int bValueEnd = -1;

  private SignatureRecord(HeaderField field, int index) {
    this.field = field;
    this.index = index;
  }

  /** The first 12 characters of b= without whitespace (RFC 6008 header.b). */
  String signaturePrefix() {
    StringBuilder sb = new StringBuilder(12);
    for (int i = 0; i < bText.length() && sb.length() < 12; i++) {
      char c = bText.charAt(i);
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** The domain part of i= (lower case), or d= when i= is absent. */
  String identityDomain() {
    if (identity == null) {
      return domain;
    }
    int at = identity.lastIndexOf('@');
    return identity.substring(at + 1).toLowerCase(Locale.ROOT);
  }

  static SignatureRecord parse(HeaderField field, int index, Limits limits) {
    return parse(field, index, limits, Kind.DKIM);
  }

  static SignatureRecord parse(HeaderField field, int index, Limits limits, Kind kind) {
    SignatureRecord s = new SignatureRecord(field, index);
    if (field.rawLength() > limits.maxSignatureFieldBytes) {
      s.error = DkimReason.SIGNATURE_FIELD_TOO_LARGE;
      return s;
    }
    byte[] raw = field.raw();
    int valueEnd = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
    int[] bRange = {-1, -1};
    TagList tags = TagList.parse(raw, field.valueOffset(), valueEnd, bRange);
    if (tags == null) {
      s.error = DkimReason.SYNTAX;
      return s;
    }
    // Identifying tags first, so that even a failing result names its signer.
    s.domainRaw = orEmpty(tags.value("d"));
    s.domain = s.domainRaw.toLowerCase(Locale.ROOT);
    s.selector = orEmpty(tags.value("s"));
    s.algorithmText = orEmpty(tags.value("a"));
    s.bText = orEmpty(tags.value("b"));
    s.error = kind == Kind.AMS ? s.validateAms(tags, limits) : s.validate(tags, limits);
    s.bValueStart = bRange[0];
    s.bValueEnd = bRange[1];
    return s;
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  // NullAway: b=, bh= and h= are among the required tags checked first, so value() has them.
  @SuppressWarnings("NullAway")
  private @Nullable DkimReason validate(TagList tags, Limits limits) {
    for (String required : new String[] {"v", "a", "b", "bh", "d", "h", "s"}) {
      if (!tags.has(required)) {
        return DkimReason.MISSING_TAG;
      }
    }
    if (!"1".equals(tags.value("v"))) {
      return DkimReason.UNSUPPORTED_VERSION;
    }
    DkimReason signer = signerTags(tags, limits);
    if (signer != null) {
      return signer;
    }
    List<String> names = new ArrayList<>();
    for (String name : tags.value("h").split(":", -1)) {
      String t = name.strip();
      if (t.isEmpty() || !validFieldName(t)) {
        return DkimReason.SYNTAX;
      }
      names.add(t);
      if (names.size() > limits.maxSignedHeaders) {
        return DkimReason.TOO_MANY_SIGNED_HEADERS;
      }
    }
    signedHeaders = List.copyOf(names);
    if (limits.requireFromSigned && names.stream().noneMatch(n -> n.equalsIgnoreCase("from"))) {
      return DkimReason.FROM_NOT_SIGNED;
    }
    String i = tags.value("i");
    if (i != null) {
      identity = qpDecode(i);
      int at = identity.lastIndexOf('@');
      if (at < 0) {
        return DkimReason.SYNTAX;
      }
      String idDomain = identity.substring(at + 1).toLowerCase(Locale.ROOT);
      if (idDomain.endsWith(".")) {
        idDomain = idDomain.substring(0, idDomain.length() - 1);
      }
      String d = domainRaw.toLowerCase(Locale.ROOT);
      if (d.endsWith(".")) {
        d = d.substring(0, d.length() - 1);
      }
      if (!(idDomain.equals(d) || idDomain.endsWith("." + d))) {
        return DkimReason.IDENTITY_MISMATCH;
      }
    }
    return optionalTags(tags);
  }

  /**
   * {@code a=}, {@code b=}, {@code bh=}, {@code c=}, {@code d=} and {@code s=}, the same for both
   * kinds; {@code null} when they are usable.
   */
  // NullAway: b= and bh= are among the required tags checked first, so value() has them.
  @SuppressWarnings("NullAway")
  private @Nullable DkimReason signerTags(TagList tags, Limits limits) {
    algorithm = DkimAlgorithm.fromKeyword(algorithmText.toLowerCase(Locale.ROOT)).orElse(null);
    if (algorithm == null) {
      return DkimReason.UNSUPPORTED_ALGORITHM;
    }
    if (algorithm == DkimAlgorithm.RSA_SHA1 && !limits.allowRsaSha1) {
      return DkimReason.RSA_SHA1_REFUSED;
    }
    signature = base64(tags.value("b"));
    bodyHash = base64(tags.value("bh"));
    if (signature == null || signature.length == 0 || bodyHash == null || bodyHash.length == 0) {
      return DkimReason.SYNTAX;
    }
    String c = tags.value("c");
    if (c != null) {
      int slash = c.indexOf('/');
      String hc = slash < 0 ? c : c.substring(0, slash);
      String bc = slash < 0 ? "simple" : c.substring(slash + 1);
      headerCanon = DkimCanonicalization.fromKeyword(hc.toLowerCase(Locale.ROOT)).orElse(null);
      bodyCanon = DkimCanonicalization.fromKeyword(bc.toLowerCase(Locale.ROOT)).orElse(null);
      if (headerCanon == null || bodyCanon == null) {
        return DkimReason.UNSUPPORTED_CANONICALIZATION;
      }
    }
    if (!validDomain(domain)) {
      return DkimReason.SYNTAX;
    }
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (!isAscii(domain)) {
      try {
        domain = IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
      } catch (IllegalArgumentException e) {
        return DkimReason.SYNTAX;
      }
      // Nameprep maps U+00A0 and other spaces to a plain space: check the name that is used.
      if (!validDomain(domain)) {
        return DkimReason.SYNTAX;
      }
    }
    if (!validSelector(selector)) {
      return DkimReason.SYNTAX;
    }
    return null;
  }

  /** {@code l=}, {@code q=}, {@code t=} and {@code x=}, the same for both kinds. */
  private @Nullable DkimReason optionalTags(TagList tags) {
    String l = tags.value("l");
    if (l != null) {
      bodyLength = parseNumber(l, 76);
      if (bodyLength == -2) {
        return DkimReason.SYNTAX;
      }
    }
    String q = tags.value("q");
    if (q != null) {
      boolean dnsTxt = false;
      for (String m : q.split(":", -1)) {
        if (m.strip().equalsIgnoreCase("dns/txt")) {
          dnsTxt = true;
        }
      }
      if (!dnsTxt) {
        return DkimReason.UNSUPPORTED_QUERY_METHOD;
      }
    }
    String t = tags.value("t");
    if (t != null) {
      timestamp = parseNumber(t, 18);
      if (timestamp == -2) {
        return DkimReason.SYNTAX;
      }
    }
    String x = tags.value("x");
    if (x != null) {
      expiry = parseNumber(x, 18);
      if (expiry == -2) {
        return DkimReason.SYNTAX;
      }
      if (timestamp >= 0 && expiry <= timestamp) {
        return DkimReason.EXPIRY_BEFORE_TIMESTAMP;
      }
    }
    return null;
  }

  /**
   * RFC 8617 §4.1.2: the DKIM-Signature rules with {@code i=} (the instance) required instead of
   * {@code v=}, {@code h=} possibly empty (empty names are skipped) but never listing ARC-Seal, and
   * no need to sign From.
   */
  // NullAway: h= is among the required tags checked first.
  @SuppressWarnings("NullAway")
  private @Nullable DkimReason validateAms(TagList tags, Limits limits) {
    for (String required : new String[] {"i", "a", "b", "bh", "d", "h", "s"}) {
      if (!tags.has(required)) {
        return DkimReason.MISSING_TAG;
      }
    }
    List<String> names = new ArrayList<>();
    for (String name : tags.value("h").split(":", -1)) {
      String t = name.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (!validFieldName(t)) {
        return DkimReason.SYNTAX;
      }
      if (t.equalsIgnoreCase("ARC-Seal")) {
        return DkimReason.ARC_SEAL_SIGNED;
      }
      names.add(t);
      if (names.size() > limits.maxSignedHeaders) {
        return DkimReason.TOO_MANY_SIGNED_HEADERS;
      }
    }
    // The rest is DKIM's: the same tags, checked the same way, with this h= and no i= as AUID.
    DkimReason signer = signerTags(tags, limits);
    if (signer != null) {
      return signer;
    }
    signedHeaders = List.copyOf(names);
    return optionalTags(tags);
  }

  /** Digits only, at most {@code maxDigits}; huge values saturate. -2 for a syntax error. */
  static long parseNumber(String s, int maxDigits) {
    if (s.isEmpty() || s.length() > maxDigits) {
      return -2;
    }
    long v = 0;
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -2;
      }
      if (v > (Long.MAX_VALUE - 9) / 10) {
        v = Long.MAX_VALUE;
      } else {
        v = v * 10 + (c - '0');
      }
    }
    return v;
  }

  static byte @Nullable [] base64(String value) {
    String s = TagList.stripWhitespace(value);
    try {
      return Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** dkim-quoted-printable (RFC 6376 §2.11): =XX hex escapes; whitespace removed. */
  static String qpDecode(String s) {
    String t = TagList.stripWhitespace(s);
    if (t.indexOf('=') < 0) {
      return t;
    }
    // Octets first, then text: =C3=A9 is one UTF-8 character (RFC 8616 §4), not two.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(t.length());
    for (int k = 0; k < t.length(); k++) {
      char c = t.charAt(k);
      if (c == '='
          && k + 2 < t.length()
          && hex(t.charAt(k + 1)) >= 0
          && hex(t.charAt(k + 2)) >= 0) {
        out.write(hex(t.charAt(k + 1)) * 16 + hex(t.charAt(k + 2)));
        k += 2;
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int cp = t.codePointAt(k);
        out.writeBytes(
            new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        k += Character.charCount(cp) - 1;
      }
    }
    byte[] b = out.toByteArray();
    return TagList.utf8OrLatin1(b, 0, b.length);
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static boolean isAscii(String s) {
    for (int k = 0; k < s.length(); k++) {
      if (s.charAt(k) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  static boolean validDomain(String d) {
    if (d.isEmpty() || d.length() > 254 || d.startsWith(".") || d.contains("..")) {
      return false;
    }
    for (int k = 0; k < d.length(); k++) {
      char c = d.charAt(k);
      if (c <= ' ' || c == ';' || c == '@' || c == '/' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  static boolean validSelector(String s) {
    if (s.isEmpty()
        || s.length() > 253
        || s.startsWith(".")
        || s.endsWith(".")
        || s.contains("..")) {
      return false;
    }
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_'
              || c == '.'
              || c > 0x7F;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean validFieldName(String n) {
    for (int k = 0; k < n.length(); k++) {
      char c = n.charAt(k);
      if (c < 0x21 || c > 0x7E || c == ':') {
        return false;
      }
    }
    return true;
  }
}
