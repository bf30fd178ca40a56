// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import java.net.Inet4Address;

/**
 * The {@code exists} mechanism (RFC 7208 §5.7): one A query for the expanded target, whatever the
 * client's address family; it matches if any address comes back. No address is a void lookup.
 */
final class ExistsMechanism {
  private ExistsMechanism() {}

  static void evaluate(CheckHost e, Frame f, Directive d, int i, String target) {
    e.await(
        e.resolver.a(target),
        l -> {
          if (l instanceof DnsLookup.TempFail<Inet4Address> tf) {
            e.limits.tempFail(f.k, "A " + target, tf);
          } else if (l.isVoid()) {
            if (e.limits.countVoidLookup(f.k, d.text)) {
              e.termResult(f, d, i, false);
            }
          } else {
            e.termResult(f, d, i, true);
          }
        });
  }
}
