// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the data that the header signature covers (RFC 6376 §3.7, §5.4.2). */
final class HeaderHashInput {
  private HeaderHashInput() {}

  /** Fields grouped by lower-case name, top to bottom. */
  static Map<String, List<HeaderField>> byName(List<HeaderField> fields) {
    Map<String, List<HeaderField>> m = new HashMap<>();
    for (HeaderField f : fields) {
      m.computeIfAbsent(f.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>(2)).add(f);
    }
    return m;
  }

  /**
   * The h= fields picked from the bottom up (a name listed twice takes the last instance, then
   * the one above; a name with no instance left adds nothing), each canonicalized with CRLF, then
   * the DKIM-Signature field {@code signatureField} (b= value already removed, no line ending)
   * canonicalized without a final CRLF (SPEC DKIM-05/06/07/13, PIT-15).
   */
  static ByteBuf build(
      Map<String, List<HeaderField>> byName, List<String> names, DkimCanonicalization canon,
      byte[] signatureField, boolean fixLf) {
    ByteBuf out = new ByteBuf(1024);
    Map<String, Integer> used = new HashMap<>();
    for (String name : names) {
      String key = name.toLowerCase(Locale.ROOT);
      List<HeaderField> instances = byName.get(key);
      int n = used.merge(key, 1, Integer::sum);
      if (instances == null || n > instances.size()) {
        continue;
      }
      HeaderField f = instances.get(instances.size() - n);
      byte[] raw = f.raw();
      int len = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
      HeaderCanonicalizer.canonicalize(canon, raw, 0, len, out, true, fixLf);
    }
    HeaderCanonicalizer.canonicalize(
        canon, signatureField, 0, signatureField.length, out, false, fixLf);
    return out;
  }
}
