// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IP address literals, read without ever asking the DNS: an IPv4 dotted quad as RFC 3986 {@code
 * IPv4address} writes it (four decimal parts 0-255, no leading zeros), or an IPv6 address in RFC
 * 4291 §2.2 text form ({@code ::} and a trailing dotted quad allowed, no zone). {@link
 * InetAddress#getByName} is not a literal parser: it looks up what it cannot read as a host name
 * and reads {@code 10} or {@code 1.2.3} as short IPv4 forms. Every part of the library that takes
 * an address as text uses this class.
 *
 * @since 0.1.0
 */
public final class IpLiteral {
  private IpLiteral() {}

  /**
   * {@return the address written in {@code text}, optionally inside square brackets (as in a URI or
   * a domain literal); empty if it is not exactly one IPv4 or IPv6 literal}
   *
   * @param text the text to read
   */
  public static Optional<InetAddress> parse(CharSequence text) {
    java.util.Objects.requireNonNull(text, "text");
    int from = 0;
    int to = text.length();
    if (to >= 2 && text.charAt(0) == '[' && text.charAt(to - 1) == ']') {
      from = 1;
      to--;
    }
    boolean colon = false;
    for (int i = from; i < to; i++) {
      if (text.charAt(i) == ':') {
        colon = true;
        break;
      }
    }
    try {
      if (!colon) {
        long v4 = parse4(text, from, to);
        if (v4 < 0) {
          return Optional.empty();
        }
        return Optional.of(
            InetAddress.getByAddress(
                new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4}));
      }
      long[] v6 = new long[2];
      if (!parse6(text, from, to, v6)) {
        return Optional.empty();
      }
      byte[] b = new byte[16];
      for (int k = 0; k < 8; k++) {
        b[k] = (byte) (v6[0] >>> (56 - 8 * k));
        b[k + 8] = (byte) (v6[1] >>> (56 - 8 * k));
      }
      // Inet6Address keeps IPv4-mapped addresses as IPv6, which InetAddress.getByAddress would not.
      return Optional.of(Inet6Address.getByAddress(null, b, -1));
    } catch (UnknownHostException e) {
      throw new AssertionError("a 4- or 16-byte array is always an address", e);
    }
  }

  /**
   * Parses a dotted quad as RFC 7208 §5.6 / RFC 3986 {@code IPv4address} writes it (no leading
   * zeros, four parts); returns {@code -1L} if malformed, otherwise the address in the low 32 bits.
   *
   * @param s the text holding the address
   * @param from the index of its first character
   * @param to the index just after its last character
   * @return the address, or {@code -1L}
   */
  public static long parse4(CharSequence s, int from, int to) {
    java.util.Objects.requireNonNull(s, "s");
    long value = 0;
    int parts = 0;
    int i = from;
    while (parts < 4) {
      int start = i;
      int octet = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - start < 3) {
        octet = octet * 10 + (s.charAt(i) - '0');
        i++;
      }
      int len = i - start;
      if (len == 0 || octet > 255 || (len > 1 && s.charAt(start) == '0')) {
        return -1L;
      }
      value = (value << 8) | octet;
      parts++;
      if (parts < 4) {
        if (i >= to || s.charAt(i) != '.') {
          return -1L;
        }
        i++;
      }
    }
    return i == to ? value : -1L;
  }

  /**
   * Parses an IPv6 address in RFC 4291 §2.2 text form (with {@code ::} and an optional trailing
   * dotted quad) into {@code out[0]} (high) and {@code out[1]} (low); false if malformed.
   *
   * @param s the text holding the address
   * @param from the index of its first character
   * @param to the index just after its last character
   * @param out an array of at least two elements that receives the address
   * @return true if the text is a valid IPv6 address
   */
  public static boolean parse6(CharSequence s, int from, int to, long[] out) {
    java.util.Objects.requireNonNull(s, "s");
    java.util.Objects.requireNonNull(out, "out");
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = from;
    if (to - from < 2) {
      return false;
    }
    if (s.charAt(i) == ':') {
      if (s.charAt(i + 1) != ':') {
        return false;
      }
      gap = 0;
      i += 2;
      if (i == to) {
        out[0] = 0;
        out[1] = 0;
        return true;
      }
    }
    while (i < to) {
      if (count == 8) {
        return false;
      }
      int start = i;
      int v = 0;
      while (i < to && i - start < 5) {
        int d = hex(s.charAt(i));
        if (d < 0) {
          break;
        }
        v = (v << 4) | d;
        i++;
      }
      int len = i - start;
      if (i < to && s.charAt(i) == '.') {
        // embedded IPv4 in the last 32 bits
        if (count > 6) {
          return false;
        }
        long v4 = parse4(s, start, to);
        if (v4 < 0) {
          return false;
        }
        groups[count++] = (int) (v4 >>> 16);
        groups[count++] = (int) (v4 & 0xFFFF);
        i = to;
        break;
      }
      if (len == 0 || len > 4) {
        return false;
      }
      groups[count++] = v;
      if (i == to) {
        break;
      }
      if (s.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < to && s.charAt(i) == ':') {
        if (gap >= 0) {
          return false;
        }
        gap = count;
        i++;
        if (i == to) {
          break;
        }
      } else if (i == to) {
        return false;
      }
    }
    int[] full = new int[8];
    if (gap >= 0) {
      if (count > 7) {
        return false;
      }
      int tail = count - gap;
      System.arraycopy(groups, 0, full, 0, gap);
      System.arraycopy(groups, gap, full, 8 - tail, tail);
    } else {
      if (count != 8) {
        return false;
      }
      full = groups;
    }
    long hi = 0;
    long lo = 0;
    for (int g = 0; g < 4; g++) {
      hi = (hi << 16) | full[g];
      lo = (lo << 16) | full[g + 4];
    }
    out[0] = hi;
    out[1] = lo;
    return true;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
