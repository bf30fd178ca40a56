// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.report.failure.FailureReport.DkimFields;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MailDateFormat;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The five feedback reports of the Stalwart mail-auth corpus ({@code src/test/resources/arf/}: the
 * RFC 5965 Appendix B and RFC 6591 Appendix B examples, an OpenDMARC report and a DKIM bodyhash
 * report) against the reports this writer makes of the same values: same container, same part order
 * and types, same field names where the corpus report is an auth-failure report.
 */
final class ArfCorpusTest {
  /**
   * Fields of the corpus reports this writer does not write, and why. Every other field name of an
   * auth-failure report in the corpus must appear in ours.
   */
  static final Map<String, String> NOT_WRITTEN =
      Map.of(
          "original-envelope-id", "optional (RFC 5965 §3.2); the model has no envelope id",
          "reported-uri", "optional (RFC 5965 §3.2); URIs of the message are not reported",
          "removal-recipient", "an abuse-report field of the RFC 5965 Appendix B example",
          "dkim-canonicalized-body", "optional (RFC 6591 §3.2; RFC 9991 §4); not produced",
          "received-date",
              "not an RFC 5965 field: the RFC 6591 example's name for Arrival-Date, which is"
                  + " written instead");

  @ParameterizedTest
  @ValueSource(strings = {"001.eml", "002.eml", "003.eml", "004.eml", "005.eml"})
  @DisplayName(
      "FAIL-01..05: the corpus report and ours of its values have the same container, part order"
          + " and part types, and ours carries every field name of an auth-failure report")
  void corpus_sameStructureAndFields(String file) throws Exception {
    Arf.Parsed theirs = Arf.parse(Arf.corpus(file));
    ContentType top = new ContentType(theirs.message.getContentType());
    assertThat(top.getBaseType()).isEqualToIgnoringCase("multipart/report");
    assertThat(top.getParameter("report-type")).isEqualTo("feedback-report");
    assertThat(theirs.report.getCount()).isEqualTo(3);
    List<String> theirTypes = List.of(theirs.type(0), theirs.type(1), theirs.type(2));
    assertThat(theirTypes.subList(0, 2)).containsExactly("text/plain", "message/feedback-report");
    assertThat(theirTypes.get(2)).isIn("message/rfc822", "text/rfc822-headers");

    boolean whole = theirTypes.get(2).equals("message/rfc822");
    FailureReportMail.Builder mail =
        FailureReportMail.builder(
                "reports@mx.receiver.example",
                whole ? Redactor.unredacted().withBody() : Redactor.unredacted())
            .clock(Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC))
            .userAgent(theirs.one("User-Agent"));
    if (!theirs.field("Reporting-MTA").isEmpty()) {
      mail.reportingMta(theirs.one("Reporting-MTA").replaceFirst("(?i)^dns;\\s*", ""));
    }
    FailureReport report = fromCorpus(theirs);
    Arf.Parsed ours = Arf.parse(mail.build().compose(report, "ruf@owner.example"));

    ContentType ourTop = new ContentType(ours.message.getContentType());
    assertThat(ourTop.getBaseType()).isEqualToIgnoringCase(top.getBaseType());
    assertThat(ourTop.getParameter("report-type")).isEqualTo("feedback-report");
    assertThat(List.of(ours.type(0), ours.type(1), ours.type(2))).isEqualTo(theirTypes);
    assertThat(lines(ours.content(2))).isEqualTo(lines(theirs.content(2)));

    // RFC 5965 fields either way; for an auth-failure report, every field the writer knows.
    List<String> ourNames = lower(ours.fieldNames());
    boolean authFailure = theirs.one("Feedback-Type").equals("auth-failure");
    for (String name : theirs.fieldNames()) {
      String n = name.toLowerCase(Locale.ROOT);
      if (NOT_WRITTEN.containsKey(n) || !authFailure && n.equals("feedback-type")) {
        continue;
      }
      assertThat(ourNames).as("%s: field %s", file, name).contains(n);
    }
    if (authFailure) {
      for (String same :
          List.of(
              "Auth-Failure", "Reported-Domain", "DKIM-Domain", "DKIM-Identity", "DKIM-Selector")) {
        if (!theirs.field(same).isEmpty()) {
          assertThat(ours.field(same)).as("%s: %s", file, same).isEqualTo(theirs.field(same));
        }
      }
    }
    if (!theirs.field("Authentication-Results").isEmpty()) {
      assertThat(ours.one("Authentication-Results"))
          .isEqualTo(theirs.one("Authentication-Results").replaceAll("\\s+", " "));
    }
    assertThat(InetAddress.getByName(ours.one("Source-IP")))
        .isEqualTo(InetAddress.getByName(sourceIp(theirs)));

    // Redacted, the same structure, and none of the original's local parts.
    Redactor policy = Redactor.hmacSha256(RedactorTest.KEY);
    Arf.Parsed redacted =
        Arf.parse(
            FailureReportMail.builder(
                    "reports@mx.receiver.example", whole ? policy.withRedactedBody() : policy)
                .build()
                .compose(report, "ruf@owner.example"));
    assertThat(List.of(redacted.type(0), redacted.type(1), redacted.type(2))).isEqualTo(theirTypes);
    String everything = redacted.everything();
    for (String local : localParts(theirs.text(2))) {
      assertThat(everything).as("%s: local part %s", file, local).doesNotContain(local + "@");
    }
  }

  /** A report of the values the corpus report carries. */
  static FailureReport fromCorpus(Arf.Parsed theirs) throws Exception {
    String original = theirs.text(2);
    int split = original.indexOf("\n\n");
    boolean whole = theirs.type(2).equals("message/rfc822");
    String header = whole && split >= 0 ? original.substring(0, split + 1) : original;
    FailureReport.Builder b =
        FailureReport.builder()
            .arrivalDate(arrival(theirs))
            .sourceIp(InetAddress.getByName(sourceIp(theirs)))
            .reportedDomain(
                theirs.field("Reported-Domain").isEmpty()
                    ? "example.net"
                    : theirs.one("Reported-Domain"))
            .authenticationResults(
                theirs.field("Authentication-Results").isEmpty()
                    ? "mail.example.com; none"
                    : theirs.one("Authentication-Results"))
            .originalHeader(header.getBytes(StandardCharsets.UTF_8));
    if (whole && split >= 0) {
      b.originalBody(original.substring(split + 2).getBytes(StandardCharsets.UTF_8));
    }
    if (!theirs.field("Original-Mail-From").isEmpty()) {
      b.originalMailFrom(theirs.one("Original-Mail-From").replaceAll("^<|>$", ""));
    }
    for (String rcpt : theirs.field("Original-Rcpt-To")) {
      b.addOriginalRcptTo(rcpt.replaceAll("^<|>$", ""));
    }
    AuthFailure failure =
        theirs.field("Auth-Failure").isEmpty()
            ? AuthFailure.DMARC
            : AuthFailure.valueOf(theirs.one("Auth-Failure").toUpperCase(Locale.ROOT));
    b.authFailure(failure);
    if (!theirs.field("DKIM-Domain").isEmpty()) {
      String d = theirs.one("DKIM-Domain");
      String s =
          theirs.field("DKIM-Selector").isEmpty() ? selector(header) : theirs.one("DKIM-Selector");
      String i = theirs.field("DKIM-Identity").isEmpty() ? "@" + d : theirs.one("DKIM-Identity");
      b.dkim(new DkimFields(d, s, i));
    }
    return b.build();
  }

  private static Instant arrival(Arf.Parsed theirs) throws Exception {
    for (String name : List.of("Arrival-Date", "Received-Date")) {
      if (!theirs.field(name).isEmpty()) {
        return new MailDateFormat().parse(theirs.one(name)).toInstant();
      }
    }
    return theirs.message.getSentDate().toInstant();
  }

  /** {@return the Source-IP, or (001 has none) the address its text names} */
  private static String sourceIp(Arf.Parsed theirs) {
    return theirs.field("Source-IP").isEmpty() ? "192.0.2.1" : firstWord(theirs.one("Source-IP"));
  }

  private static String selector(String header) {
    Matcher m = Pattern.compile("\\bs=([A-Za-z0-9._-]+)").matcher(header);
    return m.find() ? m.group(1) : "";
  }

  private static String firstWord(String s) {
    return s.trim().split("\\s+")[0];
  }

  private static List<String> lower(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(n.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** {@return the lines of {@code b}, any line ending, without empty lines at the end} */
  private static List<String> lines(byte[] b) {
    List<String> l =
        new ArrayList<>(Arrays.asList(new String(b, StandardCharsets.UTF_8).split("\r?\n", -1)));
    while (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
      l.remove(l.size() - 1);
    }
    return l;
  }

  /** {@return the local parts of the addresses in {@code text}, plain dot-atoms only} */
  private static List<String> localParts(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("([A-Za-z0-9._+-]+)@[A-Za-z0-9-]+\\.").matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
