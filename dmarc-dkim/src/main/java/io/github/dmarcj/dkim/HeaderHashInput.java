// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.message.HeaderField;
import java.util.List;

/** Builds the data that the header signature covers (RFC 6376 §3.7, §5.4.2). */
final class HeaderHashInput {
  private HeaderHashInput() {}

  /**
   * The h= fields picked from the bottom up (a name listed twice takes the last instance, then the
   * one above; a name with no instance left adds nothing), each canonicalized with CRLF, then the
   * DKIM-Signature field {@code signatureField} (b= value already removed, no line ending)
   * canonicalized without a final CRLF (RFC 6376 §3.7 and §5.4.2).
   */
  static ByteBuf build(
      List<HeaderField> fields,
      List<String> names,
      DkimCanonicalization canon,
      byte[] signatureField,
      boolean fixLf) {
    ByteBuf out = new ByteBuf(1024);
    for (int k = 0; k < names.size(); k++) {
      String name = names.get(k);
      // The n-th listing of a name takes the n-th instance from the bottom.
      int n = 1;
      for (int j = 0; j < k; j++) {
        if (names.get(j).equalsIgnoreCase(name)) {
          n++;
        }
      }
      HeaderField f = null;
      for (int j = fields.size() - 1; j >= 0; j--) {
        if (fields.get(j).hasName(name) && --n == 0) {
          f = fields.get(j);
          break;
        }
      }
      if (f == null) {
        continue; // an absent (or over-signed) name contributes nothing
      }
      byte[] raw = f.raw();
      int len = HeaderCanonicalizer.withoutLineEnding(raw, raw.length);
      HeaderCanonicalizer.canonicalize(canon, raw, 0, len, out, true, fixLf);
    }
    HeaderCanonicalizer.canonicalize(
        canon, signatureField, 0, signatureField.length, out, false, fixLf);
    return out;
  }
}
