// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.verify.ReportRecord;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Groups the {@link ReportRecord}s of one policy domain and period into aggregate reports (RFC 9990
 * §3.1). Records with the same source address, evaluated result (disposition, aligned DKIM and SPF,
 * override reasons), identifiers and authentication results form one {@link AggregateReport.Row}
 * with their count (RFC 9990 §3.1.1.7). Records evaluated under different policy configurations
 * (the domain changed its record during the period) go into separate reports, as one report covers
 * one policy configuration (RFC 9990 §3.1); the second and later get a derived report id ({@code
 * id.2}, {@code id.3}, ...). Records of other domains or outside the period are skipped and
 * counted.
 *
 * <p>DKIM results in each row are ordered by the priority of RFC 9990 §3.1.3: passes whose {@code
 * d=} equals the From domain (strict alignment), then passes in the same organizational domain,
 * then other passes, then everything else; at most {@value #MAX_DKIM_PER_ROW} are kept. Relaxed
 * alignment is judged without DNS: the two domains are related when one is the other or a parent of
 * it, or both lie under the policy domain.
 *
 * <p>Not thread-safe; feed it from one thread.
 *
 * @since 0.1.0
 */
public final class ReportAggregator {
  /** DKIM results kept per row (RFC 9990 §3.1.3). */
  public static final int MAX_DKIM_PER_ROW = 100;

  private final String policyDomain;
  private final Instant begin;
  private final Instant end;
  private final Map<ReportRecord.PublishedPolicy, Map<Key, long[]>> groups = new LinkedHashMap<>();
  private long skipped;

  /**
   * An aggregator for records of {@code policyDomain} evaluated in [{@code begin}, {@code end}).
   *
   * @param policyDomain the policy domain
   * @param begin the start of the period, inclusive
   * @param end the end of the period, exclusive
   */
  public ReportAggregator(String policyDomain, Instant begin, Instant end) {
    this.policyDomain =
        Objects.requireNonNull(policyDomain, "policyDomain").toLowerCase(Locale.ROOT);
    this.begin = Objects.requireNonNull(begin, "begin");
    this.end = Objects.requireNonNull(end, "end");
    if (!end.isAfter(begin)) {
      throw new IllegalArgumentException("empty period: " + begin + " .. " + end);
    }
  }

  /**
   * Adds one message's row. Records of another domain or outside the period are skipped.
   *
   * @param r the record of one message
   */
  public void add(ReportRecord r) {
    if (!r.policyPublished().domain().equalsIgnoreCase(policyDomain)
        || r.evaluatedAt().isBefore(begin)
        || !r.evaluatedAt().isBefore(end)) {
      skipped++;
      return;
    }
    Key k =
        new Key(
            r.sourceIp(),
            r.disposition(),
            r.dkimAligned(),
            r.spfAligned(),
            r.overrides(),
            r.headerFrom(),
            r.envelopeFrom(),
            r.envelopeTo(),
            ordered(r.dkim(), r.headerFrom(), policyDomain),
            r.spf());
    groups.computeIfAbsent(r.policyPublished(), p -> new LinkedHashMap<>())
        .computeIfAbsent(k, x -> new long[1])[0]++;
  }

  /**
   * Adds every record.
   *
   * @param records the records to add
   */
  public void addAll(Iterable<ReportRecord> records) {
    for (ReportRecord r : records) {
      add(r);
    }
  }

  /** {@return the number of records skipped because of their domain or time} */
  public long skipped() {
    return skipped;
  }

  /**
   * {@return the reports: none if no record was added, one per policy configuration otherwise, in
   * the order the configurations were first seen}
   *
   * @param metadata the report metadata; later reports get derived ids
   */
  public List<AggregateReport> reports(ReportMetadata metadata) {
    List<AggregateReport> out = new ArrayList<>(groups.size());
    int part = 1;
    for (Map.Entry<ReportRecord.PublishedPolicy, Map<Key, long[]>> g : groups.entrySet()) {
      List<AggregateReport.Row> rows = new ArrayList<>(g.getValue().size());
      for (Map.Entry<Key, long[]> e : g.getValue().entrySet()) {
        Key k = e.getKey();
        rows.add(
            new AggregateReport.Row(
                k.sourceIp,
                e.getValue()[0],
                k.disposition,
                k.dkimAligned,
                k.spfAligned,
                k.overrides,
                k.headerFrom,
                k.envelopeFrom,
                k.envelopeTo,
                k.dkim,
                k.spf));
      }
      out.add(
          new AggregateReport(
              part == 1 ? metadata : metadata.withPart(part), begin, end, g.getKey(), rows));
      part++;
    }
    return out;
  }

  /** The DKIM results in RFC 9990 §3.1.3 priority order, at most {@value #MAX_DKIM_PER_ROW}. */
  static List<ReportRecord.DkimAuth> ordered(
      List<ReportRecord.DkimAuth> dkim, String headerFrom, String policyDomain) {
    if (dkim.size() < 2) {
      return List.copyOf(dkim);
    }
    // Each result's rank and lower-case domain are worked out once, not at every comparison.
    String from = headerFrom.toLowerCase(Locale.ROOT);
    Ranked[] ranked = new Ranked[dkim.size()];
    for (int i = 0; i < ranked.length; i++) {
      ReportRecord.DkimAuth d = dkim.get(i);
      String sdid = d.domain().toLowerCase(Locale.ROOT);
      ranked[i] = new Ranked(rank(d, sdid, from, policyDomain), sdid, d);
    }
    Arrays.sort(ranked, RANKED_ORDER);
    List<ReportRecord.DkimAuth> sorted = new ArrayList<>(Math.min(ranked.length, MAX_DKIM_PER_ROW));
    for (int i = 0; i < ranked.length && i < MAX_DKIM_PER_ROW; i++) {
      sorted.add(ranked[i].auth());
    }
    return sorted;
  }

  private record Ranked(int rank, String sdid, ReportRecord.DkimAuth auth) {}

  private static final Comparator<Ranked> RANKED_ORDER =
      Comparator.comparingInt(Ranked::rank)
          .thenComparing(Ranked::sdid)
          .thenComparing(r -> r.auth().selector())
          .thenComparing(r -> r.auth().result());

  private static int rank(ReportRecord.DkimAuth d, String sdid, String from, String policyDomain) {
    if (d.result() != DkimResult.PASS) {
      return 3;
    }
    if (sdid.equals(from)) {
      return 0;
    }
    if (under(from, sdid)
        || under(sdid, from)
        || (under(sdid, policyDomain) && under(from, policyDomain))) {
      return 1;
    }
    return 2;
  }

  private static boolean under(String name, String parent) {
    return name.equals(parent) || name.endsWith("." + parent);
  }

  private record Key(
      InetAddress sourceIp,
      DmarcPolicy disposition,
      DmarcResult dkimAligned,
      DmarcResult spfAligned,
      List<ReportRecord.Override> overrides,
      String headerFrom,
      Optional<String> envelopeFrom,
      Optional<String> envelopeTo,
      List<ReportRecord.DkimAuth> dkim,
      ReportRecord.SpfAuth spf) {}
}
