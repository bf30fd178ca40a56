// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ptr} mechanism (RFC 7208 §5.5, "do not use"): the client's PTR query, then forward
 * confirmation ({@link ValidatedNames}) of the names that are the target or under it; it matches if
 * one is validated. No PTR record is a void lookup; a failed PTR query is no match, not a {@code
 * temperror}; at most {@link SpfChecker.Builder#maxPtrNames(int)} names are read.
 */
final class PtrMechanism {
  private PtrMechanism() {}

  static void evaluate(CheckHost e, Frame f, Directive d, int i, String target) {
    e.await(
        e.resolver.ptr(e.client.reverseName()),
        l -> {
          if (l instanceof DnsLookup.TempFail<String>) {
            e.termResult(f, d, i, false);
            return;
          }
          if (l.isVoid()) {
            if (e.limits.countVoidLookup(f.k, d.text)) {
              e.termResult(f, d, i, false);
            }
            return;
          }
          List<String> ptrs = ((DnsLookup.Found<String>) l).records();
          List<String> candidates = new ArrayList<>();
          for (int k = 0; k < ptrs.size() && k < e.checker.maxPtrNames; k++) {
            String name = SpfDomainNames.stripDot(ptrs.get(k));
            if (SpfDomainNames.sameOrSubdomain(name, target)) {
              candidates.add(name);
            }
          }
          ValidatedNames.validate(
              e,
              candidates,
              0,
              new ArrayList<>(),
              true,
              validated -> e.termResult(f, d, i, !validated.isEmpty()));
        });
  }
}
