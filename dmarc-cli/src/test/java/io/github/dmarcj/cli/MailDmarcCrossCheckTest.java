// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.report.JdbcReportStore;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Cross-check with an independent report consumer: Perl Mail::DMARC (Debian libmail-dmarc-perl)
 * reads the RFC 7489-format mails that {@code dmarc report send --format rfc7489 --out DIR} writes
 * from a report database, and must find the rows, counts and metadata that were stored. Skipped
 * when {@code perl -MMail::DMARC::Report::Receive} does not run, unless CI=true (then it fails).
 *
 * <p>Mail::DMARC 1.20211209 (Debian 12) reads some fields differently from the report; the
 * expectations below follow what it reads and say where:
 *
 * <ul>
 *   <li>every {@code auth_results/dkim} element of a record is read with the values of the record's
 *       first one: a row with three DKIM results comes back as three copies of the first. The
 *       report carries each result (checked on the XML itself below); the first is the one RFC 9990
 *       §3.1.3 puts first (a pass, one whose {@code d=} is the From domain before others);
 *   <li>{@code policy_published/pct} 0 is read as no {@code pct} at all (its reader skips values
 *       that are false in Perl, and "0" is);
 *   <li>{@code policy_published/fo} is not read;
 *   <li>a record without {@code identifiers/envelope_to} gets the Submitter domain of the mail's
 *       Subject as its envelope_to;
 *   <li>the report id it keeps as {@code uuid} comes from the Subject, lower-cased.
 * </ul>
 */
final class MailDmarcCrossCheckTest {
  private static final Path PERL = Path.of("/usr/bin/perl");
  private static final Path EXAMPLES = Path.of("..", "examples");

  /** 2026-11-27T00:00:00Z and the day after: the report period. */
  private static final long BEGIN = 1795737600L;

  private static final long END = 1795824000L;

  /** 2026-11-28T00:10:00Z: when the reports are sent. */
  private static final long NOW = 1795824600L;

  private static final String SUBMITTER = "receiver.example";

  @TempDir Path dir;

  @BeforeAll
  static void requireMailDmarc() throws Exception {
    boolean present =
        Files.isExecutable(PERL)
            && new ProcessBuilder(PERL.toString(), "-MMail::DMARC::Report::Receive", "-e1")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor()
                == 0;
    if (!present && !"true".equals(System.getenv("CI"))) {
      Assumptions.abort(
          "Mail::DMARC (libmail-dmarc-perl) is not installed: perl -MMail::DMARC::Report::Receive"
              + " -e1 failed");
    }
    assertThat(present).as("libmail-dmarc-perl must be installed when CI=true").isTrue();
  }

  // ---- the stored rows ----

  private static final ReportRecord.PublishedPolicy COM =
      new ReportRecord.PublishedPolicy(
          "example.com",
          DiscoveryMethod.PSL,
          DmarcPolicy.QUARANTINE,
          Optional.of(DmarcPolicy.REJECT),
          Optional.empty(),
          AlignmentMode.STRICT,
          AlignmentMode.RELAXED,
          Optional.of(100),
          Set.of(FailureReportOption.ANY_FAIL, FailureReportOption.DKIM),
          false);

  /** example.org first samples nothing (pct=0), then changes its record to pct=100. */
  private static final ReportRecord.PublishedPolicy ORG_PCT0 =
      new ReportRecord.PublishedPolicy(
          "example.org",
          DiscoveryMethod.PSL,
          DmarcPolicy.REJECT,
          Optional.empty(),
          Optional.empty(),
          AlignmentMode.RELAXED,
          AlignmentMode.RELAXED,
          Optional.of(0),
          Set.of(),
          false);

  private static final ReportRecord.PublishedPolicy ORG_PCT100 =
      new ReportRecord.PublishedPolicy(
          "example.org",
          DiscoveryMethod.PSL,
          DmarcPolicy.REJECT,
          Optional.empty(),
          Optional.empty(),
          AlignmentMode.RELAXED,
          AlignmentMode.RELAXED,
          Optional.of(100),
          Set.of(),
          false);

  /** A record evaluated under RFC 9989: no pct, an np, written in RFC 7489 form all the same. */
  private static final ReportRecord.PublishedPolicy NET =
      new ReportRecord.PublishedPolicy(
          "example.net",
          DiscoveryMethod.TREEWALK,
          DmarcPolicy.NONE,
          Optional.empty(),
          Optional.of(DmarcPolicy.REJECT),
          AlignmentMode.RELAXED,
          AlignmentMode.RELAXED,
          Optional.empty(),
          Set.of(),
          false);

  private static ReportRecord.DkimAuth dkim(String domain, String selector, DkimResult result) {
    return new ReportRecord.DkimAuth(domain, selector, result);
  }

  private static ReportRecord.SpfAuth spf(String domain, SpfScope scope, SpfResult result) {
    return new ReportRecord.SpfAuth(domain, scope, result);
  }

  private static ReportRecord.Override why(OverrideReason type, String comment) {
    return new ReportRecord.Override(type, comment);
  }

  /** One message; {@code envelopeFrom} null for the null sender, {@code envelopeTo} optional. */
  private static ReportRecord message(
      long second,
      String ip,
      ReportRecord.PublishedPolicy policy,
      String headerFrom,
      @Nullable String envelopeFrom,
      @Nullable String envelopeTo,
      DmarcPolicy disposition,
      boolean dkimAligned,
      boolean spfAligned,
      List<ReportRecord.Override> overrides,
      List<ReportRecord.DkimAuth> dkim,
      ReportRecord.SpfAuth spf)
      throws IOException {
    return new ReportRecord(
        Instant.ofEpochSecond(BEGIN + second),
        policy.pct().isPresent() ? DmarcMode.RFC7489 : DmarcMode.RFC9989,
        InetAddress.getByName(ip),
        headerFrom,
        Optional.ofNullable(envelopeFrom),
        Optional.ofNullable(envelopeTo),
        policy,
        disposition,
        dkimAligned ? DmarcResult.PASS : DmarcResult.FAIL,
        spfAligned ? DmarcResult.PASS : DmarcResult.FAIL,
        overrides,
        dkim,
        spf);
  }

  private static void times(List<ReportRecord> into, int n, ReportRecord r) {
    for (int i = 0; i < n; i++) {
      into.add(r);
    }
  }

  /**
   * 27 messages for three policy domains: IPv4 and IPv6 sources, passes and failures, every
   * disposition, overrides (two in one row), rows with no, one and several DKIM results, a null
   * sender checked by HELO, with and without envelope_to, and example.org changing its record
   * within the day (two reports).
   */
  private static List<ReportRecord> messages() throws IOException {
    List<ReportRecord> m = new ArrayList<>();
    ReportRecord.SpfAuth comPass = spf("example.com", SpfScope.MFROM, SpfResult.PASS);
    ReportRecord.SpfAuth comFail = spf("example.com", SpfScope.MFROM, SpfResult.FAIL);
    times(
        m,
        3,
        message(
            60,
            "192.0.2.25",
            COM,
            "example.com",
            "example.com",
            "users.receiver.example",
            DmarcPolicy.NONE,
            true,
            true,
            List.of(),
            List.of(dkim("example.com", "sel2026", DkimResult.PASS)),
            comPass));
    times(
        m,
        2,
        message(
            120,
            "2001:db8::25",
            COM,
            "example.com",
            "bounces.esp.example",
            null,
            DmarcPolicy.NONE,
            true,
            false,
            List.of(),
            List.of(
                dkim("esp.example", "s1", DkimResult.PASS),
                dkim("example.com", "old2025", DkimResult.FAIL),
                dkim("example.com", "sel2026", DkimResult.PASS)),
            spf("bounces.esp.example", SpfScope.MFROM, SpfResult.PASS)));
    times(
        m,
        4,
        message(
            180,
            "203.0.113.66",
            COM,
            "example.com",
            "example.com",
            null,
            DmarcPolicy.QUARANTINE,
            false,
            false,
            List.of(),
            List.of(),
            comFail));
    m.add(
        message(
            240,
            "203.0.113.66",
            COM,
            "example.com",
            "example.com",
            null,
            DmarcPolicy.NONE,
            false,
            false,
            List.of(why(OverrideReason.LOCAL_POLICY, "allow-listed sender")),
            List.of(),
            comFail));
    m.add(
        message(
            300,
            "198.51.100.7",
            COM,
            "example.com",
            null,
            null,
            DmarcPolicy.QUARANTINE,
            false,
            false,
            List.of(),
            List.of(dkim("bulk.example", "b1", DkimResult.TEMPERROR)),
            spf("mx.bulk.example", SpfScope.HELO, SpfResult.NONE)));
    times(
        m,
        2,
        message(
            360,
            "2001:db8:1::7",
            COM,
            "news.example.com",
            "lists.example.org",
            "users.receiver.example",
            DmarcPolicy.NONE,
            false,
            false,
            List.of(
                why(OverrideReason.FORWARDED, ""),
                why(OverrideReason.MAILING_LIST, "lists.example.org")),
            List.of(
                dkim("news.example.com", "n1", DkimResult.FAIL),
                dkim("lists.example.org", "k2", DkimResult.PASS)),
            spf("lists.example.org", SpfScope.MFROM, SpfResult.SOFTFAIL)));
    m.add(
        message(
            420,
            "192.0.2.99",
            COM,
            "example.com",
            "example.com",
            null,
            DmarcPolicy.NONE,
            true,
            false,
            List.of(),
            List.of(
                dkim("example.com", "sel2026", DkimResult.PASS),
                dkim("ed.example.com", "ed1", DkimResult.NEUTRAL)),
            spf("example.com", SpfScope.MFROM, SpfResult.PERMERROR)));

    ReportRecord.SpfAuth orgFail = spf("example.org", SpfScope.MFROM, SpfResult.FAIL);
    times(
        m,
        2,
        message(
            1000,
            "203.0.113.9",
            ORG_PCT0,
            "example.org",
            "example.org",
            null,
            DmarcPolicy.QUARANTINE,
            false,
            false,
            List.of(why(OverrideReason.SAMPLED_OUT, "")),
            List.of(dkim("example.org", "s1", DkimResult.FAIL)),
            orgFail));
    m.add(
        message(
            1100,
            "192.0.2.130",
            ORG_PCT0,
            "example.org",
            "example.org",
            null,
            DmarcPolicy.NONE,
            true,
            true,
            List.of(),
            List.of(dkim("example.org", "s1", DkimResult.PASS)),
            spf("example.org", SpfScope.MFROM, SpfResult.PASS)));
    times(
        m,
        3,
        message(
            40000,
            "203.0.113.9",
            ORG_PCT100,
            "example.org",
            "example.org",
            null,
            DmarcPolicy.REJECT,
            false,
            false,
            List.of(),
            List.of(),
            orgFail));
    m.add(
        message(
            40100,
            "2001:db8:2::130",
            ORG_PCT100,
            "example.org",
            "example.org",
            null,
            DmarcPolicy.NONE,
            true,
            false,
            List.of(),
            List.of(dkim("example.org", "s1", DkimResult.PASS)),
            spf("example.org", SpfScope.MFROM, SpfResult.TEMPERROR)));

    times(
        m,
        5,
        message(
            2000,
            "198.51.100.200",
            NET,
            "example.net",
            "example.net",
            null,
            DmarcPolicy.NONE,
            false,
            true,
            List.of(),
            List.of(),
            spf("example.net", SpfScope.MFROM, SpfResult.PASS)));
    m.add(
        message(
            2100,
            "2001:db8:3::1",
            NET,
            "example.net",
            "example.net",
            null,
            DmarcPolicy.NONE,
            true,
            false,
            List.of(),
            List.of(
                dkim("example.net", "a1", DkimResult.PASS),
                dkim("example.net", "b2", DkimResult.PERMERROR),
                dkim("relay.example", "r", DkimResult.POLICY)),
            spf("example.net", SpfScope.MFROM, SpfResult.NEUTRAL)));
    return m;
  }

  private static void zone(Path file, String domain) throws IOException {
    Files.writeString(
        file,
        "$ORIGIN "
            + domain
            + ".\n$TTL 3600\n"
            + "@ IN SOA ns1."
            + domain
            + ". hostmaster."
            + domain
            + ". 2026112701 7200 3600 1209600 3600\n"
            + "@ IN NS ns1."
            + domain
            + ".\n"
            + "_dmarc IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc@"
            + domain
            + "\"\n",
        StandardCharsets.US_ASCII);
  }

  // ---- what the reports should say, from the stored rows ----

  /** A report as Mail::DMARC should read it: its metadata and policy, and its rows' counts. */
  record Expected(Map<String, String> policy, Map<String, Long> rows, List<String> xmlDkim) {}

  private static String dkimText(String domain, String selector, String result) {
    return domain + "/" + selector + "/" + result;
  }

  /**
   * The DKIM results of a row as Mail::DMARC 1.20211209 reads them: as many as there are, each with
   * the values of the first one in the report. RFC 9990 §3.1.3 puts a pass whose {@code d=} is the
   * From domain first, then other passes; the rows above have one such pass, or one pass.
   */
  private static List<String> dkimAsRead(ReportRecord r) {
    if (r.dkim().size() <= 1) {
      return r.dkim().stream()
          .map(d -> dkimText(d.domain(), d.selector(), d.result().keyword()))
          .toList();
    }
    List<ReportRecord.DkimAuth> passes =
        r.dkim().stream().filter(d -> d.result() == DkimResult.PASS).toList();
    List<ReportRecord.DkimAuth> aligned =
        passes.stream().filter(d -> d.domain().equals(r.headerFrom())).toList();
    List<ReportRecord.DkimAuth> first = aligned.isEmpty() ? passes : aligned;
    if (first.size() != 1) {
      throw new AssertionError("test data: the first DKIM result of " + r + " is not obvious");
    }
    ReportRecord.DkimAuth d = first.get(0);
    return Collections.nCopies(
        r.dkim().size(), dkimText(d.domain(), d.selector(), d.result().keyword()));
  }

  /** The row of one stored message, in the terms Mail::DMARC gives. */
  private static String storedRowKey(ReportRecord r) {
    return key(
        r.sourceIp().getHostAddress(),
        r.disposition().keyword(),
        r.dkimAligned().keyword(),
        r.spfAligned().keyword(),
        r.overrides().stream().map(o -> o.type().keyword() + ":" + o.comment()).toList(),
        r.headerFrom(),
        r.envelopeFrom().orElse(""),
        // Mail::DMARC: no envelope_to in the record means the Subject's Submitter domain.
        r.envelopeTo().orElse(SUBMITTER),
        dkimAsRead(r),
        List.of(
            r.spf().domain() + "/" + r.spf().scope().keyword() + "/" + r.spf().result().keyword()));
  }

  private static String key(
      String ip,
      String disposition,
      String dkim,
      String spf,
      List<String> reasons,
      String headerFrom,
      String envelopeFrom,
      String envelopeTo,
      List<String> dkimAuth,
      List<String> spfAuth) {
    return String.join(
        " ",
        "ip=" + ip,
        "disposition=" + disposition,
        "dkim=" + dkim,
        "spf=" + spf,
        "reasons=" + reasons,
        "header_from=" + headerFrom,
        "envelope_from=" + envelopeFrom,
        "envelope_to=" + envelopeTo,
        "auth_dkim=" + dkimAuth,
        "auth_spf=" + spfAuth);
  }

  /** What makes a report row: everything but the time; the DKIM results (last) in any order. */
  private static List<Object> reportRow(ReportRecord r) {
    return List.of(
        r.sourceIp(),
        r.disposition(),
        r.dkimAligned(),
        r.spfAligned(),
        r.overrides(),
        r.headerFrom(),
        r.envelopeFrom(),
        r.envelopeTo(),
        r.spf(),
        r.dkim().stream()
            .map(d -> dkimText(d.domain(), d.selector(), d.result().keyword()))
            .sorted()
            .toList());
  }

  /** The policy_published fields Mail::DMARC reads (domain, adkim, aspf, p, sp, pct). */
  private static Map<String, String> policyAsRead(ReportRecord.PublishedPolicy p) {
    Map<String, String> m = new TreeMap<>();
    m.put("domain", p.domain());
    m.put("adkim", p.adkim().keyword());
    m.put("aspf", p.aspf().keyword());
    m.put("p", p.p().keyword());
    // RFC 7489 Appendix C: sp and pct are written with their defaults (p, 100) when not published.
    m.put("sp", p.sp().orElse(p.p()).keyword());
    int pct = p.pct().orElse(100);
    if (pct != 0) { // Mail::DMARC reads pct=0 as no pct
      m.put("pct", Integer.toString(pct));
    }
    return m;
  }

  private static Map<String, Expected> expected(
      Map<ReportRecord.PublishedPolicy, List<ReportRecord>> byPolicy) {
    Map<String, Expected> out = new LinkedHashMap<>();
    Map<String, Integer> parts = new TreeMap<>();
    for (Map.Entry<ReportRecord.PublishedPolicy, List<ReportRecord>> e : byPolicy.entrySet()) {
      String domain = e.getKey().domain();
      int part = parts.merge(domain, 1, Integer::sum);
      String id =
          domain + "." + BEGIN + "." + END + (part == 1 ? "" : "." + part) + "@" + SUBMITTER;
      Map<String, Long> rows =
          e.getValue().stream()
              .collect(
                  Collectors.groupingBy(
                      MailDmarcCrossCheckTest::storedRowKey, TreeMap::new, Collectors.counting()));
      // Rows must stay apart under Mail::DMARC's reading, or a merge would hide a miscount.
      List<List<Object>> distinct =
          e.getValue().stream().map(MailDmarcCrossCheckTest::reportRow).distinct().toList();
      assertThat(rows).as("test data: rows distinct as read").hasSameSizeAs(distinct);
      List<String> xmlDkim =
          distinct.stream()
              .flatMap(row -> ((List<?>) row.get(row.size() - 1)).stream())
              .map(Object::toString)
              .sorted()
              .toList();
      out.put(id, new Expected(policyAsRead(e.getKey()), rows, xmlDkim));
    }
    return out;
  }

  // ---- what Mail::DMARC read ----

  private static String text(JsonNode n) {
    return n.isNull() ? "" : n.asText();
  }

  private static List<String> texts(JsonNode array, String separator, String... fields) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : array) {
      List<String> parts = new ArrayList<>();
      for (String f : fields) {
        parts.add(text(n.path(f)));
      }
      out.add(String.join(separator, parts));
    }
    return out;
  }

  private static String readRowKey(JsonNode rec) throws IOException {
    return key(
        InetAddress.getByName(rec.get("source_ip").asText()).getHostAddress(),
        text(rec.get("disposition")),
        text(rec.get("dkim")),
        text(rec.get("spf")),
        texts(rec.get("reasons"), ":", "type", "comment"),
        text(rec.get("header_from")),
        text(rec.get("envelope_from")),
        text(rec.get("envelope_to")),
        texts(rec.get("auth_dkim"), "/", "domain", "selector", "result"),
        texts(rec.get("auth_spf"), "/", "domain", "scope", "result"));
  }

  private List<JsonNode> mailDmarc(List<Path> mails) throws Exception {
    Path script = dir.resolve("mail_dmarc_read.pl");
    try (InputStream in = getClass().getResourceAsStream("/crosscheck/mail_dmarc_read.pl")) {
      assertThat(in).as("test resource crosscheck/mail_dmarc_read.pl").isNotNull();
      Files.copy(in, script);
    }
    List<String> cmd = new ArrayList<>(List.of(PERL.toString(), script.toString()));
    mails.forEach(p -> cmd.add(p.toString()));
    File err = dir.resolve("perl.err").toFile();
    Process p = new ProcessBuilder(cmd).redirectError(err).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("perl finished").isTrue();
    String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("perl exit code; stderr:%n%s", stderr).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> reports = new ArrayList<>();
    for (String line : out.strip().split("\n", -1)) {
      reports.add(json.readTree(line));
    }
    return reports;
  }

  /** The DKIM results in the mail's gzip attachment, read here with the JDK, sorted. */
  private static List<String> dkimInXml(Path mail) throws Exception {
    MimeMessage m;
    try (InputStream in = Files.newInputStream(mail)) {
      m = new MimeMessage(Session.getInstance(new Properties()), in);
    }
    byte[] xml;
    try (InputStream in =
        new GZIPInputStream(((MimeMultipart) m.getContent()).getBodyPart(1).getInputStream())) {
      xml = in.readAllBytes();
    }
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Element fb = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml)).getDocumentElement();
    List<String> out = new ArrayList<>();
    NodeList dkim = fb.getElementsByTagName("dkim");
    for (int i = 0; i < dkim.getLength(); i++) {
      Element d = (Element) dkim.item(i);
      if (!"auth_results".equals(d.getParentNode().getNodeName())) {
        continue; // policy_evaluated/dkim
      }
      out.add(
          dkimText(
              d.getElementsByTagName("domain").item(0).getTextContent(),
              d.getElementsByTagName("selector").item(0).getTextContent(),
              d.getElementsByTagName("result").item(0).getTextContent()));
    }
    Collections.sort(out);
    return out;
  }

  @Test
  @DisplayName(
      "RFC 7489 §7.2.1.1 and Appendix C: Mail::DMARC reads report send's RFC 7489 mails into the"
          + " stored rows, counts and metadata")
  void reportSend_rfc7489Mails_mailDmarcReadsStoredRows() throws Exception {
    String db = "jdbc:h2:file:" + dir.resolve("reports").toAbsolutePath();
    List<ReportRecord> messages = messages();
    try (JdbcReportStore store = JdbcReportStore.builder(db).build()) {
      messages.forEach(store::accept);
    }

    // What dmarcj stored, per policy configuration in the order first seen.
    Map<ReportRecord.PublishedPolicy, List<ReportRecord>> stored = new LinkedHashMap<>();
    try (JdbcReportStore store = JdbcReportStore.builder(db).build()) {
      for (String domain : List.of("example.com", "example.org", "example.net")) {
        List<ReportRecord> rows =
            store.records(domain, Instant.ofEpochSecond(BEGIN), Instant.ofEpochSecond(END));
        assertThat(rows)
            .as("stored rows of %s", domain)
            .containsExactlyInAnyOrderElementsOf(
                messages.stream()
                    .filter(r -> r.policyPublished().domain().equals(domain))
                    .toList());
        rows.stream()
            .sorted(Comparator.comparing(ReportRecord::evaluatedAt))
            .forEach(
                r -> stored.computeIfAbsent(r.policyPublished(), x -> new ArrayList<>()).add(r));
      }
    }
    Map<String, Expected> expected = expected(stored);

    List<String> args =
        new ArrayList<>(
            List.of(
                "report",
                "send",
                "--db",
                db,
                "--org-name",
                "Receiver Example",
                "--from",
                "dmarc-reports@" + SUBMITTER,
                "--email",
                "postmaster@" + SUBMITTER,
                "--extra-contact-info",
                "https://" + SUBMITTER + "/dmarc",
                "--begin",
                Long.toString(BEGIN),
                "--end",
                Long.toString(END),
                "--now",
                Long.toString(NOW),
                "--format",
                "rfc7489",
                "--dkim-key",
                EXAMPLES.resolve("keys/example.com.sel2026.TEST-ONLY.private.pem").toString(),
                "--dkim-domain",
                SUBMITTER,
                "--dkim-selector",
                "sel2026",
                "--json",
                "--out",
                dir.resolve("mails").toString()));
    for (String domain : List.of("example.com", "example.org", "example.net")) {
      Path z = dir.resolve(domain + ".zone");
      zone(z, domain);
      args.add("--zone");
      args.add(z.toString());
    }
    Cli.Result sent = Cli.run(args.toArray(String[]::new));
    assertThat(sent.exitCode()).as(sent.out() + sent.err()).isZero();
    assertThat(sent.out().lines())
        .hasSize(expected.size())
        .allMatch(l -> l.contains("\"result\":\"sent\""));

    List<Path> mails;
    try (Stream<Path> files = Files.list(dir.resolve("mails"))) {
      mails = files.filter(p -> p.toString().endsWith(".eml")).sorted().toList();
    }
    assertThat(mails).hasSize(expected.size());
    List<JsonNode> read = mailDmarc(mails);
    assertThat(read).as("one report per mail").hasSize(mails.size());

    long total = 0;
    Map<String, Map<String, Long>> perIp = new TreeMap<>();
    for (JsonNode report : read) {
      String id = report.get("report_id").asText();
      assertThat(expected).as("report ids read").containsKey(id);
      Expected e = expected.get(id);
      String where = id + " in " + report.get("file").asText();
      assertThat(report.get("uuid").asText()).as("Subject Report-ID of %s", where).isEqualTo(id);
      assertThat(report.get("org_name").asText()).as(where).isEqualTo("Receiver Example");
      assertThat(report.get("email").asText()).as(where).isEqualTo("postmaster@" + SUBMITTER);
      assertThat(report.get("extra_contact_info").asText())
          .as(where)
          .isEqualTo("https://" + SUBMITTER + "/dmarc");
      assertThat(report.get("begin").asText()).as(where).isEqualTo(Long.toString(BEGIN));
      assertThat(report.get("end").asText()).as(where).isEqualTo(Long.toString(END));
      assertThat(report.get("errors")).as(where).isEmpty();
      Map<String, String> policy = new TreeMap<>();
      for (Map.Entry<String, JsonNode> f : report.get("policy_published").properties()) {
        policy.put(f.getKey(), text(f.getValue()));
      }
      assertThat(policy).as("policy_published of %s", where).isEqualTo(e.policy());

      Map<String, Long> rows = new TreeMap<>();
      for (JsonNode rec : report.get("records")) {
        long count = Long.parseLong(rec.get("count").asText());
        Long before = rows.put(readRowKey(rec), count);
        assertThat(before).as("a row written twice in %s: %s", where, rec).isNull();
        total += count;
        perIp
            .computeIfAbsent(e.policy().get("domain"), d -> new TreeMap<>())
            .merge(
                InetAddress.getByName(rec.get("source_ip").asText()).getHostAddress()
                    + " "
                    + text(rec.get("disposition")),
                count,
                Long::sum);
      }
      assertThat(rows).as("rows and counts of %s", where).isEqualTo(e.rows());
      Path mail = Path.of(report.get("file").asText());
      assertThat(dkimInXml(mail))
          .as("every stored DKIM result is in the XML of %s", where)
          .isEqualTo(e.xmlDkim());
    }
    assertThat(read.stream().map(r -> r.get("report_id").asText()))
        .as("each report once")
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    assertThat(total).as("messages counted").isEqualTo(messages.size());

    Map<String, Map<String, Long>> storedPerIp = new TreeMap<>();
    for (ReportRecord r : messages) {
      storedPerIp
          .computeIfAbsent(r.policyPublished().domain(), d -> new TreeMap<>())
          .merge(r.sourceIp().getHostAddress() + " " + r.disposition().keyword(), 1L, Long::sum);
    }
    assertThat(perIp).as("messages per domain, source and disposition").isEqualTo(storedPerIp);
  }
}
