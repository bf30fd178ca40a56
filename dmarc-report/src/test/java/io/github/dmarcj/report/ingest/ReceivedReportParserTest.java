// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.ingest.ImportException.Reason;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The streaming parser: the namespaces it accepts and the hostile documents it refuses. */
final class ReceivedReportParserTest {
  /** Collects what the parser delivers. */
  static final class Collect implements ReceivedReportParser.Handler {
    @Nullable ReceivedReport report;
    final List<ReceivedRow> rows = new ArrayList<>();
    boolean ended;

    @Override
    public boolean report(ReceivedReport r) {
      report = r;
      return true;
    }

    @Override
    public void row(ReceivedRow row) {
      rows.add(row);
    }

    @Override
    public void end() {
      ended = true;
    }
  }

  static String report(String feedbackAttributes, String extra) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback"
        + feedbackAttributes
        + "><version>1.0</version><report_metadata><org_name>Reporter</org_name>"
        + "<email>dmarc@reporter.example</email><report_id>r-1</report_id>"
        + "<date_range><begin>1700000000</begin><end>1700086399</end></date_range>"
        + "<error>one</error><error>two</error></report_metadata>"
        + "<policy_published><domain>example.com</domain><adkim>r</adkim><aspf>s</aspf>"
        + "<p>Reject</p><sp>none</sp><np>quarantine</np><testing>n</testing>"
        + "<discovery_method>treewalk</discovery_method></policy_published>"
        + extra
        + "<record><row><source_ip>192.0.2.1</source_ip><count>3</count>"
        + "<policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>FAIL</spf>"
        + "<reason><type>local_policy</type><comment>list</comment></reason>"
        + "</policy_evaluated></row><identifiers><header_from>example.com</header_from>"
        + "<envelope_from>bounce.example.com</envelope_from></identifiers>"
        + "<auth_results><dkim><domain>example.com</domain><selector>s1</selector>"
        + "<result>pass</result><human_result>good</human_result></dkim>"
        + "<dkim><domain>other.example</domain><result>fail</result></dkim>"
        + "<spf><domain>bounce.example.com</domain><scope>mfrom</scope><result>softfail</result>"
        + "</spf></auth_results></record>"
        + "<record><row><source_ip>2001:db8::1</source_ip><count>1</count></row>"
        + "<identifiers><header_from>example.com</header_from></identifiers></record>"
        + "</feedback>";
  }

  static Collect parse(String xml, ImportLimits limits) throws Exception {
    Collect c = new Collect();
    new ReceivedReportParser(limits)
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), c);
    return c;
  }

  static Reason refusal(String xml, ImportLimits limits) {
    try {
      parse(xml, limits);
    } catch (ImportException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError("not a typed refusal: " + e, e);
    }
    throw new AssertionError("accepted");
  }

  @Test
  @DisplayName("No namespace, RFC 7489's and RFC 9990's all parse to the same rows")
  void namespaces_allAccepted() throws Exception {
    for (String ns : List.of("", ReceivedReportParser.NS_7489, ReceivedReportParser.NS_9990)) {
      Collect c =
          parse(report(ns.isEmpty() ? "" : " xmlns=\"" + ns + "\"", ""), ImportLimits.defaults());
      assertThat(c.report).isNotNull();
      assertThat(c.report.namespace()).isEqualTo(ns);
      assertThat(c.report.errors()).containsExactly("one", "two");
      assertThat(c.report.policy().p()).isEqualTo("reject");
      assertThat(c.report.policy().np()).isEqualTo("quarantine");
      assertThat(c.rows).hasSize(2);
      ReceivedRow r = c.rows.get(0);
      assertThat(r.sourceIp()).isEqualTo("192.0.2.1");
      assertThat(r.count()).isEqualTo(3);
      assertThat(r.spf()).isEqualTo("fail");
      assertThat(r.reasons()).containsExactly(new ReceivedRow.Reason("local_policy", "list"));
      assertThat(r.dkimResults())
          .containsExactly(
              new ReceivedRow.DkimResult("example.com", "s1", "pass", "good"),
              new ReceivedRow.DkimResult("other.example", null, "fail", null));
      assertThat(r.spfResults())
          .containsExactly(
              new ReceivedRow.SpfResult("bounce.example.com", "mfrom", "softfail", null));
      assertThat(c.rows.get(1).dkimResults()).isEmpty();
      assertThat(c.ended).isTrue();
    }
  }

  @Test
  @DisplayName("Unknown elements and extensions are skipped")
  void extensions_skipped() throws Exception {
    Collect c =
        parse(
            report(
                " xmlns=\"" + ReceivedReportParser.NS_9990 + "\" xmlns:x=\"urn:x\"",
                "<extension><x:thing a=\"1\"><x:deep>v</x:deep></x:thing></extension>"
                    + "<x:unknown/>"),
            ImportLimits.defaults());
    assertThat(c.rows).hasSize(2);
  }

  @Test
  @DisplayName("A feedback element in another namespace is refused: WRONG_NAMESPACE")
  void wrongNamespace_refused() {
    assertThat(refusal(report(" xmlns=\"urn:not:dmarc\"", ""), ImportLimits.defaults()))
        .isEqualTo(Reason.WRONG_NAMESPACE);
  }

  @Test
  @DisplayName("XXE: an external entity is refused with DTD_FORBIDDEN, nothing is read")
  void xxe_refused() {
    String xml =
        "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + "<feedback><report_metadata><org_name>&x;</org_name></report_metadata></feedback>";
    assertThat(refusal(xml, ImportLimits.defaults())).isEqualTo(Reason.DTD_FORBIDDEN);
  }

  @Test
  @DisplayName("Billion laughs is refused with DTD_FORBIDDEN")
  void billionLaughs_refused() {
    StringBuilder dtd = new StringBuilder("<!DOCTYPE feedback [<!ENTITY l0 \"ha\">");
    for (int i = 1; i <= 10; i++) {
      dtd.append("<!ENTITY l").append(i).append(" \"");
      for (int k = 0; k < 10; k++) {
        dtd.append("&l").append(i - 1).append(';');
      }
      dtd.append("\">");
    }
    dtd.append("]>");
    String xml = "<?xml version=\"1.0\"?>" + dtd + "<feedback><version>&l10;</version></feedback>";
    assertThat(refusal(xml, ImportLimits.defaults())).isEqualTo(Reason.DTD_FORBIDDEN);
  }

  @Test
  @DisplayName("Deep nesting is refused with TOO_DEEP")
  void deepNesting_refused() {
    String xml = "<feedback>" + "<a>".repeat(100_000) + "</a>".repeat(100_000) + "</feedback>";
    assertThat(refusal(xml, ImportLimits.defaults())).isEqualTo(Reason.TOO_DEEP);
  }

  @Test
  @DisplayName("A huge text node is refused with TEXT_TOO_LONG")
  void hugeText_refused() {
    String xml =
        "<feedback><report_metadata><org_name>"
            + "x".repeat((1 << 20) + 10)
            + "</org_name></report_metadata></feedback>";
    assertThat(refusal(xml, ImportLimits.defaults())).isEqualTo(Reason.TEXT_TOO_LONG);
  }

  @Test
  @DisplayName("More elements than the limit: TOO_MANY_ELEMENTS")
  void manyElements_refused() {
    ImportLimits d = ImportLimits.defaults();
    ImportLimits small =
        new ImportLimits(
            d.maxCompressedBytes(),
            d.maxUncompressedBytes(),
            d.maxRatio(),
            d.ratioThreshold(),
            d.maxMailBytes(),
            d.maxDepth(),
            20,
            d.maxTextLength());
    assertThat(refusal(report("", ""), small)).isEqualTo(Reason.TOO_MANY_ELEMENTS);
  }

  @Test
  @DisplayName("Missing report id, bad numbers, empty input, no feedback: typed refusals")
  void invalid_refused() {
    ImportLimits d = ImportLimits.defaults();
    assertThat(refusal(report("", "").replace("<report_id>r-1</report_id>", ""), d))
        .isEqualTo(Reason.INVALID_REPORT);
    assertThat(refusal(report("", "").replace("<count>3</count>", "<count>x</count>"), d))
        .isEqualTo(Reason.INVALID_REPORT);
    assertThat(refusal("", d)).isEqualTo(Reason.MALFORMED_XML);
    assertThat(refusal("<other/>", d)).isEqualTo(Reason.NOT_A_REPORT);
    assertThat(refusal("<feedback><version>", d)).isEqualTo(Reason.MALFORMED_XML);
  }
}
