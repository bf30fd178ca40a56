// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import io.github.dmarcj.dns.IpLiteral;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}); a bare address is a
 * network of one.
 *
 * @param network the network's address bytes (4 or 16)
 * @param prefix the prefix length
 * @since 0.1.0
 */
public record Cidr(byte[] network, int prefix) {

  /**
   * A network.
   *
   * @param network the address bytes, 4 for IPv4 or 16 for IPv6
   * @param prefix the prefix length, 0 to 32 or 0 to 128
   */
  public Cidr {
    Objects.requireNonNull(network, "network");
    if (network.length != 4 && network.length != 16) {
      throw new IllegalArgumentException("address must have 4 or 16 bytes, had " + network.length);
    }
    if (prefix < 0 || prefix > network.length * 8) {
      throw new IllegalArgumentException(
          "prefix must be 0 to " + network.length * 8 + ", was " + prefix);
    }
    network = network.clone();
  }

  /**
   * {@return the network {@code text} writes, or empty if it is not one}
   *
   * @param text an address, or an address, a slash and a prefix length
   */
  public static Optional<Cidr> parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int slash = s.indexOf('/');
    Optional<InetAddress> ip = IpLiteral.parse(slash < 0 ? s : s.substring(0, slash));
    if (ip.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = ip.get().getAddress();
    int prefix = bytes.length * 8;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(p);
      if (prefix > bytes.length * 8) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(bytes, prefix));
  }

  /**
   * {@return whether {@code ip} is inside this network} An IPv4-mapped IPv6 address is compared as
   * the IPv4 address it maps.
   *
   * @param ip an address
   */
  public boolean contains(InetAddress ip) {
    byte[] a = ip.getAddress();
    if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
      a = java.util.Arrays.copyOfRange(a, 12, 16);
    }
    if (a.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != network[i]) {
        return false;
      }
    }
    int bits = prefix % 8;
    if (bits == 0) {
      return true;
    }
    int mask = (0xff << (8 - bits)) & 0xff;
    return (a[full] & mask) == (network[full] & mask);
  }

  private static boolean isV4Mapped(byte[] a) {
    for (int i = 0; i < 10; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e); // 4 or 16 bytes, checked above
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr
        && ((Cidr) o).prefix == prefix
        && java.util.Arrays.equals(((Cidr) o).network, network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
  }

  /** {@return a copy of the network's address bytes} */
  @Override
  public byte[] network() {
    return network.clone();
  }
}
