// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Identifier alignment (RFC 9989 §4.4, RFC 7489 §3.1): strict means the same domain; relaxed means
 * the same Organizational Domain.
 */
final class IdentifierAlignment {
  /** Whether an identifier aligned with the Author Domain. */
  enum Verdict {
    ALIGNED,
    NOT_ALIGNED,
    /** An Organizational Domain needed for the answer could not be found for now. */
    TEMPFAIL
  }

  private final TreeWalk treeWalk;

  IdentifierAlignment(TreeWalk treeWalk) {
    this.treeWalk = treeWalk;
  }

  /**
   * Whether {@code identifier} (an SPF MAIL FROM domain or a DKIM {@code d=}) aligns with {@code
   * author} in mode {@code m}.
   *
   * <p>The Author Domain's Organizational Domain is found first. An identifier outside it cannot
   * share it (an Organizational Domain is always the name itself or one of its parents), so it is
   * not aligned and nothing is asked about it: otherwise a sender could make its own DNS fail for
   * the name in {@code d=} or MAIL FROM and turn a failing spoof of another domain into {@code
   * temperror}.
   */
  CompletableFuture<Verdict> aligned(DomainName author, String identifier, AlignmentMode m) {
    Optional<DomainName> id = DomainName.parse(identifier);
    if (id.isEmpty()) {
      return done(Verdict.NOT_ALIGNED);
    }
    if (id.get().equals(author)) {
      return done(Verdict.ALIGNED);
    }
    if (m == AlignmentMode.STRICT) {
      return done(Verdict.NOT_ALIGNED);
    }
    // Names without a common parent below the root cannot share an Organizational Domain.
    if (!author.lastLabels(1).equals(id.get().lastLabels(1))) {
      return done(Verdict.NOT_ALIGNED);
    }
    DomainName identifierName = id.get();
    return treeWalk
        .organizationalDomain(author)
        .thenCompose(
            x -> {
              if (!(x instanceof OrganizationalDomainOutcome.Found fx)) {
                return done(Verdict.TEMPFAIL);
              }
              DomainName org = fx.organizationalDomain();
              boolean finderIsSane = author.isSubdomainOf(org);
              if (finderIsSane && !identifierName.isSubdomainOf(org)) {
                return done(Verdict.NOT_ALIGNED);
              }
              return treeWalk
                  .organizationalDomain(identifierName)
                  .thenApply(
                      y ->
                          y instanceof OrganizationalDomainOutcome.Found fy
                              ? (org.equals(fy.organizationalDomain())
                                  ? Verdict.ALIGNED
                                  : Verdict.NOT_ALIGNED)
                              : Verdict.TEMPFAIL);
            });
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
