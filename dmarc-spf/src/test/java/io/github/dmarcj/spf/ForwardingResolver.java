// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.concurrent.CompletionStage;

/** A resolver that passes every query to another; tests override single methods. */
class ForwardingResolver implements DnsResolver {
  final DnsResolver delegate;

  ForwardingResolver(DnsResolver delegate) {
    this.delegate = delegate;
  }

  /** Called before each query with its type and name. */
  void onQuery(String type, String name) {}

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    onQuery("TXT", name);
    return delegate.txt(name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    onQuery("A", name);
    return delegate.a(name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    onQuery("AAAA", name);
    return delegate.aaaa(name);
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    onQuery("MX", name);
    return delegate.mx(name);
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    onQuery("PTR", name);
    return delegate.ptr(name);
  }
}
