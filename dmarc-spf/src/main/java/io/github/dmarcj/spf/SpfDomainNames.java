// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.domain.DomainName;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The checks SPF makes on domain names: the identity's domain before {@code check_host()} (RFC 7208
 * §4.3), names from macro expansion before they are queried (§4.3, §7.3), and the "same domain or a
 * subdomain" test of {@code ptr} and {@code %{p}} (§5.5, §7.3). Static only.
 */
final class SpfDomainNames {
  private SpfDomainNames() {}

  /**
   * The identity's domain as queried: lower case, A-labels, no trailing dot; {@code null} if it is
   * malformed, an address literal or a single label (§4.3).
   */
  static @Nullable String normalize(String d) {
    if (d.isEmpty() || d.charAt(0) == '[') {
      return null;
    }
    boolean upper = false;
    for (int i = 0; i < d.length(); i++) {
      char ch = d.charAt(i);
      if (ch > 0x7E) {
        return DomainName.parse(d)
            .map(DomainName::name)
            .filter(SpfDomainNames::multiLabel)
            .orElse(null);
      }
      upper |= ch >= 'A' && ch <= 'Z';
    }
    String n = d.charAt(d.length() - 1) == '.' ? d.substring(0, d.length() - 1) : d;
    if (!labelsFit(n, true) || !multiLabel(n)) {
      return null;
    }
    return upper ? n.toLowerCase(Locale.ROOT) : n;
  }

  /** True if the name has at least two labels. */
  static boolean multiLabel(String n) {
    return n.indexOf('.') > 0;
  }

  /** A name from a macro expansion: labels of 1..63 octets, any characters, at most 253 in all. */
  static boolean validTarget(String n) {
    return labelsFit(n, false);
  }

  /**
   * Labels of 1..63 characters, at most 253 in all; with {@code printableOnly}, no control, space
   * or non-ASCII character either.
   */
  private static boolean labelsFit(String n, boolean printableOnly) {
    if (n.isEmpty() || n.length() > 253) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i <= n.length(); i++) {
      if (i == n.length() || n.charAt(i) == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          return false;
        }
        labelStart = i + 1;
      } else if (printableOnly && (n.charAt(i) <= 0x20 || n.charAt(i) >= 0x7F)) {
        return false;
      }
    }
    return true;
  }

  /** The name without one trailing dot. */
  static String stripDot(String n) {
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** True if {@code name} is {@code domain} or a subdomain of it, ignoring ASCII case. */
  static boolean sameOrSubdomain(String name, String domain) {
    int nl = name.length();
    int dl = domain.length();
    if (nl == dl) {
      return name.equalsIgnoreCase(domain);
    }
    return nl > dl
        && name.charAt(nl - dl - 1) == '.'
        && name.regionMatches(true, nl - dl, domain, 0, dl);
  }
}
