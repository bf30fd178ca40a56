// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import io.github.dmarcj.report.ingest.ImportException.Reason;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Imports received aggregate reports into the report database: XML, gzip ({@code .xml.gz}), zip
 * ({@code .zip}) and mails ({@code .eml}) carrying them as attachments in any MIME layout; and
 * failure reports (ARF mails, RFC 6591 / RFC 9991) into their own table; a path may be such a file,
 * a folder (read recursively, in name order), a Maildir or an mbox file. The kind of a file is told
 * by its first bytes, not by its name.
 *
 * <p>Each document is stored in its own transaction ({@link ReceivedReportStore}); a document that
 * is refused ({@link ImportException}) leaves nothing behind and the import goes on with the next.
 * Failures of the database itself end the import ({@link SQLException}).
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: every container a report arrives in, file, folder, Maildir,
 *     mbox, gzip, zip and mail, is opened here under the same limits, so no path into the parser
 *     skips one.)
 */
public final class ReportImporter {
  /** What happens, input by input. Every method does nothing by default. */
  public interface Listener {
    /**
     * A report was stored.
     *
     * @param source where it came from (file, attachment, zip entry)
     * @param report its head
     * @param rows how many records it had
     */
    default void imported(String source, ReceivedReport report, long rows) {}

    /**
     * A report was known already and left as it is.
     *
     * @param source where it came from
     * @param report its head
     */
    default void duplicate(String source, ReceivedReport report) {}

    /**
     * An input was refused.
     *
     * @param source where it came from
     * @param error why
     */
    default void refused(String source, ImportException error) {}

    /**
     * A failure report (ARF, RFC 6591) was stored.
     *
     * @param source where it came from
     * @param report the report
     */
    default void importedFailure(String source, ReceivedFailureReport report) {}

    /**
     * A failure report was known already and left as it is.
     *
     * @param source where it came from
     * @param report the report
     */
    default void duplicateFailure(String source, ReceivedFailureReport report) {}

    /**
     * A long report is being read: called every {@link #PROGRESS_ROWS} records of one report, so a
     * progress line can move while a large report imports.
     *
     * @param source where it comes from
     * @param rows the records read of it so far
     */
    default void reading(String source, long rows) {}
  }

  /** How many records of one report pass between two {@link Listener#reading} calls. */
  public static final int PROGRESS_ROWS = 10_000;

  /**
   * The counts of one import.
   *
   * @param files how many files were read
   * @param reports how many reports were stored
   * @param duplicates how many reports were known already
   * @param rows how many records the stored reports had
   * @param refused how many inputs were refused
   * @param failureReports how many failure reports (ARF) were stored; known ones count in {@code
   *     duplicates}
   */
  public record Summary(
      long files, long reports, long duplicates, long rows, long refused, long failureReports) {}

  private static final byte[] GZIP = {(byte) 0x1f, (byte) 0x8b};
  private static final byte[] ZIP = {'P', 'K', 3, 4};

  private final ReceivedReportStore store;
  private final ReceivedFailureStore failureStore;
  private final ImportLimits limits;
  private final ReceivedReportParser parser;
  private final Clock clock;
  private final Session session;

  private long files;
  private long reports;
  private long duplicates;
  private long rows;
  private long refused;
  private long failureReports;

  /**
   * @param dataSource the report database; its received-report tables are created when absent
   * @param limits the bounds of every input
   * @throws SQLException if the tables cannot be created
   */
  public ReportImporter(DataSource dataSource, ImportLimits limits) throws SQLException {
    this(
        new ReceivedReportStore(dataSource),
        new ReceivedFailureStore(dataSource),
        Objects.requireNonNull(limits, "limits"),
        Clock.systemUTC());
  }

  ReportImporter(
      ReceivedReportStore store,
      ReceivedFailureStore failureStore,
      ImportLimits limits,
      Clock clock) {
    this.store = store;
    this.failureStore = failureStore;
    this.limits = limits;
    this.parser = new ReceivedReportParser(limits);
    this.clock = clock;
    Properties p = new Properties();
    p.setProperty("mail.mime.address.strict", "false");
    this.session = Session.getInstance(p);
  }

  /**
   * The counts so far, over every call of this importer.
   *
   * @return the counts
   */
  public synchronized Summary summary() {
    return new Summary(files, reports, duplicates, rows, refused, failureReports);
  }

  /**
   * Imports every report under the paths.
   *
   * @param paths files, folders, Maildirs, mbox files
   * @param listener told of each report and refusal
   * @return the counts so far
   * @throws SQLException if the database fails
   */
  public synchronized Summary importPaths(List<Path> paths, Listener listener) throws SQLException {
    Objects.requireNonNull(paths, "paths");
    Objects.requireNonNull(listener, "listener");
    for (Path p : paths) {
      importPath(p, listener);
    }
    return summary();
  }

  private void importPath(Path path, Listener listener) throws SQLException {
    if (Files.isDirectory(path)) {
      List<Path> children;
      boolean maildir = isMaildir(path);
      try (Stream<Path> s = Files.list(path)) {
        // a Maildir: its cur and new, and its Maildir++ folders (.Name), never tmp
        children =
            s.filter(
                    c -> {
                      String n = c.getFileName().toString();
                      return !maildir
                          || n.equals("cur")
                          || n.equals("new")
                          || (n.startsWith(".") && n.length() > 1 && isMaildir(c));
                    })
                .sorted()
                .toList();
      } catch (IOException e) {
        refuse(
            listener,
            path.toString(),
            new ImportException(Reason.UNREADABLE, "cannot list: " + e.getMessage(), e));
        return;
      }
      for (Path c : children) {
        importPath(c, listener);
      }
      return;
    }
    if (!Files.isRegularFile(path)) {
      refuse(listener, path.toString(), new ImportException(Reason.UNREADABLE, "not a file"));
      return;
    }
    files++;
    String source = path.toString();
    try (InputStream raw = Files.newInputStream(path);
        BufferedInputStream in = new BufferedInputStream(raw, 65536)) {
      byte[] head = peek(in, 5);
      if (startsWith(head, "From ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
        importMbox(source, in, listener);
      } else if (looksLikeReport(head, in)) {
        importDocument(source, in, listener);
      } else if (!looksLikeMail(in)) {
        throw new ImportException(
            Reason.NOT_A_REPORT, "neither XML, gzip, zip, a mail nor an mbox file");
      } else {
        if (Files.size(path) > limits.maxMailBytes()) {
          throw new ImportException(
              Reason.MAIL_TOO_LARGE, "a mail of more than " + limits.maxMailBytes() + " bytes");
        }
        importMail(source, path, listener);
      }
    } catch (ImportException e) {
      refuse(listener, source, e);
    } catch (IOException e) {
      refuse(
          listener,
          source,
          new ImportException(Reason.UNREADABLE, "cannot read: " + e.getMessage(), e));
    }
  }

  private static boolean isMaildir(Path p) {
    return Files.isDirectory(p.resolve("cur")) && Files.isDirectory(p.resolve("new"));
  }

  /**
   * Imports the report (XML, gzip or zip) in one stream.
   *
   * @param source the name to report it under
   * @param in the bytes (not closed)
   * @param listener told of each report and refusal
   * @return the counts so far
   * @throws SQLException if the database fails
   */
  public synchronized Summary importStream(String source, InputStream in, Listener listener)
      throws SQLException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(listener, "listener");
    try {
      importDocument(source, new BufferedInputStream(in, 65536), listener);
    } catch (ImportException e) {
      refuse(listener, source, e);
    }
    return summary();
  }

  private void refuse(Listener listener, String source, ImportException e) {
    refused++;
    listener.refused(source, e);
  }

  private static byte[] peek(BufferedInputStream in, int n) throws IOException {
    in.mark(n);
    byte[] b = in.readNBytes(n);
    in.reset();
    return b;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** Gzip, zip, or text whose first non-blank character is '<' (after a byte order mark). */
  private static boolean looksLikeReport(byte[] head, BufferedInputStream in) throws IOException {
    if (startsWith(head, GZIP) || startsWith(head, ZIP)) {
      return true;
    }
    byte[] start = peek(in, 4096);
    int i = 0;
    if (start.length >= 3
        && start[0] == (byte) 0xEF
        && start[1] == (byte) 0xBB
        && start[2] == (byte) 0xBF) {
      i = 3;
    } else if (start.length >= 2
        && (start[0] == (byte) 0xFE || start[0] == (byte) 0xFF || start[0] == 0 || start[1] == 0)) {
      return true; // UTF-16 or UTF-32: a mail would be ASCII
    }
    while (i < start.length
        && (start[i] == ' ' || start[i] == '\t' || start[i] == '\r' || start[i] == '\n')) {
      i++;
    }
    return i >= start.length || start[i] == '<';
  }

  /** Whether the first line is a header field ("Name:"), as in every mail. */
  private static boolean looksLikeMail(BufferedInputStream in) throws IOException {
    byte[] start = peek(in, 1000);
    int i = 0;
    while (i < start.length && start[i] > ' ' && start[i] < 127 && start[i] != ':') {
      i++;
    }
    return i > 0 && i < start.length && start[i] == ':';
  }

  /** One XML, gzip or zip document (a zip may hold several reports). */
  private void importDocument(String source, BufferedInputStream in, Listener listener)
      throws ImportException, SQLException {
    byte[] head;
    try {
      head = peek(in, 4);
    } catch (IOException e) {
      throw new ImportException(Reason.UNREADABLE, "cannot read: " + e.getMessage(), e);
    }
    if (startsWith(head, GZIP)) {
      LimitedInputStream compressed = LimitedInputStream.compressed(in, limits);
      try (GZIPInputStream gz = new GZIPInputStream(compressed, 8192)) {
        parseOne(
            source, LimitedInputStream.uncompressed(archive(gz), limits, compressed), listener);
      } catch (LimitedInputStream.LimitException e) {
        throw e.toImportException();
      } catch (IOException e) {
        throw new ImportException(Reason.BAD_ARCHIVE, "not gzip: " + e.getMessage(), e);
      }
    } else if (startsWith(head, ZIP)) {
      LimitedInputStream compressed = LimitedInputStream.compressed(in, limits);
      try (ZipInputStream zip = new ZipInputStream(compressed)) {
        LimitedInputStream all = LimitedInputStream.uncompressed(archive(zip), limits, compressed);
        int found = 0;
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
          if (e.isDirectory()) {
            continue;
          }
          found++;
          String name = source + "!" + e.getName();
          try {
            parseOne(name, all, listener);
          } catch (ImportException x) {
            if (x.getCause() instanceof LimitedInputStream.LimitException) {
              throw x; // a bound of the whole archive: the rest of it is refused too
            }
            refuse(listener, name, x);
          }
        }
        if (found == 0) {
          throw new ImportException(Reason.NOT_A_REPORT, "a zip without files");
        }
      } catch (LimitedInputStream.LimitException e) {
        throw e.toImportException();
      } catch (IOException e) {
        throw new ImportException(Reason.BAD_ARCHIVE, "not zip: " + e.getMessage(), e);
      }
    } else {
      parseOne(source, LimitedInputStream.uncompressed(in, limits, null), listener);
    }
  }

  /** Reports a damaged archive as such, not as an unreadable file. */
  private static InputStream archive(InputStream in) {
    return new java.io.FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (LimitedInputStream.LimitException e) {
          throw e;
        } catch (IOException e) {
          throw new LimitedInputStream.LimitException(
              Reason.BAD_ARCHIVE, "damaged archive: " + e.getMessage());
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (LimitedInputStream.LimitException e) {
          throw e;
        } catch (IOException e) {
          throw new LimitedInputStream.LimitException(
              Reason.BAD_ARCHIVE, "damaged archive: " + e.getMessage());
        }
      }

      @Override
      public void close() {
        // the archive stream is closed by its owner
      }
    };
  }

  private void parseOne(String source, InputStream xml, Listener listener)
      throws ImportException, SQLException {
    try (ReceivedReportStore.Writer w = store.writer(source, clock.instant().getEpochSecond())) {
      parser.parse(
          xml,
          new ReceivedReportParser.Handler() {
            private long read;

            @Override
            public boolean report(ReceivedReport report) throws ImportException, SQLException {
              return w.report(report);
            }

            @Override
            public void row(ReceivedRow row) throws ImportException, SQLException {
              w.row(row);
              if (++read % PROGRESS_ROWS == 0) {
                listener.reading(source, read);
              }
            }

            @Override
            public void end() throws ImportException, SQLException {
              w.end();
            }
          });
      ReceivedReport r = w.report();
      if (r == null) {
        throw new ImportException(Reason.NOT_A_REPORT, "no feedback element");
      }
      if (w.duplicate()) {
        duplicates++;
        listener.duplicate(source, r);
      } else {
        reports++;
        rows += w.rows();
        listener.imported(source, r, w.rows());
      }
    }
  }

  /** A mail: every attachment that can hold a report. */
  private void importMail(String source, Path file, Listener listener)
      throws ImportException, SQLException {
    try (SharedFileInputStream in = new SharedFileInputStream(file.toFile())) {
      MimeMessage m = new MimeMessage(session, in);
      int[] found = {0};
      walk(source, m, 0, found, listener);
      if (found[0] == 0) {
        throw new ImportException(Reason.NO_REPORT_IN_MAIL, "no report attachment");
      }
    } catch (IOException | MessagingException | RuntimeException e) {
      throw new ImportException(Reason.BAD_MAIL, "not a MIME message: " + e.getMessage(), e);
    }
  }

  private void walk(String source, Part part, int depth, int[] found, Listener listener)
      throws MessagingException, IOException, SQLException {
    if (depth > limits.maxDepth()) {
      throw new MessagingException("MIME parts nested deeper than " + limits.maxDepth());
    }
    if (FeedbackReportReader.isFeedbackReport(part)) {
      found[0]++;
      importFeedback(source, part, listener);
      return;
    }
    if (part.isMimeType("multipart/*")) {
      if (part.getContent() instanceof Multipart mp) {
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart b = mp.getBodyPart(i);
          walk(source, b, depth + 1, found, listener);
        }
      }
      return;
    }
    if (part.isMimeType("message/rfc822")) {
      if (part.getContent() instanceof Part inner) {
        walk(source, inner, depth + 1, found, listener);
      }
      return;
    }
    if (!isReportPart(part)) {
      return;
    }
    found[0]++;
    String name = part.getFileName();
    String where = source + "#" + (name == null ? "attachment-" + found[0] : name);
    try (InputStream in = part.getInputStream()) {
      importDocument(where, new BufferedInputStream(in, 65536), listener);
    } catch (ImportException e) {
      refuse(listener, where, e);
    }
  }

  /** An ARF failure report (RFC 5965, RFC 6591): its fields into the failure report table. */
  private void importFeedback(String source, Part part, Listener listener) throws SQLException {
    String where = source + "#feedback-report";
    try {
      ReceivedFailureReport r =
          FeedbackReportReader.read(
              part, FeedbackReportReader.from(part), FeedbackReportReader.messageId(part));
      if (failureStore.insert(r, where, clock.instant().getEpochSecond())) {
        failureReports++;
        listener.importedFailure(where, r);
      } else {
        duplicates++;
        listener.duplicateFailure(where, r);
      }
    } catch (ImportException e) {
      refuse(listener, where, e);
    } catch (MessagingException | IOException | RuntimeException e) {
      refuse(
          listener,
          where,
          new ImportException(Reason.BAD_MAIL, "unreadable feedback report: " + e.getMessage(), e));
    }
  }

  private static boolean isReportPart(Part part) throws MessagingException {
    String type = part.getContentType();
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    for (String known :
        List.of(
            "application/gzip",
            "application/x-gzip",
            "application/zip",
            "application/x-zip",
            "application/x-zip-compressed",
            "application/xml",
            "text/xml")) {
      if (t.startsWith(known)) {
        return true;
      }
    }
    String name;
    try {
      name = part.getFileName();
    } catch (MessagingException e) {
      name = null;
    }
    if (name == null) {
      return false;
    }
    String n = name.toLowerCase(Locale.ROOT).strip();
    return n.endsWith(".xml") || n.endsWith(".gz") || n.endsWith(".zip");
  }

  /** An mbox file: each message (split at "From " lines, ">From " unquoted) as a mail. */
  private void importMbox(String source, BufferedInputStream in, Listener listener)
      throws ImportException, SQLException, IOException {
    int index = 0;
    byte[] line = new byte[0];
    boolean first = true;
    List<Path> temp = new ArrayList<>();
    try {
      Path current = null;
      OutputStream out = null;
      long size = 0;
      boolean tooLarge = false;
      boolean lastBlank = true;
      ByteLine reader = new ByteLine(in);
      while ((line = reader.next()) != null) {
        boolean separator =
            (first || lastBlank)
                && startsWith(line, "From ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        first = false;
        if (separator) {
          if (current != null && out != null) {
            out.close();
            finishMboxMessage(source, ++index, current, tooLarge, listener);
            Files.deleteIfExists(current);
          }
          current = Files.createTempFile("dmarcj-mbox", ".eml");
          temp.add(current);
          out = new BufferedOutputStream(Files.newOutputStream(current));
          size = 0;
          tooLarge = false;
          lastBlank = false;
          continue;
        }
        lastBlank = line.length == 0 || (line.length == 1 && line[0] == '\r');
        if (out == null || tooLarge) {
          continue;
        }
        int off = 0;
        int i = 0;
        while (i < line.length && line[i] == '>') {
          i++;
        }
        if (i > 0
            && startsWith(
                java.util.Arrays.copyOfRange(line, i, line.length),
                "From ".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
          off = 1;
        }
        size += line.length - off + 1;
        if (size > limits.maxMailBytes()) {
          tooLarge = true;
          continue;
        }
        out.write(line, off, line.length - off);
        out.write('\n');
      }
      if (current != null && out != null) {
        out.close();
        finishMboxMessage(source, ++index, current, tooLarge, listener);
      }
    } finally {
      for (Path p : temp) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void finishMboxMessage(
      String source, int index, Path message, boolean tooLarge, Listener listener)
      throws SQLException {
    String where = source + "#" + index;
    if (tooLarge) {
      refuse(
          listener,
          where,
          new ImportException(
              Reason.MAIL_TOO_LARGE, "a mail of more than " + limits.maxMailBytes() + " bytes"));
      return;
    }
    try {
      importMail(where, message, listener);
    } catch (ImportException e) {
      refuse(listener, where, e);
    }
  }

  /** Lines of bytes without their line feed; long lines come in pieces of 64 KiB. */
  private static final class ByteLine {
    private final InputStream in;
    private final byte[] buf = new byte[65536];

    ByteLine(InputStream in) {
      this.in = in;
    }

    byte @Nullable [] next() throws IOException {
      int n = 0;
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          return java.util.Arrays.copyOf(buf, n);
        }
        buf[n++] = (byte) b;
        if (n == buf.length) {
          return java.util.Arrays.copyOf(buf, n);
        }
      }
      return n == 0 ? null : java.util.Arrays.copyOf(buf, n);
    }
  }
}
