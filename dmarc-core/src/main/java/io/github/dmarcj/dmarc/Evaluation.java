// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of one evaluation: a memo of {@code _dmarc} answers and Organizational Domains, so
 * that walks sharing names query each name once (SPEC DMARC-17).
 */
final class Evaluation {
  private final DnsResolver resolver;
  private final DmarcEvaluator cfg;
  private final DmarcMode mode;
  private final Map<DomainName, CompletableFuture<DmarcDiscovery.Query>> dmarcQueries =
      new ConcurrentHashMap<>();
  private final Map<DomainName, CompletableFuture<OrganizationalDomainOutcome>> orgDomains =
      new ConcurrentHashMap<>();
  /** Domains whose {@code _dmarc} name answered with records or NODATA, so they exist. */
  private final Set<DomainName> knownToExist = ConcurrentHashMap.newKeySet();

  Evaluation(DmarcEvaluator cfg) {
    this.resolver = cfg.resolver;
    this.cfg = cfg;
    this.mode = cfg.mode;
  }

  /** For the stand-alone tree-walk finder. */
  Evaluation(DnsResolver resolver) {
    this.resolver = resolver;
    this.cfg = null;
    this.mode = DmarcMode.RFC9989;
  }

  private DiscoveryMethod method() {
    return mode == DmarcMode.RFC7489 ? DiscoveryMethod.PSL : DiscoveryMethod.TREEWALK;
  }

  // ---------------------------------------------------------------- _dmarc queries

  CompletableFuture<DmarcDiscovery.Query> queryDmarc(DomainName domain) {
    return dmarcQueries.computeIfAbsent(domain, this::doQueryDmarc);
  }

  private CompletableFuture<DmarcDiscovery.Query> doQueryDmarc(DomainName domain) {
    Optional<DomainName> name = DomainName.parse("_dmarc." + domain.name());
    if (name.isEmpty()) {
      return CompletableFuture.completedFuture(
          new DmarcDiscovery.Query(domain, DmarcDiscovery.Answer.NO_RECORD, List.of()));
    }
    return safe(resolver.txt(name.get().name()))
        .thenApply(
            lookup -> {
              if (lookup instanceof DnsLookup.TempFail) {
                return new DmarcDiscovery.Query(domain, DmarcDiscovery.Answer.TEMPFAIL, List.of());
              }
              if (!(lookup instanceof DnsLookup.NxDomain)) {
                knownToExist.add(domain);
              }
              List<String> texts = new ArrayList<>();
              List<DmarcRecordParser.NotDmarc> discarded = new ArrayList<>(0);
              for (String t : lookup.recordsOrEmpty()) {
                if (DmarcRecordParser.looksLikeDmarc(t)) {
                  DmarcRecordParser.Result r = parse(t);
                  if (r instanceof DmarcRecordParser.Parsed p) {
                    parsedRecords.putIfAbsent(t, p.record());
                    texts.add(t);
                  } else {
                    discarded.add((DmarcRecordParser.NotDmarc) r);
                  }
                }
              }
              DmarcDiscovery.Answer a =
                  texts.isEmpty()
                      ? DmarcDiscovery.Answer.NO_RECORD
                      : texts.size() == 1
                          ? DmarcDiscovery.Answer.ONE_RECORD
                          : DmarcDiscovery.Answer.MULTIPLE_RECORDS;
              return new DmarcDiscovery.Query(domain, a, texts, discarded);
            });
  }

  /** A lookup that completes exceptionally (a broken resolver) becomes a temporary failure. */
  private static <T> CompletableFuture<DnsLookup<T>> safe(CompletionStage<DnsLookup<T>> stage) {
    return stage
        .toCompletableFuture()
        .handle(
            (v, e) ->
                e == null && v != null
                    ? v
                    : DnsLookup.tempFail(
                        io.github.dmarcj.dns.TempFailReason.OTHER,
                        e == null ? "null lookup" : String.valueOf(e.getMessage())));
  }

  /** Records parsed during this evaluation, by text, so each text is parsed once. */
  private final Map<String, DmarcRecord> parsedRecords = new ConcurrentHashMap<>();

  private DmarcRecord recordOf(DmarcDiscovery.Query q) {
    return parsed(q.dmarcTexts().get(0));
  }

  /** The record of a text known to parse. */
  private DmarcRecord parsed(String text) {
    return parsedRecords.computeIfAbsent(
        text, t -> ((DmarcRecordParser.Parsed) parse(t)).record());
  }

  private DmarcRecordParser.Result parse(String text) {
    return cfg == null ? DmarcRecordParser.parse(text) : cfg.parse(text);
  }

  // ---------------------------------------------------------------- tree walk

  /** The names a tree walk from {@code start} queries (RFC 9989 §4.10, SPEC DMARC-11). */
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
  record Walk(DomainName start, List<DmarcDiscovery.Query> queries, boolean tempFail) {}

  CompletableFuture<Walk> walk(DomainName start) {
    List<DomainName> names = walkNames(start);
    return walkFrom(start, names, 0, new ArrayList<>());
  }

  private CompletableFuture<Walk> walkFrom(
      DomainName start, List<DomainName> names, int i, List<DmarcDiscovery.Query> done) {
    if (i >= names.size()) {
      return CompletableFuture.completedFuture(new Walk(start, done, false));
    }
    return queryDmarc(names.get(i))
        .thenCompose(
            q -> {
              done.add(q);
              if (q.answer() == DmarcDiscovery.Answer.TEMPFAIL) {
                return CompletableFuture.completedFuture(new Walk(start, done, true));
              }
              if (q.answer() == DmarcDiscovery.Answer.ONE_RECORD) {
                PsdFlag psd = recordOf(q).psd();
                if (psd == PsdFlag.N || (psd == PsdFlag.Y && i > 0)) {
                  return CompletableFuture.completedFuture(new Walk(start, done, false));
                }
              }
              return walkFrom(start, names, i + 1, done);
            });
  }

  /** Organizational Domain selection from a walk (RFC 9989 §4.10.2, SPEC DMARC-15, PIT-18). */
  DomainName selectOrganizational(Walk walk) {
    DomainName fewest = null;
    for (DmarcDiscovery.Query q : walk.queries()) {
      if (q.answer() != DmarcDiscovery.Answer.ONE_RECORD) {
        continue;
      }
      PsdFlag psd = recordOf(q).psd();
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

  CompletableFuture<OrganizationalDomainOutcome> organizationalDomain(DomainName domain) {
    return orgDomains.computeIfAbsent(domain, this::findOrganizational);
  }

  private CompletableFuture<OrganizationalDomainOutcome> findOrganizational(DomainName domain) {
    OrganizationalDomainFinder external = cfg == null ? null : cfg.pslFinder;
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

  // ---------------------------------------------------------------- policy discovery

  CompletableFuture<DmarcDiscovery> discover(DomainName author) {
    return mode == DmarcMode.RFC7489 ? discover7489(author) : discover9989(author);
  }

  private DmarcDiscovery found(
      DomainName author,
      DmarcDiscovery.Query q,
      RecordSource source,
      Optional<DomainName> org,
      List<DmarcDiscovery.Query> queries) {
    return new DmarcDiscovery(
        author,
        mode,
        method(),
        Optional.of(recordOf(q)),
        Optional.of(q.domain()),
        Optional.of(source),
        org,
        Optional.empty(),
        queries);
  }

  private DmarcDiscovery missing(
      DomainName author,
      DmarcReason reason,
      Optional<DomainName> org,
      List<DmarcDiscovery.Query> queries) {
    return new DmarcDiscovery(
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

  private CompletableFuture<DmarcDiscovery> discover9989(DomainName author) {
    return queryDmarc(author)
        .thenCompose(
            first -> {
              if (first.answer() == DmarcDiscovery.Answer.TEMPFAIL) {
                return done(
                    missing(author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.empty(), List.of(first)));
              }
              if (first.answer() == DmarcDiscovery.Answer.ONE_RECORD) {
                DmarcRecord r = recordOf(first);
                Optional<DomainName> org =
                    r.psd() == PsdFlag.N ? Optional.of(author) : Optional.empty();
                return done(found(author, first, RecordSource.AUTHOR_DOMAIN, org, List.of(first)));
              }
              return walk(author)
                  .thenCompose(
                      w -> {
                        if (w.tempFail()) {
                          return done(
                              missing(
                                  author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.empty(),
                                  w.queries()));
                        }
                        DomainName org = selectOrganizational(w);
                        if (cfg == null || cfg.pslFinder == null) {
                          // The walk just made is the one the alignment check would make.
                          orgDomains.putIfAbsent(
                              author,
                              CompletableFuture.completedFuture(
                                  new OrganizationalDomainOutcome.Found(
                                      org, DiscoveryMethod.TREEWALK)));
                        }
                        return queryDmarc(org)
                            .thenApply(
                                orgQuery -> {
                                  List<DmarcDiscovery.Query> qs = new ArrayList<>(w.queries());
                                  if (!qs.contains(orgQuery)) {
                                    qs.add(orgQuery);
                                  }
                                  if (orgQuery.answer() == DmarcDiscovery.Answer.ONE_RECORD
                                      && !org.equals(author)
                                      && recordOf(orgQuery).psd() != PsdFlag.Y) {
                                    return found(
                                        author, orgQuery, RecordSource.ORGANIZATIONAL_DOMAIN,
                                        Optional.of(org), qs);
                                  }
                                  if (orgQuery.answer() == DmarcDiscovery.Answer.TEMPFAIL) {
                                    return missing(
                                        author, DmarcReason.DNS_TEMPFAIL_RECORD,
                                        Optional.of(org), qs);
                                  }
                                  for (DmarcDiscovery.Query q : w.queries()) {
                                    if (q.answer() == DmarcDiscovery.Answer.ONE_RECORD
                                        && !q.domain().equals(author)
                                        && recordOf(q).psd() == PsdFlag.Y) {
                                      return found(
                                          author, q, RecordSource.PUBLIC_SUFFIX_DOMAIN,
                                          Optional.of(org), qs);
                                    }
                                  }
                                  boolean multiple =
                                      qs.stream()
                                          .anyMatch(
                                              q ->
                                                  q.answer()
                                                      == DmarcDiscovery.Answer.MULTIPLE_RECORDS);
                                  return missing(
                                      author,
                                      multiple ? DmarcReason.MULTIPLE_RECORDS : DmarcReason.NO_RECORD,
                                      Optional.of(org),
                                      qs);
                                });
                      });
            });
  }

  private CompletableFuture<DmarcDiscovery> discover7489(DomainName author) {
    return queryDmarc(author)
        .thenCompose(
            first -> {
              List<DmarcDiscovery.Query> qs = List.of(first);
              switch (first.answer()) {
                case TEMPFAIL:
                  return done(
                      missing(author, DmarcReason.DNS_TEMPFAIL_RECORD, Optional.empty(), qs));
                case ONE_RECORD:
                  return done(found(author, first, RecordSource.AUTHOR_DOMAIN, Optional.empty(), qs));
                case MULTIPLE_RECORDS:
                  return done(missing(author, DmarcReason.MULTIPLE_RECORDS, Optional.empty(), qs));
                default:
                  break;
              }
              return organizationalDomain(author)
                  .thenCompose(
                      orgOutcome -> {
                        if (!(orgOutcome instanceof OrganizationalDomainOutcome.Found f)) {
                          return done(
                              missing(
                                  author, DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN,
                                  Optional.empty(), qs));
                        }
                        DomainName org = f.organizationalDomain();
                        if (org.equals(author)) {
                          return done(missing(author, DmarcReason.NO_RECORD, Optional.of(org), qs));
                        }
                        return queryDmarc(org)
                            .thenApply(
                                second -> {
                                  List<DmarcDiscovery.Query> all = List.of(first, second);
                                  switch (second.answer()) {
                                    case TEMPFAIL:
                                      return missing(
                                          author, DmarcReason.DNS_TEMPFAIL_RECORD,
                                          Optional.of(org), all);
                                    case ONE_RECORD:
                                      return found(
                                          author, second, RecordSource.ORGANIZATIONAL_DOMAIN,
                                          Optional.of(org), all);
                                    case MULTIPLE_RECORDS:
                                      return missing(
                                          author, DmarcReason.MULTIPLE_RECORDS, Optional.of(org),
                                          all);
                                    default:
                                      return missing(
                                          author, DmarcReason.NO_RECORD, Optional.of(org), all);
                                  }
                                });
                      });
            });
  }

  private static <T> CompletableFuture<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  // ---------------------------------------------------------------- existence (np)

  enum Existence {
    EXISTS,
    NON_EXISTENT,
    UNKNOWN
  }

  /**
   * Whether a domain exists (RFC 9989 §3.2.13, App. A.4; RFC 8020): a name exists unless a query
   * for it gives NXDOMAIN. An answer for {@code _dmarc.<domain>} already proves existence;
   * otherwise A, AAAA and MX are asked in parallel: any answer or NODATA means it exists, else an
   * NXDOMAIN means it does not, else (only temporary failures) it is unknown. Known limit: a name
   * that is only a CNAME to a missing target reads as non-existent, since the resolver interface
   * has no CNAME query.
   */
  CompletableFuture<Existence> existence(DomainName domain) {
    // _dmarc.<domain> answered (records or NODATA): that name exists, so <domain> does too.
    if (knownToExist.contains(domain)) {
      return done(Existence.EXISTS);
    }
    CompletableFuture<DnsLookup<java.net.Inet4Address>> a = safe(resolver.a(domain.name()));
    CompletableFuture<DnsLookup<java.net.Inet6Address>> aaaa = safe(resolver.aaaa(domain.name()));
    CompletableFuture<DnsLookup<io.github.dmarcj.dns.MxRecord>> mx = safe(resolver.mx(domain.name()));
    return CompletableFuture.allOf(a, aaaa, mx)
        .thenApply(
            v -> {
              List<DnsLookup<?>> all = List.of(a.join(), aaaa.join(), mx.join());
              boolean nx = false;
              for (DnsLookup<?> l : all) {
                if (l instanceof DnsLookup.Found || l instanceof DnsLookup.NoData) {
                  return Existence.EXISTS;
                }
                nx |= l instanceof DnsLookup.NxDomain;
              }
              return nx ? Existence.NON_EXISTENT : Existence.UNKNOWN;
            });
  }

  // ---------------------------------------------------------------- alignment

  enum Alignment {
    ALIGNED,
    NOT_ALIGNED,
    TEMPFAIL
  }

  CompletableFuture<Alignment> aligned(DomainName author, String identifier, AlignmentMode m) {
    Optional<DomainName> id = DomainName.parse(identifier);
    if (id.isEmpty()) {
      return done(Alignment.NOT_ALIGNED);
    }
    if (id.get().equals(author)) {
      return done(Alignment.ALIGNED);
    }
    if (m == AlignmentMode.STRICT) {
      return done(Alignment.NOT_ALIGNED);
    }
    // Names without a common parent below the root cannot share an Organizational Domain.
    if (!author.lastLabels(1).equals(id.get().lastLabels(1))) {
      return done(Alignment.NOT_ALIGNED);
    }
    // The author's Organizational Domain first: an identifier outside it cannot share it (an
    // Organizational Domain is always the name itself or one of its parents), so no query about
    // that identifier is made. Otherwise a sender could make its own DNS fail for the name in
    // d= or MAIL FROM and turn a failing spoof of someone else's domain into temperror.
    DomainName identifierName = id.get();
    return organizationalDomain(author)
        .thenCompose(
            x -> {
              if (!(x instanceof OrganizationalDomainOutcome.Found fx)) {
                return done(Alignment.TEMPFAIL);
              }
              DomainName org = fx.organizationalDomain();
              boolean finderIsSane = author.equals(org) || author.isSubdomainOf(org);
              if (finderIsSane
                  && !identifierName.equals(org)
                  && !identifierName.isSubdomainOf(org)) {
                return done(Alignment.NOT_ALIGNED);
              }
              return organizationalDomain(identifierName)
                  .thenApply(
                      y ->
                          y instanceof OrganizationalDomainOutcome.Found fy
                              ? (org.equals(fy.organizationalDomain())
                                  ? Alignment.ALIGNED
                                  : Alignment.NOT_ALIGNED)
                              : Alignment.TEMPFAIL);
            });
  }

  // ---------------------------------------------------------------- evaluation

  CompletableFuture<DmarcOutcome> evaluate(DmarcInput input) {
    CompletableFuture<DmarcOutcome> out;
    try {
      out = evaluateChecked(input)
          .thenApply(this::withListUsed)
          .exceptionally(e -> bare(DmarcResult.TEMPERROR, DmarcReason.INTERNAL_ERROR, null));
    } catch (RuntimeException e) {
      out = done(bare(DmarcResult.TEMPERROR, DmarcReason.INTERNAL_ERROR, null));
    }
    if (input.headerLimitExceeded()) {
      // A limit must never leave a message better off: no "none", and at least the floor.
      return out.thenApply(o -> o.withHeaderLimitExceeded(cfg.headerLimitDisposition));
    }
    return out;
  }

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
    if (cfg.maxAuthorDomains == 0) {
      return done(bare(DmarcResult.NONE, reason, null));
    }
    if (domains.size() > cfg.maxAuthorDomains) {
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

  private DmarcOutcome bare(DmarcResult result, DmarcReason reason, DomainName from) {
    return DmarcOutcome.unapplied(
        result,
        Optional.ofNullable(reason),
        mode,
        Optional.ofNullable(from),
        result == DmarcResult.TEMPERROR ? cfg.tempErrorDisposition : DmarcPolicy.NONE);
  }

  private CompletableFuture<DmarcOutcome> evaluateDomain(DmarcInput input, DomainName author) {
    return discover(author).thenCompose(disc -> withDiscovery(input, author, disc));
  }

  private CompletableFuture<DmarcOutcome> withDiscovery(
      DmarcInput input, DomainName author, DmarcDiscovery disc) {
    if (disc.record().isEmpty()) {
      DmarcReason reason = disc.problem().orElse(DmarcReason.NO_RECORD);
      boolean temp =
          reason == DmarcReason.DNS_TEMPFAIL_RECORD
              || reason == DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN;
      DmarcOutcome o = bare(temp ? DmarcResult.TEMPERROR : DmarcResult.NONE, reason, author);
      return done(withOrg(o, disc.organizationalDomain()));
    }
    DmarcRecord record = disc.record().get();
    DomainName policyDomain = disc.policyDomain().get();
    RecordSource source = disc.source().get();
    DmarcRecord.PolicyStatus status = record.policyStatus(mode);
    if (status == DmarcRecord.PolicyStatus.UNUSABLE) {
      DmarcOutcome o = bare(DmarcResult.NONE, DmarcReason.UNUSABLE_RECORD, author);
      return done(
          new DmarcOutcome(
              o.result(), o.reason(), mode, method(), o.fromDomain(), Optional.of(policyDomain),
              Optional.of(source), Optional.of(record), disc.organizationalDomain(),
              Optional.empty(), Optional.empty(), DmarcPolicy.NONE, false, false,
              Optional.empty(), record.aspf(), record.adkim(), List.of(), List.of(), List.of(),
              Optional.empty(), false));
    }

    // Alignment (SPEC DMARC-18..20): SPF MAIL FROM only, every passing DKIM signature.
    CompletableFuture<Alignment> spfAligned = done(Alignment.NOT_ALIGNED);
    CompletableFuture<Alignment> spfTemp = done(Alignment.NOT_ALIGNED);
    if (input.spf().isPresent() && input.spf().get().scope() == SpfScope.MFROM) {
      SpfOutcome spf = input.spf().get();
      if (spf.result() == SpfResult.PASS) {
        spfAligned = aligned(author, spf.domain(), record.aspf());
      } else if (spf.result() == SpfResult.TEMPERROR) {
        spfTemp = aligned(author, spf.domain(), record.aspf());
      }
    }
    List<DkimOutcome> passing = new ArrayList<>();
    List<CompletableFuture<Alignment>> dkimAligned = new ArrayList<>();
    List<CompletableFuture<Alignment>> dkimTemp = new ArrayList<>();
    for (DkimOutcome d : input.dkim()) {
      if (d.result() == DkimResult.PASS) {
        passing.add(d);
        dkimAligned.add(aligned(author, d.domain(), record.adkim()));
      } else if (d.result() == DkimResult.TEMPERROR) {
        dkimTemp.add(aligned(author, d.domain(), record.adkim()));
      }
    }
    // Which tag applies (RFC 9989 §4.10.1): p at the author domain, else sp or np.
    CompletableFuture<Existence> exists = done(Existence.EXISTS);
    if (source != RecordSource.AUTHOR_DOMAIN
        && mode == DmarcMode.RFC9989
        && status == DmarcRecord.PolicyStatus.VALID
        && record.np().isPresent()) {
      exists = existence(author);
    }
    List<CompletableFuture<?>> all = new ArrayList<>();
    all.add(spfAligned);
    all.add(spfTemp);
    all.addAll(dkimAligned);
    all.addAll(dkimTemp);
    all.add(exists);
    final CompletableFuture<Alignment> spfA = spfAligned;
    final CompletableFuture<Alignment> spfT = spfTemp;
    final CompletableFuture<Existence> ex = exists;
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenCompose(
            v -> {
              boolean spfOk = spfA.join() == Alignment.ALIGNED;
              boolean lookupFailed = spfA.join() == Alignment.TEMPFAIL;
              DkimOutcome alignedDkim = null;
              for (int i = 0; i < passing.size(); i++) {
                Alignment a = dkimAligned.get(i).join();
                if (a == Alignment.ALIGNED && alignedDkim == null) {
                  alignedDkim = passing.get(i);
                }
                lookupFailed |= a == Alignment.TEMPFAIL;
              }
              boolean authTemp = spfT.join() == Alignment.ALIGNED;
              for (CompletableFuture<Alignment> t : dkimTemp) {
                authTemp |= t.join() == Alignment.ALIGNED;
              }
              DmarcResult result;
              Optional<DmarcReason> reason = Optional.empty();
              if (spfOk || alignedDkim != null) {
                result = DmarcResult.PASS;
              } else if (lookupFailed) {
                result = DmarcResult.TEMPERROR;
                reason = Optional.of(DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN);
              } else if (authTemp && cfg.authTempErrorIsTempError) {
                result = DmarcResult.TEMPERROR;
                reason = Optional.of(DmarcReason.AUTH_TEMPERROR);
              } else {
                result = DmarcResult.FAIL;
              }
              PolicyTag tag;
              DmarcPolicy requested;
              if (status == DmarcRecord.PolicyStatus.ACT_AS_NONE) {
                tag = PolicyTag.P;
                requested = DmarcPolicy.NONE;
              } else if (source == RecordSource.AUTHOR_DOMAIN) {
                tag = PolicyTag.P;
                requested = record.p().orElse(DmarcPolicy.NONE);
              } else if (ex.join() == Existence.NON_EXISTENT) {
                tag = PolicyTag.NP;
                requested = record.np().get();
              } else if (ex.join() == Existence.UNKNOWN) {
                tag = PolicyTag.NP;
                requested = record.np().get();
                if (result == DmarcResult.FAIL) {
                  result = DmarcResult.TEMPERROR;
                  reason = Optional.of(DmarcReason.DNS_TEMPFAIL_EXISTENCE);
                }
              } else if (record.sp().isPresent()) {
                tag = PolicyTag.SP;
                requested = record.sp().get();
              } else {
                tag = PolicyTag.P;
                requested = record.p().orElse(DmarcPolicy.NONE);
              }
              DmarcPolicy disposition;
              if (result == DmarcResult.FAIL) {
                disposition = requested;
              } else if (result == DmarcResult.TEMPERROR) {
                // Never stricter than what the owner asked for: p=none must not change handling.
                disposition =
                    cfg.tempErrorDisposition.isStricterThan(requested)
                        ? requested
                        : cfg.tempErrorDisposition;
              } else {
                disposition = DmarcPolicy.NONE;
              }
              DmarcOutcome outcome =
                  new DmarcOutcome(
                      result, reason, mode, method(), Optional.of(author),
                      Optional.of(policyDomain), Optional.of(source), Optional.of(record),
                      knownOrg(author, disc), Optional.of(tag), Optional.of(requested),
                      disposition, spfOk, alignedDkim != null, Optional.ofNullable(alignedDkim),
                      record.aspf(), record.adkim(), List.of(), List.of(), List.of(),
                      Optional.empty(), false);
              if (result == DmarcResult.FAIL) {
                outcome = modifiers(outcome, record);
                outcome = overrides(input, outcome);
              }
              return destinationsFor(outcome, policyDomain, record, source);
            });
  }

  /**
   * In RFC 7489 mode, names the Public Suffix List that gave the author domain's Organizational
   * Domain (SPEC PIT-17), so a result can be traced to the list version behind it.
   */
  private DmarcOutcome withListUsed(DmarcOutcome o) {
    if (mode != DmarcMode.RFC7489 || o.fromDomain().isEmpty()) {
      return o;
    }
    CompletableFuture<OrganizationalDomainOutcome> f = orgDomains.get(o.fromDomain().get());
    if (f != null && f.isDone() && f.join() instanceof OrganizationalDomainOutcome.Found found) {
      return found.publicSuffixList().isEmpty() ? o : o.withPublicSuffixList(found.publicSuffixList());
    }
    return o;
  }

  private Optional<DomainName> knownOrg(DomainName author, DmarcDiscovery disc) {
    if (disc.organizationalDomain().isPresent()) {
      return disc.organizationalDomain();
    }
    CompletableFuture<OrganizationalDomainOutcome> f = orgDomains.get(author);
    if (f != null && f.isDone() && f.join() instanceof OrganizationalDomainOutcome.Found found) {
      return Optional.of(found.organizationalDomain());
    }
    return Optional.empty();
  }

  private static DmarcOutcome withOrg(DmarcOutcome o, Optional<DomainName> org) {
    return new DmarcOutcome(
        o.result(), o.reason(), o.mode(), o.discoveryMethod(), o.fromDomain(), o.policyDomain(),
        o.recordSource(), o.record(), org, o.policyTag(), o.requestedPolicy(), o.disposition(),
        o.spfAligned(), o.dkimAligned(), o.alignedDkim(), o.spfAlignment(), o.dkimAlignment(),
        o.overrides(), o.aggregateDestinations(), o.failureDestinations(), o.publicSuffixList(),
        o.headerLimitExceeded());
  }

  /** {@code t=y} (RFC 9989 only) or else {@code pct} (SPEC DMARC-22, DMARC-23). */
  private DmarcOutcome modifiers(DmarcOutcome o, DmarcRecord record) {
    DmarcPolicy d = o.disposition();
    if (d == DmarcPolicy.NONE) {
      return o;
    }
    if (mode == DmarcMode.RFC9989 && record.testing()) {
      return o.withOverride(
          new AppliedOverride(OverrideReason.POLICY_TEST_MODE, "t=y", d, d.weaker()));
    }
    if (cfg.honourPct && record.pct() < 100) {
      int draw;
      if (cfg.random == null) {
        draw = ThreadLocalRandom.current().nextInt(100);
      } else {
        synchronized (cfg.random) {
          draw = cfg.random.nextInt(100);
        }
      }
      if (draw >= record.pct()) {
        return o.withOverride(
            new AppliedOverride(
                OverrideReason.SAMPLED_OUT, "pct=" + record.pct(), d, d.weaker()));
      }
    }
    return o;
  }

  private DmarcOutcome overrides(DmarcInput input, DmarcOutcome o) {
    if (o.disposition() == DmarcPolicy.NONE) {
      return o;
    }
    for (OverrideRule rule : cfg.overrides) {
      Optional<OverrideRule.Decision> d;
      try {
        d = rule.evaluate(input, o);
      } catch (RuntimeException e) {
        continue;
      }
      if (d != null && d.isPresent()) {
        OverrideRule.Decision dec = d.get();
        return o.withOverride(
            new AppliedOverride(dec.reason(), dec.comment(), o.disposition(), dec.disposition()));
      }
    }
    return o;
  }

  // ---------------------------------------------------------------- report destinations

  private CompletableFuture<DmarcOutcome> destinationsFor(
      DmarcOutcome o, DomainName policyDomain, DmarcRecord record, RecordSource source) {
    if (record.rua().isEmpty() && record.ruf().isEmpty()) {
      return done(o);
    }
    boolean check = cfg != null && cfg.checkReportDestinations;
    CompletableFuture<List<ReportDestination>> rua =
        check ? destinations(policyDomain, record.rua(), false) : notChecked(record.rua());
    CompletableFuture<List<ReportDestination>> ruf;
    if (source == RecordSource.PUBLIC_SUFFIX_DOMAIN) {
      // RFC 9991 §2: no failure reports to a PSO's ruf unless specifically agreed.
      List<ReportDestination> held = new ArrayList<>();
      for (ReportUri u : record.ruf()) {
        held.add(
            new ReportDestination(
                u, ReportDestination.Status.PUBLIC_SUFFIX_FAILURE_REPORTS, Optional.empty()));
      }
      ruf = done(held);
    } else {
      ruf = check ? destinations(policyDomain, record.ruf(), true) : notChecked(record.ruf());
    }
    return rua.thenCombine(ruf, o::withDestinations);
  }

  /** The URIs as they are, left for the report sender to check. */
  private static CompletableFuture<List<ReportDestination>> notChecked(List<ReportUri> uris) {
    List<ReportDestination> out = new ArrayList<>(uris.size());
    for (ReportUri u : uris) {
      out.add(new ReportDestination(u, ReportDestination.Status.NOT_CHECKED, Optional.empty()));
    }
    return done(out);
  }

  CompletableFuture<List<ReportDestination>> destinations(
      DomainName policyDomain, List<ReportUri> uris, boolean failure) {
    if (uris.isEmpty()) {
      return done(List.of());
    }
    List<CompletableFuture<ReportDestination>> each = new ArrayList<>();
    for (ReportUri u : uris) {
      each.add(
          each.size() < (cfg == null ? DmarcEvaluator.DEFAULT_MAX_REPORT_DESTINATIONS : cfg.maxReportDestinations)
              ? destination(policyDomain, u, failure)
              : done(new ReportDestination(u, ReportDestination.Status.OVER_LIMIT, Optional.empty())));
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

  private CompletableFuture<ReportDestination> destination(
      DomainName policyDomain, ReportUri uri, boolean failure) {
    Optional<DomainName> host = uri.host().flatMap(DomainName::parse);
    if (host.isEmpty()) {
      return done(new ReportDestination(uri, ReportDestination.Status.NOT_CHECKED, Optional.empty()));
    }
    CompletableFuture<Boolean> internal;
    if (host.get().equals(policyDomain)) {
      internal = done(true);
    } else if (!host.get().lastLabels(1).equals(policyDomain.lastLabels(1))) {
      internal = done(false);
    } else {
      internal =
          organizationalDomain(policyDomain)
              .thenCombine(
                  organizationalDomain(host.get()),
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
          return safe(resolver.txt(q.get().name()))
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
      DmarcRecordParser.Result parsed = parse(text);
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
}
