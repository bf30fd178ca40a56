// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client's validated domain names (RFC 7208 §5.5): names from the client's PTR record whose A
 * (or AAAA) records include the client's address. The {@code ptr} mechanism ({@link PtrMechanism})
 * validates its candidates here, and the {@code %{p}} macro (§7.3) has its names looked up here
 * once per evaluation. At most {@link SpfChecker.Builder#maxPtrNames(int)} PTR names are used
 * (§4.6.4); a failed address lookup skips the name.
 */
final class ValidatedNames {
  private ValidatedNames() {}

  /**
   * Forward-confirms {@code names} from {@code at} on, in order, adding each validated one to
   * {@code out}; with {@code firstOnly} it stops at the first. Then hands {@code out} to {@code k}.
   */
  static void validate(
      CheckHost e,
      List<String> names,
      int at,
      List<String> out,
      boolean firstOnly,
      Consumer<List<String>> k) {
    if (at == names.size() || (firstOnly && !out.isEmpty())) {
      k.accept(out);
      return;
    }
    String name = names.get(at);
    ClientAddress client = e.client;
    if (!client.v6) {
      e.await(
          e.resolver.a(name),
          l -> {
            if (l instanceof DnsLookup.Found<Inet4Address> found
                && client.isAmong4(found.records())) {
              out.add(name);
            }
            validate(e, names, at + 1, out, firstOnly, k);
          });
    } else {
      e.await(
          e.resolver.aaaa(name),
          l -> {
            if (l instanceof DnsLookup.Found<Inet6Address> found
                && client.isAmong6(found.records())) {
              out.add(name);
            }
            validate(e, names, at + 1, out, firstOnly, k);
          });
    }
  }

  /**
   * Looks up the client's validated names for {@code %{p}} (§7.3) into {@link
   * MacroExpansion#validatedNames}, then runs {@code k}. A failed PTR query leaves none.
   */
  static void lookUpForMacro(CheckHost e, Runnable k) {
    e.await(
        e.resolver.ptr(e.client.reverseName()),
        l -> {
          if (!(l instanceof DnsLookup.Found<String> found)) {
            e.macros().validatedNames = List.of();
            k.run();
            return;
          }
          List<String> names = new ArrayList<>();
          List<String> ptrs = found.records();
          for (int n = 0; n < ptrs.size() && n < e.checker.maxPtrNames; n++) {
            names.add(SpfDomainNames.stripDot(ptrs.get(n)));
          }
          validate(
              e,
              names,
              0,
              new ArrayList<>(),
              false,
              validated -> {
                e.macros().validatedNames = validated;
                k.run();
              });
        });
  }
}
