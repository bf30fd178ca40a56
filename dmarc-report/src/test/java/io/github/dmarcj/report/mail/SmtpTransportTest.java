// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.github.dmarcj.report.mail.MailTransport.Delivery;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SMTP delivery against GreenMail (a real SMTP server in this JVM, on loopback) and against a
 * scripted server for the replies and failures a relay can give.
 */
final class SmtpTransportTest {
  @RegisterExtension
  static final GreenMailExtension GREENMAIL =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  private static final byte[] MAIL =
      ("DKIM-Signature: v=1; a=ed25519-sha256; d=mx.receiver.example; s=x; b=AAAA\r\n"
              + "From: dmarc-reports@mx.receiver.example\r\n"
              + "To: rua@owner.example\r\n"
              + "Subject: Report Domain: example.com Submitter: mx.receiver.example Report-ID: <1@x>\r\n"
              + "Message-ID: <m1@mx.receiver.example>\r\n"
              + "MIME-Version: 1.0\r\n"
              + "Content-Type: text/plain; charset=us-ascii\r\n"
              + "\r\n"
              + "line one\r\n"
              + ".line starting with a dot\r\n"
              + "last line\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private static SmtpTransport.Builder to(int port) {
    return SmtpTransport.builder("127.0.0.1", port)
        .startTls(SmtpTransport.StartTls.OFF)
        .timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .heloName("mx.receiver.example");
  }

  @Test
  @DisplayName("a real SMTP server receives the mail's bytes unchanged, envelope as given")
  void send_greenMail_bytesUnchanged() throws Exception {
    Delivery d =
        to(GREENMAIL.getSmtp().getPort())
            .build()
            .send("bounces@mx.receiver.example", "rua@owner.example", MAIL);
    assertThat(d).isInstanceOf(Delivery.Accepted.class);
    MimeMessage[] got = GREENMAIL.getReceivedMessages();
    assertThat(got).hasSize(1);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    got[0].writeTo(raw);
    // GreenMail keeps the message without the CRLF that ends the DATA; the scripted server below
    // checks the bytes on the wire exactly.
    String sent = new String(MAIL, StandardCharsets.US_ASCII);
    assertThat(raw.toString(StandardCharsets.US_ASCII))
        .endsWith(sent.substring(0, sent.length() - 2));
    assertThat(GreenMailUtil.getAddressList(got[0].getAllRecipients()))
        .isEqualTo("rua@owner.example");
    assertThat(got[0].getHeader("Return-Path", null)).contains("bounces@mx.receiver.example");
  }

  @Test
  @DisplayName("2xx after DATA: accepted, with the relay's reply")
  void send_accepted_keepsReply() throws Exception {
    try (ScriptedSmtpServer s = new ScriptedSmtpServer()) {
      Delivery d = to(s.port()).build().send("a@x.example", "b@y.example", MAIL);
      assertThat(d).isInstanceOf(Delivery.Accepted.class);
      assertThat(d.detail()).contains("queued as 1");
      assertThat(s.messages).hasSize(1);
      String wire = s.messages.get(0);
      assertThat(wire).contains("\r\n..line starting with a dot\r\n");
      assertThat(wire.replace("\r\n..", "\r\n."))
          .isEqualTo(new String(MAIL, StandardCharsets.US_ASCII));
    }
  }

  @Test
  @DisplayName("4xx at RCPT, after DATA or as greeting: temporary")
  void send_4xx_transient() throws Exception {
    for (String[] step :
        new String[][] {
          {"RCPT", "451 4.3.0 try later"},
          {".", "452 4.3.1 full"},
          {"greeting", "421 4.3.2 closing"},
          {"MAIL", "421 4.7.0 too busy"}
        }) {
      try (ScriptedSmtpServer s = new ScriptedSmtpServer().reply(step[0], step[1])) {
        Delivery d = to(s.port()).build().send("a@x.example", "b@y.example", MAIL);
        assertThat(d).as(step[0]).isInstanceOf(Delivery.Transient.class);
      }
    }
  }

  @Test
  @DisplayName("5xx at RCPT or after DATA: permanent, with the reply")
  void send_5xx_permanent() throws Exception {
    for (String[] step :
        new String[][] {
          {"RCPT", "550 5.1.1 no such user"},
          {".", "554 5.6.0 rejected"},
          {"MAIL", "553 5.1.8 bad sender"}
        }) {
      try (ScriptedSmtpServer s = new ScriptedSmtpServer().reply(step[0], step[1])) {
        Delivery d = to(s.port()).build().send("a@x.example", "b@y.example", MAIL);
        assertThat(d).as(step[0]).isInstanceOf(Delivery.Permanent.class);
        assertThat(d.detail()).contains(step[1].substring(0, 3));
      }
    }
  }

  @Test
  @DisplayName("a dropped connection, a refused connection or a silent server: temporary")
  void send_connectionFailures_transient() throws Exception {
    for (String stage : new String[] {"greeting", "RCPT", "DATA", "."}) {
      try (ScriptedSmtpServer s = new ScriptedSmtpServer().reply(stage, ScriptedSmtpServer.DROP)) {
        Delivery d = to(s.port()).build().send("a@x.example", "b@y.example", MAIL);
        assertThat(d).as(stage).isInstanceOf(Delivery.Transient.class);
      }
    }
    int closed;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = free.getLocalPort();
    }
    assertThat(to(closed).build().send("a@x.example", "b@y.example", MAIL))
        .isInstanceOf(Delivery.Transient.class);
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Delivery d =
          SmtpTransport.builder("127.0.0.1", silent.getLocalPort())
              .startTls(SmtpTransport.StartTls.OFF)
              .timeouts(Duration.ofMillis(500), Duration.ofMillis(500))
              .build()
              .send("a@x.example", "b@y.example", MAIL);
      assertThat(d).isInstanceOf(Delivery.Transient.class);
    }
  }

  @Test
  @DisplayName("STARTTLS required and not offered: temporary, nothing sent")
  void send_startTlsRequiredNotOffered_transient() throws Exception {
    try (ScriptedSmtpServer s = new ScriptedSmtpServer()) {
      Delivery d =
          to(s.port())
              .startTls(SmtpTransport.StartTls.REQUIRED)
              .build()
              .send("a@x.example", "b@y.example", MAIL);
      assertThat(d).isInstanceOf(Delivery.Transient.class);
      assertThat(s.commands).doesNotContain("MAIL");
      assertThat(s.messages).isEmpty();
    }
  }
}
