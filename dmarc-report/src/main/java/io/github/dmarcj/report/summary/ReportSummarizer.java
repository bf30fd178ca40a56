// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.report.ingest.ReceivedReportStore;
import io.github.dmarcj.report.summary.DomainSummary.ClassTotal;
import io.github.dmarcj.report.summary.DomainSummary.Day;
import io.github.dmarcj.report.summary.DomainSummary.Dispositions;
import io.github.dmarcj.report.summary.DomainSummary.Gap;
import io.github.dmarcj.report.summary.DomainSummary.Named;
import io.github.dmarcj.report.summary.DomainSummary.Policy;
import io.github.dmarcj.report.summary.DomainSummary.Reporter;
import io.github.dmarcj.report.summary.DomainSummary.Source;
import io.github.dmarcj.report.summary.DomainSummary.WhatIf;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Summarizes the received aggregate reports about one domain, read from the tables {@link
 * io.github.dmarcj.report.ingest.ReportImporter} writes. The counting is done by the database
 * ({@code GROUP BY} over the rows of the domain's reports), so a year of daily reports from many
 * reporters is summarized in a few queries, and the memory used is bounded by the limits of the
 * {@linkplain Builder builder} (sources per class, names per source, reporters), not by the number
 * of rows.
 *
 * <p>A report counts on the UTC day of the middle of its period; {@code since} and {@code until}
 * select reports by that day. Each report row is put in one {@link SourceClass} by the rules given
 * there. Reverse names of the sources are looked up only when a resolver is given, for at most
 * {@link Builder#maxLookups} sources; a lookup that fails or times out leaves the name absent.
 *
 * <pre>{@code
 * ReportSummarizer summarizer = ReportSummarizer.builder(dataSource).build();
 * DomainSummary s = summarizer.summarize("example.com", LocalDate.of(2026, 1, 1), null);
 * Files.writeString(Path.of("summary.html"), SummaryHtml.render(s));
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class ReportSummarizer {
  /** Default largest sources listed per class. */
  public static final int DEFAULT_MAX_SOURCES = 25;

  /** Default names listed per source and kind (reporters, domains). */
  public static final int DEFAULT_MAX_NAMES = 10;

  /** Default reporters listed. */
  public static final int DEFAULT_MAX_REPORTERS = 100;

  /** Default reverse lookups per summary. */
  public static final int DEFAULT_MAX_LOOKUPS = 50;

  /** Default time all reverse lookups of one summary may take together. */
  public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  /** The largest limit a builder takes for sources, names and reporters. */
  public static final int MAX_LIMIT = 1000;

  /** Midpoints at or after this (10000-01-01) are outside every range. */
  static final long END_OF_TIME = LocalDate.of(10000, 1, 1).toEpochDay() * 86_400L;

  /**
   * The {@link SourceClass} of a row, as its ordinal. The {@code ordinal >= 0} conditions are
   * always true; they let H2 look the results up by the primary key (report, row_ordinal, ordinal)
   * instead of walking every result of the report through the index on report alone, which made a
   * year's summary several times slower.
   */
  private static final String CLASS =
      "CASE WHEN w.spf = 'pass' THEN 0 WHEN w.dkim = 'pass' THEN 1"
          + " WHEN EXISTS (SELECT 1 FROM dmarcj_received_dkim d WHERE d.report = w.report"
          + " AND d.row_ordinal = w.ordinal AND d.ordinal >= 0 AND d.result = 'pass')"
          + " OR EXISTS (SELECT 1 FROM dmarcj_received_spf s WHERE s.report = w.report"
          + " AND s.row_ordinal = w.ordinal AND s.ordinal >= 0 AND s.result = 'pass'"
          + " AND (s.scope IS NULL OR LOWER(s.scope) = 'mfrom'))"
          + " THEN 2 ELSE 3 END";

  private static final String REPORT_FILTER =
      " WHERE LOWER(r.policy_domain) = ? AND r.begin_s / 2 + r.end_s / 2 >= ?"
          + " AND r.begin_s / 2 + r.end_s / 2 < ?";

  /** The domain's reports in the period: three parameters (domain, from, to). */
  private static final String REPORTS =
      "SELECT r.org_name, r.email, r.p, r.pct, r.testing, r.message_count,"
          + " (r.begin_s / 2 + r.end_s / 2) / 86400 AS dnum FROM dmarcj_received_report r"
          + REPORT_FILTER;

  /**
   * The rows of the domain's reports in the period with their class ({@code cls}) and the given
   * columns only: a narrow derived table is several times faster to group on H2 than a wide one.
   */
  private static String rows(String columns) {
    return "SELECT "
        + columns
        + ", "
        + CLASS
        + " AS cls FROM dmarcj_received_report r"
        + " JOIN dmarcj_received_row w ON w.report = r.id"
        + REPORT_FILTER;
  }

  private static final String DAYS =
      "SELECT t.dnum, t.cls, t.disp, SUM(t.n) FROM ("
          + rows(
              "(r.begin_s / 2 + r.end_s / 2) / 86400 AS dnum, w.message_count AS n,"
                  + " w.disposition AS disp")
          + ") t GROUP BY t.dnum, t.cls, t.disp";

  private static final String SOURCES =
      "SELECT t.cls, t.source_ip, SUM(t.n) AS msgs,"
          + " SUM(CASE WHEN t.disp = 'none' THEN t.n ELSE 0 END),"
          + " SUM(CASE WHEN t.disp = 'pass' THEN t.n ELSE 0 END),"
          + " SUM(CASE WHEN t.disp = 'quarantine' THEN t.n ELSE 0 END),"
          + " SUM(CASE WHEN t.disp = 'reject' THEN t.n ELSE 0 END)"
          + " FROM ("
          + rows("w.source_ip, w.message_count AS n, w.disposition AS disp")
          + ") t GROUP BY t.cls, t.source_ip ORDER BY t.cls, msgs DESC, t.source_ip";

  private static final String AUTH_COLUMNS =
      "w.report, w.ordinal, w.source_ip, w.message_count AS n";

  private static final String POLICIES =
      "SELECT t.p, t.pct, t.testing, COUNT(*) AS reps, MAX(t.dnum) FROM ("
          + REPORTS
          + ") t GROUP BY t.p, t.pct, t.testing ORDER BY reps DESC";

  private static final String REPORTERS =
      "SELECT t.org_name, t.email, COUNT(*), SUM(COALESCE(t.message_count, 0)) AS msgs,"
          + " MIN(t.dnum), MAX(t.dnum) FROM ("
          + REPORTS
          + ") t GROUP BY t.org_name, t.email ORDER BY msgs DESC, t.org_name, t.email";

  private static final String REPORTER_DAYS =
      "SELECT t.org_name, t.email, t.dnum FROM ("
          + REPORTS
          + ") t GROUP BY t.org_name, t.email, t.dnum ORDER BY t.org_name, t.email, t.dnum";

  private final DataSource dataSource;
  private final @Nullable DnsResolver resolver;
  private final int maxSources;
  private final int maxNames;
  private final int maxReporters;
  private final int maxLookups;
  private final Duration lookupTimeout;

  private ReportSummarizer(Builder b) throws SQLException {
    this.dataSource = b.dataSource;
    this.resolver = b.resolver;
    this.maxSources = b.maxSources;
    this.maxNames = b.maxNames;
    this.maxReporters = b.maxReporters;
    this.maxLookups = b.maxLookups;
    this.lookupTimeout = b.lookupTimeout;
    new ReceivedReportStore(dataSource); // the tables, when the database has none yet
  }

  /**
   * {@return a builder over the report database}
   *
   * @param dataSource the database the received reports were imported into
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Summarizes the reports about one domain.
   *
   * @param domain the policy domain ({@code policy_published/domain}), any case, trailing dot
   *     ignored
   * @param since the first day (UTC) to include, or null for all
   * @param until the last day (UTC) to include, or null for all
   * @return the summary; {@linkplain DomainSummary#isEmpty() empty} when no report matched
   * @throws IllegalArgumentException if the domain is empty or {@code until} is before {@code
   *     since}
   * @throws SQLException if the database fails
   */
  public DomainSummary summarize(
      String domain, @Nullable LocalDate since, @Nullable LocalDate until) throws SQLException {
    Objects.requireNonNull(domain, "domain");
    String d = domain.strip().toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty()) {
      throw new IllegalArgumentException("the domain is empty");
    }
    if (since != null && until != null && until.isBefore(since)) {
      throw new IllegalArgumentException("until (" + until + ") is before since (" + since + ")");
    }
    long from = since == null ? 0 : Math.max(0, since.toEpochDay() * 86_400L);
    long to =
        until == null ? END_OF_TIME : Math.min(END_OF_TIME, (until.toEpochDay() + 1) * 86_400L);
    Query q = new Query(d, from, to);
    try (Connection c = dataSource.getConnection()) {
      c.setReadOnly(true);
      List<Policy> policies = policies(c, q);
      long reports = 0;
      for (Policy p : policies) {
        reports += p.reports();
      }
      Totals totals = days(c, q);
      SourceScan scan = sources(c, q);
      List<Source> sources = details(c, q, scan);
      Map<String, String> names = Map.of();
      DnsResolver r = resolver;
      if (r != null) {
        List<String> ips = new ArrayList<>();
        for (Source s : sources) {
          ips.add(s.ip());
        }
        names = ReverseNames.lookup(r, ips, maxLookups, lookupTimeout);
      }
      if (!names.isEmpty()) {
        List<Source> named = new ArrayList<>(sources.size());
        for (Source s : sources) {
          named.add(
              new Source(
                  s.ip(),
                  s.sourceClass(),
                  s.messages(),
                  s.dispositions(),
                  s.reporters(),
                  s.headerFrom(),
                  s.envelopeFrom(),
                  s.spf(),
                  s.dkim(),
                  names.get(s.ip())));
        }
        sources = named;
      }
      List<ClassTotal> classes = new ArrayList<>();
      for (SourceClass sc : SourceClass.values()) {
        classes.add(
            new ClassTotal(
                sc,
                totals.byClass.getOrDefault(sc, Dispositions.ZERO).total(),
                scan.distinct.getOrDefault(sc, 0L),
                totals.byClass.getOrDefault(sc, Dispositions.ZERO)));
      }
      WhatIf whatIf = Advice.whatIf(d, classes, sources);
      ReporterScan reporters = reporters(c, q);
      return new DomainSummary(
          d,
          since,
          until,
          reports,
          totals.messages,
          policies,
          totals.days,
          classes,
          sources,
          whatIf,
          reporters.kept,
          reporters.others,
          r != null);
    }
  }

  /** The parameters shared by every query. */
  private record Query(String domain, long from, long to) {
    /** Sets the three report-filter parameters from {@code index}; returns the next index. */
    int bind(PreparedStatement ps, int index) throws SQLException {
      ps.setString(index, domain);
      ps.setLong(index + 1, from);
      ps.setLong(index + 2, to);
      return index + 3;
    }
  }

  private static SourceClass sourceClass(int code) {
    SourceClass[] all = SourceClass.values();
    return all[Math.max(0, Math.min(all.length - 1, code))];
  }

  private static List<Policy> policies(Connection c, Query q) throws SQLException {
    List<Policy> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(POLICIES)) {
      q.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int pct = rs.getInt(2);
          Integer pctOrNull = rs.wasNull() ? null : pct;
          out.add(
              new Policy(
                  rs.getString(1),
                  pctOrNull,
                  rs.getString(3),
                  rs.getLong(4),
                  LocalDate.ofEpochDay(rs.getLong(5))));
        }
      }
    }
    return out;
  }

  /** Volume per day and per class. */
  private static final class Totals {
    final List<Day> days = new ArrayList<>();
    final Map<SourceClass, Dispositions> byClass = new EnumMap<>(SourceClass.class);
    long messages;
  }

  private static Totals days(Connection c, Query q) throws SQLException {
    Totals t = new Totals();
    TreeMap<Long, long[]> passFail = new TreeMap<>();
    Map<Long, Dispositions> disp = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(DAYS)) {
      q.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long day = rs.getLong(1);
          SourceClass sc = sourceClass(rs.getInt(2));
          String disposition = rs.getString(3);
          long n = rs.getLong(4);
          long[] pf = passFail.computeIfAbsent(day, k -> new long[2]);
          pf[sc.passesDmarc() ? 0 : 1] += n;
          disp.merge(day, Dispositions.ZERO.plus(disposition, n), Dispositions::plus);
          t.byClass.merge(sc, Dispositions.ZERO.plus(disposition, n), Dispositions::plus);
          t.messages += n;
        }
      }
    }
    for (Map.Entry<Long, long[]> e : passFail.entrySet()) {
      t.days.add(
          new Day(
              LocalDate.ofEpochDay(e.getKey()),
              e.getValue()[0],
              e.getValue()[1],
              disp.getOrDefault(e.getKey(), Dispositions.ZERO)));
    }
    return t;
  }

  /** The largest sources of each class, and how many distinct sources each class has. */
  private record SourceScan(List<Source> kept, Map<SourceClass, Long> distinct, List<String> ips) {}

  private SourceScan sources(Connection c, Query q) throws SQLException {
    List<Source> kept = new ArrayList<>();
    Map<SourceClass, Long> distinct = new EnumMap<>(SourceClass.class);
    LinkedHashMap<String, Boolean> ips = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(SOURCES)) {
      q.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SourceClass sc = sourceClass(rs.getInt(1));
          long seen = distinct.merge(sc, 1L, Long::sum);
          if (seen > maxSources) {
            continue;
          }
          String ip = rs.getString(2);
          long n = rs.getLong(3);
          long none = rs.getLong(4);
          long pass = rs.getLong(5);
          long quarantine = rs.getLong(6);
          long reject = rs.getLong(7);
          Dispositions d =
              new Dispositions(
                  none, pass, quarantine, reject, n - none - pass - quarantine - reject);
          kept.add(
              new Source(
                  ip, sc, n, d, List.of(), List.of(), List.of(), List.of(), List.of(), null));
          ips.put(ip, Boolean.TRUE);
        }
      }
    }
    return new SourceScan(kept, distinct, new ArrayList<>(ips.keySet()));
  }

  /** Names seen per (class, ip), with their message counts. */
  private static final class NameCounts {
    final Map<String, Map<String, long[]>> byKey = new HashMap<>();

    void add(SourceClass sc, String ip, @Nullable String name, @Nullable String result, long n) {
      String key = sc.ordinal() + " " + ip;
      String nameKey = (name == null ? "" : name) + "\u0000" + (result == null ? "" : result);
      byKey.computeIfAbsent(key, k -> new HashMap<>())
              .computeIfAbsent(nameKey, k -> new long[1])[0] +=
          n;
    }

    List<Named> top(SourceClass sc, String ip, int max) {
      Map<String, long[]> m = byKey.get(sc.ordinal() + " " + ip);
      if (m == null) {
        return List.of();
      }
      List<Named> all = new ArrayList<>();
      for (Map.Entry<String, long[]> e : m.entrySet()) {
        int z = e.getKey().indexOf('\u0000');
        String name = e.getKey().substring(0, z);
        String result = e.getKey().substring(z + 1);
        all.add(new Named(name, result.isEmpty() ? null : result, e.getValue()[0]));
      }
      all.sort(
          Comparator.comparingLong(Named::messages)
              .reversed()
              .thenComparing(Named::name)
              .thenComparing(n -> String.valueOf(n.result())));
      return all.size() <= max ? all : all.subList(0, max);
    }
  }

  private List<Source> details(Connection c, Query q, SourceScan scan) throws SQLException {
    if (scan.kept().isEmpty()) {
      return List.of();
    }
    // The address filter goes inside, so the class is worked out only for the listed sources.
    StringBuilder in = new StringBuilder(" AND w.source_ip IN (");
    for (int i = 0; i < scan.ips().size(); i++) {
      in.append(i == 0 ? "?" : ", ?");
    }
    in.append(')');
    NameCounts reporters = new NameCounts();
    NameCounts headerFrom = new NameCounts();
    NameCounts envelopeFrom = new NameCounts();
    NameCounts spf = new NameCounts();
    NameCounts dkim = new NameCounts();
    String rowSql =
        "SELECT t.cls, t.source_ip, t.org_name, t.header_from, t.envelope_from, SUM(t.n) FROM ("
            + rows("r.org_name, w.source_ip, w.header_from, w.envelope_from, w.message_count AS n")
            + in
            + ") t GROUP BY t.cls, t.source_ip, t.org_name, t.header_from, t.envelope_from";
    try (PreparedStatement ps = c.prepareStatement(rowSql)) {
      bindIps(ps, q.bind(ps, 1), scan.ips());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SourceClass sc = sourceClass(rs.getInt(1));
          String ip = rs.getString(2);
          long n = rs.getLong(6);
          reporters.add(sc, ip, rs.getString(3), null, n);
          String hf = rs.getString(4);
          if (hf != null) {
            headerFrom.add(sc, ip, hf, null, n);
          }
          String ef = rs.getString(5);
          if (ef != null) {
            envelopeFrom.add(sc, ip, ef, null, n);
          }
        }
      }
    }
    String dkimSql =
        "SELECT t.cls, t.source_ip, d.domain, d.result, SUM(t.n) FROM ("
            + rows(AUTH_COLUMNS)
            + in
            + ") t JOIN dmarcj_received_dkim d ON d.report = t.report AND d.row_ordinal = t.ordinal"
            + " GROUP BY t.cls, t.source_ip, d.domain, d.result";
    authNames(c, q, scan, dkimSql, dkim);
    String spfSql =
        "SELECT t.cls, t.source_ip, s.domain, s.result, SUM(t.n) FROM ("
            + rows(AUTH_COLUMNS)
            + in
            + ") t JOIN dmarcj_received_spf s ON s.report = t.report AND s.row_ordinal = t.ordinal"
            + " WHERE (s.scope IS NULL OR LOWER(s.scope) = 'mfrom')"
            + " GROUP BY t.cls, t.source_ip, s.domain, s.result";
    authNames(c, q, scan, spfSql, spf);
    List<Source> out = new ArrayList<>(scan.kept().size());
    for (Source s : scan.kept()) {
      SourceClass sc = s.sourceClass();
      out.add(
          new Source(
              s.ip(),
              sc,
              s.messages(),
              s.dispositions(),
              reporters.top(sc, s.ip(), maxNames),
              headerFrom.top(sc, s.ip(), maxNames),
              envelopeFrom.top(sc, s.ip(), maxNames),
              spf.top(sc, s.ip(), maxNames),
              dkim.top(sc, s.ip(), maxNames),
              null));
    }
    return out;
  }

  private static void authNames(Connection c, Query q, SourceScan scan, String sql, NameCounts into)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindIps(ps, q.bind(ps, 1), scan.ips());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          into.add(
              sourceClass(rs.getInt(1)),
              rs.getString(2),
              rs.getString(3),
              rs.getString(4),
              rs.getLong(5));
        }
      }
    }
  }

  private static void bindIps(PreparedStatement ps, int index, List<String> ips)
      throws SQLException {
    int i = index;
    for (String ip : ips) {
      ps.setString(i++, ip);
    }
  }

  /** The listed reporters and how many were left out. */
  private record ReporterScan(List<Reporter> kept, long others) {}

  private ReporterScan reporters(Connection c, Query q) throws SQLException {
    Map<List<String>, long[]> totals = new LinkedHashMap<>();
    long others = 0;
    try (PreparedStatement ps = c.prepareStatement(REPORTERS)) {
      q.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (totals.size() >= maxReporters) {
            others++;
            continue;
          }
          totals.put(
              List.of(rs.getString(1), rs.getString(2)),
              new long[] {rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)});
        }
      }
    }
    Map<List<String>, long[]> dayCounts = new HashMap<>();
    Map<List<String>, List<Gap>> gaps = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(REPORTER_DAYS)) {
      q.bind(ps, 1);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> current = null;
        long previous = 0;
        while (rs.next()) {
          List<String> key = List.of(rs.getString(1), rs.getString(2));
          if (!totals.containsKey(key)) {
            continue;
          }
          long day = rs.getLong(3);
          dayCounts.computeIfAbsent(key, k -> new long[1])[0]++;
          if (key.equals(current) && day > previous + 1) {
            gaps.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Gap(LocalDate.ofEpochDay(previous + 1), LocalDate.ofEpochDay(day - 1)));
          }
          current = key;
          previous = day;
        }
      }
    }
    List<Reporter> kept = new ArrayList<>();
    for (Map.Entry<List<String>, long[]> e : totals.entrySet()) {
      long[] v = e.getValue();
      kept.add(
          new Reporter(
              e.getKey().get(0),
              e.getKey().get(1),
              v[0],
              v[1],
              LocalDate.ofEpochDay(v[2]),
              LocalDate.ofEpochDay(v[3]),
              dayCounts.getOrDefault(e.getKey(), new long[1])[0],
              gaps.getOrDefault(e.getKey(), List.of())));
    }
    return new ReporterScan(kept, others);
  }

  /**
   * Builds a {@link ReportSummarizer}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final DataSource dataSource;
    private @Nullable DnsResolver resolver;
    private int maxSources = DEFAULT_MAX_SOURCES;
    private int maxNames = DEFAULT_MAX_NAMES;
    private int maxReporters = DEFAULT_MAX_REPORTERS;
    private int maxLookups = DEFAULT_MAX_LOOKUPS;
    private Duration lookupTimeout = DEFAULT_LOOKUP_TIMEOUT;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Looks up the reverse names (PTR) of the listed sources with this resolver. Without one, no
     * name is looked up.
     *
     * @param resolver the resolver
     * @return this builder
     */
    public Builder resolver(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The largest sources listed per class (default {@value ReportSummarizer#DEFAULT_MAX_SOURCES});
     * the others are counted, not listed.
     *
     * @param maxSources 1 to {@value ReportSummarizer#MAX_LIMIT}
     * @return this builder
     */
    public Builder maxSources(int maxSources) {
      this.maxSources = limit("maximum sources", maxSources);
      return this;
    }

    /**
     * The names listed per source for each kind (reporters, From, envelope-from, SPF and DKIM
     * domains), most messages first (default {@value ReportSummarizer#DEFAULT_MAX_NAMES}).
     *
     * @param maxNames 1 to {@value ReportSummarizer#MAX_LIMIT}
     * @return this builder
     */
    public Builder maxNames(int maxNames) {
      this.maxNames = limit("maximum names", maxNames);
      return this;
    }

    /**
     * The reporters listed, most messages first (default {@value
     * ReportSummarizer#DEFAULT_MAX_REPORTERS}); the others are counted.
     *
     * @param maxReporters 1 to {@value ReportSummarizer#MAX_LIMIT}
     * @return this builder
     */
    public Builder maxReporters(int maxReporters) {
      this.maxReporters = limit("maximum reporters", maxReporters);
      return this;
    }

    /**
     * The most reverse lookups per summary (default {@value ReportSummarizer#DEFAULT_MAX_LOOKUPS}),
     * made for the largest listed sources first.
     *
     * @param maxLookups 0 to {@value ReportSummarizer#MAX_LIMIT}
     * @return this builder
     */
    public Builder maxLookups(int maxLookups) {
      if (maxLookups < 0 || maxLookups > MAX_LIMIT) {
        throw new IllegalArgumentException(
            "maximum lookups must be 0 to " + MAX_LIMIT + ", was " + maxLookups);
      }
      this.maxLookups = maxLookups;
      return this;
    }

    /**
     * How long the reverse lookups of one summary may take together (default 5 s); names not found
     * by then are left absent.
     *
     * @param lookupTimeout positive
     * @return this builder
     */
    public Builder lookupTimeout(Duration lookupTimeout) {
      Objects.requireNonNull(lookupTimeout, "lookupTimeout");
      if (lookupTimeout.isNegative() || lookupTimeout.isZero()) {
        throw new IllegalArgumentException("lookup timeout must be positive, was " + lookupTimeout);
      }
      this.lookupTimeout = lookupTimeout;
      return this;
    }

    /**
     * {@return the summarizer; creates the received-report tables when the database has none}
     *
     * @throws SQLException if the tables cannot be created
     */
    public ReportSummarizer build() throws SQLException {
      return new ReportSummarizer(this);
    }

    private static int limit(String what, int value) {
      if (value < 1 || value > MAX_LIMIT) {
        throw new IllegalArgumentException(what + " must be 1 to " + MAX_LIMIT + ", was " + value);
      }
      return value;
    }
  }
}
