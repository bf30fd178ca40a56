// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.report.mail.MailTransport.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * The SMTP transport against whatever a relay answers at each step (greeting, EHLO, MAIL, RCPT,
 * DATA, end of data), including garbage, half replies and dropped connections: it never throws,
 * always says what became of the mail, and reports it accepted only when the relay had the whole
 * mail.
 */
@Tag("fuzz")
final class SmtpReplyFuzzTest {
  private static final byte[] MAIL =
      ("From: a@x.example\r\nTo: b@y.example\r\nSubject: s\r\n\r\nbody\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private static final String[] STEPS = {"greeting", "EHLO", "MAIL", "RCPT", "DATA", "."};

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void send_anyReplies_neverThrows(FuzzedDataProvider data) throws Exception {
    try (ScriptedSmtpServer relay = new ScriptedSmtpServer()) {
      for (String step : STEPS) {
        if (data.remainingBytes() == 0) {
          break;
        }
        String reply =
            data.consumeBoolean() ? ScriptedSmtpServer.DROP : data.consumeAsciiString(200);
        relay.reply(step, reply);
      }
      Delivery d =
          SmtpTransport.builder("127.0.0.1", relay.port())
              .startTls(SmtpTransport.StartTls.OFF)
              .timeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
              .build()
              .send("a@x.example", "b@y.example", MAIL);
      assertThat(d).isNotNull();
      assertThat(d.detail()).isNotNull();
      if (d instanceof Delivery.Accepted) {
        assertThat(relay.messages).as("accepted without the whole mail").hasSize(1);
      }
    }
  }
}
