// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * External report destinations (RFC 9990 §4, RFC 9991 §5): a {@code rua}/{@code ruf} host outside
 * the policy domain's Organizational Domain must publish {@code v=DMARC1} at {@code
 * <policy-domain>._report._dmarc.<host>}; a replacement URI there counts only on the same host.
 */
final class ReportDestinationCheck {
  private final DmarcLookups lookups;
  private final TreeWalk treeWalk;
  private final int maxPerTag;

  ReportDestinationCheck(DmarcLookups lookups, TreeWalk treeWalk, int maxPerTag) {
    this.lookups = lookups;
    this.treeWalk = treeWalk;
    this.maxPerTag = maxPerTag;
  }

  /**
   * The first {@code maxPerTag} URIs checked; the rest {@link ReportDestination.Status#OVER_LIMIT}.
   */
  CompletableFuture<List<ReportDestination>> check(
      DomainName policyDomain, List<ReportUri> uris, boolean failure) {
    if (uris.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<CompletableFuture<ReportDestination>> each = new ArrayList<>();
    for (ReportUri u : uris) {
      each.add(
          each.size() < maxPerTag
              ? destination(policyDomain, u, failure)
              : done(
                  new ReportDestination(u, ReportDestination.Status.OVER_LIMIT, Optional.empty())));
    }
    return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              List<ReportDestination> out = new ArrayList<>();
              for (CompletableFuture<ReportDestination> f : each) {
                out.add(f.join());
              }
              return out;
            });
  }

  /** The URIs as they are, left for the report sender to check. */
  static List<ReportDestination> notChecked(List<ReportUri> uris) {
    List<ReportDestination> out = new ArrayList<>(uris.size());
    for (ReportUri u : uris) {
      out.add(new ReportDestination(u, ReportDestination.Status.NOT_CHECKED, Optional.empty()));
    }
    return out;
  }

  /**
   * The {@code ruf} of a public suffix record: held back (RFC 9991 §2: no failure reports to a
   * PSO's {@code ruf} unless specifically agreed).
   */
  static List<ReportDestination> heldForPublicSuffix(List<ReportUri> uris) {
    List<ReportDestination> held = new ArrayList<>();
    for (ReportUri u : uris) {
      held.add(
          new ReportDestination(
              u, ReportDestination.Status.PUBLIC_SUFFIX_FAILURE_REPORTS, Optional.empty()));
    }
    return held;
  }

  private CompletableFuture<ReportDestination> destination(
      DomainName policyDomain, ReportUri uri, boolean failure) {
    Optional<DomainName> host = uri.host().flatMap(DomainName::parse);
    if (host.isEmpty()) {
      return done(
          new ReportDestination(uri, ReportDestination.Status.NOT_CHECKED, Optional.empty()));
    }
    CompletableFuture<Boolean> internal;
    if (host.get().equals(policyDomain)) {
      internal = done(true);
    } else if (!host.get().lastLabels(1).equals(policyDomain.lastLabels(1))) {
      internal = done(false);
    } else {
      internal =
          treeWalk
              .organizationalDomain(policyDomain)
              .thenCombine(
                  treeWalk.organizationalDomain(host.get()),
                  (a, b) ->
                      a instanceof OrganizationalDomainOutcome.Found fa
                          && b instanceof OrganizationalDomainOutcome.Found fb
                          && fa.organizationalDomain().equals(fb.organizationalDomain()));
    }
    return internal.thenCompose(
        in -> {
          if (in) {
            return done(
                new ReportDestination(uri, ReportDestination.Status.INTERNAL, Optional.of(uri)));
          }
          Optional<DomainName> q =
              DomainName.parse(policyDomain.name() + "._report._dmarc." + host.get().name());
          if (q.isEmpty()) {
            return done(
                new ReportDestination(
                    uri, ReportDestination.Status.NOT_AUTHORIZED, Optional.empty()));
          }
          return DmarcLookups.safe(lookups.resolver().txt(q.get().name()))
              .thenApply(lookup -> authorization(uri, host.get(), lookup, failure));
        });
  }

  private ReportDestination authorization(
      ReportUri uri, DomainName host, DnsLookup<String> lookup, boolean failure) {
    if (lookup instanceof DnsLookup.TempFail) {
      return new ReportDestination(uri, ReportDestination.Status.TEMPERROR, Optional.empty());
    }
    for (String text : lookup.recordsOrEmpty()) {
      if (!DmarcRecordParser.looksLikeDmarc(text)) {
        continue;
      }
      DmarcRecordParser.Result parsed = lookups.parse(text);
      if (!(parsed instanceof DmarcRecordParser.Parsed p)) {
        continue;
      }
      DmarcRecord r = p.record();
      String tag = failure ? "ruf" : "rua";
      if (!r.hasTag(tag)) {
        return new ReportDestination(uri, ReportDestination.Status.AUTHORIZED, Optional.of(uri));
      }
      // A replacement counts only if it stays on the same host (RFC 9990 §4).
      for (ReportUri replacement : failure ? r.ruf() : r.rua()) {
        if (replacement.host().flatMap(DomainName::parse).filter(host::equals).isPresent()) {
          return new ReportDestination(
              uri, ReportDestination.Status.AUTHORIZED, Optional.of(replacement));
        }
      }
      return new ReportDestination(uri, ReportDestination.Status.NOT_AUTHORIZED, Optional.empty());
    }
    return new ReportDestination(uri, ReportDestination.Status.NOT_AUTHORIZED, Optional.empty());
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
