// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import io.github.dmarcj.report.ingest.ImportException;
import io.github.dmarcj.report.ingest.ImportLimits;
import io.github.dmarcj.report.ingest.ReportImporter;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Writes RFC 9990 aggregate reports for tests, and imports them the way the command does. */
final class ReportXml {
  private final String org;
  private final String email;
  private final String id;
  private final long begin;
  private final long end;
  private String domain = "example.com";
  private String p = "none";
  private final List<String> records = new ArrayList<>();

  private ReportXml(String org, String email, String id, long begin, long end) {
    this.org = org;
    this.email = email;
    this.id = id;
    this.begin = begin;
    this.end = end;
  }

  /** A report for one whole UTC day. */
  static ReportXml daily(String org, String email, LocalDate day) {
    long b = day.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    return new ReportXml(org, email, org + "." + day + "." + email, b, b + 86_399);
  }

  /** A report for any period. */
  static ReportXml period(String org, String email, String id, long begin, long end) {
    return new ReportXml(org, email, id, begin, end);
  }

  ReportXml domain(String d) {
    this.domain = d;
    return this;
  }

  ReportXml policy(String policy) {
    this.p = policy;
    return this;
  }

  /**
   * One record. {@code auth} alternates kind and "domain=result": {@code "dkim", "a.example=pass",
   * "spf", "b.example=fail"}.
   */
  ReportXml row(
      String ip,
      long count,
      String disposition,
      String dkim,
      String spf,
      String headerFrom,
      String envelopeFrom,
      String... auth) {
    StringBuilder r = new StringBuilder();
    r.append("<record><row><source_ip>")
        .append(x(ip))
        .append("</source_ip><count>")
        .append(count)
        .append("</count><policy_evaluated><disposition>")
        .append(x(disposition))
        .append("</disposition><dkim>")
        .append(x(dkim))
        .append("</dkim><spf>")
        .append(x(spf))
        .append("</spf></policy_evaluated></row><identifiers>")
        .append("<envelope_from>")
        .append(x(envelopeFrom))
        .append("</envelope_from><header_from>")
        .append(x(headerFrom))
        .append("</header_from></identifiers><auth_results>");
    List<String> dkims = new ArrayList<>();
    List<String> spfs = new ArrayList<>();
    for (int i = 0; i + 1 < auth.length; i += 2) {
      String[] dr = auth[i + 1].split("=", 2);
      if (auth[i].equals("dkim")) {
        dkims.add(
            "<dkim><domain>"
                + x(dr[0])
                + "</domain><selector>s1</selector><result>"
                + x(dr[1])
                + "</result></dkim>");
      } else {
        spfs.add(
            "<spf><domain>"
                + x(dr[0])
                + "</domain><scope>"
                + (auth[i].equals("helo") ? "helo" : "mfrom")
                + "</scope><result>"
                + x(dr[1])
                + "</result></spf>");
      }
    }
    dkims.forEach(r::append);
    spfs.forEach(r::append);
    r.append("</auth_results></record>");
    records.add(r.toString());
    return this;
  }

  String xml() {
    StringBuilder b = new StringBuilder();
    b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><version>1.0</version>")
        .append("<report_metadata><org_name>")
        .append(x(org))
        .append("</org_name><email>")
        .append(x(email))
        .append("</email><report_id>")
        .append(x(id))
        .append("</report_id><date_range><begin>")
        .append(begin)
        .append("</begin><end>")
        .append(end)
        .append("</end></date_range></report_metadata><policy_published><domain>")
        .append(x(domain))
        .append("</domain><p>")
        .append(x(p))
        .append("</p></policy_published>");
    records.forEach(b::append);
    return b.append("</feedback>\n").toString();
  }

  /** Imports the reports; fails the test if one is refused. */
  static void importAll(DataSource ds, List<ReportXml> reports) throws SQLException {
    ReportImporter importer = new ReportImporter(ds, ImportLimits.defaults());
    List<String> refused = new ArrayList<>();
    ReportImporter.Listener listener =
        new ReportImporter.Listener() {
          @Override
          public void refused(String source, ImportException error) {
            refused.add(source + ": " + error.getMessage());
          }
        };
    int i = 0;
    for (ReportXml r : reports) {
      importer.importStream(
          "report-" + i++,
          new ByteArrayInputStream(r.xml().getBytes(StandardCharsets.UTF_8)),
          listener);
    }
    if (!refused.isEmpty()) {
      throw new IllegalStateException("refused: " + refused);
    }
  }

  private static String x(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
