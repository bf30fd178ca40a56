// SPDX-License-Identifier: Apache-2.0
/**
 * The DNS layer: the asynchronous {@link io.github.dmarcj.dns.DnsResolver} SPI, whose lookups end
 * in one of four {@link io.github.dmarcj.dns.DnsLookup} outcomes (records, NODATA, NXDOMAIN,
 * temporary failure; RFC 2308, RFC 7208 §4.4), and its products: {@link
 * io.github.dmarcj.dns.NetworkDnsResolver} (UDP/TCP or DNS-over-HTTPS, RFC 8484), {@link
 * io.github.dmarcj.dns.CachingDnsResolver} (TTL-honouring cache with query coalescing), {@link
 * io.github.dmarcj.dns.ZoneFileResolver} (RFC 1035 master files, offline), {@link
 * io.github.dmarcj.dns.InMemoryDnsResolver} (records given in code) and the {@link
 * io.github.dmarcj.dns.ForwardingDnsResolver} decorators for tests and observability.
 */
@NullMarked
package io.github.dmarcj.dns;

import org.jspecify.annotations.NullMarked;
