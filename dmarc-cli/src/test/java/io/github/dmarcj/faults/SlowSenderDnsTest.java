// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A sender whose own DNS never answers can delay only its own checks: it cannot turn the checks of
 * another domain into {@code temperror} and so make DMARC skip that domain's policy.
 */
final class SlowSenderDnsTest {
  private static final String MESSAGE =
      "DKIM-Signature: v=1; a=rsa-sha256; d=bank.example; s=bogus; h=from; bh=AAAA; b=AAAA\r\n"
          + "DKIM-Signature: v=1; a=rsa-sha256; d=evil.example; s=slow; h=from; bh=AAAA; b=AAAA\r\n"
          + "From: CEO <ceo@bank.example>\r\n"
          + "Subject: wire the money\r\n\r\nNow.\r\n";

  @Test
  void keyThatNeverArrives_onlyItsOwnSignatureIsTemperror_spoofStillRejected() throws Exception {
    InMemoryDnsResolver zone =
        InMemoryDnsResolver.builder()
            .txt("_dmarc.bank.example", "v=DMARC1; p=reject")
            .txt("evil.example", "v=spf1 ip4:192.0.2.66 -all")
            .exists("bank.example")
            .build();
    ForwardingDnsResolver hanging =
        new ForwardingDnsResolver(zone) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            return name.endsWith("evil.example") && name.startsWith("slow.")
                ? new CompletableFuture<>() // the sender's server never answers
                : super.txt(name);
          }
        };
    MessageAuthenticator a =
        MessageAuthenticator.builder(hanging)
            .authservId("mx.example.org")
            .timeout(Duration.ofMillis(1500))
            .build();
    long start = System.nanoTime();
    VerificationResult r =
        a.verify(
            SmtpEnvelope.of(InetAddress.getByName("192.0.2.66"), "evil.example", "x@evil.example"),
            MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.dkim()).hasSize(2);
    assertThat(r.dkim().get(0).result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.dkim().get(1).result()).isEqualTo(DkimResult.TEMPERROR);
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
    // Within the facade's own time limit: the DKIM verifier stopped waiting by itself.
    assertThat(took).isLessThan(Duration.ofMillis(1500 + 1000));
  }
}
