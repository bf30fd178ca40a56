// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class SafeTextTest {
  /** Every character {@link SafeText} must never print raw, one of each kind. */
  static final String HOSTILE =
      "a\r\nb\tc\u0000d\u001be\u007ff\u0085g\u009bh\u2028i\u2029j\u202ek\u2066l\u200fm\u061cn\ud800o";

  @Test
  @DisplayName(
      "of: C0, DEL, C1, line separators, bidi controls and lone surrogates are written visibly")
  void of_controlCharacters_escapedVisibly() {
    assertThat(SafeText.of(HOSTILE))
        .isEqualTo(
            "a\\r\\nb\\tc\\x00d\\x1be\\x7ff\\u0085g\\u009bh\\u2028i\\u2029j\\u202ek\\u2066l\\u200fm"
                + "\\u061cn\\ud800o");
  }

  @Test
  @DisplayName(
      "of: ordinary text, non-ASCII letters and surrogate pairs are unchanged (same object)")
  void of_safeText_unchanged() {
    String s = "dkim=pass d=exämple.com s=sel 日本 \ud83d\udce7 \\x1b";
    assertThat(SafeText.of(s)).isSameAs(s);
    assertThat(SafeText.of("\u001b\ud83d\udce7")).isEqualTo("\\x1b\ud83d\udce7");
  }

  @Test
  @DisplayName(
      "of: the result never holds a character that could break the line or drive the terminal")
  void of_everyChar_resultIsSafe() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x3000; c++) {
      all.append(c);
    }
    String out = SafeText.of(all.toString());
    assertThat(out.chars().filter(c -> SafeText.unsafe((char) c))).isEmpty();
    assertThat(out).doesNotContain("\n", "\r", "\u001b");
  }

  @Test
  @DisplayName(
      "field: folds become line breaks with their white space; a CRLF inside a value does not")
  void field_folded_foldsKeptOtherBreaksEscaped() {
    String folded =
        "Authentication-Results: mx;\r\n\tdkim=fail header.i=\"x\r\ndkim=pass\u001b[2J\"\r\n header.s=a\tb\r\n";
    assertThat(SafeText.field(folded, "\n"))
        .isEqualTo(
            "Authentication-Results: mx;\n\tdkim=fail header.i=\"x\\r\\ndkim=pass\\x1b[2J\"\n header.s=a\\tb\n");
  }

  @Test
  @DisplayName("message: first line of the message, escaped; the class name when there is none")
  void message_multiLine_firstLineEscaped() {
    assertThat(SafeText.message(new IllegalStateException("bad \u001b[31mvalue\nSQL: select")))
        .isEqualTo("bad \\x1b[31mvalue");
    assertThat(SafeText.message(new NullPointerException())).isEqualTo("NullPointerException");
  }

  @Test
  @DisplayName(
      "xmlCharRefs: unsafe characters become character references; TAB, CR, LF and pairs stay")
  void xmlCharRefs_unsafe_becomeReferences() {
    assertThat(SafeText.xmlCharRefs("<a>x\u009by\u202ez\t\n\ud83d\udce7</a>"))
        .isEqualTo("<a>x&#x9B;y&#x202E;z\t\n\ud83d\udce7</a>");
    String plain = "<a>plain</a>";
    assertThat(SafeText.xmlCharRefs(plain)).isSameAs(plain);
  }

  @Test
  @DisplayName(
      "JSON: the factory escapes DEL, C1, separators and bidi controls too, and round-trips")
  void json_factory_escapesAndRoundTrips() throws Exception {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = SafeText.jsonFactory().createGenerator(w)) {
      g.writeString(HOSTILE);
    }
    String json = w.toString();
    assertThat(json.chars().filter(c -> SafeText.unsafe((char) c))).isEmpty();
    assertThat(json).contains("\\u007F", "\\u0085", "\\u2028", "\\u202E", "\\u001B");
    assertThat(new ObjectMapper().readValue(json, String.class)).isEqualTo(HOSTILE);
    String tree = SafeText.mapper().writeValueAsString(java.util.Map.of("v", HOSTILE));
    assertThat(tree.chars().filter(c -> SafeText.unsafe((char) c) && c != '\n')).isEmpty();
  }

  @Test
  @DisplayName(
      "log lines: one escaped line per record, the exception as class and message, no stack trace")
  void logFormatter_withThrowable_oneLine() {
    LogRecord r = new LogRecord(Level.WARNING, "write failed for {0}");
    r.setParameters(new Object[] {"a\nb"});
    r.setThrown(new java.sql.SQLException("closed\n\tat somewhere"));
    String line = new Main.OneLine().format(r);
    assertThat(line)
        .isEqualTo(
            "dmarc: warning: write failed for a\\nb: SQLException: closed"
                + System.lineSeparator());
  }
}
