// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import java.net.InetAddress;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The {@code a} mechanism (RFC 7208 §5.3): one A query (AAAA for an IPv6 client) for the target
 * name; it matches if an address is in the client's network under the term's CIDR length. No
 * address is a void lookup.
 */
final class AMechanism {
  private AMechanism() {}

  @SuppressWarnings({"unchecked", "rawtypes"})
  static void evaluate(CheckHost e, Frame f, Directive d, int i, String target) {
    ClientAddress client = e.client;
    CompletionStage<? extends DnsLookup<? extends InetAddress>> query =
        client.addressQuery(e.resolver, target);
    Consumer<DnsLookup<?>> k =
        l -> {
          if (l instanceof DnsLookup.TempFail<?> tf) {
            e.limits.tempFail(f.k, client.addressQueryType() + target, tf);
          } else if (l.isVoid()) {
            if (e.limits.countVoidLookup(f.k, d.text)) {
              e.termResult(f, d, i, false);
            }
          } else {
            e.termResult(f, d, i, client.anyInNetwork(l, d));
          }
        };
    e.await((CompletionStage) query, (Consumer) k);
  }
}
