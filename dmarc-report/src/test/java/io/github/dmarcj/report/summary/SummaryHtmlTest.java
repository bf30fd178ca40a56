// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The HTML page: self-contained, and every string from a report escaped. */
final class SummaryHtmlTest {
  /** The only elements the page may contain. */
  static final Set<String> ELEMENTS =
      Set.of(
          "html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "div", "span",
          "b", "section", "svg", "rect", "line", "text", "p", "table", "tr", "th", "td", "br", "ul",
          "li", "tbody");

  static final String EVIL_ORG = "<script>alert('org')</script>";
  static final String EVIL_MAIL = "\"><img src=x onerror=alert(2)>@evil.example";
  static final String EVIL_IP = "<svg onload=alert(3)>";
  static final String EVIL_FROM = "x' onmouseover='alert(4)";
  static final String EVIL_ENVELOPE = "evil\u202egro.example\u0085";
  static final String EVIL_DKIM = "</td></tr></table><script>alert(5)</script>";

  /** One report whose every free-text field is hostile. */
  static List<ReportXml> hostile() {
    return List.of(
        ReportXml.daily(EVIL_ORG, EVIL_MAIL, LocalDate.of(2026, 3, 1))
            .policy("<b>reject</b>")
            .row(
                EVIL_IP,
                5,
                "<i>none</i>",
                "fail",
                "fail",
                EVIL_FROM,
                EVIL_ENVELOPE,
                "dkim",
                EVIL_DKIM + "=pass",
                "spf",
                EVIL_ENVELOPE + "=<u>pass</u>")
            .row("192.0.2.1", 3, "none", "pass", "pass", "example.com", "example.com"));
  }

  static Set<String> elements(String html) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("<([a-zA-Z][a-zA-Z0-9]*)").matcher(html);
    while (m.find()) {
      names.add(m.group(1).toLowerCase(java.util.Locale.ROOT));
    }
    return names;
  }

  @Test
  @DisplayName("hostile org names, addresses, IPs, domains and words cannot add markup")
  void escapesHostileStrings() throws Exception {
    DataSource ds = ReportSummarizerTest.memory();
    ReportXml.importAll(ds, hostile());
    DomainSummary s = ReportSummarizer.builder(ds).build().summarize("example.com", null, null);
    assertThat(s.reports()).isEqualTo(1);
    String html = SummaryHtml.render(s);

    assertThat(ELEMENTS).containsAll(elements(html));
    Matcher tags = Pattern.compile("<[^>]*>").matcher(html);
    while (tags.find()) {
      assertThat(tags.group())
          .doesNotContainIgnoringCase("onerror")
          .doesNotContain("onload")
          .doesNotContain("onmouseover");
    }
    assertThat(html)
        .contains("&lt;script&gt;alert(&#39;org&#39;)&lt;/script&gt;")
        .contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;@evil.example")
        .contains("&lt;svg onload=alert(3)&gt;")
        .contains("x&#39; onmouseover=&#39;alert(4)")
        .contains("evil\\u202egro.example\\u0085")
        .contains("&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;script&gt;alert(5)&lt;/script&gt;")
        .contains("p=&lt;b&gt;reject&lt;/b&gt;")
        .doesNotContain("\u202e")
        .doesNotContain("\u0085");
  }

  @Test
  @DisplayName("one self-contained page: viewport, inline style, SVG charts, nothing fetched")
  void selfContained() throws Exception {
    DataSource ds = ReportSummarizerTest.memory();
    ReportXml.importAll(ds, ReportSummarizerTest.handChecked());
    String html =
        SummaryHtml.render(
            ReportSummarizer.builder(ds).build().summarize("example.com", null, null));
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .contains("<style>")
        .doesNotContain("<script")
        .doesNotContain("<link")
        .doesNotContain("<img")
        .doesNotContain("url(")
        .doesNotContain("@import")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(ELEMENTS).containsAll(elements(html));
    assertThat(html.split("<svg", -1)).hasSize(4); // volume, classes, reporters
    assertThat(html).contains("What if").contains("Reporters").contains("233.252.0.9");
  }

  @Test
  @DisplayName("esc: markup characters as references, invisible controls as visible text")
  void esc() {
    assertThat(SummaryHtml.esc("a&b<c>d\"e'f")).isEqualTo("a&amp;b&lt;c&gt;d&quot;e&#39;f");
    assertThat(SummaryHtml.esc("x\r\ny\u2028\u202e\u0085"))
        .isEqualTo("x\\u000d\\u000ay\\u2028\\u202e\\u0085");
    assertThat(SummaryHtml.esc("d\u00e9j\u00e0 \ud83d\udce7"))
        .isEqualTo("d\u00e9j\u00e0 \ud83d\udce7");
    assertThat(SummaryHtml.esc("lone \ud800 x")).isEqualTo("lone \\ud800 x");
  }
}
