// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.result.ArcReason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The ARC Sets of one header block, read and checked for structure (RFC 8617 §5.2 steps 1 to 3)
 * before any key is fetched: every instance 1..N present exactly once in each of the three fields,
 * N within the limits, {@code cv=none} at instance 1 and {@code pass} after, and the newest seal
 * not {@code cv=fail}. Either {@link #failure} is set (with {@link #failedInstance}) or the chain
 * is ready to verify. Work is bounded: past {@code 3 * 50} ARC fields nothing more is parsed.
 */
final class ArcChain {
  /** The protocol's own ceiling on instances (RFC 8617 §4.2.1). */
  static final int PROTOCOL_MAX_SETS = 50;

  static final String AAR = "ARC-Authentication-Results";
  static final String AMS = "ARC-Message-Signature";
  static final String AS = "ARC-Seal";

  /** The highest instance seen (N), or 0. */
  int count;

  @Nullable ArcReason failure;
  int failedInstance;

  /** Per instance 1..N (index 0 unused): header field indices and the parsed seals. */
  int[] aar = new int[0];

  int[] ams = new int[0];
  int[] as = new int[0];
  ArcSeal[] seals = new ArcSeal[0];

  /** True when the header holds no ARC field at all. */
  boolean none;

  private ArcChain() {}

  private ArcChain fail(ArcReason reason, int instance) {
    if (failure == null) {
      failure = reason;
      failedInstance = instance;
    }
    return this;
  }

  /** True if {@code f} is one of the three ARC header fields. */
  static boolean isArcField(HeaderField f) {
    return f.hasName(AS) || f.hasName(AMS) || f.hasName(AAR);
  }

  static ArcChain read(List<HeaderField> fields, boolean truncated, int maxSets, Limits limits) {
    ArcChain c = new ArcChain();
    int arcFields = 0;
    for (HeaderField f : fields) {
      if (isArcField(f)) {
        arcFields++;
      }
    }
    if (arcFields == 0) {
      c.none = true;
      return c;
    }
    if (truncated) {
      return c.fail(ArcReason.HEADER_LIMIT_EXCEEDED, 0);
    }
    if (arcFields > 3 * PROTOCOL_MAX_SETS) {
      return c.fail(ArcReason.TOO_MANY_SETS, 0);
    }
    int[] aar = new int[PROTOCOL_MAX_SETS + 1];
    int[] ams = new int[PROTOCOL_MAX_SETS + 1];
    int[] as = new int[PROTOCOL_MAX_SETS + 1];
    java.util.Arrays.fill(aar, -1);
    java.util.Arrays.fill(ams, -1);
    java.util.Arrays.fill(as, -1);
    ArcSeal[] seals = new ArcSeal[PROTOCOL_MAX_SETS + 1];
    int max = 0;
    for (int idx = 0; idx < fields.size(); idx++) {
      HeaderField f = fields.get(idx);
      if (!isArcField(f)) {
        continue;
      }
      if (f.rawLength() > limits.maxSignatureFieldBytes) {
        return c.fail(ArcReason.FIELD_TOO_LARGE, 0);
      }
      byte[] raw = f.raw();
      int end = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
      int instance;
      int[] slot;
      if (f.hasName(AAR)) {
        instance = aarInstance(raw, f.valueOffset(), end);
        slot = aar;
      } else {
        int[] bRange = {-1, -1};
        TagList tags = TagList.parse(raw, f.valueOffset(), end, bRange);
        if (tags == null) {
          return c.fail(ArcReason.SYNTAX, 0);
        }
        instance = instance(tags.value("i"));
        if (f.hasName(AMS)) {
          slot = ams;
        } else {
          slot = as;
          if (instance >= 1 && instance <= PROTOCOL_MAX_SETS && seals[instance] == null) {
            seals[instance] = ArcSeal.parse(f, idx, tags, bRange, limits);
          }
        }
      }
      if (instance == TOO_LARGE) {
        return c.fail(ArcReason.TOO_MANY_SETS, 0);
      }
      if (instance < 1) {
        return c.fail(ArcReason.BAD_INSTANCE, 0);
      }
      if (slot[instance] >= 0) {
        return c.fail(ArcReason.DUPLICATE_INSTANCE, instance);
      }
      slot[instance] = idx;
      max = Math.max(max, instance);
    }
    c.count = max;
    if (max > maxSets) {
      return c.fail(ArcReason.OVER_LOCAL_LIMIT, 0);
    }
    // Step 2: the newest seal's own verdict on the chain before it.
    ArcSeal newest = seals[max];
    if (newest != null && newest.error == null && newest.cvIs("fail")) {
      return c.fail(ArcReason.LAST_SEAL_CV_FAIL, max);
    }
    // Step 3: 1..N complete, seals usable, cv as their position requires.
    for (int i = 1; i <= max; i++) {
      if (aar[i] < 0 || ams[i] < 0 || as[i] < 0) {
        return c.fail(ArcReason.MISSING_INSTANCE, i);
      }
    }
    for (int i = max; i >= 1; i--) {
      ArcSeal s = seals[i];
      if (s.error != null) {
        return c.fail(ArcReason.SYNTAX, i);
      }
      if (!s.cvIs(i == 1 ? "none" : "pass")) {
        return c.fail(ArcReason.CV_MISMATCH, i);
      }
    }
    c.aar = java.util.Arrays.copyOf(aar, max + 1);
    c.ams = java.util.Arrays.copyOf(ams, max + 1);
    c.as = java.util.Arrays.copyOf(as, max + 1);
    c.seals = java.util.Arrays.copyOf(seals, max + 1);
    return c;
  }

  /** {@link #instance} for a number above {@link #PROTOCOL_MAX_SETS}. */
  static final int TOO_LARGE = Integer.MAX_VALUE;

  /** The instance a tag value names: 1..50, {@link #TOO_LARGE} above, -1 if it is no number. */
  static int instance(@Nullable String value) {
    if (value == null) {
      return -1;
    }
    long n = SignatureRecord.parseNumber(value, 18);
    if (n < 0) {
      return -1;
    }
    return n > PROTOCOL_MAX_SETS ? TOO_LARGE : (int) n;
  }

  /**
   * The instance of an ARC-Authentication-Results value, which starts {@code i=N;} (RFC 8617
   * §4.1.1), or -1.
   */
  static int aarInstance(byte[] raw, int from, int to) {
    int i = skipFws(raw, from, to);
    if (i >= to || raw[i] != 'i') {
      return -1;
    }
    i = skipFws(raw, i + 1, to);
    if (i >= to || raw[i] != '=') {
      return -1;
    }
    i = skipFws(raw, i + 1, to);
    int start = i;
    while (i < to && raw[i] >= '0' && raw[i] <= '9') {
      i++;
    }
    if (i == start) {
      return -1;
    }
    String digits = new String(raw, start, i - start, java.nio.charset.StandardCharsets.US_ASCII);
    i = skipFws(raw, i, to);
    if (i >= to || raw[i] != ';') {
      return -1;
    }
    return instance(digits);
  }

  /** The AAR payload after {@code i=N;}: the authserv-id and results, unfolded and trimmed. */
  static String aarPayload(HeaderField f) {
    byte[] raw = f.raw();
    int end = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
    int from = f.valueOffset();
    int semi = from;
    while (semi < end && raw[semi] != ';') {
      semi++;
    }
    StringBuilder b = new StringBuilder(end - semi);
    String text = TagList.decode(raw, Math.min(semi + 1, end), end);
    for (int k = 0; k < text.length(); k++) {
      char ch = text.charAt(k);
      if (ch != '\r' && ch != '\n') {
        b.append(ch);
      }
    }
    return b.toString().strip();
  }

  private static int skipFws(byte[] t, int i, int to) {
    while (i < to && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) {
      i++;
    }
    return i;
  }
}
