// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

/**
 * The {@code ip4} and {@code ip6} mechanisms (RFC 7208 §5.6): the client's address is in the
 * network written in the term. No DNS query; an {@code ip4} term never matches an IPv6 client, nor
 * {@code ip6} an IPv4 one. The network is masked once, when the record is parsed.
 */
final class IpMechanism {
  private IpMechanism() {}

  /** True if the client is in the network of the {@code ip4} or {@code ip6} term {@code d}. */
  static boolean matches(ClientAddress client, Directive d) {
    return d.kind == Directive.Kind.IP4
        ? !client.v6 && d.matches4(client.ip4)
        : client.v6 && d.matches6(client.ip6Hi, client.ip6Lo);
  }
}
