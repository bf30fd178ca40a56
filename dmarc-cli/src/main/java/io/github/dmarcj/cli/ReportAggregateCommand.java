// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.AggregateReport;
import io.github.dmarcj.report.AggregateReportWriter;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.ReportAggregator;
import io.github.dmarcj.report.ReportFileName;
import io.github.dmarcj.report.ReportFormat;
import io.github.dmarcj.report.ReportMetadata;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dmarc report aggregate}: the RFC 9990 (or RFC 7489) aggregate report of one policy domain
 * and period, from the rows a {@code JdbcReportStore} collected.
 */
@Command(
    name = "aggregate",
    mixinStandardHelpOptions = true,
    description = {
      "Write the aggregate report (RFC 9990 XML, or RFC 7489 with --rfc7489) of one policy domain"
          + " for the period [--begin, --end) from a report database, to standard output or, with"
          + " --gzip, to a gzip file. With --out-dir, write one gzip file per report, named as in"
          + " RFC 9990 §3.5.1.",
      "On standard output, control, line-separator and bidirectional characters from the rows"
          + " are written as character references (&#x9B;, &#x202E;, ...)."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:report written",
      "1:no records for the domain in the period (nothing written)",
      "2:usage error",
      "3:database or file error",
      "4:the domain changed its policy in the period: several reports, use --out-dir"
    })
public final class ReportAggregateCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ReportDbOptions database;

  @Option(
      names = "--domain",
      required = true,
      paramLabel = "DOMAIN",
      description = "The DMARC policy domain the report is about.")
  private String domain;

  @Option(
      names = "--begin",
      required = true,
      paramLabel = "EPOCH",
      description = "Start of the period (inclusive), in seconds since 1970 " + Epoch.RANGE + ".")
  private long begin;

  @Option(
      names = "--end",
      required = true,
      paramLabel = "EPOCH",
      description = "End of the period (exclusive), in seconds since 1970 " + Epoch.RANGE + ".")
  private long end;

  @Option(
      names = "--org-name",
      required = true,
      paramLabel = "NAME",
      description = "The reporting organization (org_name).")
  private String orgName;

  @Option(
      names = "--email",
      required = true,
      paramLabel = "ADDR",
      description = "The reporter's contact address (email).")
  private String email;

  @Option(
      names = "--report-id",
      paramLabel = "ID",
      description =
          "report_id (dot-atom-text [@ dot-atom-text]); default:"
              + " DOMAIN.BEGIN.END@<domain of --email>.")
  private @Nullable String reportId;

  @Option(names = "--extra-contact-info", paramLabel = "TEXT", description = "extra_contact_info.")
  private @Nullable String extraContactInfo;

  @Option(names = "--rfc7489", description = "Write the RFC 7489 Appendix C format.")
  private boolean rfc7489;

  @Option(
      names = "--gzip",
      paramLabel = "FILE",
      description = "Write the report gzip-compressed to FILE instead of standard output.")
  private @Nullable Path gzip;

  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      description = "Write each report gzip-compressed into DIR under its RFC 9990 file name.")
  private @Nullable Path outDir;

  @Option(
      names = "--receiver",
      paramLabel = "DOMAIN",
      description = "The receiver in file names (default: the domain of --email).")
  private @Nullable String receiver;

  @Override
  public Integer call() {
    Instant from = Epoch.of(spec, "--begin", begin);
    Instant to = Epoch.of(spec, "--end", end);
    if (end <= begin) {
      throw usage("--end must be after --begin");
    }
    if (gzip != null && outDir != null) {
      throw usage("give --gzip or --out-dir, not both");
    }
    String emailDomain = email.substring(email.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    String policyDomain = domain.toLowerCase(Locale.ROOT);
    String id =
        reportId != null ? reportId : policyDomain + "." + begin + "." + end + "@" + emailDomain;
    ReportMetadata metadata;
    try {
      metadata =
          new ReportMetadata(
              orgName,
              email,
              Optional.ofNullable(extraContactInfo),
              id,
              Optional.of(ReportMetadata.GENERATOR));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    ReportAggregator aggregator = new ReportAggregator(policyDomain, from, to);
    try (JdbcReportStore store = database.open()) {
      store.forEachRecord(policyDomain, from, to, aggregator::add);
    } catch (ReportDb.Failure e) {
      return error(err, String.valueOf(e.getMessage()), 3);
    } catch (SQLException | RuntimeException e) {
      return error(err, "cannot read the report database: " + SafeText.message(e), 3);
    }
    List<AggregateReport> reports = aggregator.reports(metadata);
    if (reports.isEmpty()) {
      return error(
          err,
          "no records for " + SafeText.of(policyDomain) + " in [" + begin + ", " + end + ")",
          1);
    }
    ReportFormat format = rfc7489 ? ReportFormat.RFC7489 : ReportFormat.RFC9990;
    try {
      if (outDir != null) {
        Files.createDirectories(outDir);
        String recv = receiver != null ? receiver : emailDomain;
        for (AggregateReport r : reports) {
          Path file = outDir.resolve(ReportFileName.of(recv, r, Optional.empty(), true));
          if (reports.size() > 1) {
            String bare = r.metadata().bareReportId().replaceAll("[^A-Za-z0-9]", "");
            file = outDir.resolve(ReportFileName.of(recv, r, Optional.of(bare), true));
          }
          try (OutputStream out = Files.newOutputStream(file)) {
            AggregateReportWriter.writeGzip(r, format, out);
          }
          spec.commandLine().getOut().println(SafeText.of(file.toString()));
        }
        spec.commandLine().getOut().flush();
        return 0;
      }
      if (reports.size() > 1) {
        return error(
            err,
            SafeText.of(policyDomain)
                + " changed its policy in the period: "
                + reports.size()
                + " reports; use --out-dir DIR",
            4);
      }
      if (gzip != null) {
        try (OutputStream out =
            Files.newOutputStream(
                gzip,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
          AggregateReportWriter.writeGzip(reports.get(0), format, out);
        }
      } else {
        String xml =
            new String(AggregateReportWriter.toXml(reports.get(0), format), StandardCharsets.UTF_8);
        System.out.flush();
        System.out.write(SafeText.xmlCharRefs(xml).getBytes(StandardCharsets.UTF_8));
        System.out.flush();
      }
    } catch (IOException | RuntimeException e) {
      String why = e instanceof IOException io ? MessageInput.problem(io) : SafeText.message(e);
      return error(err, "cannot write the report: " + why, 3);
    }
    return 0;
  }

  private int error(PrintWriter err, @Nullable String message, int code) {
    err.println("dmarc report aggregate: " + message);
    err.flush();
    return code;
  }

  private ParameterException usage(@Nullable String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
