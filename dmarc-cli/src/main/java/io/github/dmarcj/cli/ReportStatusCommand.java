// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.mail.DeliveryLedger;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Mixin private ReportDbOptions database;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (JdbcReportStore store = database.open()) {
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
    } catch (ReportDb.Failure e) {
      err.println("dmarc report status: " + e.getMessage());
      err.flush();
      return 3;
    } catch (SQLException | RuntimeException e) {
      err.println("dmarc report status: cannot use the report database: " + SafeText.message(e));
      err.flush();
      return 3;
    }
  }
}
