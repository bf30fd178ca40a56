// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The DNS tree walk (RFC 9989 §4.10) and the Organizational Domains it gives (§4.10.2), or that an
 * external finder gives (the Public Suffix List in RFC 7489 mode). One instance per evaluation:
 * each domain's Organizational Domain is found once.
 */
final class TreeWalk {
  private final DmarcLookups lookups;
  private final @Nullable OrganizationalDomainFinder external;
  private final Map<DomainName, CompletableFuture<OrganizationalDomainOutcome>> orgDomains =
      new ConcurrentHashMap<>();

  /**
   * @param external the finder that replaces the walk for Organizational Domains, or {@code null}
   */
  TreeWalk(DmarcLookups lookups, @Nullable OrganizationalDomainFinder external) {
    this.lookups = lookups;
    this.external = external;
  }

  /** The names a tree walk from {@code start} queries (RFC 9989 §4.10): at most eight. */
  static List<DomainName> walkNames(DomainName start) {
    List<DomainName> names = new ArrayList<>();
    names.add(start);
    int x = start.labelCount();
    for (int k = Math.min(x - 1, DmarcEvaluator.MAX_TREE_WALK_QUERIES - 1); k >= 1; k--) {
      names.add(start.lastLabels(k));
    }
    return names;
  }

  /** The result of a tree walk: the queries made, or a temporary failure. */
  record Walk(DomainName start, List<DiscoveredPolicy.Query> queries, boolean tempFail) {}

  /**
   * Walks up from {@code start}, stopping at a temporary failure, at a record with {@code psd=n},
   * or at a {@code psd=y} record above the start (RFC 9989 §4.10 steps 2-4).
   */
  CompletableFuture<Walk> walk(DomainName start) {
    return walkFrom(start, walkNames(start), 0, new ArrayList<>());
  }

  private CompletableFuture<Walk> walkFrom(
      DomainName start, List<DomainName> names, int i, List<DiscoveredPolicy.Query> done) {
    if (i >= names.size()) {
      return CompletableFuture.completedFuture(new Walk(start, done, false));
    }
    return lookups
        .queryDmarc(names.get(i))
        .thenCompose(
            q -> {
              done.add(q);
              if (q.answer() == DiscoveredPolicy.Answer.TEMPFAIL) {
                return CompletableFuture.completedFuture(new Walk(start, done, true));
              }
              if (q.answer() == DiscoveredPolicy.Answer.ONE_RECORD) {
                PsdFlag psd = lookups.recordOf(q).psd();
                if (psd == PsdFlag.N || (psd == PsdFlag.Y && i > 0)) {
                  return CompletableFuture.completedFuture(new Walk(start, done, false));
                }
              }
              return walkFrom(start, names, i + 1, done);
            });
  }

  /**
   * The Organizational Domain a walk gives (RFC 9989 §4.10.2): the name of a {@code psd=n} record;
   * the name one label below a {@code psd=y} record above the start; else the record with the
   * fewest labels; else the start itself.
   */
  DomainName selectOrganizational(Walk walk) {
    DomainName fewest = null;
    for (DiscoveredPolicy.Query q : walk.queries()) {
      if (q.answer() != DiscoveredPolicy.Answer.ONE_RECORD) {
        continue;
      }
      PsdFlag psd = lookups.recordOf(q).psd();
      if (psd == PsdFlag.N) {
        return q.domain();
      }
      if (psd == PsdFlag.Y && !q.domain().equals(walk.start())) {
        return walk.start().lastLabels(q.domain().labelCount() + 1);
      }
      fewest = q.domain();
    }
    return fewest == null ? walk.start() : fewest;
  }

  /** The Organizational Domain of {@code domain}, found once per evaluation. */
  CompletableFuture<OrganizationalDomainOutcome> organizationalDomain(DomainName domain) {
    return orgDomains.computeIfAbsent(domain, this::findOrganizational);
  }

  /** The Organizational Domain of {@code domain} if it is already known. */
  java.util.Optional<DomainName> knownOrganizationalDomain(DomainName domain) {
    CompletableFuture<OrganizationalDomainOutcome> f = orgDomains.get(domain);
    if (f != null && f.isDone() && f.join() instanceof OrganizationalDomainOutcome.Found found) {
      return java.util.Optional.of(found.organizationalDomain());
    }
    return java.util.Optional.empty();
  }

  /** The finished outcome for {@code domain}, if it was looked up. */
  java.util.Optional<OrganizationalDomainOutcome> finished(DomainName domain) {
    CompletableFuture<OrganizationalDomainOutcome> f = orgDomains.get(domain);
    return f != null && f.isDone() ? java.util.Optional.of(f.join()) : java.util.Optional.empty();
  }

  /**
   * Records that a walk from {@code domain}, made for policy discovery, gave {@code org}: the
   * alignment check would make the same walk (RFC 9989 §4.10.2 and §4.10.1 share it).
   */
  void rememberWalkResult(DomainName domain, DomainName org) {
    if (external == null) {
      orgDomains.putIfAbsent(
          domain,
          CompletableFuture.completedFuture(
              new OrganizationalDomainOutcome.Found(org, DiscoveryMethod.TREEWALK)));
    }
  }

  private CompletableFuture<OrganizationalDomainOutcome> findOrganizational(DomainName domain) {
    if (external != null) {
      return external
          .find(domain)
          .toCompletableFuture()
          .handle(
              (v, e) ->
                  e == null && v != null
                      ? v
                      : new OrganizationalDomainOutcome.TempFail(
                          "organizational domain finder failed: " + e));
    }
    return walk(domain)
        .thenApply(
            w ->
                w.tempFail()
                    ? new OrganizationalDomainOutcome.TempFail(
                        "_dmarc query failed during the tree walk from " + domain)
                    : new OrganizationalDomainOutcome.Found(
                        selectOrganizational(w), DiscoveryMethod.TREEWALK));
  }
}
