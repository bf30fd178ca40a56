// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.JdbcReportStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Importing the real reports of the corpus and hostile files into an H2 database. */
final class ReportImporterTest {
  private static int databases;
  private JdbcReportStore store;
  private DataSource ds;
  @TempDir Path tmp;

  /** Records the outcome of every input. */
  static final class Outcomes implements ReportImporter.Listener {
    final Map<String, String> bySource = new TreeMap<>();
    final Map<String, ImportException> refusals = new LinkedHashMap<>();

    @Override
    public void imported(String source, ReceivedReport report, long rows) {
      bySource.put(source, "imported " + rows);
    }

    @Override
    public void duplicate(String source, ReceivedReport report) {
      bySource.put(source, "duplicate");
    }

    @Override
    public void refused(String source, ImportException error) {
      bySource.put(source, error.reason().name());
      refusals.put(source, error);
    }
  }

  @BeforeEach
  void open() throws Exception {
    store =
        JdbcReportStore.builder("jdbc:h2:mem:received" + databases++ + ";DB_CLOSE_DELAY=-1")
            .build();
    ds = store.dataSource();
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Path resource(String name) throws URISyntaxException {
    return Path.of(ReportImporterTest.class.getResource("/received/" + name).toURI());
  }

  private Outcomes importAll(ImportLimits limits, Path... paths) throws Exception {
    Outcomes o = new Outcomes();
    new ReportImporter(ds, limits).importPaths(List.of(paths), o);
    return o;
  }

  private static String relative(Path root, String source) {
    return source.startsWith(root.toString())
        ? source.substring(root.toString().length() + 1)
        : source;
  }

  @Test
  @DisplayName("Every parsedmarc sample imports, except the deliberately broken ones")
  void parsedmarc_corpus() throws Exception {
    Path root = resource("parsedmarc");
    Outcomes o = importAll(ImportLimits.defaults(), root);
    Map<String, String> got = new TreeMap<>();
    o.bySource.forEach((k, v) -> got.put(relative(root, k), v));
    assertThat(got)
        .containsExactlyInAnyOrderEntriesOf(
            // invalid_utf_8.xml repeats the reporter and report id of !example.com!…: the same
            // report, so a duplicate; invalid_xml.xml has "<email><bad-xml@…></email>", not XML;
            // empty.xml is empty; the .gz and .zip of nice-input hold the same report.
            Map.ofEntries(
                Map.entry("LICENSE", "NOT_A_REPORT"),
                Map.entry("SOURCE.md", "NOT_A_REPORT"),
                Map.entry("aggregate/!example.com!1538204542!1538463818.xml", "imported 1"),
                Map.entry(
                    "aggregate/!large-example.com!1711897200!1711983600.xml", "imported 2286"),
                Map.entry(
                    "aggregate/Report domain- borschow.com Submitter- google.com Report-ID- 949348866075514174.eml#google.com!borschow.com!1549929600!1550015999.zip!google.com!borschow.com!1549929600!1550015999.xml",
                    "imported 1"),
                Map.entry(
                    "aggregate/addisonfoods.com!example.com!1536105600!1536191999.xml",
                    "imported 1"),
                Map.entry("aggregate/empty_reason.xml", "imported 1"),
                Map.entry(
                    "aggregate/estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip!estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml",
                    "imported 1"),
                Map.entry(
                    "aggregate/example.net!example.com!1529366400!1529452799.xml", "imported 1"),
                Map.entry(
                    "aggregate/fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz",
                    "imported 1"),
                Map.entry("aggregate/ikea.com!example.de!1538690400!1538776800.xml", "imported 1"),
                Map.entry("aggregate/invalid_utf_8.xml", "duplicate"),
                Map.entry("aggregate/invalid_xml.xml", "MALFORMED_XML"),
                Map.entry(
                    "aggregate/mimecast-weird-gzip.eml#mimecast.org!ab.id.au!1693353600!1693439999!157a5fe30ec76f4bc0d8bccfc96c118a167a1280fee7c7465af5115e73082e5e.xml.gz",
                    "imported 1"),
                Map.entry("aggregate/old_draft_from_wiki.xml", "imported 1"),
                Map.entry(
                    "aggregate/protection.outlook.com!example.com!1711756800!1711843200.xml",
                    "imported 1"),
                Map.entry(
                    "aggregate/rfc9990-example.net!example.com!1700000000!1700086399.xml",
                    "imported 2"),
                Map.entry("aggregate/rfc9990-sample.xml", "imported 1"),
                Map.entry(
                    "aggregate/twilight.eml#google.com!twlnet.com!1549756800!1549843199.zip!google.com!twlnet.com!1549756800!1549843199.xml",
                    "imported 1"),
                Map.entry(
                    "aggregate/usssa.com!example.com!1538784000!1538870399.xml", "imported 2"),
                Map.entry(
                    "aggregate/veeam.com!example.com!1530133200!1530219600.xml", "imported 1"),
                Map.entry(
                    "aggregate_historical/zoho.com!example.com!1581753600!1581840000.xml",
                    "imported 8"),
                Map.entry("aggregate_invalid/report_with_upper_cased_pass.xml", "imported 1"),
                Map.entry("empty.xml", "MALFORMED_XML"),
                Map.entry("extract_report/changed-input.xml", "imported 20"),
                Map.entry("extract_report/nice-input.xml", "imported 20"),
                Map.entry("extract_report/nice-input.xml.gz", "duplicate"),
                Map.entry("extract_report/nice-input.xml.zip!nice-input.xml", "duplicate")));
  }

  @Test
  @DisplayName("The rows in the database match the XML of each plain report, element by element")
  void rows_matchTheXml() throws Exception {
    Path root = resource("parsedmarc");
    importAll(ImportLimits.defaults(), root);
    List<Path> xmls = new ArrayList<>();
    for (String dir :
        List.of("aggregate", "aggregate_historical", "aggregate_invalid", "extract_report")) {
      try (var s = Files.list(root.resolve(dir))) {
        s.filter(p -> p.toString().endsWith(".xml")).sorted().forEach(xmls::add);
      }
    }
    int compared = 0;
    for (Path xml : xmls) {
      Document doc;
      try {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        doc = f.newDocumentBuilder().parse(xml.toFile());
      } catch (Exception e) {
        continue; // not well-formed: compared as a refusal in parsedmarc_corpus
      }
      Element feedback = (Element) doc.getElementsByTagNameNS("*", "feedback").item(0);
      if (feedback == null) {
        continue;
      }
      String reportId = text(feedback, "report_id");
      List<String> expected = new ArrayList<>();
      NodeList records = feedback.getElementsByTagNameNS("*", "record");
      for (int i = 0; i < records.getLength(); i++) {
        Element r = (Element) records.item(i);
        expected.add(
            text(r, "source_ip")
                + " "
                + text(r, "count")
                + " "
                + lower(text(r, "disposition"))
                + " "
                + text(r, "header_from")
                + " "
                + dkim(r));
      }
      List<String> actual = new ArrayList<>();
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT w.ordinal, w.source_ip, w.message_count, w.disposition, w.header_from,"
                      + " w.report FROM dmarcj_received_row w JOIN dmarcj_received_report r"
                      + " ON r.id = w.report WHERE r.report_id = ? AND r.email = ?"
                      + " AND r.org_name = ? ORDER BY w.ordinal")) {
        ps.setString(1, reportId);
        ps.setString(2, text(feedback, "email").replace("null", ""));
        ps.setString(3, text(feedback, "org_name").replace("null", ""));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            actual.add(
                rs.getString(2)
                    + " "
                    + rs.getLong(3)
                    + " "
                    + rs.getString(4)
                    + " "
                    + rs.getString(5)
                    + " "
                    + dkimRows(c, rs.getLong(6), rs.getInt(1)));
          }
        }
      }
      assertThat(actual).as(xml.getFileName().toString()).isEqualTo(expected);
      compared++;
    }
    assertThat(compared).isGreaterThan(10);
  }

  private static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  private static String text(Element e, String name) {
    NodeList l = e.getElementsByTagNameNS("*", name);
    if (l.getLength() == 0) {
      return "null";
    }
    String t = l.item(0).getTextContent().strip();
    return t.isEmpty() ? "null" : t;
  }

  private static String dkim(Element record) {
    StringBuilder b = new StringBuilder("[");
    NodeList auth = record.getElementsByTagNameNS("*", "auth_results");
    if (auth.getLength() > 0) {
      for (Node n = auth.item(0).getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element d && d.getLocalName().equals("dkim")) {
          b.append(text(d, "domain")).append('/').append(lower(text(d, "result"))).append(';');
        }
      }
    }
    return b.append(']').toString();
  }

  private static String dkimRows(Connection c, long report, int row) throws Exception {
    StringBuilder b = new StringBuilder("[");
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT domain, result FROM dmarcj_received_dkim WHERE report = ? AND row_ordinal = ?"
                + " ORDER BY ordinal")) {
      ps.setLong(1, report);
      ps.setInt(2, row);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          b.append(rs.getString(1)).append('/').append(rs.getString(2)).append(';');
        }
      }
    }
    return b.append(']').toString();
  }

  @Test
  @DisplayName("stalwart's reports and report mails import and match its expected parses")
  void stalwart_corpus() throws Exception {
    Path root = resource("stalwart/dmarc-feedback");
    List<Path> reports = new ArrayList<>();
    try (var s = Files.list(root)) {
      s.filter(p -> !p.toString().endsWith(".json")).sorted().forEach(reports::add);
    }
    Outcomes o = importAll(ImportLimits.defaults(), reports.toArray(Path[]::new));
    assertThat(o.refusals).isEmpty();
    assertThat(o.bySource).hasSize(10);
    // 004 (RFC 9990's sample) has the reporter and report id of 001: the same report
    assertThat(o.bySource.get(root.resolve("004.xml").toString())).isEqualTo("duplicate");
    Pattern ip = Pattern.compile("\"source_ip\": \"([^\"]*)\",\\s*\"count\": (\\d+)");
    Pattern id = Pattern.compile("\"report_id\": \"([^\"]*)\"");
    for (String n : List.of("001", "002", "003", "005", "100", "101", "102", "103", "104")) {
      String json = Files.readString(root.resolve(n + ".json"));
      Matcher m = id.matcher(json);
      assertThat(m.find()).isTrue();
      List<String> expected = new ArrayList<>();
      Matcher r = ip.matcher(json);
      while (r.find()) {
        expected.add(r.group(1) + " " + r.group(2));
      }
      List<String> actual = new ArrayList<>();
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT w.source_ip, w.message_count FROM dmarcj_received_row w"
                      + " JOIN dmarcj_received_report r ON r.id = w.report"
                      + " WHERE r.report_id = ? ORDER BY w.ordinal")) {
        ps.setString(1, m.group(1));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            actual.add(rs.getString(1) + " " + rs.getLong(2));
          }
        }
      }
      assertThat(actual).as(n).isEqualTo(expected);
    }
  }

  @Test
  @DisplayName(
      "Importing again changes nothing; the .xml, .gz and .zip of one report are one report")
  void reimport_isIdempotent() throws Exception {
    Path root = resource("parsedmarc/extract_report");
    importAll(ImportLimits.defaults(), root.resolve("nice-input.xml"));
    long before = count("dmarcj_received_row");
    Outcomes again =
        importAll(
            ImportLimits.defaults(),
            root.resolve("nice-input.xml"),
            root.resolve("nice-input.xml.gz"),
            root.resolve("nice-input.xml.zip"));
    assertThat(again.bySource.values()).containsOnly("duplicate");
    assertThat(count("dmarcj_received_report")).isEqualTo(1);
    assertThat(count("dmarcj_received_row")).isEqualTo(before);
  }

  private long count(String table) throws Exception {
    try (Connection c = ds.getConnection();
        ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName("A Maildir with a Maildir++ folder, and an mbox, of report mails import")
  void maildirAndMbox() throws Exception {
    Path mails = resource("stalwart/dmarc-feedback");
    Path maildir = tmp.resolve("Maildir");
    for (String d : List.of("cur", "new", "tmp")) {
      Files.createDirectories(maildir.resolve(d));
    }
    Files.copy(mails.resolve("100.eml"), maildir.resolve("new/1.host"));
    Files.copy(mails.resolve("101.eml"), maildir.resolve("cur/2.host:2,S"));
    Files.writeString(maildir.resolve("tmp/3.host"), "half written");
    // a Maildir++ folder is read too; a dot-folder that is not a Maildir is not
    Path sub = maildir.resolve(".Reports.DMARC");
    for (String d : List.of("cur", "new", "tmp")) {
      Files.createDirectories(sub.resolve(d));
    }
    Files.copy(mails.resolve("102.eml"), sub.resolve("cur/4.host:2,S"));
    Files.createDirectories(maildir.resolve(".cache"));
    Files.writeString(maildir.resolve(".cache/x"), "not mail");
    Outcomes o = importAll(ImportLimits.defaults(), maildir);
    assertThat(o.refusals).isEmpty();
    assertThat(o.bySource.values()).containsExactly("imported 1", "imported 1", "imported 1");

    Path mbox = tmp.resolve("mbox");
    try (OutputStream out = Files.newOutputStream(mbox)) {
      for (String n : List.of("102", "103", "104")) {
        out.write(
            "From MAILER-DAEMON Sat Dec  5 07:00:00 2026\n".getBytes(StandardCharsets.US_ASCII));
        out.write(
            Files.readString(mails.resolve(n + ".eml"))
                .replace("\r\n", "\n")
                .getBytes(StandardCharsets.UTF_8));
        out.write("\n\n".getBytes(StandardCharsets.US_ASCII));
      }
    }
    Outcomes m = importAll(ImportLimits.defaults(), mbox);
    assertThat(m.refusals).isEmpty();
    // 102 came in through the Maildir++ folder already
    assertThat(m.bySource.values()).containsExactly("duplicate", "imported 1", "imported 1");
  }

  static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
      gz.write(data);
    }
    return b.toByteArray();
  }

  static byte[] zip(byte[] data) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (ZipOutputStream z = new ZipOutputStream(b)) {
      z.putNextEntry(new ZipEntry("report.xml"));
      z.write(data);
      z.closeEntry();
    }
    return b.toByteArray();
  }

  @Test
  @DisplayName("Gzip and zip bombs are refused with RATIO_TOO_HIGH; the next file still imports")
  void bombs_refused() throws Exception {
    byte[] bomb = new byte[20_000_000];
    java.util.Arrays.fill(bomb, (byte) ' ');
    byte[] head = "<feedback>".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(head, 0, bomb, 0, head.length);
    Files.write(tmp.resolve("a.xml.gz"), gzip(bomb));
    Files.write(tmp.resolve("b.zip"), zip(bomb));
    Files.copy(resource("parsedmarc/extract_report/nice-input.xml"), tmp.resolve("c.xml"));
    Outcomes o = importAll(ImportLimits.defaults(), tmp);
    assertThat(o.bySource.values())
        .containsExactly("RATIO_TOO_HIGH", "RATIO_TOO_HIGH", "imported 20");
  }

  @Test
  @DisplayName("Size bounds: COMPRESSED_TOO_LARGE, UNCOMPRESSED_TOO_LARGE, MAIL_TOO_LARGE")
  void sizes_refused() throws Exception {
    byte[] xml = Files.readAllBytes(resource("parsedmarc/extract_report/nice-input.xml"));
    Files.write(tmp.resolve("a.xml.gz"), gzip(xml));
    Files.write(tmp.resolve("b.xml"), xml);
    Files.copy(resource("stalwart/dmarc-feedback/100.eml"), tmp.resolve("c.eml"));
    ImportLimits compressed =
        new ImportLimits(100, 1_000_000, 100, 1_000_000, 1_000_000, 64, 1000, 1000);
    ImportLimits uncompressed =
        new ImportLimits(1_000_000, 1000, 100, 1_000_000, 100, 64, 1000, 1000);
    assertThat(importAll(compressed, tmp.resolve("a.xml.gz")).bySource.values())
        .containsExactly("COMPRESSED_TOO_LARGE");
    assertThat(importAll(uncompressed, tmp.resolve("b.xml")).bySource.values())
        .containsExactly("UNCOMPRESSED_TOO_LARGE");
    assertThat(importAll(uncompressed, tmp.resolve("c.eml")).bySource.values())
        .containsExactly("MAIL_TOO_LARGE");
  }

  @Test
  @DisplayName("Hostile files in a folder: each gets its reason, the good one imports")
  void hostileFolder() throws Exception {
    Files.writeString(
        tmp.resolve("1-xxe.xml"),
        "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<feedback>&x;</feedback>");
    Files.writeString(tmp.resolve("2-deep.xml"), "<feedback>" + "<a>".repeat(1000) + "</feedback>");
    Files.writeString(tmp.resolve("3-ns.xml"), "<feedback xmlns=\"urn:other\"/>");
    Files.write(tmp.resolve("4-broken.gz"), new byte[] {(byte) 0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    Files.writeString(tmp.resolve("5-mail.eml"), "Subject: hi\r\n\r\nno report here\r\n");
    Files.copy(resource("parsedmarc/extract_report/nice-input.xml"), tmp.resolve("6-good.xml"));
    Outcomes o = importAll(ImportLimits.defaults(), tmp);
    assertThat(o.bySource.values())
        .containsExactly(
            "DTD_FORBIDDEN",
            "TOO_DEEP",
            "WRONG_NAMESPACE",
            "BAD_ARCHIVE",
            "NO_REPORT_IN_MAIL",
            "imported 20");
  }
}
