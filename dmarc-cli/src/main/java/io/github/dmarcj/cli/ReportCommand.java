// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dmarc report}: DMARC reporting (RFC 9990). */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = "DMARC reports (RFC 9990, RFC 7489 §7.2).",
    subcommands = {
      CommandLine.HelpCommand.class,
      ReportAggregateCommand.class,
      ReportImportCommand.class,
      ReportSendCommand.class,
      ReportStatusCommand.class,
      ReportSummaryCommand.class,
    })
public final class ReportCommand {}
