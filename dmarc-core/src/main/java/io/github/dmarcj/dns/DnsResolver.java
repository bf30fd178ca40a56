// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.concurrent.CompletionStage;

/**
 * The DNS lookups that SPF, DKIM and DMARC need, asynchronous.
 *
 * <p>Every method takes a domain name in presentation form (A-labels; a trailing dot is accepted
 * and ignored; case does not matter) and completes with one of the four {@link DnsLookup} outcomes.
 * <b>An implementation never completes exceptionally for anything a DNS server or a name does</b>:
 * timeouts, SERVFAIL, REFUSED, truncated or malformed answers all become {@link
 * DnsLookup.TempFail}. A name that cannot exist in the DNS (an empty label, a label longer than 63
 * octets, a name longer than 253 octets) completes with {@link DnsLookup.NxDomain} without a query.
 * Only a {@code null} argument, which is the caller's own mistake, throws.
 *
 * <p>TXT records made of several character-strings are returned as one string, the strings joined
 * in order without a separator (RFC 7208 §3.3, RFC 6376 §3.6.2.2, RFC 9989 §4.5).
 */
public interface DnsResolver {

  /**
   * {@return TXT records at {@code name}, one string per record}
   *
   * @param name the name to query
   */
  CompletionStage<DnsLookup<String>> txt(String name);

  /**
   * {@return IPv4 addresses at {@code name}}
   *
   * @param name the name to query
   */
  CompletionStage<DnsLookup<Inet4Address>> a(String name);

  /**
   * {@return IPv6 addresses at {@code name}}
   *
   * @param name the name to query
   */
  CompletionStage<DnsLookup<Inet6Address>> aaaa(String name);

  /**
   * {@return mail exchangers at {@code name}, in the order the server gave them}
   *
   * @param name the name to query
   */
  CompletionStage<DnsLookup<MxRecord>> mx(String name);

  /**
   * {@return PTR targets at {@code name}, a name under {@code in-addr.arpa} or {@code ip6.arpa}
   * (see {@link DnsNames#reverseName(java.net.InetAddress)}); targets have no trailing dot}
   *
   * @param name the reverse name to query
   */
  CompletionStage<DnsLookup<String>> ptr(String name);
}
