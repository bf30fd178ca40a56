// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import io.github.dmarcj.message.FromStatus;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One DMARC evaluation (RFC 9989 §5.3), in the order a reader expects: the Author Domain(s) from
 * the input, {@linkplain PolicyDiscovery policy discovery}, then every DNS fact the decision needs
 * gathered at once ({@linkplain IdentifierAlignment alignment}, existence for {@code np}), then the
 * {@linkplain PolicySelection decision} made synchronously over those facts, then the {@linkplain
 * ReportDestinationCheck report destinations} if they are checked here.
 *
 * <p>One instance per evaluation: the {@code _dmarc} answers and Organizational Domains it learns
 * are shared by the walks of this message only.
 */
final class Evaluation {
  /** The evaluator's settings; null only for the stand-alone tree walk, which never evaluates. */
  private final @Nullable DmarcEvaluator cfg;

  private final DmarcMode mode;
  private final DmarcLookups lookups;
  private final TreeWalk treeWalk;
  private final PolicyDiscovery discovery;
  private final IdentifierAlignment alignment;
  private final ReportDestinationCheck destinations;

  Evaluation(DmarcEvaluator cfg) {
    this(cfg.resolver, cfg, cfg.mode);
  }

  /** For the stand-alone tree-walk finder. */
  Evaluation(DnsResolver resolver) {
    this(resolver, null, DmarcMode.RFC9989);
  }

  private Evaluation(DnsResolver resolver, @Nullable DmarcEvaluator cfg, DmarcMode mode) {
    this.cfg = cfg;
    this.mode = mode;
    this.lookups = new DmarcLookups(resolver, cfg);
    this.treeWalk = new TreeWalk(lookups, cfg == null ? null : cfg.pslFinder);
    this.discovery = new PolicyDiscovery(lookups, treeWalk, mode);
    this.alignment = new IdentifierAlignment(treeWalk);
    this.destinations =
        new ReportDestinationCheck(
            lookups,
            treeWalk,
            cfg == null
                ? DmarcEvaluator.DEFAULT_MAX_REPORT_DESTINATIONS
                : cfg.maxReportDestinations);
  }

  /**
   * {@return the evaluator's settings} Only evaluating needs them, and only an evaluator evaluates.
   */
  private DmarcEvaluator cfg() {
    return Objects.requireNonNull(cfg, "evaluation without an evaluator");
  }

  CompletableFuture<OrganizationalDomainOutcome> organizationalDomain(DomainName domain) {
    return treeWalk.organizationalDomain(domain);
  }

  CompletableFuture<DiscoveredPolicy> discover(DomainName author) {
    return discovery.discover(author);
  }

  CompletableFuture<List<ReportDestination>> destinations(
      DomainName policyDomain, List<ReportUri> uris, boolean failure) {
    return destinations.check(policyDomain, uris, failure);
  }

  // ---------------------------------------------------------------- evaluation

  CompletableFuture<DmarcOutcome> evaluate(DmarcInput input) {
    CompletableFuture<DmarcOutcome> out;
    try {
      out =
          evaluateChecked(input)
              .thenApply(this::withListUsed)
              .exceptionally(e -> bare(DmarcResult.TEMPERROR, DmarcReason.INTERNAL_ERROR, null));
    } catch (RuntimeException e) {
      out = done(bare(DmarcResult.TEMPERROR, DmarcReason.INTERNAL_ERROR, null));
    }
    if (input.headerLimitExceeded()) {
      // A limit must never leave a message better off: no "none", and at least the floor.
      return out.thenApply(o -> o.withHeaderLimitExceeded(cfg().headerLimitDisposition));
    }
    return out;
  }

  /** The Author Domain(s) of the input (RFC 9989 §5.3.1; several only in strictest mode). */
  private CompletableFuture<DmarcOutcome> evaluateChecked(DmarcInput input) {
    if (input.fromStatus() == FromStatus.OK) {
      Optional<DomainName> d = DomainName.parse(input.authorDomains().get(0));
      if (d.isEmpty()) {
        return done(bare(DmarcResult.NONE, DmarcReason.FROM_INVALID_DOMAIN, null));
      }
      return evaluateDomain(input, d.get());
    }
    DmarcReason reason;
    switch (input.fromStatus()) {
      case MISSING:
        reason = DmarcReason.FROM_MISSING;
        break;
      case MULTIPLE_FIELDS:
        reason = DmarcReason.FROM_MULTIPLE_FIELDS;
        break;
      case MULTIPLE_ADDRESSES:
        reason = DmarcReason.FROM_MULTIPLE_ADDRESSES;
        break;
      case NO_ADDRESS:
        return done(bare(DmarcResult.NONE, DmarcReason.FROM_NO_ADDRESS, null));
      case DOMAIN_LITERAL:
        return done(bare(DmarcResult.NONE, DmarcReason.FROM_DOMAIN_LITERAL, null));
      case INVALID_DOMAIN:
        return done(bare(DmarcResult.NONE, DmarcReason.FROM_INVALID_DOMAIN, null));
      default:
        return done(bare(DmarcResult.NONE, DmarcReason.FROM_UNPARSEABLE, null));
    }
    if (input.authorDomains().isEmpty()) {
      return done(bare(DmarcResult.NONE, reason, null));
    }
    Set<DomainName> domains = new LinkedHashSet<>();
    for (String s : input.authorDomains()) {
      Optional<DomainName> d = DomainName.parse(s);
      if (d.isEmpty()) {
        return done(bare(DmarcResult.NONE, DmarcReason.FROM_INVALID_DOMAIN, null));
      }
      domains.add(d.get());
    }
    // RFC 9989 §5.3.1: several addresses with one and the same domain are evaluated normally.
    if (input.fromStatus() == FromStatus.MULTIPLE_ADDRESSES && domains.size() == 1) {
      return evaluateDomain(input, domains.iterator().next());
    }
    if (cfg().maxAuthorDomains == 0) {
      return done(bare(DmarcResult.NONE, reason, null));
    }
    if (domains.size() > cfg().maxAuthorDomains) {
      return done(bare(DmarcResult.NONE, DmarcReason.TOO_MANY_AUTHOR_DOMAINS, null));
    }
    List<CompletableFuture<DmarcOutcome>> each = new ArrayList<>();
    for (DomainName d : domains) {
      each.add(evaluateDomain(input, d));
    }
    return CompletableFuture.allOf(each.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              DmarcOutcome best = null;
              for (CompletableFuture<DmarcOutcome> f : each) {
                DmarcOutcome o = f.join();
                if (best == null || rank(o) > rank(best)) {
                  best = o;
                }
              }
              return best;
            });
  }

  /** Strictest first: fail by disposition and requested policy, then temperror, pass, none. */
  private static int rank(DmarcOutcome o) {
    switch (o.result()) {
      case FAIL:
        return 100
            + o.disposition().ordinal() * 10
            + o.requestedPolicy().map(Enum::ordinal).orElse(0);
      case TEMPERROR:
      case PERMERROR:
        return 50;
      case PASS:
        return 10;
      default:
        return 0;
    }
  }

  private DmarcOutcome.NoPolicyApplied bare(
      DmarcResult result, @Nullable DmarcReason reason, @Nullable DomainName from) {
    return DmarcOutcome.unapplied(
        result,
        Optional.ofNullable(reason),
        mode,
        Optional.ofNullable(from),
        result == DmarcResult.TEMPERROR ? cfg().tempErrorDisposition : DmarcPolicy.NONE);
  }

  private CompletableFuture<DmarcOutcome> evaluateDomain(DmarcInput input, DomainName author) {
    return discover(author).thenCompose(disc -> withDiscovery(input, author, disc));
  }

  private CompletableFuture<DmarcOutcome> withDiscovery(
      DmarcInput input, DomainName author, DiscoveredPolicy disc) {
    if (disc.record().isEmpty()) {
      DmarcReason reason = disc.problem().orElse(DmarcReason.NO_RECORD);
      boolean temp =
          reason == DmarcReason.DNS_TEMPFAIL_RECORD
              || reason == DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN;
      DmarcOutcome o = bare(temp ? DmarcResult.TEMPERROR : DmarcResult.NONE, reason, author);
      return done(o.withContext(o.context().withOrganizationalDomain(disc.organizationalDomain())));
    }
    DmarcRecord record = disc.record().get();
    DmarcOutcome.FoundRecord found =
        new DmarcOutcome.FoundRecord(disc.policyDomain().get(), disc.source().get(), record);
    DmarcRecord.PolicyStatus status = record.policyStatus(mode);
    if (status == DmarcRecord.PolicyStatus.UNUSABLE) {
      return done(
          new DmarcOutcome.NoPolicyApplied(
              DmarcResult.NONE,
              Optional.of(DmarcReason.UNUSABLE_RECORD),
              DmarcOutcome.Context.of(mode, Optional.of(author))
                  .withOrganizationalDomain(disc.organizationalDomain()),
              Optional.of(found),
              DmarcOutcome.Decision.of(DmarcPolicy.NONE),
              false));
    }
    return gatherFacts(input, author, disc, found, status)
        .thenApply(
            facts -> {
              DmarcOutcome.PolicyApplied o =
                  PolicySelection.select(
                      facts, cfg().tempErrorDisposition, cfg().authTempErrorIsTempError);
              if (o.result() == DmarcResult.FAIL) {
                o = PolicySelection.modifiers(o, mode, cfg().honourPct, this::pctDraw);
                o = PolicySelection.overrides(input, o, cfg().overrides);
              }
              return o;
            })
        .thenCompose(o -> withDestinations(o, found));
  }

  /**
   * Every DNS fact the decision needs, asked at once: alignment of the SPF MAIL FROM domain and of
   * every passing DKIM {@code d=} (RFC 9989 §4.4), of the identifiers whose check ended in
   * temperror (§5.3.6), and the Author Domain's existence when the record's {@code np} may apply
   * (§4.10.1).
   */
  private CompletableFuture<PolicySelection.Facts> gatherFacts(
      DmarcInput input,
      DomainName author,
      DiscoveredPolicy disc,
      DmarcOutcome.FoundRecord found,
      DmarcRecord.PolicyStatus status) {
    DmarcRecord record = found.record();
    CompletableFuture<IdentifierAlignment.Verdict> spfPass =
        done(IdentifierAlignment.Verdict.NOT_ALIGNED);
    CompletableFuture<IdentifierAlignment.Verdict> spfTemp =
        done(IdentifierAlignment.Verdict.NOT_ALIGNED);
    if (input.spf().isPresent() && input.spf().get().scope() == SpfScope.MFROM) {
      SpfOutcome spf = input.spf().get();
      if (spf.result() == SpfResult.PASS) {
        spfPass = alignment.aligned(author, spf.domain(), record.aspf());
      } else if (spf.result() == SpfResult.TEMPERROR) {
        spfTemp = alignment.aligned(author, spf.domain(), record.aspf());
      }
    }
    List<DkimOutcome> passing = new ArrayList<>();
    List<CompletableFuture<IdentifierAlignment.Verdict>> dkimPass = new ArrayList<>();
    List<CompletableFuture<IdentifierAlignment.Verdict>> dkimTemp = new ArrayList<>();
    for (DkimOutcome d : input.dkim()) {
      if (d.result() == DkimResult.PASS) {
        passing.add(d);
        dkimPass.add(alignment.aligned(author, d.domain(), record.adkim()));
      } else if (d.result() == DkimResult.TEMPERROR) {
        dkimTemp.add(alignment.aligned(author, d.domain(), record.adkim()));
      }
    }
    CompletableFuture<DmarcLookups.Existence> exists = done(DmarcLookups.Existence.EXISTS);
    if (found.source() != RecordSource.AUTHOR_DOMAIN
        && mode == DmarcMode.RFC9989
        && status == DmarcRecord.PolicyStatus.VALID
        && record.np().isPresent()) {
      exists = lookups.existence(author);
    }
    List<CompletableFuture<?>> all = new ArrayList<>();
    all.add(spfPass);
    all.add(spfTemp);
    all.addAll(dkimPass);
    all.addAll(dkimTemp);
    all.add(exists);
    final CompletableFuture<IdentifierAlignment.Verdict> spfA = spfPass;
    final CompletableFuture<IdentifierAlignment.Verdict> spfT = spfTemp;
    final CompletableFuture<DmarcLookups.Existence> ex = exists;
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              boolean spfOk = spfA.join() == IdentifierAlignment.Verdict.ALIGNED;
              boolean unknown = spfA.join() == IdentifierAlignment.Verdict.TEMPFAIL;
              DkimOutcome alignedDkim = null;
              for (int i = 0; i < passing.size(); i++) {
                IdentifierAlignment.Verdict a = dkimPass.get(i).join();
                if (a == IdentifierAlignment.Verdict.ALIGNED && alignedDkim == null) {
                  alignedDkim = passing.get(i);
                }
                unknown |= a == IdentifierAlignment.Verdict.TEMPFAIL;
              }
              boolean tempAligned = spfT.join() == IdentifierAlignment.Verdict.ALIGNED;
              for (CompletableFuture<IdentifierAlignment.Verdict> t : dkimTemp) {
                tempAligned |= t.join() == IdentifierAlignment.Verdict.ALIGNED;
              }
              DmarcOutcome.Context context =
                  DmarcOutcome.Context.of(mode, Optional.of(author))
                      .withOrganizationalDomain(knownOrg(author, disc));
              return new PolicySelection.Facts(
                  context,
                  found,
                  status,
                  spfOk,
                  Optional.ofNullable(alignedDkim),
                  unknown,
                  tempAligned,
                  ex.join());
            });
  }

  /** A {@code pct} draw in 0..99 from the configured source (RFC 7489 §6.3). */
  private int pctDraw() {
    RandomGenerator random = cfg().random;
    if (random == null) {
      return ThreadLocalRandom.current().nextInt(100);
    }
    synchronized (random) {
      return random.nextInt(100);
    }
  }

  /**
   * In RFC 7489 mode, names the Public Suffix List that gave the Author Domain's Organizational
   * Domain (its version can change results), so a result can be traced to the list behind it.
   */
  private DmarcOutcome withListUsed(DmarcOutcome o) {
    if (mode != DmarcMode.RFC7489 || o.fromDomain().isEmpty()) {
      return o;
    }
    Optional<OrganizationalDomainOutcome> f = treeWalk.finished(o.fromDomain().get());
    if (f.isPresent()
        && f.get() instanceof OrganizationalDomainOutcome.Found found
        && found.publicSuffixList().isPresent()) {
      return o.withContext(o.context().withPublicSuffixList(found.publicSuffixList()));
    }
    return o;
  }

  private Optional<DomainName> knownOrg(DomainName author, DiscoveredPolicy disc) {
    if (disc.organizationalDomain().isPresent()) {
      return disc.organizationalDomain();
    }
    return treeWalk.knownOrganizationalDomain(author);
  }

  /** The record's destinations: checked here if configured, else left for the report sender. */
  private CompletableFuture<DmarcOutcome> withDestinations(
      DmarcOutcome.PolicyApplied o, DmarcOutcome.FoundRecord found) {
    DmarcRecord record = found.record();
    if (record.rua().isEmpty() && record.ruf().isEmpty()) {
      return done(o);
    }
    boolean check = cfg().checkReportDestinations;
    DomainName policyDomain = found.policyDomain();
    CompletableFuture<List<ReportDestination>> rua =
        check
            ? destinations(policyDomain, record.rua(), false)
            : done(ReportDestinationCheck.notChecked(record.rua()));
    CompletableFuture<List<ReportDestination>> ruf;
    if (found.source() == RecordSource.PUBLIC_SUFFIX_DOMAIN) {
      ruf = done(ReportDestinationCheck.heldForPublicSuffix(record.ruf()));
    } else {
      ruf =
          check
              ? destinations(policyDomain, record.ruf(), true)
              : done(ReportDestinationCheck.notChecked(record.ruf()));
    }
    return rua.thenCombine(ruf, (a, f) -> o.withDestinations(new DmarcOutcome.Destinations(a, f)));
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
