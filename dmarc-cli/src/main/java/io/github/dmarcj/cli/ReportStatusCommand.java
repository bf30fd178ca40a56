// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.mail.DeliveryLedger;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dmarc report status}: the delivery ledger of {@code dmarc report send}. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show the delivery ledger: one line per report and destination with its state (pending,"
          + " sending, sent, failed), attempts, next attempt and last error, newest period first."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:ledger shown", "2:usage error", "3:database error"})
public final class ReportStatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--db",
      required = true,
      paramLabel = "JDBC_URL",
      description = "The report database.")
  private String db;

  @Option(names = "--db-user", paramLabel = "USER", description = "Database user.")
  private @Nullable String dbUser;

  @Option(names = "--db-password", paramLabel = "PASSWORD", description = "Database password.")
  private @Nullable String dbPassword;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ReportDb.checkH2Folder(db, false);
    } catch (ReportDb.Failure e) {
      err.println("dmarc report status: " + e.getMessage());
      err.flush();
      return 3;
    }
    try (JdbcReportStore store =
        (dbUser == null
                ? JdbcReportStore.builder(db)
                : JdbcReportStore.builder(db, dbUser, dbPassword))
            .build()) {
      for (DeliveryLedger.Entry e : new DeliveryLedger(store.dataSource()).entries()) {
        out.println(
            e.state().name().toLowerCase(Locale.ROOT)
                + " "
                + SafeText.of(e.policyDomain())
                + " <"
                + SafeText.of(e.reportId())
                + "> -> "
                + SafeText.of(e.destination())
                + " period "
                + Instant.ofEpochSecond(e.begin())
                + "/"
                + Instant.ofEpochSecond(e.end())
                + " attempts "
                + e.attempts()
                + (e.state() == DeliveryLedger.State.PENDING
                    ? " next " + Instant.ofEpochSecond(e.nextAttempt())
                    : "")
                + e.lastError().map(x -> " error: " + SafeText.of(x)).orElse(""));
      }
      out.flush();
      return 0;
    } catch (SQLException | RuntimeException e) {
      err.println("dmarc report status: cannot use the report database: " + SafeText.message(e));
      err.flush();
      return 3;
    }
  }
}
