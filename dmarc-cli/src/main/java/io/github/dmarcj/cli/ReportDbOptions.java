// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The report database options of the {@code report} subcommands ({@code @Mixin}). */
public final class ReportDbOptions {
  @Option(
      names = "--db",
      required = true,
      paramLabel = "JDBC_URL",
      description = "The report database, e.g. jdbc:h2:file:/var/lib/dmarcj/reports.")
  private String db;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user.")
  private @Nullable String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password.")
  private @Nullable String dbPassword;

  /**
   * Opens the existing report database.
   *
   * @return the store
   * @throws ReportDb.Failure if an H2 file database's folder is missing or not writable
   * @throws SQLException if the database cannot be opened
   */
  JdbcReportStore open() throws ReportDb.Failure, SQLException {
    ReportDb.checkH2Folder(db, false);
    return (dbUser == null
            ? JdbcReportStore.builder(db)
            : JdbcReportStore.builder(db, dbUser, dbPassword))
        .build();
  }
}
