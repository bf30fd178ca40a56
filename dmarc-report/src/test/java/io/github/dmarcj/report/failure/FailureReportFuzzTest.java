// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.fuzz.FuzzBounds;
import io.github.dmarcj.report.failure.FailureReport.DkimFields;
import io.github.dmarcj.report.failure.FailureReport.SpfDns;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * The failure report mail against any values the message, its envelope and the DNS can give it,
 * under each redaction policy: it never throws, Jakarta Mail reads the result, it has exactly three
 * parts of the right types, its own header has exactly the fields the writer sets, and the feedback
 * part only fields the writer knows.
 *
 * <p>Input: one flag byte, then eight values separated by NUL (MAIL FROM, RCPT TO, From domain,
 * Authentication-Results, DKIM domain, selector, identity, SPF record; read as UTF-8), then the
 * original message (header and body, as raw bytes).
 */
@Tag("fuzz")
final class FailureReportFuzzTest {
  private static final List<String> HEADER_ONCE =
      List.of("Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Content-Type");

  private static final List<FailureReportMail> MAILS =
      List.of(
          FailureReportMailTest.mail(Redactor.unredacted().withBody()).build(),
          FailureReportMailTest.mail(Redactor.hmacSha256(RedactorTest.KEY)).build(),
          FailureReportMailTest.mail(
                  Redactor.hmacSha256(RedactorTest.KEY).withRedactedBody().withDefangedUris())
              .reportingMta("mx.receiver.example")
              .build());

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void compose_anyValues_threePartsAndNoInjectedField(byte[] input) throws Exception {
    FailureReport report = report(input);
    for (FailureReportMail mail : MAILS) {
      byte[] bytes =
          FuzzBounds.allocationBounded(
              input.length, 1024, () -> mail.compose(report, FailureReportMailTest.TO));
      Arf.Parsed p = Arf.parse(bytes);
      assertThat(p.report.getCount()).isEqualTo(3);
      assertThat(p.type(0)).isEqualTo("text/plain");
      assertThat(p.type(1)).isEqualTo("message/feedback-report");
      assertThat(p.type(2)).isIn("text/rfc822-headers", "message/rfc822");
      List<String> names = p.headerNames();
      for (String once : HEADER_ONCE) {
        assertThat(names).as("the report's own header").containsOnlyOnce(once);
      }
      assertThat(names).isSubsetOf(union(HEADER_ONCE, "Content-Transfer-Encoding"));
      assertThat(p.message.getSubject()).startsWith("FW: ");
      assertThat(p.fieldNames()).isSubsetOf(FailureReportMailTest.KNOWN_FIELDS);
      assertThat(p.one("Feedback-Type")).isEqualTo("auth-failure");
      assertThat(p.one("Version")).isEqualTo("1");
      assertThat(p.one("Auth-Failure")).isEqualTo(report.authFailure().keyword());
      assertThat(p.field("Original-Rcpt-To")).hasSize(report.originalRcptTo().size());
      assertThat(p.text(0)).contains(report.sourceIp().getHostAddress());
      assertThat(Arrays.equals(mail.compose(report, FailureReportMailTest.TO), bytes))
          .as("the same report gives the same bytes")
          .isTrue();
    }
  }

  static FailureReport report(byte[] input) throws Exception {
    int flags = input.length > 0 ? input[0] & 0xFF : 0;
    List<byte[]> chunks = new ArrayList<>();
    int from = Math.min(1, input.length);
    for (int k = 0; k < 8; k++) {
      int nul = from;
      while (nul < input.length && input[nul] != 0) {
        nul++;
      }
      chunks.add(Arrays.copyOfRange(input, from, nul));
      from = Math.min(nul + 1, input.length);
    }
    byte[] original = Arrays.copyOfRange(input, from, input.length);
    String[] v = new String[8];
    for (int k = 0; k < 8; k++) {
      v[k] = new String(chunks.get(k), StandardCharsets.UTF_8);
    }
    AuthFailure failure = AuthFailure.values()[flags % AuthFailure.values().length];
    FailureReport.Builder b =
        FailureReport.builder()
            .arrivalDate(Instant.ofEpochSecond(1_700_000_000L + flags * 3_600L))
            .sourceIp(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) flags}))
            .reportedDomain(v[2])
            .authenticationResults(v[3])
            .authFailure(failure)
            .incidents(1 + (flags >> 6));
    if ((flags & 0x08) != 0) {
      b.originalMailFrom(v[0]);
    }
    for (String rcpt : v[1].split("\n", -1)) {
      if (!rcpt.isEmpty()) {
        b.addOriginalRcptTo(rcpt);
      }
    }
    boolean dkimAligned = (flags & 0x10) != 0;
    boolean spfAligned = (flags & 0x20) != 0;
    if (dkimAligned) {
      b.failedAligned(DmarcMethod.DKIM);
    }
    if (spfAligned) {
      b.failedAligned(DmarcMethod.SPF);
    }
    if (dkimAligned || failure.isDkim() || !v[4].isEmpty()) {
      b.dkim(new DkimFields(v[4], v[5], v[6]));
    }
    if (spfAligned || failure == AuthFailure.SPF || !v[7].isEmpty()) {
      b.spfDns(new SpfDns(v[4], v[7]));
    }
    if ((flags & 0x07) != 0 && (flags & 0x07) <= DeliveryResult.values().length) {
      b.deliveryResult(DeliveryResult.values()[(flags & 0x07) - 1]);
    }
    int split = FailureReportMail.indexOf(original, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    int skip = 4;
    if (split < 0) {
      split = FailureReportMail.indexOf(original, "\n\n".getBytes(StandardCharsets.US_ASCII));
      skip = 2;
    }
    if (split < 0) {
      b.originalHeader(original);
    } else {
      b.originalHeader(Arrays.copyOfRange(original, 0, split + skip / 2));
      b.originalBody(Arrays.copyOfRange(original, split + skip, original.length));
    }
    return b.build();
  }

  private static List<String> union(List<String> a, String b) {
    List<String> out = new ArrayList<>(a);
    out.add(b);
    return out;
  }
}
