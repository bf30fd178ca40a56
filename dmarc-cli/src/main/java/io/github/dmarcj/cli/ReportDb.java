// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.failure.FailureIncidentStore;
import io.github.dmarcj.verify.FailureReportSink;
import io.github.dmarcj.verify.ReportRecordSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The report database of {@code dmarc verify --report-db}. Rows reach the store as verifications
 * finish (it is the authenticator's {@linkplain #sink sink}); the command calls {@link #commit}
 * before it prints results, so a printed result always means its row is committed: a SIGTERM or
 * SIGINT, which ends the JVM without waiting for the command, loses no row whose result was
 * printed.
 *
 * <p>For an embedded H2 file database one connection stays open for the whole command. The store
 * opens a connection per transaction, and without this one H2 would close the database file after
 * each transaction and open it again for the next: slow, and repeated reopening is where H2 has
 * been seen to corrupt its file. {@link #commit} also runs {@code CHECKPOINT} on it, so committed
 * rows are in the file (H2 otherwise writes them within its write delay, 500 ms by default) and a
 * {@code kill -9} after a result was printed does not lose its row.
 */
final class ReportDb implements AutoCloseable {
  /** Longest wait for the database to commit the rows of the lines about to be printed. */
  static final Duration COMMIT_WAIT = Duration.ofMinutes(5);

  /** Thrown when the database cannot be opened or a row could not be stored. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  private final JdbcReportStore store;
  private final @Nullable FailureIncidentStore failures;
  private final String url;
  private final @Nullable Connection keeper;

  private ReportDb(
      JdbcReportStore store,
      @Nullable FailureIncidentStore failures,
      String url,
      @Nullable Connection keeper) {
    this.store = store;
    this.failures = failures;
    this.url = url;
    this.keeper = keeper;
  }

  /** Opens (and if need be creates) the database at {@code url}. */
  static ReportDb open(String url) throws Failure {
    return open(url, false);
  }

  /**
   * Opens (and if need be creates) the database at {@code url}; with {@code failureReports} it also
   * keeps failure incidents ({@link #failureSink}).
   */
  static ReportDb open(String url, boolean failureReports) throws Failure {
    checkH2Folder(url, true);
    Connection keeper = null;
    JdbcReportStore store = null;
    try {
      if (h2Folder(url) != null) {
        keeper = DriverManager.getConnection(url);
      }
      store = JdbcReportStore.builder(url).build();
      FailureIncidentStore failures =
          failureReports ? FailureIncidentStore.builder(store.dataSource()).build() : null;
      return new ReportDb(store, failures, url, keeper);
    } catch (SQLException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      closeQuietly(keeper);
      throw new Failure(
          "cannot open the report database " + SafeText.of(url) + ": " + SafeText.message(e));
    }
  }

  private static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing after a failure: the failure is what gets reported
      }
    }
  }

  /** Where the authenticator hands the rows; the store queues them for its writer. */
  ReportRecordSink sink() {
    return store;
  }

  /** Where the authenticator hands failure incidents, or null when they are not kept. */
  @Nullable FailureReportSink failureSink() {
    return failures;
  }

  /** Waits until every row handed to the {@linkplain #sink sink} so far is committed. */
  void commit() throws Failure {
    if (failures != null) {
      if (!failures.flush(COMMIT_WAIT)) {
        throw new Failure(
            "the report database " + SafeText.of(url) + " did not store the failure incidents");
      }
      if (failures.failed() > 0) {
        throw new Failure(
            failures.failed()
                + " failure incident(s) could not be stored in the report database "
                + SafeText.of(url)
                + " (see the messages above)");
      }
    }
    boolean done;
    try {
      done = store.flush(COMMIT_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted while the report database committed");
    }
    if (!done) {
      throw new Failure(
          "the report database "
              + SafeText.of(url)
              + " did not commit within "
              + COMMIT_WAIT.toMinutes()
              + " minutes");
    }
    JdbcReportStore.Stats s = store.stats();
    long lost = s.dropped() + s.failed();
    if (lost > 0) {
      throw new Failure(
          lost
              + (lost == 1 ? " row" : " rows")
              + " could not be stored in the report database "
              + SafeText.of(url)
              + " (see the messages above)");
    }
    if (keeper != null) {
      try (Statement st = keeper.createStatement()) {
        st.execute("CHECKPOINT");
      } catch (SQLException e) {
        throw new Failure(
            "the report database "
                + SafeText.of(url)
                + " could not write its file: "
                + SafeText.message(e));
      }
    }
  }

  @Override
  public void close() {
    if (failures != null) {
      failures.close();
    }
    store.close();
    closeQuietly(keeper);
  }

  /**
   * For an embedded H2 file database, a clear message when its folder cannot hold it, before H2 is
   * asked (H2 prints a stack trace of its own on standard output when it cannot write its trace
   * file there). Other URLs are left to their driver.
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
      throw new Failure(
          "cannot open the report database " + SafeText.of(url) + ": " + SafeText.of(problem));
    }
  }

  /** The folder of an H2 file database URL, or null for other URLs (memory, server, others). */
  static @Nullable Path h2Folder(String url) {
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
    } else if (lower.startsWith("mem:")
        || lower.startsWith("tcp:")
        || lower.startsWith("ssl:")
        || lower.startsWith("zip:")
        || name.indexOf(':') > 1) {
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
