// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Maps {@link ReportRecord}s to the rows of {@link ReportSchema} and back. */
final class RecordRows {
  private RecordRows() {}

  /** Inserts the batch on the connection; the caller owns the transaction. */
  static void insert(Connection c, List<ReportRecord> batch) throws SQLException {
    long[] ids = new long[batch.size()];
    try (PreparedStatement ps =
        c.prepareStatement(ReportSchema.INSERT_RECORD, new String[] {"id"})) {
      for (ReportRecord r : batch) {
        bindRecord(ps, r);
        ps.addBatch();
      }
      ps.executeBatch();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        for (int i = 0; i < ids.length; i++) {
          if (!keys.next()) {
            throw new SQLException("driver returned " + i + " generated keys for " + ids.length);
          }
          ids[i] = keys.getLong(1);
        }
      }
    }
    try (PreparedStatement dk = c.prepareStatement(ReportSchema.INSERT_DKIM);
        PreparedStatement ov = c.prepareStatement(ReportSchema.INSERT_OVERRIDE)) {
      boolean anyDkim = false;
      boolean anyOverride = false;
      for (int i = 0; i < ids.length; i++) {
        ReportRecord r = batch.get(i);
        int n = 0;
        for (ReportRecord.DkimAuth d : r.dkim()) {
          dk.setLong(1, ids[i]);
          dk.setInt(2, n++);
          dk.setString(3, clean(d.domain(), ReportSchema.DOMAIN_LENGTH));
          dk.setString(4, clean(d.selector(), ReportSchema.SELECTOR_LENGTH));
          dk.setString(5, d.result().keyword());
          dk.addBatch();
          anyDkim = true;
        }
        n = 0;
        for (ReportRecord.Override o : r.overrides()) {
          ov.setLong(1, ids[i]);
          ov.setInt(2, n++);
          ov.setString(3, o.type().keyword());
          ov.setString(4, clean(o.comment(), ReportSchema.COMMENT_LENGTH));
          ov.addBatch();
          anyOverride = true;
        }
      }
      if (anyDkim) {
        dk.executeBatch();
      }
      if (anyOverride) {
        ov.executeBatch();
      }
    }
  }

  private static void bindRecord(PreparedStatement ps, ReportRecord r) throws SQLException {
    ReportRecord.PublishedPolicy p = r.policyPublished();
    int i = 1;
    Instant evaluatedAt = r.evaluatedAt();
    ps.setLong(i++, evaluatedAt.getEpochSecond());
    ps.setInt(i++, evaluatedAt.getNano());
    ps.setString(i++, r.mode().name());
    ps.setString(i++, clean(r.sourceIp().getHostAddress(), ReportSchema.IP_LENGTH));
    ps.setString(i++, clean(r.headerFrom(), ReportSchema.DOMAIN_LENGTH));
    setOptional(ps, i++, r.envelopeFrom().map(s -> clean(s, ReportSchema.DOMAIN_LENGTH)));
    setOptional(ps, i++, r.envelopeTo().map(s -> clean(s, ReportSchema.DOMAIN_LENGTH)));
    ps.setString(i++, clean(p.domain(), ReportSchema.DOMAIN_LENGTH));
    ps.setString(i++, p.discoveryMethod().keyword());
    ps.setString(i++, p.p().keyword());
    setOptional(ps, i++, p.sp().map(DmarcPolicy::keyword));
    setOptional(ps, i++, p.np().map(DmarcPolicy::keyword));
    ps.setString(i++, p.adkim().keyword());
    ps.setString(i++, p.aspf().keyword());
    if (p.pct().isPresent()) {
      ps.setInt(i++, p.pct().get());
    } else {
      ps.setNull(i++, Types.INTEGER);
    }
    ps.setString(i++, foKeywords(p.fo()));
    ps.setBoolean(i++, p.testing());
    ps.setString(i++, r.disposition().keyword());
    ps.setString(i++, r.dkimAligned().keyword());
    ps.setString(i++, r.spfAligned().keyword());
    ps.setString(i++, clean(r.spf().domain(), ReportSchema.DOMAIN_LENGTH));
    ps.setString(i++, r.spf().scope().keyword());
    ps.setString(i++, r.spf().result().keyword());
    setOptional(ps, i, errorsText(p.errors()));
  }

  /** The record's problems in one column: one per line, line breaks inside replaced by spaces. */
  static Optional<String> errorsText(List<String> errors) {
    if (errors.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    for (String e : errors) {
      String line = e.replace('\r', ' ').replace('\n', ' ').replace("\0", "");
      if (sb.length() + line.length() + 1 > ReportSchema.ERRORS_LENGTH) {
        break;
      }
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(line);
    }
    return Optional.of(sb.toString());
  }

  private static List<String> errors(@Nullable String text) {
    return text == null || text.isEmpty() ? List.of() : List.of(text.split("\n", -1));
  }

  private static void setOptional(PreparedStatement ps, int i, Optional<String> v)
      throws SQLException {
    if (v.isPresent()) {
      ps.setString(i, v.get());
    } else {
      ps.setNull(i, Types.VARCHAR);
    }
  }

  /**
   * Makes a sender-controlled string storable everywhere: removes NUL (PostgreSQL rejects it in
   * text) and cuts it to the column length, so that one hostile value cannot fail a batch.
   */
  static String clean(String s, int max) {
    String t = s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
    if (t.length() <= max) {
      return t;
    }
    int end = max;
    if (Character.isHighSurrogate(t.charAt(end - 1))) {
      end--;
    }
    return t.substring(0, end);
  }

  /** The {@code fo} options in declaration order, colon-separated as in the record. */
  static String foKeywords(Set<FailureReportOption> fo) {
    StringBuilder sb = new StringBuilder();
    for (FailureReportOption o : FailureReportOption.values()) {
      if (fo.contains(o)) {
        if (sb.length() > 0) {
          sb.append(':');
        }
        sb.append(o.keyword());
      }
    }
    return sb.toString();
  }

  /** Every set of {@code fo} options by its stored form, so rows share one immutable set. */
  private static final Map<String, Set<FailureReportOption>> FO_SETS = foSets();

  private static Map<String, Set<FailureReportOption>> foSets() {
    FailureReportOption[] all = FailureReportOption.values();
    Map<String, Set<FailureReportOption>> out = new HashMap<>();
    for (int bits = 0; bits < 1 << all.length; bits++) {
      Set<FailureReportOption> set = EnumSet.noneOf(FailureReportOption.class);
      for (int i = 0; i < all.length; i++) {
        if ((bits & 1 << i) != 0) {
          set.add(all[i]);
        }
      }
      out.put(foKeywords(set), Set.copyOf(set));
    }
    return Map.copyOf(out);
  }

  private static Set<FailureReportOption> parseFo(String s) {
    Set<FailureReportOption> known = FO_SETS.get(s);
    if (known != null) {
      return known;
    }
    Set<FailureReportOption> out = EnumSet.noneOf(FailureReportOption.class);
    for (String k : s.split(":")) {
      for (FailureReportOption o : FailureReportOption.values()) {
        if (o.keyword().equals(k)) {
          out.add(o);
        }
      }
    }
    return out;
  }

  /** Distinct source addresses kept per {@link #select}, so memory stays bounded. */
  private static final int ADDRESS_CACHE_SIZE = 4096;

  /**
   * Streams the records of one policy domain and period in insertion order. The three queries are
   * merged on the record id, so memory stays constant however long the period. A domain's rows come
   * from few addresses, so each address text is parsed once per call.
   */
  static void select(
      Connection c, String policyDomain, long beginS, long endS, Consumer<ReportRecord> action)
      throws SQLException {
    try (PreparedStatement rq = period(c, ReportSchema.SELECT_RECORDS, policyDomain, beginS, endS);
        PreparedStatement dq = period(c, ReportSchema.SELECT_DKIM, policyDomain, beginS, endS);
        PreparedStatement oq =
            period(c, ReportSchema.SELECT_OVERRIDES, policyDomain, beginS, endS);
        ResultSet rs = rq.executeQuery();
        ResultSet ds = dq.executeQuery();
        ResultSet os = oq.executeQuery()) {
      Map<String, InetAddress> addresses = new HashMap<>();
      boolean dMore = ds.next();
      boolean oMore = os.next();
      while (rs.next()) {
        long id = rs.getLong(1);
        List<ReportRecord.DkimAuth> dkim = new ArrayList<>();
        while (dMore && ds.getLong(1) <= id) {
          if (ds.getLong(1) == id) {
            dkim.add(
                new ReportRecord.DkimAuth(
                    ds.getString(2), ds.getString(3), keyword(DKIM, ds.getString(4))));
          }
          dMore = ds.next();
        }
        List<ReportRecord.Override> overrides = new ArrayList<>();
        while (oMore && os.getLong(1) <= id) {
          if (os.getLong(1) == id) {
            overrides.add(new ReportRecord.Override(reason(os.getString(2)), os.getString(3)));
          }
          oMore = os.next();
        }
        action.accept(read(rs, dkim, overrides, addresses));
      }
    }
  }

  private static PreparedStatement period(
      Connection c, String sql, String domain, long beginS, long endS) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setFetchSize(500);
    ps.setString(1, domain);
    ps.setLong(2, beginS);
    ps.setLong(3, endS);
    return ps;
  }

  private static ReportRecord read(
      ResultSet rs,
      List<ReportRecord.DkimAuth> dkim,
      List<ReportRecord.Override> overrides,
      Map<String, InetAddress> addresses)
      throws SQLException {
    Instant at = Instant.ofEpochSecond(rs.getLong(2), rs.getInt(3));
    DmarcMode mode = DmarcMode.valueOf(rs.getString(4));
    InetAddress ip = address(rs.getString(5), addresses);
    String pctText = rs.getString(16);
    ReportRecord.PublishedPolicy p =
        new ReportRecord.PublishedPolicy(
            rs.getString(9),
            keyword(DISCOVERY, rs.getString(10)),
            policy(rs.getString(11)),
            Optional.ofNullable(rs.getString(12)).map(RecordRows::policy),
            Optional.ofNullable(rs.getString(13)).map(RecordRows::policy),
            alignment(rs.getString(14)),
            alignment(rs.getString(15)),
            pctText == null ? Optional.empty() : Optional.of(Integer.parseInt(pctText.trim())),
            parseFo(rs.getString(17)),
            rs.getBoolean(18),
            errors(rs.getString(25)));
    return new ReportRecord(
        at,
        mode,
        ip,
        rs.getString(6),
        Optional.ofNullable(rs.getString(7)),
        Optional.ofNullable(rs.getString(8)),
        p,
        policy(rs.getString(19)),
        keyword(DMARC, rs.getString(20)),
        keyword(DMARC, rs.getString(21)),
        overrides,
        dkim,
        new ReportRecord.SpfAuth(
            rs.getString(22),
            keyword(SPF_SCOPE, rs.getString(23)),
            keyword(SPF, rs.getString(24))));
  }

  private static InetAddress address(String text, Map<String, InetAddress> addresses)
      throws SQLException {
    InetAddress ip = addresses.get(text);
    if (ip == null) {
      try {
        ip = InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        throw new SQLException("stored source_ip is not an address literal: " + text, e);
      }
      if (addresses.size() == ADDRESS_CACHE_SIZE) {
        addresses.clear();
      }
      addresses.put(text, ip);
    }
    return ip;
  }

  /** A case-insensitive keyword parser, such as {@link DkimResult#fromKeyword}. */
  private interface Parser<E> {
    E parse(String s);
  }

  /**
   * A stored keyword as written by {@link #insert} (each enum's {@code keyword()} is its lower-case
   * name), looked up without case folding; anything else (a row written by hand, in another case)
   * goes through the case-insensitive parser.
   */
  private record Keywords<E>(Map<String, E> exact, Parser<E> parser) {
    static <E extends Enum<E>> Keywords<E> of(E[] values, Parser<E> parser) {
      Map<String, E> exact = new HashMap<>();
      for (E e : values) {
        exact.put(e.name().toLowerCase(Locale.ROOT), e);
      }
      return new Keywords<>(Map.copyOf(exact), parser);
    }
  }

  private static final Keywords<DkimResult> DKIM =
      Keywords.of(DkimResult.values(), DkimResult::fromKeyword);
  private static final Keywords<DmarcResult> DMARC =
      Keywords.of(DmarcResult.values(), DmarcResult::fromKeyword);
  private static final Keywords<SpfResult> SPF =
      Keywords.of(SpfResult.values(), SpfResult::fromKeyword);
  private static final Keywords<SpfScope> SPF_SCOPE =
      Keywords.of(SpfScope.values(), s -> SpfScope.valueOf(upper(s)));
  private static final Keywords<DiscoveryMethod> DISCOVERY =
      Keywords.of(DiscoveryMethod.values(), s -> DiscoveryMethod.valueOf(upper(s)));
  private static final Keywords<DmarcPolicy> POLICY =
      Keywords.of(DmarcPolicy.values(), s -> DmarcPolicy.valueOf(upper(s)));

  private static <E> E keyword(Keywords<E> k, String s) {
    E e = k.exact().get(s);
    return e != null ? e : k.parser().parse(s);
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  private static DmarcPolicy policy(String s) {
    return keyword(POLICY, s);
  }

  private static AlignmentMode alignment(String s) {
    return "s".equals(s) ? AlignmentMode.STRICT : AlignmentMode.RELAXED;
  }

  private static OverrideReason reason(String keyword) {
    for (OverrideReason r : OverrideReason.values()) {
      if (r.keyword().equals(keyword)) {
        return r;
      }
    }
    return OverrideReason.OTHER;
  }
}
