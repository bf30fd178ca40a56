// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.result.DkimReason;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One parsed ARC-Seal field (RFC 8617 §4.1.3): tags {@code i, cv, a, b, d, s} and optionally {@code
 * t}; no {@code h=}, no {@code bh=} use, no {@code c=} (always relaxed header canonicalization). A
 * field that cannot be used carries its {@link #error} and whatever identifying tags could be read.
 */
final class ArcSeal {
  final HeaderField field;
  final int index;
  @Nullable DkimReason error;

  String domain = "";
  String selector = "";
  String algorithmText = "";
  String cv = "";
  String bText = "";
  @Nullable DkimAlgorithm algorithm;
  byte @Nullable [] signature;

  /** Offsets in the field's raw bytes of the b= value, as in {@link SignatureRecord}. */
  int bValueStart = -1;

  int bValueEnd = -1;

  private ArcSeal(HeaderField field, int index) {
    this.field = field;
    this.index = index;
  }

  /** The chain validation status as written, lower case. */
  boolean cvIs(String keyword) {
    return cv.equalsIgnoreCase(keyword);
  }

  /** The first 12 characters of b= without whitespace. */
  String signaturePrefix() {
    String b = TagList.stripWhitespace(bText);
    return b.length() > 12 ? b.substring(0, 12) : b;
  }

  /** Parses {@code field}; {@code tags} is its tag-list, already parsed (never null). */
  static ArcSeal parse(HeaderField field, int index, TagList tags, int[] bRange, Limits limits) {
    ArcSeal s = new ArcSeal(field, index);
    s.domain = orEmpty(tags.value("d")).toLowerCase(Locale.ROOT);
    s.selector = orEmpty(tags.value("s"));
    s.algorithmText = orEmpty(tags.value("a"));
    s.cv = orEmpty(tags.value("cv"));
    s.bText = orEmpty(tags.value("b"));
    s.bValueStart = bRange[0];
    s.bValueEnd = bRange[1];
    s.error = s.validate(tags, limits);
    return s;
  }

  private static String orEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  private @Nullable DkimReason validate(TagList tags, Limits limits) {
    for (String required : new String[] {"i", "cv", "a", "b", "d", "s"}) {
      if (!tags.has(required)) {
        return DkimReason.MISSING_TAG;
      }
    }
    if (tags.has("h")) {
      return DkimReason.SYNTAX; // RFC 8617 §4.1.3: an ARC-Seal signs no header list
    }
    if (!(cvIs("none") || cvIs("pass") || cvIs("fail"))) {
      return DkimReason.SYNTAX;
    }
    algorithm = DkimAlgorithm.fromKeyword(algorithmText.toLowerCase(Locale.ROOT)).orElse(null);
    if (algorithm == null) {
      return DkimReason.UNSUPPORTED_ALGORITHM;
    }
    if (algorithm == DkimAlgorithm.RSA_SHA1 && !limits.allowRsaSha1) {
      return DkimReason.RSA_SHA1_REFUSED;
    }
    signature = SignatureRecord.base64(bText);
    if (signature == null || signature.length == 0 || bValueStart < 0) {
      return DkimReason.SYNTAX;
    }
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (!SignatureRecord.validDomain(domain) || !SignatureRecord.validSelector(selector)) {
      return DkimReason.SYNTAX;
    }
    String t = tags.value("t");
    if (t != null && SignatureRecord.parseNumber(t, 18) == -2) {
      return DkimReason.SYNTAX;
    }
    return null;
  }
}
