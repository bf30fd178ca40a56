// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Address parsing, formatting and prefix matching on primitive values (RFC 7208 §5.6): an IPv4
 * address is an {@code int}, an IPv6 address two {@code long}s. No regular expressions, no
 * allocation on the matching path.
 */
final class Ip {
  private Ip() {}

  /** Whether {@link Inet4Address#hashCode()} returns the address as an int (checked once). */
  private static final boolean HASH_IS_ADDRESS = checkHashIsAddress();

  private static boolean checkHashIsAddress() {
    try {
      for (byte[] b : new byte[][] {{(byte) 192, 0, 2, 1}, {1, 2, 3, 4}, {(byte) 255, 0, 0, 0}}) {
        if (InetAddress.getByAddress(b).hashCode() != fromBytes(b)) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  static int fromBytes(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  /** The IPv4 address as an int without allocating where the JDK allows it. */
  static int v4(Inet4Address a) {
    return HASH_IS_ADDRESS ? a.hashCode() : fromBytes(a.getAddress());
  }

  static long hi(byte[] b) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  static long lo(byte[] b) {
    long v = 0;
    for (int i = 8; i < 16; i++) {
      v = (v << 8) | (b[i] & 0xFF);
    }
    return v;
  }

  /** The network mask of an IPv4 prefix length 0..32. */
  static int mask4(int prefix) {
    return prefix == 0 ? 0 : -1 << (32 - prefix);
  }

  /** The upper half of the network mask of an IPv6 prefix length 0..128. */
  static long maskHi(int prefix) {
    return prefix == 0 ? 0L : prefix >= 64 ? -1L : -1L << (64 - prefix);
  }

  /** The lower half of the network mask of an IPv6 prefix length 0..128. */
  static long maskLo(int prefix) {
    return prefix <= 64 ? 0L : -1L << (128 - prefix);
  }

  static boolean matches4(int address, int network, int prefix) {
    int m = mask4(prefix);
    return (address & m) == (network & m);
  }

  static boolean matches6(long aHi, long aLo, long nHi, long nLo, int prefix) {
    long mh = maskHi(prefix);
    long ml = maskLo(prefix);
    return (aHi & mh) == (nHi & mh) && (aLo & ml) == (nLo & ml);
  }

  /** {@link io.github.dmarcj.dns.IpLiteral#parse4}: the library's one literal parser. */
  static long parse4(CharSequence s, int from, int to) {
    return io.github.dmarcj.dns.IpLiteral.parse4(s, from, to);
  }

  /** {@link io.github.dmarcj.dns.IpLiteral#parse6}: the library's one literal parser. */
  static boolean parse6(CharSequence s, int from, int to, long[] out) {
    return io.github.dmarcj.dns.IpLiteral.parse6(s, from, to, out);
  }

  static InetAddress toInet4(int v) {
    try {
      return InetAddress.getByAddress(
          new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Dotted quad of an IPv4 address. */
  static void appendDotted(StringBuilder sb, int v) {
    sb.append((v >>> 24) & 0xFF).append('.').append((v >>> 16) & 0xFF).append('.');
    sb.append((v >>> 8) & 0xFF).append('.').append(v & 0xFF);
  }

  /** The 32 nibbles of an IPv6 address, most significant first, dot-separated (RFC 7208 §7.3). */
  static void appendNibbles(StringBuilder sb, long hi, long lo) {
    for (int n = 15; n >= 0; n--) {
      sb.append(Character.forDigit((int) (hi >>> (n * 4)) & 0xF, 16)).append('.');
    }
    for (int n = 15; n >= 0; n--) {
      sb.append(Character.forDigit((int) (lo >>> (n * 4)) & 0xF, 16));
      if (n > 0) {
        sb.append('.');
      }
    }
  }

  /** RFC 5952 text of an IPv6 address: lower case, longest zero run compressed. */
  static String format6(long hi, long lo) {
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
      g[i + 4] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] == 0) {
        int j = i;
        while (j < 8 && g[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  /** The client address in the form %{c} and Received-SPF use. */
  static String format(InetAddress a) {
    if (a instanceof Inet4Address v4) {
      StringBuilder sb = new StringBuilder(15);
      appendDotted(sb, v4(v4));
      return sb.toString();
    }
    byte[] b = ((Inet6Address) a).getAddress();
    return format6(hi(b), lo(b));
  }
}
