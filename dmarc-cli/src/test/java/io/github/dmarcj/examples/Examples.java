// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.authres.AuthservIdGuard;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.NetworkDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.ReportRecordSink;
import io.github.dmarcj.verify.VerificationRequest;
import io.github.dmarcj.verify.VerificationResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The code of docs/verify.md, compiled and run so the guide stays true. Each region between {@code
 * // @start} and {@code // @end} is quoted in the guide.
 */
final class Examples {
  private static final Path EXAMPLES = Path.of("..", "examples");

  /** What a mail server builds once at start-up (the network resolver is not used in tests). */
  static MessageAuthenticator productionAuthenticator(ReportRecordSink sink) {
    // @start region=build
    DnsResolver dns = CachingDnsResolver.of(NetworkDnsResolver.systemDefault());
    MessageAuthenticator authenticator =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.net") // this server's name in Authentication-Results
            .reportRecordSink(sink) // optional: rows for DMARC aggregate reports
            .build(); // SPF and DKIM verifiers are found on the class path
    // @end region=build
    return authenticator;
  }

  /** Per message: check, add the header, act on the disposition. */
  static byte[] onMessage(
      MessageAuthenticator authenticator,
      InetAddress clientIp,
      String helo,
      String mailFrom,
      byte[] message) {
    // @start region=verify
    AuthservIdGuard guard = AuthservIdGuard.forAuthservId(authenticator.authservId());
    byte[] received = guard.removeClaimingOurs(message); // RFC 8601 §5: drop forged results
    VerificationResult result =
        authenticator.verify(SmtpEnvelope.of(clientIp, helo, mailFrom), received);
    byte[] field = result.authenticationResultsField().getBytes(StandardCharsets.UTF_8);
    byte[] delivered = new byte[field.length + received.length];
    System.arraycopy(field, 0, delivered, 0, field.length);
    System.arraycopy(received, 0, delivered, field.length, received.length);
    switch (result.disposition()) {
      case REJECT: // the domain asks to reject; many receivers quarantine instead (RFC 9989 §7.4)
      case QUARANTINE:
        // deliver to the spam folder, or answer 550 5.7.1 at end of DATA
        break;
      default:
        break;
    }
    // @end region=verify
    return delivered;
  }

  @Test
  @DisplayName(
      "docs/verify.md: build, verify, add the header (example zone instead of the network)")
  void guide_example_runs() throws Exception {
    List<Object> rows = new ArrayList<>();
    ReportRecordSink sink = rows::add;
    assertThat(productionAuthenticator(sink).authservId()).isEqualTo("mx.example.net");

    MessageAuthenticator offline =
        MessageAuthenticator.builder(
                ZoneFileResolver.fromFiles(EXAMPLES.resolve("zones/example.com.zone")))
            .authservId("mx.example.net")
            .clock(Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC))
            .reportRecordSink(sink)
            .build();
    byte[] message = Files.readAllBytes(EXAMPLES.resolve("messages/legit.eml"));
    String forged = "Authentication-Results: mx.example.net; dmarc=pass\r\n";
    byte[] withForgery =
        (forged + new String(message, StandardCharsets.ISO_8859_1))
            .getBytes(StandardCharsets.ISO_8859_1);
    byte[] delivered =
        onMessage(
            offline,
            InetAddress.getByName("192.0.2.25"),
            "mail.example.com",
            "alice@example.com",
            withForgery);
    String text = new String(delivered, StandardCharsets.ISO_8859_1);
    assertThat(text).startsWith("Authentication-Results: mx.example.net;");
    assertThat(text).doesNotContain(forged);
    assertThat(text).endsWith(new String(message, StandardCharsets.ISO_8859_1));
    assertThat(rows).hasSize(1);
  }

  @Test
  @DisplayName("docs/verify.md: asynchronous use and a precomputed SPF outcome")
  void guide_async_runs() throws Exception {
    MessageAuthenticator authenticator =
        MessageAuthenticator.builder(
                ZoneFileResolver.fromFiles(EXAMPLES.resolve("zones/example.com.zone")))
            .authservId("mx.example.net")
            .clock(Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC))
            .build();
    byte[] message = Files.readAllBytes(EXAMPLES.resolve("messages/legit.eml"));
    SmtpEnvelope envelope =
        SmtpEnvelope.of(
            InetAddress.getByName("192.0.2.25"), "mail.example.com", "alice@example.com");
    // @start region=async
    CompletionStage<VerificationResult> pending = authenticator.verifyAsync(envelope, message);
    pending.thenAccept(r -> System.out.print(r.authenticationResultsField()));
    // An MTA that checked SPF at MAIL FROM time passes that outcome in:
    VerificationResult first = pending.toCompletableFuture().join();
    VerificationResult again =
        authenticator.verify(VerificationRequest.of(envelope, message).withSpf(first.spf()));
    // @end region=async
    assertThat(again.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(again.disposition()).isEqualTo(DmarcPolicy.NONE);
  }
}
