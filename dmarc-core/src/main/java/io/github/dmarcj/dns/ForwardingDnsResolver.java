// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link DnsResolver} that passes every query to another one; extend it to watch or change
 * queries and answers. Every lookup method calls {@link #forward(RecordType, String, Function)}, so
 * one override sees all queries; override a single method to change one type only.
 *
 * <p>Typical uses are fault injection in tests, for example a TXT lookup that fails for one name:
 *
 * <pre>{@code
 * DnsResolver flaky = new ForwardingDnsResolver(zones) {
 *   @Override
 *   public CompletionStage<DnsLookup<String>> txt(String name) {
 *     return name.equals("_dmarc.example.com")
 *         ? CompletableFuture.completedFuture(DnsLookup.tempFail(TempFailReason.SERVFAIL, "test"))
 *         : super.txt(name);
 *   }
 * };
 * }</pre>
 *
 * and observability: logging, metrics or tracing around {@code forward}. {@link
 * RecordingDnsResolver} and {@link FaultInjectingDnsResolver} are built on it.
 *
 * @since 0.1.0
 */
public abstract class ForwardingDnsResolver implements DnsResolver {

  private final DnsResolver delegate;

  /**
   * A resolver that passes every query to {@code delegate}.
   *
   * @param delegate the resolver queries are passed to
   */
  protected ForwardingDnsResolver(DnsResolver delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /** {@return the resolver queries are passed to} */
  public final DnsResolver delegate() {
    return delegate;
  }

  /**
   * Called by every lookup method with the query and the call that passes it on; the default
   * implementation applies {@code call} to {@link #delegate()}. Overrides may answer themselves,
   * change the answer or call {@code super.forward(...)}.
   *
   * @param type the record type asked for
   * @param name the name as the caller passed it
   * @param call the lookup to make on a resolver, for example {@code r -> r.txt(name)}
   * @param <T> the record data type
   * @return the answer the caller receives
   */
  protected <T> CompletionStage<DnsLookup<T>> forward(
      RecordType type,
      String name,
      Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
    return call.apply(delegate);
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    Objects.requireNonNull(name, "name");
    return forward(RecordType.TXT, name, r -> r.txt(name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    Objects.requireNonNull(name, "name");
    return forward(RecordType.A, name, r -> r.a(name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    Objects.requireNonNull(name, "name");
    return forward(RecordType.AAAA, name, r -> r.aaaa(name));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    Objects.requireNonNull(name, "name");
    return forward(RecordType.MX, name, r -> r.mx(name));
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    Objects.requireNonNull(name, "name");
    return forward(RecordType.PTR, name, r -> r.ptr(name));
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + delegate + "]";
  }
}
