// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.report.mail.ReportMail;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class ReportMailTest {
  private static final Instant SENT = Instant.parse("2026-11-27T00:10:00Z");
  private static final ReportMetadata META =
      new ReportMetadata(
          "Receiver Inc.",
          "dmarc@receiver.example",
          Optional.empty(),
          "20261126.example.com@receiver.example",
          Optional.of(ReportMetadata.GENERATOR));

  private static AggregateReport report() {
    ReportAggregator a =
        new ReportAggregator("example.com", Records.T0, Records.T0.plusSeconds(86_400));
    a.add(Records.full(Records.T0.plusSeconds(10)));
    a.add(Records.passing(Records.T0.plusSeconds(20), "192.0.2.7"));
    a.add(Records.passing(Records.T0.plusSeconds(30), "192.0.2.7"));
    return a.reports(META).get(0);
  }

  private static ReportMail.Builder mail() {
    return ReportMail.builder("DMARC Reports <dmarc-reports@mx.receiver.example>")
        .clock(Clock.fixed(SENT, ZoneOffset.UTC));
  }

  private static MimeMessage parse(byte[] mail) throws Exception {
    return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(mail));
  }

  @Test
  @DisplayName("RFC 9990 §3.5.1: Subject, From, To, Date and Message-ID of the report mail")
  void compose_headers() throws Exception {
    ReportMail rm = mail().build();
    MimeMessage m = parse(rm.compose(report(), "rua@owner.example"));
    assertThat(m.getSubject())
        .isEqualTo(
            "Report Domain: example.com Submitter: mx.receiver.example"
                + " Report-ID: <20261126.example.com@receiver.example>");
    assertThat(m.getSubject())
        .matches("Report\\s+Domain:\\s+\\S+\\s+Submitter:\\s+\\S+\\s+Report-ID:\\s+<[^<>]+>");
    assertThat(((InternetAddress) m.getFrom()[0]).getAddress())
        .isEqualTo("dmarc-reports@mx.receiver.example");
    assertThat(m.getRecipients(jakarta.mail.Message.RecipientType.TO))
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly("rua@owner.example");
    assertThat(m.getSentDate().toInstant()).isEqualTo(SENT);
    assertThat(m.getMessageID()).matches("<dmarc-report\\.[0-9a-f]{32}@mx\\.receiver\\.example>");
    assertThat(m.getHeader("MIME-Version", null)).isEqualTo("1.0");
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.5.1: an application/gzip attachment with the RFC file name holding the XML")
  void compose_attachment() throws Exception {
    AggregateReport r = report();
    MimeMessage m = parse(mail().build().compose(r, "rua@owner.example"));
    assertThat(m.isMimeType("multipart/mixed")).isTrue();
    MimeMultipart parts = (MimeMultipart) m.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    Part text = parts.getBodyPart(0);
    assertThat(text.isMimeType("text/plain")).isTrue();
    assertThat((String) text.getContent())
        .contains("example.com")
        .contains("Messages: 3 in 2 records.")
        .contains("2026-11-26 00:00:00 UTC to 2026-11-27 00:00:00 UTC");
    Part gz = parts.getBodyPart(1);
    assertThat(gz.isMimeType("application/gzip")).isTrue();
    assertThat(gz.getDisposition()).isEqualTo(Part.ATTACHMENT);
    assertThat(gz.getFileName())
        .isEqualTo("mx.receiver.example!example.com!1795651200!1795737600.xml.gz");
    byte[] xml;
    try (InputStream in = new GZIPInputStream(gz.getInputStream())) {
      xml = in.readAllBytes();
    }
    assertThat(xml).isEqualTo(AggregateReportWriter.toXml(r, ReportFormat.RFC9990));
    Xsd.validate(Xsd.rfc9990(), xml);
  }

  @Test
  @DisplayName("RFC 7489 format on request: the attachment validates against the RFC 7489 schema")
  void compose_rfc7489() throws Exception {
    MimeMessage m =
        parse(
            mail()
                .format(ReportFormat.RFC7489)
                .receiver("receiver.example")
                .build()
                .compose(report(), "rua@owner.example"));
    Part gz = ((MimeMultipart) m.getContent()).getBodyPart(1);
    assertThat(gz.getFileName()).startsWith("receiver.example!example.com!");
    byte[] xml;
    try (InputStream in = new GZIPInputStream(gz.getInputStream())) {
      xml = in.readAllBytes();
    }
    Xsd.validate(Xsd.rfc7489(), xml);
  }

  @Test
  @DisplayName("the mail is plain RFC 5322: CRLF line endings only, no line over 998 octets, ASCII")
  void compose_wireFormat() {
    byte[] mail = mail().build().compose(report(), "rua@owner.example");
    int lineStart = 0;
    for (int i = 0; i < mail.length; i++) {
      assertThat(mail[i] & 0xff).as("octet %d", i).isLessThan(0x80);
      if (mail[i] == '\n') {
        assertThat(i).as("LF at %d follows CR", i).isPositive();
        assertThat(mail[i - 1]).as("LF at %d follows CR", i).isEqualTo((byte) '\r');
        assertThat(i - 1 - lineStart).isLessThanOrEqualTo(998);
        lineStart = i + 1;
      } else if (mail[i] == '\r') {
        assertThat(i + 1 < mail.length && mail[i + 1] == '\n').as("CR at %d before LF", i).isTrue();
      }
    }
  }

  @Test
  @DisplayName(
      "the same report to the same destination is the same Message-ID; another destination another")
  void messageId_stablePerDestination() throws Exception {
    ReportMail rm = mail().build();
    AggregateReport r = report();
    String a = parse(rm.compose(r, "rua@owner.example")).getMessageID();
    String b = parse(rm.compose(r, "RUA@owner.example")).getMessageID();
    String c = parse(rm.compose(r, "other@owner.example")).getMessageID();
    assertThat(a).isEqualTo(b).isNotEqualTo(c).isEqualTo(rm.messageId(r, "rua@owner.example"));
  }

  @Test
  @DisplayName("the mail is the same bytes each time it is built (a resend is the same message)")
  void compose_deterministic() {
    ReportMail rm = mail().build();
    assertThat(new String(rm.compose(report(), "rua@owner.example"), StandardCharsets.US_ASCII))
        .isEqualTo(new String(rm.compose(report(), "rua@owner.example"), StandardCharsets.US_ASCII))
        .contains("boundary=\"=_dmarc_");
  }

  @Test
  @DisplayName("a signer sees exactly the unsigned mail and its field goes on top")
  void compose_signed() throws Exception {
    List<byte[]> seen = new ArrayList<>();
    ReportMail signed =
        mail()
            .signer(
                m -> {
                  seen.add(m);
                  return "DKIM-Signature: v=1; test=yes\r\n";
                })
            .build();
    byte[] unsigned = mail().build().compose(report(), "rua@owner.example");
    byte[] mail = signed.compose(report(), "rua@owner.example");
    assertThat(seen).hasSize(1);
    assertThat(new String(seen.get(0), StandardCharsets.US_ASCII))
        .isEqualTo(new String(unsigned, StandardCharsets.US_ASCII));
    assertThat(new String(mail, StandardCharsets.US_ASCII))
        .isEqualTo(
            "DKIM-Signature: v=1; test=yes\r\n" + new String(unsigned, StandardCharsets.US_ASCII));
    assertThat(parse(mail).getHeader("DKIM-Signature", null)).isEqualTo("v=1; test=yes");
  }

  @Test
  @DisplayName("a destination or From that is not one mail address is the caller's error")
  void compose_badAddresses() {
    ReportMail rm = mail().build();
    AggregateReport r = report();
    assertThatThrownBy(() -> rm.compose(r, "not an address"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rm.compose(r, "a@b.example, c@d.example"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rm.compose(r, "nodomain"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReportMail.builder("x@")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mail().submitter("bad domain"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
