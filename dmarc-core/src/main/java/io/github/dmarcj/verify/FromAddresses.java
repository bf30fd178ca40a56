// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import java.util.ArrayList;
import java.util.List;

/**
 * The domains of the addresses in one From field value (RFC 5322 §3.6.2 mailbox-list), read
 * forgivingly: comments removed, addresses split at commas outside quotes and angle brackets, the
 * domain taken after the last {@code @} of the angle-addr or addr-spec. A group (RFC 5322 §3.4)
 * counts as several addresses so it is never evaluated as one.
 */
final class FromAddresses {
  private FromAddresses() {}

  static List<String> domains(String value) {
    String v = stripComments(value);
    List<String> parts = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    boolean angle = false;
    boolean group = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (quoted) {
        if (c == '\\' && i + 1 < v.length()) {
          cur.append(c).append(v.charAt(++i));
          continue;
        }
        if (c == '"') {
          quoted = false;
        }
        cur.append(c);
      } else if (c == '"') {
        quoted = true;
        cur.append(c);
      } else if (c == '<') {
        angle = true;
        cur.append(c);
      } else if (c == '>') {
        angle = false;
        cur.append(c);
      } else if (!angle && (c == ':' || c == ';')) {
        group = true;
        cur.append(' ');
      } else if (c == ',' && !angle) {
        parts.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    parts.add(cur.toString());
    List<String> domains = new ArrayList<>();
    for (String p : parts) {
      String addr = p.strip();
      if (addr.isEmpty()) {
        continue;
      }
      int lt = addr.lastIndexOf('<');
      if (lt >= 0) {
        int gt = addr.indexOf('>', lt);
        addr = addr.substring(lt + 1, gt < 0 ? addr.length() : gt);
      }
      int at = addr.lastIndexOf('@');
      String domain = at < 0 ? "" : addr.substring(at + 1).strip();
      domains.add(domain);
    }
    if (group && domains.size() == 1) {
      domains.add(domains.get(0)); // a group is never one author
    }
    return domains;
  }

  private static String stripComments(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (quoted || depth > 0)) {
        if (depth == 0) {
          sb.append(c).append(s.charAt(i + 1));
        }
        i++;
        continue;
      }
      if (depth == 0 && c == '"') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
        continue;
      } else if (!quoted && c == ')' && depth > 0) {
        depth--;
        continue;
      }
      if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
