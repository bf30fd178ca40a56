// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What became of each report mail, in the report store's database, so that reports go out exactly
 * once: one row per (report id, destination) with its state, attempts, last error and next attempt,
 * and one row per destination that keeps failing (suppressed for a while).
 *
 * <p>A sender {@linkplain #claim claims} a row before it sends: one conditional {@code UPDATE}, so
 * of several senders on one PostgreSQL database only one works a given row, and a row stays claimed
 * for a lease. The row becomes {@link State#SENT} after the relay accepted the mail; a sender that
 * dies in between leaves the row claimed until the lease ends, and the next run sends that mail
 * again, with the same Report-ID and Message-ID: at most one duplicate, never a lost report.
 *
 * <p>The SQL is portable (H2 and PostgreSQL); the tables are created when absent.
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: every statement that touches the ledger tables is here, so the
 *     claim, result, suppression and rate-limit queries can be checked against one another.)
 */
public final class DeliveryLedger {
  /** The state of one (report, destination) row. */
  public enum State {
    /** Not sent yet: new, or waiting for its next attempt. */
    PENDING,
    /** Claimed by a sender until {@link Entry#claimedUntil()}. */
    SENDING,
    /** The relay accepted it. */
    SENT,
    /** A permanent failure (5xx), or too many attempts: not tried again. */
    FAILED
  }

  /**
   * One row.
   *
   * @param reportId the report id
   * @param destination the address the mail goes to
   * @param policyDomain the policy domain of the report
   * @param begin the period's start (epoch seconds)
   * @param end the period's end (epoch seconds)
   * @param state the state
   * @param attempts how many times a sender claimed it
   * @param lastError the last failure, if any
   * @param nextAttempt when it may be tried again (epoch seconds)
   * @param claimedUntil when a claim ends (epoch seconds)
   * @param updated when the row last changed (epoch seconds)
   */
  public record Entry(
      String reportId,
      String destination,
      String policyDomain,
      long begin,
      long end,
      State state,
      int attempts,
      Optional<String> lastError,
      long nextAttempt,
      long claimedUntil,
      long updated) {
    /**
     * Checks that every component is present.
     *
     * @param reportId the report id
     * @param destination the address the mail goes to
     * @param policyDomain the policy domain of the report
     * @param begin the period's start (epoch seconds)
     * @param end the period's end (epoch seconds)
     * @param state the state
     * @param attempts how many times a sender claimed it
     * @param lastError the last failure, if any
     * @param nextAttempt when it may be tried again (epoch seconds)
     * @param claimedUntil when a claim ends (epoch seconds)
     * @param updated when the row last changed (epoch seconds)
     */
    public Entry {
      Objects.requireNonNull(reportId, "reportId");
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(policyDomain, "policyDomain");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(lastError, "lastError");
    }
  }

  static final int ERROR_LENGTH = 1000;

  private static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS dmarcj_report_delivery ("
              + "report_id VARCHAR(300) NOT NULL, "
              + "destination VARCHAR(320) NOT NULL, "
              + "policy_domain VARCHAR(255) NOT NULL, "
              + "period_begin BIGINT NOT NULL, "
              + "period_end BIGINT NOT NULL, "
              + "state VARCHAR(16) NOT NULL, "
              + "attempts INTEGER NOT NULL, "
              + "last_error VARCHAR(1000), "
              + "next_attempt_s BIGINT NOT NULL, "
              + "claimed_until_s BIGINT NOT NULL, "
              + "updated_s BIGINT NOT NULL, "
              + "PRIMARY KEY (report_id, destination))",
          "CREATE TABLE IF NOT EXISTS dmarcj_report_destination ("
              + "destination VARCHAR(320) NOT NULL PRIMARY KEY, "
              + "failures INTEGER NOT NULL, "
              + "suppressed_until_s BIGINT NOT NULL, "
              + "last_error VARCHAR(1000))",
          "CREATE TABLE IF NOT EXISTS dmarcj_report_period ("
              + "policy_domain VARCHAR(255) NOT NULL, "
              + "period_begin BIGINT NOT NULL, "
              + "period_end BIGINT NOT NULL, "
              + "settled_s BIGINT NOT NULL, "
              + "PRIMARY KEY (policy_domain, period_begin, period_end))");

  private static final String COLUMNS =
      "report_id, destination, policy_domain, period_begin, period_end, state, attempts,"
          + " last_error, next_attempt_s, claimed_until_s, updated_s";

  private final DataSource dataSource;

  /**
   * Opens the ledger, creating its tables when absent.
   *
   * @param dataSource the report store's database
   * @throws SQLException if the database cannot be reached
   */
  public DeliveryLedger(DataSource dataSource) throws SQLException {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      for (int i = 0; i < DDL.size(); i++) {
        try (Statement s = c.createStatement()) {
          s.execute(DDL.get(i));
        } catch (SQLException e) {
          // CREATE TABLE IF NOT EXISTS is not safe against a concurrent creation in PostgreSQL
          // (it can fail on the catalog's unique index): another sender made the table first.
          if (!exists(c, TABLES.get(i))) {
            throw e;
          }
        }
      }
    }
  }

  private static final List<String> TABLES =
      List.of("dmarcj_report_delivery", "dmarcj_report_destination", "dmarcj_report_period");

  private static boolean exists(Connection c, String table) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE 1 = 0")) {
      return rs.next();
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Claims a (report, destination) row for sending, creating it when absent. Only a row that is
   * {@link State#PENDING} and due, or {@link State#SENDING} with its lease over (its sender died),
   * can be claimed; the claim adds one attempt.
   *
   * @param reportId the report id
   * @param destination the address
   * @param policyDomain the report's policy domain
   * @param begin the period's start
   * @param end the period's end
   * @param now the time now
   * @param lease how long the claim holds
   * @return the claimed row, or empty if it is sent, failed, not due or claimed by another sender
   * @throws SQLException if the database fails
   */
  public Optional<Entry> claim(
      String reportId,
      String destination,
      String policyDomain,
      Instant begin,
      Instant end,
      Instant now,
      Duration lease)
      throws SQLException {
    long t = now.getEpochSecond();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      if (find(c, reportId, destination).isEmpty()) {
        try (PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO dmarcj_report_delivery ("
                    + COLUMNS
                    + ")"
                    + " VALUES (?, ?, ?, ?, ?, ?, 0, NULL, ?, 0, ?)")) {
          p.setString(1, reportId);
          p.setString(2, destination);
          p.setString(3, policyDomain);
          p.setLong(4, begin.getEpochSecond());
          p.setLong(5, end.getEpochSecond());
          p.setString(6, State.PENDING.name());
          p.setLong(7, t);
          p.setLong(8, t);
          p.executeUpdate();
        } catch (SQLException e) {
          if (!isDuplicateKey(e)) {
            throw e;
          }
          // Another sender inserted it first: the claim below decides.
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "UPDATE dmarcj_report_delivery SET state = ?, attempts = attempts + 1,"
                  + " claimed_until_s = ?, updated_s = ?"
                  + " WHERE report_id = ? AND destination = ?"
                  + " AND ((state = ? AND next_attempt_s <= ?) OR (state = ? AND claimed_until_s < ?))")) {
        p.setString(1, State.SENDING.name());
        p.setLong(2, t + Math.max(1, lease.toSeconds()));
        p.setLong(3, t);
        p.setString(4, reportId);
        p.setString(5, destination);
        p.setString(6, State.PENDING.name());
        p.setLong(7, t);
        p.setString(8, State.SENDING.name());
        p.setLong(9, t);
        if (p.executeUpdate() != 1) {
          return Optional.empty();
        }
      }
      durable(c);
      return find(c, reportId, destination);
    }
  }

  /**
   * Records that the relay accepted the mail.
   *
   * @param e the claimed row
   * @param now the time now
   * @throws SQLException if the database fails
   */
  public void sent(Entry e, Instant now) throws SQLException {
    finish(e, State.SENT, Optional.empty(), now.getEpochSecond(), now);
  }

  /**
   * Records a temporary failure: the row is tried again at {@code next}.
   *
   * @param e the claimed row
   * @param now the time now
   * @param next the earliest next attempt
   * @param error what failed
   * @throws SQLException if the database fails
   */
  public void retry(Entry e, Instant now, Instant next, String error) throws SQLException {
    finish(e, State.PENDING, Optional.of(error), next.getEpochSecond(), now);
  }

  /**
   * Records a permanent failure: the row is not tried again.
   *
   * @param e the claimed row
   * @param now the time now
   * @param error what failed
   * @throws SQLException if the database fails
   */
  public void failed(Entry e, Instant now, String error) throws SQLException {
    finish(e, State.FAILED, Optional.of(error), Long.MAX_VALUE, now);
  }

  private void finish(Entry e, State state, Optional<String> error, long next, Instant now)
      throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE dmarcj_report_delivery SET state = ?, last_error = ?, next_attempt_s = ?,"
                    + " claimed_until_s = 0, updated_s = ? WHERE report_id = ? AND destination = ?")) {
      c.setAutoCommit(true);
      p.setString(1, state.name());
      p.setString(2, error.map(DeliveryLedger::cut).orElse(null));
      p.setLong(3, next);
      p.setLong(4, now.getEpochSecond());
      p.setString(5, e.reportId());
      p.setString(6, e.destination());
      p.executeUpdate();
      durable(c);
    }
  }

  /**
   * Makes the last commit survive a crash of this process. An embedded H2 database writes commits
   * to its file within its write delay (500 ms by default), so a sender killed right after claiming
   * could lose the claim and send twice more; {@code CHECKPOINT} writes it now. Other databases
   * (PostgreSQL) have it on disk when the commit returns.
   */
  private static void durable(Connection c) throws SQLException {
    if ("H2".equals(c.getMetaData().getDatabaseProductName())) {
      try (Statement s = c.createStatement()) {
        s.execute("CHECKPOINT");
      }
    }
  }

  /**
   * {@return the row of a (report, destination), if there is one}
   *
   * @param reportId the report id
   * @param destination the address
   * @throws SQLException if the database fails
   */
  public Optional<Entry> entry(String reportId, String destination) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      return find(c, reportId, destination);
    }
  }

  /**
   * {@return every row, the newest period first}
   *
   * @throws SQLException if the database fails
   */
  public List<Entry> entries() throws SQLException {
    List<Entry> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT "
                    + COLUMNS
                    + " FROM dmarcj_report_delivery"
                    + " ORDER BY period_begin DESC, policy_domain, report_id, destination")) {
      while (rs.next()) {
        out.add(entry(rs));
      }
    }
    return out;
  }

  /**
   * {@return until when a destination is suppressed, if it is at {@code now}}
   *
   * @param destination the address
   * @param now the time now
   * @throws SQLException if the database fails
   */
  public Optional<Instant> suppressedUntil(String destination, Instant now) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT suppressed_until_s FROM dmarcj_report_destination WHERE destination = ?")) {
      p.setString(1, destination);
      try (ResultSet rs = p.executeQuery()) {
        if (rs.next() && rs.getLong(1) > now.getEpochSecond()) {
          return Optional.of(Instant.ofEpochSecond(rs.getLong(1)));
        }
        return Optional.empty();
      }
    }
  }

  /**
   * Counts a failed delivery to a destination; from the {@code threshold}-th failure in a row on,
   * the destination is suppressed until {@code now + suppressFor}.
   *
   * @param destination the address
   * @param now the time now
   * @param threshold failures in a row before suppression
   * @param suppressFor how long a suppression lasts
   * @param error the last failure
   * @return the suppression's end, if the destination is now suppressed
   * @throws SQLException if the database fails
   */
  public Optional<Instant> destinationFailed(
      String destination, Instant now, int threshold, Duration suppressFor, String error)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      int failures = 1;
      try (PreparedStatement p =
          c.prepareStatement(
              "SELECT failures FROM dmarcj_report_destination WHERE destination = ?")) {
        p.setString(1, destination);
        try (ResultSet rs = p.executeQuery()) {
          if (rs.next()) {
            failures = rs.getInt(1) + 1;
          }
        }
      }
      long until = failures >= threshold ? now.plus(suppressFor).getEpochSecond() : 0;
      try (PreparedStatement p =
          c.prepareStatement(
              "UPDATE dmarcj_report_destination SET failures = ?, suppressed_until_s = ?,"
                  + " last_error = ? WHERE destination = ?")) {
        p.setInt(1, failures);
        p.setLong(2, until);
        p.setString(3, cut(error));
        p.setString(4, destination);
        if (p.executeUpdate() == 0) {
          try (PreparedStatement i =
              c.prepareStatement(
                  "INSERT INTO dmarcj_report_destination (destination, failures,"
                      + " suppressed_until_s, last_error) VALUES (?, ?, ?, ?)")) {
            i.setString(1, destination);
            i.setInt(2, failures);
            i.setLong(3, until);
            i.setString(4, cut(error));
            i.executeUpdate();
          } catch (SQLException e) {
            if (!isDuplicateKey(e)) {
              throw e;
            }
          }
        }
      }
      return until > 0 ? Optional.of(Instant.ofEpochSecond(until)) : Optional.empty();
    }
  }

  /**
   * Records a delivery that went through: the destination's failure count starts again.
   *
   * @param destination the address
   * @throws SQLException if the database fails
   */
  public void destinationOk(String destination) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement("DELETE FROM dmarcj_report_destination WHERE destination = ?")) {
      c.setAutoCommit(true);
      p.setString(1, destination);
      p.executeUpdate();
    }
  }

  /**
   * Records that every report of a policy domain's period reached a final state (sent, failed for
   * good, or not sendable), so later runs skip the period without reading its rows or asking DNS.
   * Recording it twice is harmless.
   *
   * @param policyDomain the policy domain as stored
   * @param period the period
   * @param now the time now
   * @throws SQLException if the database fails
   */
  public void settle(String policyDomain, ReportPeriod period, Instant now) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO dmarcj_report_period (policy_domain, period_begin, period_end,"
                    + " settled_s) VALUES (?, ?, ?, ?)")) {
      c.setAutoCommit(true);
      p.setString(1, policyDomain);
      p.setLong(2, period.begin().getEpochSecond());
      p.setLong(3, period.end().getEpochSecond());
      p.setLong(4, now.getEpochSecond());
      p.executeUpdate();
    } catch (SQLException e) {
      if (!isDuplicateKey(e)) {
        throw e;
      }
    }
  }

  /**
   * {@return the settled periods of a policy domain that end after {@code since}, in ascending
   * order of begin}
   *
   * @param policyDomain the policy domain as stored
   * @param since periods ending at or before this are left out
   * @throws SQLException if the database fails
   */
  public List<ReportPeriod> settledPeriods(String policyDomain, Instant since) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT period_begin, period_end FROM dmarcj_report_period"
                    + " WHERE policy_domain = ? AND period_end > ? ORDER BY period_begin")) {
      p.setString(1, policyDomain);
      p.setLong(2, since.getEpochSecond());
      List<ReportPeriod> out = new ArrayList<>();
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ReportPeriod(
                  Instant.ofEpochSecond(rs.getLong(1)), Instant.ofEpochSecond(rs.getLong(2))));
        }
      }
      return out;
    }
  }

  /**
   * {@return how many mails whose report id starts with {@code prefix} were sent (or are being
   * sent) since {@code since} to {@code destination}, or for {@code policyDomain} when {@code
   * destination} is null: the counts behind failure-report rate limits, kept across restarts}
   *
   * @param prefix the report id prefix
   * @param destination the address, or null to count by domain
   * @param policyDomain the policy domain, used when {@code destination} is null
   * @param since the start of the window
   * @throws SQLException if the database fails
   */
  public int sentSince(
      String prefix, @Nullable String destination, String policyDomain, Instant since)
      throws SQLException {
    String by = destination != null ? "destination = ?" : "policy_domain = ?";
    try (Connection c = dataSource.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT COUNT(*) FROM dmarcj_report_delivery WHERE report_id LIKE ? AND "
                    + by
                    + " AND state IN ('SENT', 'SENDING') AND updated_s >= ?")) {
      p.setString(1, prefix.replace("%", "").replace("_", "\\_") + "%");
      p.setString(2, destination != null ? destination : policyDomain);
      p.setLong(3, since.getEpochSecond());
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getInt(1) : 0;
      }
    }
  }

  private static Optional<Entry> find(Connection c, String reportId, String destination)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM dmarcj_report_delivery WHERE report_id = ? AND destination = ?")) {
      p.setString(1, reportId);
      p.setString(2, destination);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    }
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    return new Entry(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getLong(4),
        rs.getLong(5),
        State.valueOf(rs.getString(6)),
        rs.getInt(7),
        Optional.ofNullable(rs.getString(8)),
        rs.getLong(9),
        rs.getLong(10),
        rs.getLong(11));
  }

  /** SQLSTATE 23505 (unique violation) in H2 and PostgreSQL alike. */
  private static boolean isDuplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  private static String cut(String s) {
    return s.length() <= ERROR_LENGTH ? s : s.substring(0, ERROR_LENGTH);
  }
}
