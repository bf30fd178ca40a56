// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Finds the DMARC policy record for an Author Domain: RFC 9989 §4.10.1 (the record at the domain,
 * else the tree walk's Organizational Domain record, else a {@code psd=y} record), or RFC 7489
 * §6.6.3 (the record at the domain, else at its Public Suffix List Organizational Domain).
 */
final class PolicyDiscovery {
  private final DmarcLookups lookups;
  private final TreeWalk treeWalk;
  private final DmarcMode mode;

  PolicyDiscovery(DmarcLookups lookups, TreeWalk treeWalk, DmarcMode mode) {
    this.lookups = lookups;
    this.treeWalk = treeWalk;
    this.mode = mode;
  }

  private DiscoveryMethod method() {
    return mode == DmarcMode.RFC7489 ? DiscoveryMethod.PSL : DiscoveryMethod.TREEWALK;
  }

  CompletableFuture<DiscoveredPolicy> discover(DomainName author) {
    return mode == DmarcMode.RFC7489 ? discover7489(author) : discover9989(author);
  }

  private DiscoveredPolicy found(
      DomainName author,
      DiscoveredPolicy.Query q,
      RecordSource source,
      Optional<DomainName> org,
      List<DiscoveredPolicy.Query> queries) {
    return new DiscoveredPolicy(
        author,
        mode,
        method(),
        Optional.of(lookups.recordOf(q)),
        Optional.of(q.domain()),
        Optional.of(source),
        org,
        Optional.empty(),
        queries);
  }

  private DiscoveredPolicy missing(
      DomainName author,
      DmarcReason reason,
      Optional<DomainName> org,
      List<DiscoveredPolicy.Query> queries) {
    return new DiscoveredPolicy(
        author,
        mode,
        method(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        org,
        Optional.of(reason),
        queries);
  }

  /** RFC 9989 §4.10.1. */
  private CompletableFuture<DiscoveredPolicy> discover9989(DomainName author) {
    return lookups
        .queryDmarc(author)
        .thenCompose(
            first -> {
              if (first.answer() == DiscoveredPolicy.Answer.TEMPFAIL) {
                return done(
                    missing(
                        author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.empty(), List.of(first)));
              }
              if (first.answer() == DiscoveredPolicy.Answer.ONE_RECORD) {
                DmarcRecord r = lookups.recordOf(first);
                Optional<DomainName> org =
                    r.psd() == PsdFlag.N ? Optional.of(author) : Optional.empty();
                return done(found(author, first, RecordSource.AUTHOR_DOMAIN, org, List.of(first)));
              }
              return treeWalk.walk(author).thenCompose(w -> afterWalk(author, w));
            });
  }

  /** Step 3 on: the Organizational Domain's record, else a {@code psd=y} record on the way. */
  private CompletableFuture<DiscoveredPolicy> afterWalk(DomainName author, TreeWalk.Walk w) {
    if (w.tempFail()) {
      return done(missing(author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.empty(), w.queries()));
    }
    DomainName org = treeWalk.selectOrganizational(w);
    treeWalk.rememberWalkResult(author, org);
    return lookups
        .queryDmarc(org)
        .thenApply(
            orgQuery -> {
              List<DiscoveredPolicy.Query> qs = new ArrayList<>(w.queries());
              if (!qs.contains(orgQuery)) {
                qs.add(orgQuery);
              }
              if (orgQuery.answer() == DiscoveredPolicy.Answer.ONE_RECORD
                  && !org.equals(author)
                  && lookups.recordOf(orgQuery).psd() != PsdFlag.Y) {
                return found(
                    author, orgQuery, RecordSource.ORGANIZATIONAL_DOMAIN, Optional.of(org), qs);
              }
              if (orgQuery.answer() == DiscoveredPolicy.Answer.TEMPFAIL) {
                return missing(author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.of(org), qs);
              }
              for (DiscoveredPolicy.Query q : w.queries()) {
                if (q.answer() == DiscoveredPolicy.Answer.ONE_RECORD
                    && !q.domain().equals(author)
                    && lookups.recordOf(q).psd() == PsdFlag.Y) {
                  return found(author, q, RecordSource.PUBLIC_SUFFIX_DOMAIN, Optional.of(org), qs);
                }
              }
              boolean multiple =
                  qs.stream().anyMatch(q -> q.answer() == DiscoveredPolicy.Answer.MULTIPLE_RECORDS);
              return missing(
                  author,
                  multiple ? DmarcReason.MULTIPLE_RECORDS : DmarcReason.NO_RECORD,
                  Optional.of(org),
                  qs);
            });
  }

  /** RFC 7489 §6.6.3. */
  private CompletableFuture<DiscoveredPolicy> discover7489(DomainName author) {
    return lookups
        .queryDmarc(author)
        .thenCompose(
            first -> {
              List<DiscoveredPolicy.Query> qs = List.of(first);
              switch (first.answer()) {
                case TEMPFAIL:
                  return done(
                      missing(author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.empty(), qs));
                case ONE_RECORD:
                  return done(
                      found(author, first, RecordSource.AUTHOR_DOMAIN, Optional.empty(), qs));
                case MULTIPLE_RECORDS:
                  return done(missing(author, DmarcReason.MULTIPLE_RECORDS, Optional.empty(), qs));
                default:
                  break;
              }
              return treeWalk
                  .organizationalDomain(author)
                  .thenCompose(orgOutcome -> atOrganizationalDomain(author, first, orgOutcome));
            });
  }

  private CompletableFuture<DiscoveredPolicy> atOrganizationalDomain(
      DomainName author, DiscoveredPolicy.Query first, OrganizationalDomainOutcome orgOutcome) {
    List<DiscoveredPolicy.Query> qs = List.of(first);
    if (!(orgOutcome instanceof OrganizationalDomainOutcome.Found f)) {
      return done(
          missing(author, DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN, Optional.empty(), qs));
    }
    DomainName org = f.organizationalDomain();
    if (org.equals(author)) {
      return done(missing(author, DmarcReason.NO_RECORD, Optional.of(org), qs));
    }
    return lookups
        .queryDmarc(org)
        .thenApply(
            second -> {
              List<DiscoveredPolicy.Query> all = List.of(first, second);
              switch (second.answer()) {
                case TEMPFAIL:
                  return missing(author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.of(org), all);
                case ONE_RECORD:
                  return found(
                      author, second, RecordSource.ORGANIZATIONAL_DOMAIN, Optional.of(org), all);
                case MULTIPLE_RECORDS:
                  return missing(author, DmarcReason.MULTIPLE_RECORDS, Optional.of(org), all);
                default:
                  return missing(author, DmarcReason.NO_RECORD, Optional.of(org), all);
              }
            });
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
