// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The {@code mx} mechanism (RFC 7208 §5.4): the MX query for the target, then an A query (AAAA for
 * an IPv6 client) per exchange; it matches if an address is in the client's network under the
 * term's CIDR length. No MX record is a void lookup; more than {@link
 * SpfChecker.Builder#maxMxNames(int)} exchanges is a {@code permerror} (§4.6.4); a null MX (RFC
 * 7505) is skipped. The address queries are all sent at once, and their answers read in MX order.
 */
final class MxMechanism {
  private MxMechanism() {}

  static void evaluate(CheckHost e, Frame f, Directive d, int i, String target) {
    e.await(
        e.resolver.mx(target),
        l -> {
          if (l instanceof DnsLookup.TempFail<MxRecord> tf) {
            e.limits.tempFail(f.k, "MX " + target, tf);
            return;
          }
          if (l.isVoid()) {
            if (e.limits.countVoidLookup(f.k, d.text)) {
              e.termResult(f, d, i, false);
            }
            return;
          }
          List<MxRecord> mxs = ((DnsLookup.Found<MxRecord>) l).records();
          int max = e.checker.maxMxNames;
          if (mxs.size() > max) {
            f.k.done(
                SpfResult.PERMERROR,
                SpfProblem.TOO_MANY_MX_NAMES,
                d.text + ": " + mxs.size() + " MX names at " + target + ", more than " + max,
                null,
                null);
            return;
          }
          // start every address lookup at once, then look at the answers in order
          List<CompletionStage<? extends DnsLookup<? extends InetAddress>>> stages =
              new ArrayList<>(mxs.size());
          List<String> names = new ArrayList<>(mxs.size());
          for (MxRecord mx : mxs) {
            String ex = SpfDomainNames.stripDot(mx.exchange());
            if (ex.isEmpty()) {
              continue; // null MX (RFC 7505)
            }
            names.add(ex);
            stages.add(e.client.addressQuery(e.resolver, ex));
          }
          exchange(e, f, d, i, names, stages, 0);
        });
  }

  /** Reads the address answer of exchange {@code at}; no match after the last one. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void exchange(
      CheckHost e,
      Frame f,
      Directive d,
      int i,
      List<String> names,
      List<CompletionStage<? extends DnsLookup<? extends InetAddress>>> stages,
      int at) {
    if (at == stages.size()) {
      e.termResult(f, d, i, false);
      return;
    }
    ClientAddress client = e.client;
    Consumer<DnsLookup<?>> next =
        l -> {
          if (l instanceof DnsLookup.TempFail<?> tf) {
            e.limits.tempFail(f.k, client.addressQueryType() + names.get(at), tf);
          } else if (l.isVoid()) {
            exchange(e, f, d, i, names, stages, at + 1);
          } else if (client.anyInNetwork(l, d)) {
            e.termResult(f, d, i, true);
          } else {
            exchange(e, f, d, i, names, stages, at + 1);
          }
        };
    e.await((CompletionStage) stages.get(at), (Consumer) next);
  }
}
