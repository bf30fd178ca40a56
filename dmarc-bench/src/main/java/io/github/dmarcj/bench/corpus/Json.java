// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench.corpus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for the corpus's own request lines: one flat object of strings, numbers and
 * string lists.
 */
final class Json {
  private Json() {}

  /** The members of a flat object; a list becomes its first element, a number its text. */
  static Map<String, String> flat(String line) {
    Map<String, String> out = new LinkedHashMap<>();
    int i = line.indexOf('{') + 1;
    while (i < line.length()) {
      int ks = line.indexOf('"', i);
      if (ks < 0) {
        break;
      }
      int ke = line.indexOf('"', ks + 1);
      String key = line.substring(ks + 1, ke);
      int c = line.indexOf(':', ke) + 1;
      while (line.charAt(c) == ' ' || line.charAt(c) == '[') {
        c++;
      }
      String value;
      int next;
      if (line.charAt(c) == '"') {
        StringBuilder b = new StringBuilder();
        int j = c + 1;
        while (line.charAt(j) != '"') {
          if (line.charAt(j) == '\\') {
            j++;
          }
          b.append(line.charAt(j++));
        }
        value = b.toString();
        next = j + 1;
      } else {
        int j = c;
        while (j < line.length() && ",}]".indexOf(line.charAt(j)) < 0) {
          j++;
        }
        value = line.substring(c, j).trim();
        next = j;
      }
      out.put(key, value);
      int comma = line.indexOf(',', next);
      int close = line.indexOf('}', next);
      if (line.charAt(next) == ']') {
        comma = line.indexOf(',', line.indexOf(']', next));
      }
      if (comma < 0 || (close >= 0 && close < comma)) {
        break;
      }
      i = comma + 1;
    }
    return out;
  }

  static String counts(Map<String, Integer> counts) {
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      b.append(b.length() > 1 ? "," : "")
          .append('"')
          .append(e.getKey())
          .append("\":")
          .append(e.getValue());
    }
    return b.append('}').toString();
  }
}
