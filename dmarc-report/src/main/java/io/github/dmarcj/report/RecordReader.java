// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.verify.ReportRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads the stored records of many policy domains over one database connection: a report run reads
 * thousands of domains, and opening and closing a connection for each one cost more than reading
 * its rows. From {@link JdbcReportStore#reader()}; not thread-safe; close it when done.
 *
 * @since 0.1.0
 */
public final class RecordReader implements AutoCloseable {
  private final Connection connection;

  RecordReader(Connection connection) {
    this.connection = connection;
  }

  /**
   * Streams the stored records of one policy domain whose evaluation time is in [{@code begin},
   * {@code end}), in whole seconds as in a report's {@code date_range}, in the order they were
   * stored, in constant memory.
   *
   * @param policyDomain the policy domain
   * @param begin the start of the period, inclusive
   * @param end the end of the period, exclusive
   * @param action called once per record
   * @throws SQLException if the database query fails
   */
  public void forEachRecord(
      String policyDomain, Instant begin, Instant end, Consumer<ReportRecord> action)
      throws SQLException {
    // Inside a transaction the drivers fetch rows in batches (PostgreSQL's driver reads the
    // whole result into memory otherwise), so a domain's rows stream in constant memory.
    boolean auto = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      RecordRows.select(
          connection, policyDomain, begin.getEpochSecond(), end.getEpochSecond(), action);
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(auto);
    }
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
