// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.ingest.ImportException;
import io.github.dmarcj.report.ingest.ImportLimits;
import io.github.dmarcj.report.ingest.ReceivedFailureReport;
import io.github.dmarcj.report.ingest.ReceivedReport;
import io.github.dmarcj.report.ingest.ReportImporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc report import}: received aggregate reports into the report database. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Read received aggregate reports (RFC 9990, RFC 7489) into the report database: XML,"
          + " .xml.gz, .zip and mails (.eml) that carry them as attachments, given as files,"
          + " folders (read recursively), Maildirs or mbox files. A report already in the"
          + " database (same org_name, email and report_id) is left as it is.",
      "Hostile input is refused file by file, with its reason, and the import goes on: DTDs and"
          + " entities, more than 50 MB compressed or 500 MB uncompressed, a ratio above 100:1"
          + " beyond 1 MB, mails above 100 MB, nesting deeper than 64, more than 10 million"
          + " elements, element text longer than 1 MiB (the --max-* options change these).",
      "One line per refused input on standard output, then the counts."
    },
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:every input imported (or was known already)",
      "1:at least one input was refused",
      "2:usage error",
      "3:database error"
    })
public final class ReportImportCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private ReportDbOptions database;

  @Option(
      names = "--progress-every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Write a progress line to standard error this often on long runs (default: 10s; 0:"
              + " after every input).")
  private @Nullable Duration progressEvery;

  @Option(
      names = "--max-compressed",
      paramLabel = "BYTES",
      description = "Most bytes of one report as received (file, gzip, zip, attachment).")
  private long maxCompressed = ImportLimits.defaults().maxCompressedBytes();

  @Option(
      names = "--max-uncompressed",
      paramLabel = "BYTES",
      description = "Most XML bytes one input may expand to, all zip entries together.")
  private long maxUncompressed = ImportLimits.defaults().maxUncompressedBytes();

  @Option(
      names = "--max-ratio",
      paramLabel = "N",
      description = "Most uncompressed bytes per compressed byte (beyond 1 MB).")
  private long maxRatio = ImportLimits.defaults().maxRatio();

  @Option(
      names = "--max-mail",
      paramLabel = "BYTES",
      description = "Most bytes of one mail, in a file or an mbox.")
  private long maxMail = ImportLimits.defaults().maxMailBytes();

  @Option(
      names = "--max-elements",
      paramLabel = "N",
      description = "Most XML elements in one report.")
  private long maxElements = ImportLimits.defaults().maxElements();

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "Report files, mails, folders, Maildirs, mbox files.")
  private List<Path> paths;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (JdbcReportStore store = database.open()) {
      ImportLimits d = ImportLimits.defaults();
      ImportLimits limits;
      try {
        limits =
            new ImportLimits(
                maxCompressed,
                maxUncompressed,
                maxRatio,
                d.ratioThreshold(),
                maxMail,
                d.maxDepth(),
                maxElements,
                d.maxTextLength());
      } catch (IllegalArgumentException e) {
        err.println("dmarc report import: every --max-* limit must be positive");
        err.flush();
        return 2;
      }
      ReportImporter importer = new ReportImporter(store.dataSource(), limits);
      ProgressLine progress =
          new ProgressLine(
              err,
              progressEvery == null ? Duration.ofSeconds(10) : progressEvery,
              System::nanoTime);
      Map<ImportException.Reason, Integer> reasons = new EnumMap<>(ImportException.Reason.class);
      ReportImporter.Listener listener =
          new ReportImporter.Listener() {
            @Override
            public void imported(String source, ReceivedReport report, long rows) {
              progress.update(() -> counts(importer.summary()));
            }

            @Override
            public void duplicate(String source, ReceivedReport report) {
              progress.update(() -> counts(importer.summary()));
            }

            @Override
            public void reading(String source, long rows) {
              progress.update(
                  () ->
                      counts(importer.summary())
                          + "; reading "
                          + SafeText.of(source)
                          + ": "
                          + rows
                          + " rows");
            }

            @Override
            public void importedFailure(String source, ReceivedFailureReport report) {
              progress.update(() -> counts(importer.summary()));
            }

            @Override
            public void duplicateFailure(String source, ReceivedFailureReport report) {
              progress.update(() -> counts(importer.summary()));
            }

            @Override
            public void refused(String source, ImportException error) {
              reasons.merge(error.reason(), 1, Integer::sum);
              out.println(
                  "refused "
                      + SafeText.of(source)
                      + ": "
                      + error.reason().name().toLowerCase(Locale.ROOT)
                      + ": "
                      + SafeText.of(String.valueOf(error.getMessage())));
              out.flush();
              progress.update(() -> counts(importer.summary()));
            }
          };
      ReportImporter.Summary s = importer.importPaths(paths, listener);
      StringBuilder line = new StringBuilder(counts(s));
      if (!reasons.isEmpty()) {
        line.append(" (");
        String sep = "";
        for (Map.Entry<ImportException.Reason, Integer> e : reasons.entrySet()) {
          line.append(sep)
              .append(e.getValue())
              .append(' ')
              .append(e.getKey().name().toLowerCase(Locale.ROOT));
          sep = ", ";
        }
        line.append(')');
      }
      out.println(line);
      out.flush();
      return s.refused() > 0 ? 1 : 0;
    } catch (ReportDb.Failure e) {
      err.println("dmarc report import: " + e.getMessage());
      err.flush();
      return 3;
    } catch (SQLException | RuntimeException e) {
      err.println("dmarc report import: cannot use the report database: " + SafeText.message(e));
      err.flush();
      return 3;
    }
  }

  private static String counts(ReportImporter.Summary s) {
    return s.reports()
        + (s.reports() == 1 ? " report" : " reports")
        + " imported ("
        + s.rows()
        + (s.rows() == 1 ? " row" : " rows")
        + "), "
        + (s.failureReports() == 0
            ? ""
            : s.failureReports()
                + (s.failureReports() == 1 ? " failure report" : " failure reports")
                + " imported, ")
        + s.duplicates()
        + " already known, "
        + s.refused()
        + " refused, from "
        + s.files()
        + (s.files() == 1 ? " file" : " files");
  }
}
