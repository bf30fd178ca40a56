// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.verify.ReportRecordSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The report database of {@code dmarc verify --report-db}: a {@link JdbcReportStore} opened with
 * one clear error line when the URL or the folder of an H2 file is unusable.
 */
final class ReportDb implements AutoCloseable {
  /** Thrown when the database cannot be opened. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private final JdbcReportStore store;

  private ReportDb(JdbcReportStore store) {
    this.store = store;
  }

  /** Opens (and if need be creates) the database at {@code url}. */
  static ReportDb open(String url) throws Failure {
    checkH2Folder(url, true);
    try {
      return new ReportDb(JdbcReportStore.builder(url).build());
    } catch (SQLException | RuntimeException e) {
      throw new Failure("cannot open the report database " + SafeText.of(url) + ": " + SafeText.message(e));
    }
  }

  /** Where the authenticator hands the rows; the store queues them for its writer. */
  ReportRecordSink sink() {
    return store;
  }

  @Override
  public void close() {
    store.close();
  }

  /**
   * For an embedded H2 file database, a clear message when its folder cannot hold it, before H2
   * is asked (H2 prints a stack trace of its own on standard output when it cannot write its
   * trace file there). Other URLs are left to their driver.
   *
   * @param create whether to create a missing folder (for writing), or refuse it (for reading)
   */
  static void checkH2Folder(String url, boolean create) throws Failure {
    Path folder = h2Folder(url);
    if (folder == null) {
      return;
    }
    String problem = null;
    if (Files.exists(folder) && !Files.isDirectory(folder)) {
      problem = folder + " is not a folder";
    } else if (!Files.exists(folder)) {
      if (!create) {
        problem = "no folder " + folder;
      } else {
        try {
          Files.createDirectories(folder);
        } catch (IOException e) {
          problem = "cannot create the folder " + folder + " (" + MessageInput.problem(e) + ")";
        }
      }
    }
    if (problem == null && create && !Files.isWritable(folder)) {
      problem = "cannot write in " + folder;
    }
    if (problem != null) {
      throw new Failure("cannot open the report database " + SafeText.of(url) + ": " + SafeText.of(problem));
    }
  }

  /** The folder of an H2 file database URL, or null for other URLs (memory, server, others). */
  static Path h2Folder(String url) {
    if (!url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
      return null;
    }
    String name = url.substring(8);
    int semicolon = name.indexOf(';');
    if (semicolon >= 0) {
      name = name.substring(0, semicolon);
    }
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.startsWith("file:")) {
      name = name.substring(5);
    } else if (lower.startsWith("mem:") || lower.startsWith("tcp:") || lower.startsWith("ssl:")
        || lower.startsWith("zip:") || name.indexOf(':') > 1) {
      return null; // not a plain file path (memory, server, a file system prefix)
    }
    if (name.startsWith("~")) {
      name = System.getProperty("user.home") + name.substring(1);
    }
    if (name.isEmpty()) {
      return null;
    }
    try {
      Path parent = Path.of(name).toAbsolutePath().getParent();
      return parent;
    } catch (RuntimeException e) {
      return null; // not a path here; the driver will say what it makes of it
    }
  }
}
