// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Small helpers for names used in queries. */
public final class DnsNames {
  private DnsNames() {}

  /**
   * {@return the reverse-lookup name of an address: {@code 4.3.2.1.in-addr.arpa} for 1.2.3.4, 32
   * nibbles under {@code ip6.arpa} for IPv6}
   *
   * @param address an IPv4 or IPv6 address
   */
  public static String reverseName(InetAddress address) {
    byte[] b = address.getAddress();
    StringBuilder sb = new StringBuilder(b.length == 4 ? 29 : 73);
    if (address instanceof Inet4Address) {
      for (int i = 3; i >= 0; i--) {
        sb.append(b[i] & 0xFF).append('.');
      }
      return sb.append("in-addr.arpa").toString();
    }
    for (int i = b.length - 1; i >= 0; i--) {
      sb.append(Character.forDigit(b[i] & 0x0F, 16)).append('.');
      sb.append(Character.forDigit((b[i] >> 4) & 0x0F, 16)).append('.');
    }
    return sb.append("ip6.arpa").toString();
  }

  /**
   * Lower-cases a name and strips one trailing dot; {@code null} if the name cannot be asked for
   * (empty label, label over 63 octets, name over 253 octets, or a character outside printable
   * ASCII and the space).
   *
   * <p>The characters of a name are the octets of its labels and every dot separates two labels; no
   * escapes are processed, so the name asked is the name sent. A label may hold any printable ASCII
   * character and the space (0x20 to 0x7E), as SPF macro expansion can produce them (RFC 7208 §7.3:
   * {@code %_} is a space, {@code %-} gives {@code %20}); only the letters A to Z are lower-cased,
   * as the DNS compares names (RFC 4343). Control characters, DEL and non-ASCII characters make a
   * name that cannot be asked for: convert U-labels to A-labels first.
   *
   * @param name the name as written, possibly with a trailing dot
   * @return the name in lower case without a trailing dot, or {@code null}
   */
  public static @Nullable String normalizeOrNull(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty() || n.length() > 253) {
      return null;
    }
    int labelStart = 0;
    boolean upper = false;
    for (int i = 0; i <= n.length(); i++) {
      if (i == n.length() || n.charAt(i) == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          return null;
        }
        labelStart = i + 1;
      } else {
        char c = n.charAt(i);
        if (c < 0x20 || c > 0x7E) {
          return null;
        }
        upper |= c >= 'A' && c <= 'Z';
      }
    }
    return upper ? n.toLowerCase(Locale.ROOT) : n;
  }
}
