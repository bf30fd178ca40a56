// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import com.sun.management.ThreadMXBean;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.report.ingest.ImportException;
import io.github.dmarcj.report.ingest.ImportLimits;
import io.github.dmarcj.report.ingest.ReceivedReport;
import io.github.dmarcj.report.ingest.ReceivedReportParser;
import io.github.dmarcj.report.ingest.ReceivedRow;
import io.github.dmarcj.report.ingest.ReportImporter;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

/**
 * Importing received aggregate reports, against a plain StAX pass over the same bytes (the floor:
 * the JDK's reader with the parser's settings, every event read and every text fetched, nothing
 * built). Generates, once, in {@code DIR}: {@code SMALL} reports of 1 to 300 records each from 40
 * reporters (RFC 9990 and RFC 7489 namespaces, every fourth one gzip-compressed), and one report of
 * about {@code BIG_MB} MB. Then, each round:
 *
 * <ul>
 *   <li><b>stax-small</b>, <b>parse-small</b>: the small reports through plain StAX, then through
 *       {@link ReceivedReportParser} with a handler that only counts;
 *   <li><b>stax-big</b>, <b>parse-big</b>: the same for the large report;
 *   <li><b>import</b>: {@link ReportImporter} on the whole folder into a new H2 database file
 *       (parse, check, store).
 * </ul>
 *
 * <p>Prints one JSON line per phase with the uncompressed XML megabytes, wall and thread CPU
 * seconds, MB/s, reports per second and the peak heap. Run it with {@code -Xmx64m} to show memory
 * stays constant ({@code -DskipImport=true} leaves the import phase out):
 *
 * <pre>
 * java -Xmx64m -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.ImportBench \
 *     /tmp/import-bench [SMALL] [BIG_MB] [ROUNDS]
 * </pre>
 */
public final class ImportBench {
  private static final HeapPeak HEAP_PEAK = new HeapPeak();
  private static final long DAY = 1_795_737_600L; // 2026-11-27T00:00:00Z

  private ImportBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int small = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    int bigMb = args.length > 2 ? Integer.parseInt(args[2]) : 100;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    Path reports = dir.resolve("reports");
    Path smallDir = reports.resolve("small");
    Path big = reports.resolve("big.xml");
    if (!Files.isDirectory(smallDir)) {
      long t0 = System.nanoTime();
      Files.createDirectories(smallDir);
      generateSmall(smallDir, small);
      generateBig(big, bigMb * 1_000_000L);
      System.out.printf(
          "{\"phase\":\"generate\",\"small\":%d,\"bigMB\":%.1f,\"seconds\":%.1f}%n",
          small, Files.size(big) / 1e6, (System.nanoTime() - t0) / 1e9);
    }
    List<Path> smallFiles;
    try (Stream<Path> s = Files.list(smallDir)) {
      smallFiles = s.sorted().toList();
    }
    List<Path> bigFiles = List.of(big);
    long smallBytes = xmlBytes(smallFiles);
    long bigBytes = xmlBytes(bigFiles);
    XMLInputFactory factory = staxFactory();
    ReceivedReportParser parser = new ReceivedReportParser(ImportLimits.defaults());
    for (int round = 1; round <= rounds; round++) {
      phase("stax-small", round, smallBytes, smallFiles.size(), () -> stax(factory, smallFiles));
      phase("parse-small", round, smallBytes, smallFiles.size(), () -> parse(parser, smallFiles));
      phase("stax-big", round, bigBytes, 1, () -> stax(factory, bigFiles));
      phase("parse-big", round, bigBytes, 1, () -> parse(parser, bigFiles));
      if (Boolean.getBoolean("skipImport")) {
        continue;
      }
      int r = round;
      phase(
          "import",
          round,
          smallBytes + bigBytes,
          smallFiles.size() + 1,
          () -> importAll(dir.resolve("db-" + r), reports));
    }
  }

  interface Phase {
    long run() throws Exception;
  }

  private static void phase(String name, int round, long xmlBytes, int reports, Phase p)
      throws Exception {
    System.gc();
    Thread.sleep(200);
    HEAP_PEAK.reset();
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long n = p.run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    System.out.printf(
        "{\"phase\":\"%s\",\"round\":%d,\"xmlMB\":%.1f,\"reports\":%d,\"count\":%d,"
            + "\"seconds\":%.2f,\"threadCpuSeconds\":%.2f,\"mbPerSecond\":%.1f,"
            + "\"reportsPerSecond\":%.0f,\"peakHeapMB\":%.1f}%n",
        name,
        round,
        xmlBytes / 1e6,
        reports,
        n,
        seconds,
        cpu,
        xmlBytes / 1e6 / seconds,
        reports / seconds,
        HEAP_PEAK.get() / 1048576.0);
  }

  /** The JDK's StAX reader with the settings the report parser uses. */
  static XMLInputFactory staxFactory() {
    XMLInputFactory f = XMLInputFactory.newFactory();
    f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    f.setProperty(XMLInputFactory.IS_COALESCING, false);
    f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    return f;
  }

  private static InputStream open(Path p) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(p), 65536);
    return p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 8192) : in;
  }

  private static long xmlBytes(List<Path> files) throws IOException {
    long n = 0;
    for (Path p : files) {
      try (InputStream in = open(p)) {
        n += in.transferTo(java.io.OutputStream.nullOutputStream());
      }
    }
    return n;
  }

  /** The floor: every event, every text, nothing kept. Returns the number of text characters. */
  static long stax(XMLInputFactory f, List<Path> files) throws Exception {
    long chars = 0;
    for (Path p : files) {
      try (InputStream in = open(p)) {
        XMLStreamReader r = f.createXMLStreamReader(in);
        while (r.hasNext()) {
          int e = r.next();
          if (e == XMLStreamConstants.CHARACTERS) {
            chars += r.getTextLength();
          } else if (e == XMLStreamConstants.START_ELEMENT) {
            chars += r.getLocalName().length();
          }
        }
        r.close();
      }
    }
    return chars;
  }

  /** The report parser with a handler that counts rows. */
  static long parse(ReceivedReportParser parser, List<Path> files) throws Exception {
    long[] rows = {0};
    ReceivedReportParser.Handler h =
        new ReceivedReportParser.Handler() {
          @Override
          public boolean report(ReceivedReport report) {
            return true;
          }

          @Override
          public void row(ReceivedRow row) {
            rows[0]++;
          }

          @Override
          public void end() {}
        };
    for (Path p : files) {
      try (InputStream in = open(p)) {
        parser.parse(in, h);
      } catch (ImportException e) {
        throw new IllegalStateException(p + ": " + e.getMessage(), e);
      }
    }
    return rows[0];
  }

  private static long importAll(Path db, Path reports) throws Exception {
    deleteTree(db);
    String url = "jdbc:h2:file:" + db.resolve("r").toAbsolutePath();
    try (JdbcReportStore store = JdbcReportStore.builder(url).build()) {
      ReportImporter importer = new ReportImporter(store.dataSource(), ImportLimits.defaults());
      ReportImporter.Summary s =
          importer.importPaths(List.of(reports), new ReportImporter.Listener() {});
      if (s.refused() > 0) {
        throw new IllegalStateException("refused: " + s);
      }
      return s.rows();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> all = Files.walk(p)) {
      for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }

  // ---------------------------------------------------------------- generated reports

  private static void generateSmall(Path dir, int n) throws IOException {
    Random random = new Random(20261205);
    for (int i = 0; i < n; i++) {
      int reporter = random.nextInt(40);
      boolean gz = i % 4 == 3;
      Path p = dir.resolve(String.format("r%05d.xml%s", i, gz ? ".gz" : ""));
      java.io.OutputStream out = Files.newOutputStream(p);
      if (gz) {
        out = new GZIPOutputStream(out, 8192);
      }
      try (Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
        int rows = 1 + (int) Math.min(299, Math.abs(random.nextGaussian()) * 40);
        write(w, random, reporter, "small-" + i, i % 3 == 0, rows);
      }
    }
  }

  private static void generateBig(Path p, long bytes) throws IOException {
    Random random = new Random(7);
    // about 700 bytes a record
    int rows = (int) Math.max(1, bytes / 700);
    try (Writer w =
        new BufferedWriter(
            new OutputStreamWriter(Files.newOutputStream(p), StandardCharsets.UTF_8), 65536)) {
      write(w, random, 0, "big-1", false, rows);
    }
  }

  private static final String[] RESULTS = {"pass", "fail", "none", "softfail", "neutral"};

  private static void write(
      Writer w, Random random, int reporter, String id, boolean rfc7489, int rows)
      throws IOException {
    String domain = "owner" + (reporter % 5) + ".example";
    w.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    w.write(
        rfc7489
            ? "<feedback>\n  <version>1.0</version>\n"
            : "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">\n  <version>1.0</version>\n");
    w.write("  <report_metadata>\n    <org_name>Reporter " + reporter + " Mail</org_name>\n");
    w.write("    <email>dmarc-noreply@reporter" + reporter + ".example</email>\n");
    w.write("    <report_id>" + id + "</report_id>\n");
    long begin = DAY - 86_400L * (reporter % 7);
    w.write(
        "    <date_range>\n      <begin>"
            + begin
            + "</begin>\n      <end>"
            + (begin + 86_399)
            + "</end>\n    </date_range>\n  </report_metadata>\n");
    w.write(
        "  <policy_published>\n    <domain>"
            + domain
            + "</domain>\n    <adkim>r</adkim>\n    <aspf>r</aspf>\n    <p>none</p>\n"
            + "    <sp>none</sp>\n"
            + (rfc7489 ? "    <pct>100</pct>\n" : "    <np>none</np>\n")
            + "    <fo>0</fo>\n  </policy_published>\n");
    StringBuilder b = new StringBuilder(800);
    for (int i = 0; i < rows; i++) {
      b.setLength(0);
      boolean v6 = random.nextInt(5) == 0;
      String ip =
          v6
              ? "2001:db8:" + Integer.toHexString(random.nextInt(65536)) + "::" + (1 + i % 200)
              : "198.51." + random.nextInt(256) + "." + (1 + random.nextInt(254));
      String dkim = RESULTS[random.nextInt(2)];
      String spf = RESULTS[random.nextInt(RESULTS.length)];
      String sender = random.nextInt(3) == 0 ? "esp" + random.nextInt(50) + ".example" : domain;
      b.append("  <record>\n    <row>\n      <source_ip>")
          .append(ip)
          .append("</source_ip>\n      <count>")
          .append(1 + random.nextInt(500))
          .append("</count>\n      <policy_evaluated>\n        <disposition>none</disposition>\n")
          .append("        <dkim>")
          .append(dkim)
          .append("</dkim>\n        <spf>")
          .append(spf.equals("pass") ? "pass" : "fail")
          .append("</spf>\n      </policy_evaluated>\n    </row>\n    <identifiers>\n")
          .append("      <envelope_from>")
          .append(sender)
          .append("</envelope_from>\n      <header_from>")
          .append(domain)
          .append("</header_from>\n    </identifiers>\n    <auth_results>\n      <dkim>\n")
          .append("        <domain>")
          .append(sender)
          .append("</domain>\n        <selector>s")
          .append(random.nextInt(4))
          .append("</selector>\n        <result>")
          .append(dkim)
          .append("</result>\n      </dkim>\n      <spf>\n        <domain>")
          .append(sender)
          .append("</domain>\n        <scope>mfrom</scope>\n        <result>")
          .append(spf)
          .append("</result>\n      </spf>\n    </auth_results>\n  </record>\n");
      w.write(b.toString());
    }
    w.write("</feedback>\n");
  }
}
