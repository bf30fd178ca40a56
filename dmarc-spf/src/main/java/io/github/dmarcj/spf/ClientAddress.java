// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsNames;
import io.github.dmarcj.dns.DnsResolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * The SMTP client's IP address, {@code <ip>} of RFC 7208 §4.1, in the form the mechanisms compare
 * it: an IPv4 address as an {@code int}, an IPv6 address as two {@code long}s. Holds the address
 * comparisons of {@code ip4}/{@code ip6} (§5.6), {@code a} and {@code mx} (§5.3, §5.4, with their
 * CIDR lengths) and the forward confirmation of {@code ptr} names (§5.5), and the name of the
 * client's reverse-DNS PTR query. One per evaluation.
 */
final class ClientAddress {
  final InetAddress ip;
  final boolean v6;
  final int ip4;
  final long ip6Hi;
  final long ip6Lo;
  private @Nullable String reverseName;

  ClientAddress(InetAddress ip) {
    this.ip = ip;
    if (ip instanceof Inet4Address a) {
      v6 = false;
      ip4 = Ip.v4(a);
      ip6Hi = 0;
      ip6Lo = 0;
    } else {
      byte[] b = ip.getAddress();
      v6 = true;
      ip4 = 0;
      ip6Hi = Ip.hi(b);
      ip6Lo = Ip.lo(b);
    }
  }

  /** The address query the {@code a} and {@code mx} mechanisms make: A, or AAAA for IPv6. */
  CompletionStage<? extends DnsLookup<? extends InetAddress>> addressQuery(
      DnsResolver resolver, String name) {
    return v6 ? resolver.aaaa(name) : resolver.a(name);
  }

  /** "A " or "AAAA ", to name that query in a problem detail. */
  String addressQueryType() {
    return v6 ? "AAAA " : "A ";
  }

  /**
   * True if an address of a found {@link #addressQuery} answer is in the same network as the
   * client, under the term's CIDR length (§5.3, §5.4).
   */
  @SuppressWarnings("unchecked")
  boolean anyInNetwork(DnsLookup<?> found, Directive d) {
    return v6
        ? anyInNetwork6(((DnsLookup.Found<Inet6Address>) found).records(), d)
        : anyInNetwork4(((DnsLookup.Found<Inet4Address>) found).records(), d);
  }

  private boolean anyInNetwork4(List<Inet4Address> as, Directive d) {
    int mask = Ip.mask4(d.cidr4);
    int mine = ip4 & mask;
    for (int k = 0, n = as.size(); k < n; k++) {
      if ((Ip.v4(as.get(k)) & mask) == mine) {
        return true;
      }
    }
    return false;
  }

  private boolean anyInNetwork6(List<Inet6Address> as, Directive d) {
    for (int k = 0, n = as.size(); k < n; k++) {
      byte[] b = as.get(k).getAddress();
      if (Ip.matches6(ip6Hi, ip6Lo, Ip.hi(b), Ip.lo(b), d.cidr6)) {
        return true;
      }
    }
    return false;
  }

  /** True if the IPv4 client is one of {@code as} exactly (§5.5 forward confirmation). */
  boolean isAmong4(List<Inet4Address> as) {
    for (Inet4Address a : as) {
      if (Ip.v4(a) == ip4) {
        return true;
      }
    }
    return false;
  }

  /** True if the IPv6 client is one of {@code as} exactly (§5.5 forward confirmation). */
  boolean isAmong6(List<Inet6Address> as) {
    for (Inet6Address a : as) {
      byte[] b = a.getAddress();
      if (Ip.hi(b) == ip6Hi && Ip.lo(b) == ip6Lo) {
        return true;
      }
    }
    return false;
  }

  /** The PTR query name of the client ({@code in-addr.arpa} or {@code ip6.arpa}), made once. */
  String reverseName() {
    if (reverseName == null) {
      reverseName = DnsNames.reverseName(ip);
    }
    return reverseName;
  }
}
