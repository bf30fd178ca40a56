// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

final class AggregateReportWriterTest {
  private static final Instant BEGIN = Records.T0;
  private static final Instant END = Records.T0.plusSeconds(86_400);
  private static final ReportMetadata META =
      new ReportMetadata(
          "Receiver Inc.",
          "dmarc@receiver.example",
          Optional.of("https://receiver.example/dmarc"),
          "<20261126.example.com@receiver.example>",
          Optional.of("dmarcj test"));

  private static AggregateReport report(ReportRecord... records) {
    ReportAggregator a = new ReportAggregator(records[0].policyPublished().domain(), BEGIN, END);
    for (ReportRecord r : records) {
      a.add(r);
    }
    return a.reports(META).get(0);
  }

  private static ReportRecord with(
      ReportRecord r,
      DmarcMode mode,
      ReportRecord.PublishedPolicy p,
      List<ReportRecord.Override> o,
      ReportRecord.SpfAuth spf) {
    return new ReportRecord(
        r.evaluatedAt(),
        mode,
        r.sourceIp(),
        r.headerFrom(),
        r.envelopeFrom(),
        r.envelopeTo(),
        p,
        r.disposition(),
        r.dkimAligned(),
        r.spfAligned(),
        o,
        r.dkim(),
        spf);
  }

  private static List<String> childNames(Node parent) {
    List<String> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        out.add(e.getLocalName());
      }
    }
    return out;
  }

  private static Element child(Node parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no " + name);
  }

  private static String text(Node parent, String... path) {
    Node n = parent;
    for (String p : path) {
      n = child(n, p);
    }
    return n.getTextContent();
  }

  @Test
  @DisplayName("RFC 9990 §3.1.1: report validates against the XSD, elements in schema order")
  void write_rfc9990_validatesInOrder() throws Exception {
    AggregateReport r =
        report(
            Records.passing(BEGIN, "192.0.2.1"),
            Records.passing(BEGIN.plusSeconds(1), "192.0.2.1"),
            Records.full(BEGIN.plusSeconds(2)));
    byte[] xml = AggregateReportWriter.toXml(r, ReportFormat.RFC9990);
    Xsd.validate(Xsd.rfc9990(), xml);
    Document d = Xsd.parse(xml);
    Element fb = d.getDocumentElement();
    assertThat(fb.getNamespaceURI()).isEqualTo("urn:ietf:params:xml:ns:dmarc-2.0");
    assertThat(childNames(fb))
        .containsExactly("version", "report_metadata", "policy_published", "record", "record");
    assertThat(text(fb, "version")).isEqualTo("1.0");
    assertThat(childNames(child(fb, "report_metadata")))
        .containsExactly(
            "org_name", "email", "extra_contact_info", "report_id", "date_range", "generator");
    assertThat(text(fb, "report_metadata", "report_id"))
        .isEqualTo("<20261126.example.com@receiver.example>");
    assertThat(text(fb, "report_metadata", "date_range", "begin"))
        .isEqualTo(Long.toString(BEGIN.getEpochSecond()));
    assertThat(text(fb, "report_metadata", "date_range", "end"))
        .isEqualTo(Long.toString(END.getEpochSecond()));
    assertThat(childNames(child(fb, "policy_published")))
        .containsExactly(
            "domain", "discovery_method", "p", "sp", "np", "fo", "adkim", "aspf", "testing");
    assertThat(text(fb, "policy_published", "discovery_method")).isEqualTo("treewalk");
    assertThat(text(fb, "policy_published", "np")).isEqualTo("reject");
    assertThat(text(fb, "policy_published", "fo")).isEqualTo("1:d");
    assertThat(text(fb, "policy_published", "testing")).isEqualTo("n");
    Element first = child(fb, "record");
    assertThat(childNames(first)).containsExactly("row", "identifiers", "auth_results");
    assertThat(childNames(child(first, "row")))
        .containsExactly("source_ip", "count", "policy_evaluated");
    assertThat(text(first, "row", "count")).isEqualTo("2");
    // passed DMARC under p=quarantine: disposition "pass" (RFC 9990 ActionDispositionType)
    assertThat(text(first, "row", "policy_evaluated", "disposition")).isEqualTo("pass");
    Element second = (Element) first.getNextSibling().getNextSibling();
    assertThat(
            childNames(
                child(second, "row").getElementsByTagNameNS("*", "policy_evaluated").item(0)))
        .containsExactly("disposition", "dkim", "spf", "reason");
    assertThat(text(second, "row", "policy_evaluated", "disposition")).isEqualTo("none");
    assertThat(text(second, "row", "policy_evaluated", "reason", "type")).isEqualTo("mailing_list");
    assertThat(childNames(child(second, "identifiers")))
        .containsExactly("header_from", "envelope_from", "envelope_to");
    assertThat(childNames(child(second, "auth_results"))).containsExactly("dkim", "dkim", "spf");
    // RFC 9990 §3.1.3: the passing signature first
    assertThat(text(second, "auth_results", "dkim", "domain")).isEqualTo("list.example.org");
    assertThat(childNames(child(child(second, "auth_results"), "dkim")))
        .containsExactly("domain", "selector", "result");
    assertThat(childNames(child(child(second, "auth_results"), "spf")))
        .containsExactly("domain", "scope", "result");
    assertThat(text(second, "auth_results", "spf", "result")).isEqualTo("softfail");
  }

  @Test
  @DisplayName(
      "RFC 7489 Appendix C: report with pct, sp and fo present, no np/testing/discovery_method")
  void write_rfc7489_validatesAgainstAppendixC() throws Exception {
    ReportRecord base = Records.full(BEGIN);
    ReportRecord r7489 =
        with(
            base,
            DmarcMode.RFC7489,
            Records.policy7489("example.com"),
            List.of(
                new ReportRecord.Override(OverrideReason.SAMPLED_OUT, ""),
                new ReportRecord.Override(OverrideReason.POLICY_TEST_MODE, "t=y")),
            new ReportRecord.SpfAuth("mail.example.net", SpfScope.HELO, SpfResult.PASS));
    byte[] xml = AggregateReportWriter.toXml(report(r7489), ReportFormat.RFC7489);
    Xsd.validate(Xsd.rfc7489(), xml);
    Element fb = Xsd.parse(xml).getDocumentElement();
    assertThat(fb.getNamespaceURI()).isNull();
    assertThat(childNames(child(fb, "report_metadata"))).doesNotContain("generator");
    assertThat(childNames(child(fb, "policy_published")))
        .containsExactly("domain", "adkim", "aspf", "p", "sp", "pct", "fo");
    assertThat(text(fb, "policy_published", "pct")).isEqualTo("50");
    assertThat(text(fb, "policy_published", "sp")).isEqualTo("reject");
    assertThat(text(fb, "policy_published", "fo")).isEqualTo("0");
    Element evaluated = (Element) fb.getElementsByTagName("policy_evaluated").item(0);
    List<String> types = new ArrayList<>();
    List<String> comments = new ArrayList<>();
    for (Node n = evaluated.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals("reason")) {
        types.add(text(e, "type"));
        comments.add(e.getElementsByTagName("comment").getLength() == 0 ? "" : text(e, "comment"));
      }
    }
    assertThat(types).containsExactly("sampled_out", "other");
    assertThat(comments).containsExactly("", "policy_test_mode: t=y");
    assertThat(text(fb, "record", "auth_results", "spf", "scope")).isEqualTo("helo");
    assertThat(text(fb, "record", "identifiers", "envelope_from")).isEqualTo("bounce.example.net");
  }

  @Test
  @DisplayName(
      "RFC 7489 Appendix C: reasons RFC 9990 lacks become other; HELO scope is left out; still valid")
  void write_rfc9990_foreignReasonsMapped() throws Exception {
    ReportRecord base = Records.full(BEGIN);
    ReportRecord r =
        with(
            base,
            DmarcMode.RFC9989,
            base.policyPublished(),
            List.of(
                new ReportRecord.Override(OverrideReason.FORWARDED, "via list"),
                new ReportRecord.Override(OverrideReason.POLICY_TEST_MODE, "")),
            new ReportRecord.SpfAuth("mail.example.net", SpfScope.HELO, SpfResult.NONE));
    byte[] xml = AggregateReportWriter.toXml(report(r), ReportFormat.RFC9990);
    Xsd.validate(Xsd.rfc9990(), xml);
    Element fb = Xsd.parse(xml).getDocumentElement();
    Element reason = (Element) fb.getElementsByTagNameNS("*", "reason").item(0);
    assertThat(text(reason, "type")).isEqualTo("other");
    assertThat(text(reason, "comment")).isEqualTo("forwarded: via list");
    Element reason2 = (Element) fb.getElementsByTagNameNS("*", "reason").item(1);
    assertThat(childNames(reason2)).containsExactly("type");
    assertThat(text(reason2, "type")).isEqualTo("policy_test_mode");
    assertThat(childNames(child(child(child(fb, "record"), "auth_results"), "spf")))
        .containsExactly("domain", "result");
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.1.10: null reverse-path: envelope_from present and empty, in both formats")
  void write_nullSender_emptyEnvelopeFrom() throws Exception {
    ReportRecord p = Records.passing(BEGIN, "2001:db8::1");
    ReportRecord nullSender =
        new ReportRecord(
            p.evaluatedAt(),
            p.mode(),
            p.sourceIp(),
            p.headerFrom(),
            Optional.empty(),
            Optional.empty(),
            p.policyPublished(),
            DmarcPolicy.QUARANTINE,
            DmarcResult.FAIL,
            DmarcResult.FAIL,
            List.of(),
            List.of(),
            new ReportRecord.SpfAuth("mail.example.com", SpfScope.HELO, SpfResult.NONE));
    AggregateReport r = report(nullSender);
    byte[] x9990 = AggregateReportWriter.toXml(r, ReportFormat.RFC9990);
    Xsd.validate(Xsd.rfc9990(), x9990);
    byte[] x7489 = AggregateReportWriter.toXml(r, ReportFormat.RFC7489);
    Xsd.validate(Xsd.rfc7489(), x7489);
    Element fb = Xsd.parse(x9990).getDocumentElement();
    assertThat(text(fb, "record", "identifiers", "envelope_from")).isEmpty();
    assertThat(text(fb, "record", "row", "source_ip")).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(text(fb, "record", "row", "policy_evaluated", "disposition"))
        .isEqualTo("quarantine");
    assertThat(childNames(child(child(fb, "record"), "auth_results"))).containsExactly("spf");
  }

  @Test
  @DisplayName("control characters from a sender become U+FFFD; the report still parses")
  void write_controlCharactersInSelector_replaced() throws Exception {
    ReportRecord base = Records.full(BEGIN);
    ReportRecord hostile =
        new ReportRecord(
            base.evaluatedAt(),
            base.mode(),
            base.sourceIp(),
            base.headerFrom(),
            base.envelopeFrom(),
            base.envelopeTo(),
            base.policyPublished(),
            base.disposition(),
            base.dkimAligned(),
            base.spfAligned(),
            base.overrides(),
            List.of(new ReportRecord.DkimAuth("example.net", "s\u0001<&>\uD800", DkimResult.FAIL)),
            base.spf());
    byte[] xml = AggregateReportWriter.toXml(report(hostile), ReportFormat.RFC9990);
    Xsd.validate(Xsd.rfc9990(), xml);
    assertThat(
            text(Xsd.parse(xml).getDocumentElement(), "record", "auth_results", "dkim", "selector"))
        .isEqualTo("s\uFFFD<&>\uFFFD");
  }

  @Test
  @DisplayName("RFC 7489 §7.2.1.1: gzip output decompresses to the same XML")
  void toGzip_report_decompressesToXml() throws Exception {
    AggregateReport r = report(Records.full(BEGIN));
    byte[] gz = AggregateReportWriter.toGzip(r, ReportFormat.RFC9990);
    assertThat(gz[0] & 0xff).isEqualTo(0x1f);
    assertThat(gz[1] & 0xff).isEqualTo(0x8b);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(AggregateReportWriter.toXml(r, ReportFormat.RFC9990));
    }
  }

  @Test
  @DisplayName(
      "write hands the caller's stream blocks, not single bytes, without closing it; the bytes"
          + " are toXml's")
  void write_toPlainStream_blocksNotBytes() throws Exception {
    AggregateReport r = report(Records.full(BEGIN), Records.passing(BEGIN, "192.0.2.7"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int[] calls = new int[3];
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {
            calls[0]++;
            bytes.write(b);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            calls[1]++;
            bytes.write(b, off, len);
          }

          @Override
          public void close() {
            calls[2]++;
          }
        };
    AggregateReportWriter.write(r, ReportFormat.RFC9990, out);
    assertThat(calls[0]).isZero();
    assertThat(calls[1]).isBetween(1, 1 + bytes.size() / 4096);
    assertThat(calls[2]).isZero();
    assertThat(bytes.toByteArray()).isEqualTo(AggregateReportWriter.toXml(r, ReportFormat.RFC9990));
  }

  @Test
  @DisplayName("RFC 9990 §3.5.1: file name receiver!domain!begin!end[!id].xml[.gz]")
  void reportFileName_of_followsGrammar() {
    AggregateReport r = report(Records.full(BEGIN));
    long b = BEGIN.getEpochSecond();
    long e = END.getEpochSecond();
    assertThat(ReportFileName.of("mail.receiver.example", r, Optional.empty(), true))
        .isEqualTo("mail.receiver.example!example.com!" + b + "!" + e + ".xml.gz");
    assertThat(ReportFileName.of("mail.receiver.example", r, Optional.of("abc123"), false))
        .isEqualTo("mail.receiver.example!example.com!" + b + "!" + e + "!abc123.xml");
    assertThatThrownBy(
            () -> ReportFileName.of("mail.receiver.example", r, Optional.of("a.b"), true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReportFileName.of("a/b", r, Optional.empty(), true))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the RFC 9990 Appendix B sample validates: the schema in use is the right one")
  void xsd_rfcSample_validates() throws Exception {
    byte[] sample;
    try (var in = getClass().getResourceAsStream("/dmarc-xsd/dmarc-xml-0.2.xml")) {
      sample = in.readAllBytes();
    }
    Xsd.validate(Xsd.rfc9990(), sample);
    byte[] broken =
        new String(sample, java.nio.charset.StandardCharsets.UTF_8)
            .replace("<count>123</count>", "")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Xsd.validate(Xsd.rfc9990(), broken))
        .isInstanceOf(org.xml.sax.SAXException.class);
  }

  static ReportRecord.PublishedPolicy withErrors(
      ReportRecord.PublishedPolicy p, List<String> errors) {
    return new ReportRecord.PublishedPolicy(
        p.domain(),
        p.discoveryMethod(),
        p.p(),
        p.sp(),
        p.np(),
        p.adkim(),
        p.aspf(),
        p.pct(),
        p.fo(),
        p.testing(),
        errors);
  }

  private static List<String> errorTexts(Element fb) {
    List<String> out = new ArrayList<>();
    Element meta = child(fb, "report_metadata");
    for (Node n = meta.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getLocalName().equals("error")) {
        out.add(e.getTextContent());
      }
    }
    return out;
  }

  @Test
  @DisplayName(
      "AGG-07: record problems become error elements: one in RFC 9990 (its schema allows one),"
          + " one each in RFC 7489; both valid")
  void write_errors() throws Exception {
    ReportRecord base = Records.full(BEGIN);
    List<String> errors =
        List.of("adkim must be r or s, was \"x\"", "unknown tag foo ignored \u0001<&>");
    ReportRecord r9989 =
        with(
            base,
            DmarcMode.RFC9989,
            withErrors(Records.policy9989("example.com"), errors),
            List.of(),
            base.spf());
    byte[] x9990 = AggregateReportWriter.toXml(report(r9989), ReportFormat.RFC9990);
    Xsd.validate(Xsd.rfc9990(), x9990);
    Element fb = Xsd.parse(x9990).getDocumentElement();
    assertThat(errorTexts(fb))
        .containsExactly("adkim must be r or s, was \"x\"; unknown tag foo ignored \uFFFD<&>");
    assertThat(childNames(child(fb, "report_metadata")))
        .containsSubsequence("date_range", "error", "generator");
    ReportRecord r7489 =
        with(
            base,
            DmarcMode.RFC7489,
            withErrors(Records.policy7489("example.com"), errors),
            List.of(),
            base.spf());
    byte[] x7489 = AggregateReportWriter.toXml(report(r7489), ReportFormat.RFC7489);
    Xsd.validate(Xsd.rfc7489(), x7489);
    assertThat(errorTexts(Xsd.parse(x7489).getDocumentElement()))
        .containsExactly("adkim must be r or s, was \"x\"", "unknown tag foo ignored \uFFFD<&>");
    assertThat(
            errorTexts(
                Xsd.parse(AggregateReportWriter.toXml(report(base), ReportFormat.RFC9990))
                    .getDocumentElement()))
        .as("no problems, no error element")
        .isEmpty();
  }
}
