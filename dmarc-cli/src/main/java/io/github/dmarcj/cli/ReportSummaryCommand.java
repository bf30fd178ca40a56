// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.summary.DomainSummary;
import io.github.dmarcj.report.summary.ReportSummarizer;
import io.github.dmarcj.report.summary.SummaryHtml;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc report summary}: the domain owner's view of the aggregate reports received about one
 * domain (imported with {@code dmarc report import}).
 */
@Command(
    name = "summary",
    mixinStandardHelpOptions = true,
    description = {
      "Summarize the received aggregate reports about one domain: messages per day, every"
          + " sending source classified (aligned, forwarded, third-party, failing), what"
          + " p=quarantine or p=reject would do to that mail with the next step for each class,"
          + " and which reporters sent reports on which days, with the gaps.",
      "A report counts on the UTC day of the middle of its period. --format html writes one"
          + " self-contained page (inline style and SVG charts, no script). Reverse names of the"
          + " largest sources are looked up only with --reverse-dns."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:summary written",
      "1:no report about the domain in these days (nothing written)",
      "2:usage error",
      "3:database or file error"
    })
public final class ReportSummaryCommand implements Callable<Integer> {
  /** The output formats. */
  enum Format {
    text,
    json,
    html
  }

  @Spec private CommandSpec spec;

  @Mixin private ReportDbOptions database;

  @Mixin private ResolverOptions resolverOptions;

  @Option(
      names = "--domain",
      required = true,
      paramLabel = "DOMAIN",
      description = "The policy domain the reports are about.")
  private String domain;

  @Option(
      names = "--since",
      paramLabel = "DATE",
      description = "First day to include, YYYY-MM-DD (UTC); default: the first report.")
  private @Nullable String since;

  @Option(
      names = "--until",
      paramLabel = "DATE",
      description = "Last day to include, YYYY-MM-DD (UTC); default: the last report.")
  private @Nullable String until;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "text, json or html (default: ${DEFAULT-VALUE}).",
      defaultValue = "text")
  private Format format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the summary to FILE instead of standard output.")
  private @Nullable Path out;

  @Option(
      names = "--reverse-dns",
      description =
          "Look up the reverse names (PTR) of the listed sources with the DNS options below;"
              + " a failed lookup leaves the name out.")
  private boolean reverseDns;

  @Option(
      names = "--max-lookups",
      paramLabel = "N",
      description = "Reverse lookups at most, largest sources first (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + ReportSummarizer.DEFAULT_MAX_LOOKUPS)
  private int maxLookups;

  @Option(
      names = "--max-sources",
      paramLabel = "N",
      description = "Sources listed per class, 1 to 1000 (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + ReportSummarizer.DEFAULT_MAX_SOURCES)
  private int maxSources;

  @Override
  public Integer call() {
    LocalDate from = date("--since", since);
    LocalDate to = date("--until", until);
    if (from != null && to != null && to.isBefore(from)) {
      throw usage("--until must not be before --since");
    }
    ReportSummarizer.Builder builder;
    PrintWriter err = spec.commandLine().getErr();
    DomainSummary summary;
    try (JdbcReportStore store = database.open()) {
      builder = ReportSummarizer.builder(store.dataSource());
      try {
        builder.maxSources(maxSources).maxLookups(maxLookups);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      if (reverseDns) {
        builder.resolver(resolverOptions.resolver());
      }
      try {
        summary = builder.build().summarize(domain, from, to);
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
    } catch (ReportDb.Failure e) {
      return error(err, String.valueOf(e.getMessage()), 3);
    } catch (SQLException | RuntimeException e) {
      if (e instanceof ParameterException pe) {
        throw pe;
      }
      return error(err, "cannot read the report database: " + SafeText.message(e), 3);
    }
    if (summary.isEmpty()) {
      return error(
          err,
          "no report about "
              + SafeText.of(summary.domain())
              + (from == null && to == null
                  ? ""
                  : " from "
                      + (from == null ? "the first" : from)
                      + " to "
                      + (to == null ? "the last" : to))
              + " in the database (import them with dmarc report import)",
          1);
    }
    String text =
        switch (format) {
          case text -> SummaryText.of(summary);
          case json -> SummaryJson.of(summary) + "\n";
          case html -> SummaryHtml.render(summary);
        };
    if (out == null) {
      PrintWriter o = spec.commandLine().getOut();
      o.print(text);
      o.flush();
      return 0;
    }
    try {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return error(
          err, "cannot write " + SafeText.of(out.toString()) + ": " + MessageInput.problem(e), 3);
    }
    return 0;
  }

  private @Nullable LocalDate date(String option, @Nullable String value) {
    if (value == null) {
      return null;
    }
    try {
      LocalDate d = LocalDate.parse(value.strip());
      if (d.getYear() < 1970 || d.getYear() > 9999) {
        throw usage(option + " must be a day from 1970 to 9999, was " + SafeText.of(value));
      }
      return d;
    } catch (DateTimeParseException e) {
      throw usage(option + " must be a date YYYY-MM-DD, was '" + SafeText.of(value) + "'");
    }
  }

  private int error(PrintWriter err, @Nullable String message, int code) {
    err.println("dmarc report summary: " + message);
    err.flush();
    return code;
  }

  private ParameterException usage(@Nullable String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
