// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.report.failure.FailureReport.DkimFields;
import io.github.dmarcj.report.failure.FailureReport.SpfDns;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class FailureReportMailTest {
  static final Instant ARRIVAL = Instant.parse("2026-11-26T14:00:00Z");
  static final Instant SENT = Instant.parse("2026-11-26T14:05:00Z");
  static final String TO = "ruf@owner.example";

  static final String HEADER =
      "Received: from mail.sender.example (mail.sender.example [192.0.2.1])\r\n"
          + "\tby mx.receiver.example with ESMTP id 4AE9D403CC;\r\n"
          + "\tThu, 26 Nov 2026 14:00:00 +0000\r\n"
          + "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.example; s=sel1;\r\n"
          + "\th=From:To:Subject:Date; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=;\r\n"
          + "\tb=AuUoFEfDxTDkHlLXSZEpZj79LICEps6eda7W3deTVFOk4yAUoqOB\r\n"
          + "From: Billing <billing@sender.example>\r\n"
          + "To: accounts@receiver.example\r\n"
          + "Subject: Your invoice\r\n"
          + "Date: Thu, 26 Nov 2026 13:59:58 +0000\r\n"
          + "Message-ID: <20261126135958.77@sender.example>\r\n"
          + "\r\n";

  static final String BODY = "Please find the invoice at http://sender.example/invoice.\r\n";

  /** A DMARC failure report in which DKIM and SPF both failed for aligned identities. */
  static FailureReport.Builder dmarc() throws Exception {
    return FailureReport.builder()
        .arrivalDate(ARRIVAL)
        .sourceIp(InetAddress.getByName("192.0.2.1"))
        .originalMailFrom("bounces@sender.example")
        .addOriginalRcptTo("accounts@receiver.example")
        .reportedDomain("sender.example")
        .authenticationResults(
            "mx.receiver.example; dkim=fail header.d=sender.example header.s=sel1;"
                + " spf=fail smtp.mailfrom=bounces@sender.example; dmarc=fail"
                + " header.from=sender.example")
        .authFailure(AuthFailure.DMARC)
        .failedAligned(DmarcMethod.DKIM)
        .failedAligned(DmarcMethod.SPF)
        .dkim(DkimFields.of("sender.example", "sel1"))
        .spfDns(new SpfDns("sender.example", "v=spf1 ip4:198.51.100.0/24 -all"))
        .deliveryResult(DeliveryResult.REJECT)
        .originalHeader(HEADER.getBytes(StandardCharsets.US_ASCII));
  }

  static FailureReportMail.Builder mail(Redactor redactor) {
    return FailureReportMail.builder(
            "DMARC Failure Reports <dmarc-failures@mx.receiver.example>", redactor)
        .clock(Clock.fixed(SENT, ZoneOffset.UTC));
  }

  static Arf.Parsed compose(FailureReport r) {
    return Arf.parse(mail(Redactor.unredacted()).build().compose(r, TO));
  }

  // --- FAIL-01: the container ------------------------------------------------------------------

  @Test
  @DisplayName(
      "FAIL-01, RFC 5965 §2: multipart/report; report-type=feedback-report with exactly the three"
          + " parts text/plain, message/feedback-report, text/rfc822-headers, in that order")
  void compose_defaultPolicy_threePartsHeadersOnly() throws Exception {
    Arf.Parsed p = compose(dmarc().originalBody(BODY.getBytes(StandardCharsets.US_ASCII)).build());
    ContentType top = new ContentType(p.message.getContentType());
    assertThat(top.getBaseType()).isEqualToIgnoringCase("multipart/report");
    assertThat(top.getParameter("report-type")).isEqualTo("feedback-report");
    assertThat(p.report.getCount()).isEqualTo(3);
    assertThat(List.of(p.type(0), p.type(1), p.type(2)))
        .containsExactly("text/plain", "message/feedback-report", "text/rfc822-headers");
    // The body was kept by the caller but the policy sends the header only.
    assertThat(p.text(2)).isEqualTo(HEADER.substring(0, HEADER.length() - 2));
    assertThat(p.text(2)).doesNotContain("invoice at");
  }

  @Test
  @DisplayName(
      "FAIL-01, RFC 5965 §2: the human-readable part says which domain, which IP and what failed")
  void compose_textPart_namesDomainIpAndFailure() throws Exception {
    Arf.Parsed p = compose(dmarc().policyDomain("owner.sender.example").incidents(3).build());
    String text = p.text(0);
    assertThat(new ContentType(p.parts.get(0).getContentType()).getParameter("charset"))
        .isEqualToIgnoringCase("us-ascii");
    assertThat(text)
        .contains("authentication failure report")
        .contains("from the domain sender.example")
        .contains("received from IP 192.0.2.1")
        .contains("Thu, 26 Nov 2026 14:00:00 +0000")
        .contains(
            "What failed: DMARC.\r\n"
                + "Mechanisms that failed to authenticate an aligned identity: DKIM, SPF.\r\n")
        .contains("Requested by the published record of owner.sender.example.")
        .contains("Similar incidents reported here: 3")
        .contains("The header of the original message is attached.")
        .doesNotContain("tokens");
    for (String line : text.split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(78);
    }
  }

  @Test
  @DisplayName(
      "FAIL-01, RFC 5965 §2: a policy that includes bodies sends the whole original as"
          + " message/rfc822")
  void compose_withBody_messageRfc822() throws Exception {
    FailureReport r = dmarc().originalBody(BODY.getBytes(StandardCharsets.US_ASCII)).build();
    Arf.Parsed p = Arf.parse(mail(Redactor.unredacted().withBody()).build().compose(r, TO));
    assertThat(p.type(2)).isEqualTo("message/rfc822");
    assertThat(p.parts.get(2).getHeader("Content-Transfer-Encoding")).containsExactly("7bit");
    MimeMessage original = (MimeMessage) p.parts.get(2).getContent();
    assertThat(original.getSubject()).isEqualTo("Your invoice");
    assertThat(original.getMessageID()).isEqualTo("<20261126135958.77@sender.example>");
    assertThat(p.text(2)).isEqualTo(HEADER + BODY);
    assertThat(p.text(0)).contains("The original message is attached.");
  }

  @Test
  @DisplayName(
      "FAIL-01: a whole original that cannot travel as 8bit (a NUL, a line over 998 octets) is sent"
          + " as its header, and the text says so")
  void compose_withBodyUnfitFor8bit_headerOnly() throws Exception {
    Redactor withBody = Redactor.unredacted().withBody();
    for (String body : List.of("a\0b\r\n", "x".repeat(1200) + "\r\n")) {
      FailureReport r = dmarc().originalBody(body.getBytes(StandardCharsets.US_ASCII)).build();
      Arf.Parsed p = Arf.parse(mail(withBody).build().compose(r, TO));
      assertThat(p.report.getCount()).isEqualTo(3);
      assertThat(p.type(2)).isEqualTo("text/rfc822-headers");
      assertThat(p.text(0)).contains("only its header is attached");
    }
  }

  @Test
  @DisplayName("FAIL-01: an 8-bit whole original goes as message/rfc822 with 8bit encoding")
  void compose_eightBitBody_8bit() throws Exception {
    byte[] body = "Grüße aus Köln\r\n".getBytes(StandardCharsets.UTF_8);
    FailureReport r = dmarc().originalBody(body).build();
    Arf.Parsed p = Arf.parse(mail(Redactor.unredacted().withBody()).build().compose(r, TO));
    assertThat(p.type(2)).isEqualTo("message/rfc822");
    assertThat(p.parts.get(2).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
    assertThat(p.message.getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
    assertThat(p.text(2)).endsWith("Grüße aus Köln\r\n");
  }

  // --- FAIL-02: RFC 5965 fields --------------------------------------------------------------

  @Test
  @DisplayName(
      "FAIL-02, RFC 5965 §3.1: Feedback-Type, User-Agent and Version (= 1) once each, first")
  void compose_requiredFields_once() throws Exception {
    Arf.Parsed p = compose(dmarc().build());
    assertThat(p.fieldNames().subList(0, 3))
        .containsExactly("Feedback-Type", "User-Agent", "Version");
    assertThat(p.one("Feedback-Type")).isEqualTo("auth-failure");
    assertThat(p.one("User-Agent")).isEqualTo(FailureReportMail.DEFAULT_USER_AGENT);
    assertThat(p.one("Version")).isEqualTo("1");
    Arf.Parsed custom =
        Arf.parse(
            mail(Redactor.unredacted())
                .userAgent("dmarcj/0.1.0")
                .build()
                .compose(dmarc().build(), TO));
    assertThat(custom.one("User-Agent")).isEqualTo("dmarcj/0.1.0");
  }

  @Test
  @DisplayName(
      "FAIL-02, RFC 5965 §3.2: Arrival-Date (an RFC 5322 date), Source-IP, Original-Mail-From,"
          + " Reported-Domain and Authentication-Results once; Original-Rcpt-To once per"
          + " recipient")
  void compose_optionalFields() throws Exception {
    FailureReport r = dmarc().addOriginalRcptTo("second@receiver.example").build();
    Arf.Parsed p = compose(r);
    String date = p.one("Arrival-Date");
    assertThat(date).isEqualTo("Thu, 26 Nov 2026 14:00:00 +0000");
    assertThat(new MailDateFormat().parse(date).toInstant()).isEqualTo(ARRIVAL);
    assertThat(p.one("Source-IP")).isEqualTo("192.0.2.1");
    assertThat(p.one("Original-Mail-From")).isEqualTo("<bounces@sender.example>");
    assertThat(p.field("Original-Rcpt-To"))
        .containsExactly("<accounts@receiver.example>", "<second@receiver.example>");
    assertThat(p.one("Reported-Domain")).isEqualTo("sender.example");
    assertThat(p.one("Authentication-Results")).isEqualTo(r.authenticationResults());
    assertThat(p.field("Reporting-MTA")).isEmpty();
    assertThat(p.field("Incidents")).isEmpty();
    for (String once :
        List.of(
            "Arrival-Date",
            "Incidents",
            "Original-Envelope-Id",
            "Original-Mail-From",
            "Reporting-MTA",
            "Source-IP")) {
      assertThat(p.field(once)).as(once).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "FAIL-02, RFC 5965 §3.2: the null sender is <>, an unknown sender has no field, Incidents"
          + " is written above 1, Reporting-MTA when configured; IPv6 sources")
  void compose_optionalFieldVariants() throws Exception {
    Arf.Parsed nullSender = compose(dmarc().originalMailFrom("").build());
    assertThat(nullSender.one("Original-Mail-From")).isEqualTo("<>");
    Arf.Parsed bracketed =
        compose(
            dmarc()
                .originalMailFrom("<b@sender.example>")
                .addOriginalRcptTo("<c@r.example>")
                .build());
    assertThat(bracketed.one("Original-Mail-From")).isEqualTo("<b@sender.example>");
    assertThat(bracketed.field("Original-Rcpt-To")).endsWith("<c@r.example>");
    FailureReport unknown =
        new FailureReport(
            ARRIVAL,
            InetAddress.getByName("2001:db8::25"),
            java.util.Optional.empty(),
            List.of(),
            "sender.example",
            "sender.example",
            "mx.receiver.example; dmarc=fail header.from=sender.example",
            AuthFailure.DMARC,
            java.util.Set.of(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            7,
            HEADER.getBytes(StandardCharsets.US_ASCII),
            java.util.Optional.empty());
    Arf.Parsed p =
        Arf.parse(
            mail(Redactor.unredacted())
                .reportingMta("mx.receiver.example")
                .build()
                .compose(unknown, TO));
    assertThat(p.field("Original-Mail-From")).isEmpty();
    assertThat(p.field("Original-Rcpt-To")).isEmpty();
    assertThat(p.one("Incidents")).isEqualTo("7");
    assertThat(p.one("Reporting-MTA")).isEqualTo("dns; mx.receiver.example");
    assertThat(InetAddress.getByName(p.one("Source-IP")))
        .isEqualTo(InetAddress.getByName("2001:db8::25"));
    assertThat(p.field("Delivery-Result")).isEmpty();
  }

  // --- FAIL-03: auth-failure -----------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(AuthFailure.class)
  @DisplayName(
      "FAIL-03, RFC 6591 §3.1 and RFC 9991 §4: Feedback-Type auth-failure and the Auth-Failure"
          + " keyword of each failure type")
  void compose_authFailure_keyword(AuthFailure failure) throws Exception {
    FailureReport.Builder b = dmarc().authFailure(failure);
    Arf.Parsed p = compose(b.build());
    assertThat(p.one("Feedback-Type")).isEqualTo("auth-failure");
    assertThat(p.one("Auth-Failure"))
        .isEqualTo(failure.keyword())
        .isIn("dmarc", "spf", "signature", "bodyhash", "revoked");
    assertThat(p.text(0))
        .contains(
            failure == AuthFailure.DMARC
                ? "DMARC"
                : failure == AuthFailure.SPF ? "SPF for sender.example" : "DKIM signature");
  }

  // --- FAIL-04: DKIM, SPF, Delivery-Result -----------------------------------------------------

  @Test
  @DisplayName(
      "FAIL-04, RFC 6591 §3.2: DKIM-Domain, DKIM-Identity, DKIM-Selector of the signature, SPF-DNS"
          + " as txt : domain : record, Authentication-Results present")
  void compose_dkimAndSpfFields() throws Exception {
    Arf.Parsed p =
        compose(
            dmarc()
                .dkim(new DkimFields("sender.example", "sel1", "billing@sender.example"))
                .build());
    assertThat(p.one("DKIM-Domain")).isEqualTo("sender.example");
    assertThat(p.one("DKIM-Identity")).isEqualTo("billing@sender.example");
    assertThat(p.one("DKIM-Selector")).isEqualTo("sel1");
    assertThat(p.one("SPF-DNS"))
        .isEqualTo("txt : sender.example : v=spf1 ip4:198.51.100.0/24 -all")
        .matches("(txt|spf) : [^ :]+ : .+");
    assertThat(p.field("Authentication-Results")).hasSize(1);
    assertThat(
            compose(dmarc().dkim(DkimFields.of("sender.example", "s")).build())
                .one("DKIM-Identity"))
        .isEqualTo("@sender.example");
  }

  @ParameterizedTest
  @EnumSource(DeliveryResult.class)
  @DisplayName("FAIL-04, RFC 6591 §3.2: Delivery-Result delivered / spam / policy / reject / other")
  void compose_deliveryResult_keyword(DeliveryResult result) throws Exception {
    assertThat(compose(dmarc().deliveryResult(result).build()).one("Delivery-Result"))
        .isEqualTo(result.keyword())
        .isIn("delivered", "spam", "policy", "reject", "other");
  }

  @Test
  @DisplayName(
      "FAIL-04, RFC 6591 §3.2: a DKIM failure needs the signature's fields, an SPF failure SPF-DNS")
  void build_dkimOrSpfFailureWithoutItsFields_rejected() throws Exception {
    for (AuthFailure f :
        List.of(AuthFailure.SIGNATURE, AuthFailure.BODYHASH, AuthFailure.REVOKED)) {
      FailureReport.Builder b = base().authFailure(f);
      assertThatThrownBy(b::build)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("DKIM-Domain, DKIM-Identity and DKIM-Selector");
      assertThat(b.dkim(DkimFields.of("sender.example", "sel1")).build().authFailure())
          .isEqualTo(f);
    }
    FailureReport.Builder spf = base().authFailure(AuthFailure.SPF);
    assertThatThrownBy(spf::build).hasMessageContaining("SPF-DNS is required");
    Arf.Parsed p = compose(spf.spfDns(new SpfDns("sender.example", "v=spf1 -all")).build());
    assertThat(p.one("Auth-Failure")).isEqualTo("spf");
    assertThat(p.one("SPF-DNS")).isEqualTo("txt : sender.example : v=spf1 -all");
    assertThat(p.field("DKIM-Domain")).isEmpty();
  }

  // --- FAIL-05: Identity-Alignment -----------------------------------------------------------

  @Test
  @DisplayName(
      "FAIL-05, RFC 9991 §4: Identity-Alignment is none or dkim / spf, each at most once, per its"
          + " ABNF; only DMARC reports carry it")
  void compose_identityAlignment() throws Exception {
    String abnf = "(none|(dkim|spf)(\\s*,\\s*(dkim|spf))?)";
    assertThat(compose(base().build()).one("Identity-Alignment")).isEqualTo("none").matches(abnf);
    assertThat(
            compose(
                    base()
                        .failedAligned(DmarcMethod.DKIM)
                        .dkim(DkimFields.of("sender.example", "s"))
                        .build())
                .one("Identity-Alignment"))
        .isEqualTo("dkim");
    assertThat(
            compose(
                    base()
                        .failedAligned(DmarcMethod.SPF)
                        .spfDns(new SpfDns("sender.example", "v=spf1 -all"))
                        .build())
                .one("Identity-Alignment"))
        .isEqualTo("spf");
    assertThat(compose(dmarc().build()).one("Identity-Alignment"))
        .isEqualTo("dkim, spf")
        .matches(abnf);
    assertThat(
            compose(dmarc().authFailure(AuthFailure.BODYHASH).build()).field("Identity-Alignment"))
        .isEmpty();
  }

  @Test
  @DisplayName(
      "FAIL-05, RFC 9991 §4: SPF-DNS is required for an SPF failure of an aligned identifier; a"
          + " DMARC report on an unsigned message (DKIM produced no aligned pass) names no signature")
  void build_alignedFailureWithoutItsFields_rejected() throws Exception {
    assertThat(base().failedAligned(DmarcMethod.DKIM).build().dkim()).isEmpty();
    assertThatThrownBy(() -> base().authFailure(AuthFailure.BODYHASH).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RFC 6591 §3.2");
    assertThatThrownBy(() -> base().failedAligned(DmarcMethod.SPF).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SPF-DNS is required for an SPF failure of an aligned identifier");
  }

  // --- the report's own header -----------------------------------------------------------------

  @Test
  @DisplayName(
      "The report's header: From, To, Date, Subject FW: <original Subject> (RFC 9991 Appendix A),"
          + " Message-ID, MIME-Version, and nothing else")
  void compose_header() throws Exception {
    Arf.Parsed p = compose(dmarc().build());
    assertThat(((InternetAddress) p.message.getFrom()[0]).getAddress())
        .isEqualTo("dmarc-failures@mx.receiver.example");
    assertThat(p.message.getRecipients(jakarta.mail.Message.RecipientType.TO))
        .extracting(a -> ((InternetAddress) a).getAddress())
        .containsExactly(TO);
    assertThat(p.message.getSubject()).isEqualTo("FW: Your invoice");
    assertThat(p.message.getHeader("Date", null)).isEqualTo("Thu, 26 Nov 2026 14:05:00 +0000");
    assertThat(p.message.getSentDate().toInstant()).isEqualTo(SENT);
    assertThat(p.message.getMessageID())
        .matches("<dmarc-failure\\.[0-9a-f]{32}@mx\\.receiver\\.example>");
    assertThat(p.message.getHeader("MIME-Version", null)).isEqualTo("1.0");
    assertThat(p.headerNames())
        .containsExactlyInAnyOrder(
            "Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type");
  }

  @Test
  @DisplayName(
      "Subject: an encoded original Subject is decoded and encoded again; none gives (no subject)")
  void compose_subjectVariants() throws Exception {
    String encoded =
        HEADER.replace(
            "Subject: Your invoice",
            "Subject: =?UTF-8?Q?Ihre_Rechnung_f=C3=BCr?=\r\n =?UTF-8?B?IE3DpHJ6?=");
    Arf.Parsed p =
        compose(dmarc().originalHeader(encoded.getBytes(StandardCharsets.US_ASCII)).build());
    assertThat(p.message.getSubject()).isEqualTo("FW: Ihre Rechnung für März");
    assertThat(p.message.getHeader("Subject", null)).startsWith("=?UTF-8?");
    String none = HEADER.replace("Subject: Your invoice\r\n", "");
    assertThat(
            compose(dmarc().originalHeader(none.getBytes(StandardCharsets.US_ASCII)).build())
                .message
                .getSubject())
        .isEqualTo("FW: (no subject)");
    String longSubject = HEADER.replace("Your invoice", "word ".repeat(100));
    assertThat(
            compose(dmarc().originalHeader(longSubject.getBytes(StandardCharsets.US_ASCII)).build())
                .message
                .getSubject())
        .hasSizeLessThanOrEqualTo(4 + 180 + 3)
        .endsWith("...");
  }

  @Test
  @DisplayName(
      "The same report to the same destination at the same instant is the same bytes; another"
          + " destination or another report gets another Message-ID")
  void compose_resend_byteIdentical() throws Exception {
    FailureReportMail m = mail(Redactor.hmacSha256(new byte[32])).build();
    FailureReport r = dmarc().build();
    byte[] first = m.compose(r, TO);
    byte[] again = m.compose(dmarc().build(), TO);
    assertThat(again).isEqualTo(first);
    String id = Arf.parse(first).message.getMessageID();
    assertThat(m.messageId(r, TO)).isEqualTo(id);
    assertThat(m.messageId(r, "other@owner.example")).isNotEqualTo(id);
    assertThat(m.messageId(dmarc().incidents(2).build(), TO)).isNotEqualTo(id);
    assertThat(m.subject(r)).isEqualTo("FW: Your invoice");
  }

  @Test
  @DisplayName("RFC 9991 §5.1: the signer sees the whole unsigned mail and its field goes on top")
  void compose_signer_fieldOnTop() throws Exception {
    AtomicReference<byte[]> seen = new AtomicReference<>();
    FailureReportMail m =
        mail(Redactor.unredacted())
            .signer(
                mail -> {
                  seen.set(mail);
                  return "DKIM-Signature: v=1; d=mx.receiver.example; s=s; b=AAAA\r\n";
                })
            .build();
    byte[] signed = m.compose(dmarc().build(), TO);
    byte[] unsigned = mail(Redactor.unredacted()).build().compose(dmarc().build(), TO);
    assertThat(seen.get()).isEqualTo(unsigned);
    assertThat(new String(signed, StandardCharsets.US_ASCII))
        .isEqualTo(
            "DKIM-Signature: v=1; d=mx.receiver.example; s=s; b=AAAA\r\n"
                + new String(unsigned, StandardCharsets.US_ASCII));
    assertThat(Arf.parse(signed).report.getCount()).isEqualTo(3);
  }

  // --- hostile values ------------------------------------------------------------------------

  @Test
  @DisplayName(
      "Values from the message, the envelope or the DNS cannot add a field to the report's header"
          + " or to the feedback part")
  void compose_injectedLineBreaks_noNewFields() throws Exception {
    String evil = "x\r\nBcc: victim@evil.example\r\n\r\nInjected: yes\nX-Evil: 1\rX-Evil2: 2";
    String header =
        HEADER.replace("Subject: Your invoice", "Subject: hi\r\nBcc: victim@evil.example")
            + "Subject: second\r\n";
    FailureReport r =
        dmarc()
            .originalMailFrom(evil)
            .addOriginalRcptTo(evil)
            .reportedDomain(evil)
            .policyDomain(evil)
            .authenticationResults(evil)
            .dkim(new DkimFields(evil, evil, evil))
            .spfDns(new SpfDns(evil, evil))
            .originalHeader(header.getBytes(StandardCharsets.US_ASCII))
            .build();
    for (Redactor policy : List.of(Redactor.unredacted(), Redactor.hmacSha256(new byte[16]))) {
      Arf.Parsed p = Arf.parse(mail(policy).build().compose(r, TO));
      assertThat(p.headerNames())
          .containsExactlyInAnyOrder(
              "Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type");
      assertThat(p.message.getSubject()).isEqualTo("FW: hi");
      assertThat(p.fieldNames())
          .doesNotContain("Bcc", "Injected", "X-Evil", "X-Evil2")
          .allMatch(n -> KNOWN_FIELDS.contains(n), "a field this writer knows");
      assertThat(p.one("DKIM-Selector"))
          .isEqualTo("x Bcc: victim@evil.example Injected: yes X-Evil: 1 X-Evil2: 2");
      assertThat(p.text(0).split("\r\n")).allMatch(l -> !l.startsWith("Bcc"));
    }
  }

  static final List<String> KNOWN_FIELDS =
      List.of(
          "Feedback-Type",
          "User-Agent",
          "Version",
          "Auth-Failure",
          "Identity-Alignment",
          "Arrival-Date",
          "Source-IP",
          "Original-Mail-From",
          "Original-Rcpt-To",
          "Reporting-MTA",
          "Reported-Domain",
          "Authentication-Results",
          "DKIM-Domain",
          "DKIM-Identity",
          "DKIM-Selector",
          "SPF-DNS",
          "Delivery-Result",
          "Incidents");

  @Test
  @DisplayName(
      "8-bit text: UTF-8 feedback values go 8bit (RFC 6532), an 8-bit original header"
          + " quoted-printable, control characters become ?")
  void compose_eightBitValues() throws Exception {
    String header = HEADER.replace("Subject: Your invoice", "Subject: Grüße\u0007 \u2028x");
    byte[] raw = header.getBytes(StandardCharsets.UTF_8);
    FailureReport r =
        dmarc()
            .originalMailFrom("jörg@bücher.example")
            .reportedDomain("bücher.example")
            .originalHeader(raw)
            .build();
    Arf.Parsed p = compose(r);
    assertThat(p.parts.get(1).getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
    assertThat(p.message.getHeader("Content-Transfer-Encoding")).containsExactly("8bit");
    assertThat(new String(p.content(1), StandardCharsets.UTF_8))
        .contains("Original-Mail-From: <jörg@bücher.example>")
        .contains("Reported-Domain: bücher.example");
    assertThat(p.parts.get(2).getHeader("Content-Transfer-Encoding"))
        .containsExactly("quoted-printable");
    assertThat(p.content(2)).isEqualTo(java.util.Arrays.copyOf(raw, raw.length - 2));
    assertThat(p.message.getSubject()).isEqualTo("FW: Grüße? ?x");
    assertThat(p.text(0)).contains("from the domain b?cher.example");
    // Invalid UTF-8 in the original header: the bytes travel unchanged.
    byte[] latin1 =
        HEADER.replace("Your invoice", "caf\u00e9").getBytes(StandardCharsets.ISO_8859_1);
    Arf.Parsed q = compose(dmarc().originalHeader(latin1).build());
    assertThat(q.content(2)).isEqualTo(java.util.Arrays.copyOf(latin1, latin1.length - 2));
  }

  @Test
  @DisplayName(
      "An original holding the boundary the mail would use gets another boundary: still three"
          + " parts")
  void compose_boundaryInOriginal_otherBoundary() throws Exception {
    FailureReportMail m = mail(Redactor.unredacted()).build();
    String boundary =
        new ContentType(Arf.parse(m.compose(dmarc().build(), TO)).message.getContentType())
            .getParameter("boundary");
    assertThat(boundary).matches("=_dmarc_failure_[0-9a-f]{32}");
    // The boundary follows from the content, so a header cannot hold its own; the choice is
    // checked directly, and a header full of boundary-like lines still gives three parts.
    assertThat(FailureReportMail.freeBoundary("=_b", "x".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("=_b");
    assertThat(
            FailureReportMail.freeBoundary(
                "=_b",
                "--=_b\r\n".getBytes(StandardCharsets.US_ASCII),
                "--=_b_1--".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("=_b_2");
    String header =
        HEADER.replace(
            "Subject: Your invoice",
            "Subject: x\r\n--" + boundary + "\r\n--" + boundary + "--\r\nX: --=_dmarc_failure_");
    Arf.Parsed p =
        Arf.parse(
            m.compose(
                dmarc().originalHeader(header.getBytes(StandardCharsets.US_ASCII)).build(), TO));
    assertThat(p.report.getCount()).isEqualTo(3);
    assertThat(p.text(2)).contains("--" + boundary + "--");
  }

  @Test
  @DisplayName("The builders check their arguments")
  void builder_badArguments_rejected() throws Exception {
    assertThatThrownBy(() -> FailureReportMail.builder("not an address", Redactor.unredacted()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FailureReportMail.builder("a@b.example", null))
        .isInstanceOf(NullPointerException.class);
    FailureReportMail m = mail(Redactor.unredacted()).build();
    assertThatThrownBy(() -> m.compose(dmarc().build(), "nobody"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mail(Redactor.unredacted()).userAgent("bad agent"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> mail(Redactor.unredacted()).reportingMta("bad host"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dmarc().incidents(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("incidents must be at least 1, was 0");
    assertThatThrownBy(() -> FailureReport.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("arrivalDate was not set");
    assertThat(m.fromAddress()).isEqualTo("dmarc-failures@mx.receiver.example");
    assertThat(m.submitter()).isEqualTo("mx.receiver.example");
    assertThat(mail(Redactor.unredacted()).submitter("Receiver.Example").build().submitter())
        .isEqualTo("receiver.example");
  }

  @Test
  @DisplayName("The report copies its byte arrays and compares them by content")
  void report_copiesArrays() throws Exception {
    byte[] header = HEADER.getBytes(StandardCharsets.US_ASCII);
    FailureReport r = dmarc().originalHeader(header).build();
    header[0] = 'X';
    assertThat(r.originalHeader()[0]).isEqualTo((byte) 'R');
    r.originalHeader()[0] = 'Y';
    assertThat(r.originalHeader()[0]).isEqualTo((byte) 'R');
    assertThat(r).isEqualTo(dmarc().build()).hasSameHashCodeAs(dmarc().build());
    assertThat(r).isNotEqualTo(dmarc().originalBody(new byte[] {1}).build());
    assertThat(r.toString()).contains("sender.example").doesNotContain("invoice");
    assertThat(r.isNullSender()).isFalse();
    assertThat(r.identityAlignment()).containsExactly(DmarcMethod.DKIM, DmarcMethod.SPF);
  }

  @Test
  @DisplayName("The example of docs/report.md compiles and runs")
  void docsExample_runs() throws Exception {
    byte[] secretKey = new byte[32];
    io.github.dmarcj.report.mail.MailSigner signer = m -> "DKIM-Signature: v=1; b=\r\n";
    Instant arrival = ARRIVAL;
    InetAddress clientIp = InetAddress.getByName("192.0.2.1");
    String authResultsValue = "mx.receiver.example; dmarc=fail header.from=sender.example";
    byte[] headerBytes = HEADER.getBytes(StandardCharsets.US_ASCII);
    // @start region=failure-report
    Redactor policy = Redactor.hmacSha256(secretKey); // header only, local parts -> tokens
    FailureReportMail mail =
        FailureReportMail.builder("dmarc-failures@mx.receiver.example", policy)
            .reportingMta("mx.receiver.example") // optional Reporting-MTA
            .signer(signer) // optional MailSigner, RFC 9991 §5.1
            .build();
    FailureReport report =
        FailureReport.builder()
            .arrivalDate(arrival)
            .sourceIp(clientIp)
            .originalMailFrom("bounces@sender.example") // "" is the null sender
            .addOriginalRcptTo("alice@receiver.example")
            .reportedDomain("sender.example") // the RFC5322.From domain
            .policyDomain("sender.example")
            .authenticationResults(authResultsValue)
            .authFailure(AuthFailure.DMARC)
            .failedAligned(DmarcMethod.DKIM) // Identity-Alignment: dkim
            .dkim(DkimFields.of("sender.example", "sel1")) // required for that
            .deliveryResult(DeliveryResult.REJECT)
            .originalHeader(headerBytes)
            .build();
    byte[] eml = mail.compose(report, "ruf@owner.example"); // CRLF, ready for SMTP
    // @end region=failure-report
    assertThat(new String(eml, StandardCharsets.US_ASCII)).startsWith("DKIM-Signature: v=1;");
    assertThat(Arf.parse(eml).one("Identity-Alignment")).isEqualTo("dkim");
  }

  /** A DMARC report with nothing aligned failing and no DKIM or SPF fields. */
  static FailureReport.Builder base() throws Exception {
    return FailureReport.builder()
        .arrivalDate(ARRIVAL)
        .sourceIp(InetAddress.getByName("192.0.2.1"))
        .reportedDomain("sender.example")
        .authenticationResults("mx.receiver.example; dmarc=fail header.from=sender.example")
        .authFailure(AuthFailure.DMARC)
        .originalHeader(HEADER.getBytes(StandardCharsets.US_ASCII));
  }
}
