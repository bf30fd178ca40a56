// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.domain.DomainName;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The DNS facts of one evaluation: {@code _dmarc} answers (each name asked once, however many walks
 * pass through it; RFC 9989 §4.10) and whether a domain exists (RFC 9989 §3.2.13). Lives as long as
 * one evaluation, so nothing learned about one message reaches another except through the
 * resolver's own cache.
 */
final class DmarcLookups {
  private final DnsResolver resolver;
  private final @Nullable DmarcEvaluator cfg;
  private final Map<DomainName, CompletableFuture<DiscoveredPolicy.Query>> dmarcQueries =
      new ConcurrentHashMap<>();

  /** Domains whose {@code _dmarc} name answered with records or NODATA, so they exist. */
  private final Set<DomainName> knownToExist = ConcurrentHashMap.newKeySet();

  /** Records parsed during this evaluation, by text, so each text is parsed once. */
  private final Map<String, DmarcRecord> parsedRecords = new ConcurrentHashMap<>();

  /**
   * Lookups through {@code resolver}; {@code cfg} (may be {@code null} for the stand-alone tree
   * walk) supplies the evaluator's shared record-parse cache.
   */
  DmarcLookups(DnsResolver resolver, @Nullable DmarcEvaluator cfg) {
    this.resolver = resolver;
    this.cfg = cfg;
  }

  DnsResolver resolver() {
    return resolver;
  }

  /** The {@code _dmarc.<domain>} query, made once per evaluation. */
  CompletableFuture<DiscoveredPolicy.Query> queryDmarc(DomainName domain) {
    return dmarcQueries.computeIfAbsent(domain, this::doQueryDmarc);
  }

  private CompletableFuture<DiscoveredPolicy.Query> doQueryDmarc(DomainName domain) {
    Optional<DomainName> name = DomainName.parse("_dmarc." + domain.name());
    if (name.isEmpty()) {
      return CompletableFuture.completedFuture(
          new DiscoveredPolicy.Query(domain, DiscoveredPolicy.Answer.NO_RECORD, List.of()));
    }
    return safe(resolver.txt(name.get().name()))
        .thenApply(
            lookup -> {
              if (lookup instanceof DnsLookup.TempFail) {
                return new DiscoveredPolicy.Query(
                    domain, DiscoveredPolicy.Answer.TEMPFAIL, List.of());
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
              DiscoveredPolicy.Answer a =
                  texts.isEmpty()
                      ? DiscoveredPolicy.Answer.NO_RECORD
                      : texts.size() == 1
                          ? DiscoveredPolicy.Answer.ONE_RECORD
                          : DiscoveredPolicy.Answer.MULTIPLE_RECORDS;
              return new DiscoveredPolicy.Query(domain, a, texts, discarded);
            });
  }

  /** The record of a query that found exactly one. */
  DmarcRecord recordOf(DiscoveredPolicy.Query q) {
    return parsed(q.dmarcTexts().get(0));
  }

  /** The record of a text known to parse. */
  private DmarcRecord parsed(String text) {
    return parsedRecords.computeIfAbsent(text, t -> ((DmarcRecordParser.Parsed) parse(t)).record());
  }

  DmarcRecordParser.Result parse(String text) {
    return cfg == null ? DmarcRecordParser.parse(text) : cfg.parse(text);
  }

  /** Whether a domain exists. */
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
    if (knownToExist.contains(domain)) {
      return CompletableFuture.completedFuture(Existence.EXISTS);
    }
    CompletableFuture<DnsLookup<Inet4Address>> a = safe(resolver.a(domain.name()));
    CompletableFuture<DnsLookup<Inet6Address>> aaaa = safe(resolver.aaaa(domain.name()));
    CompletableFuture<DnsLookup<MxRecord>> mx = safe(resolver.mx(domain.name()));
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

  /** A lookup that completes exceptionally (a broken resolver) becomes a temporary failure. */
  static <T> CompletableFuture<DnsLookup<T>> safe(CompletionStage<DnsLookup<T>> stage) {
    return stage
        .toCompletableFuture()
        .handle(
            (v, e) ->
                e == null && v != null
                    ? v
                    : DnsLookup.tempFail(
                        TempFailReason.OTHER,
                        e == null ? "null lookup" : String.valueOf(e.getMessage())));
  }
}
