// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.spi.SpfVerifierProvider;
import io.github.dmarcj.spi.VerifierContext;
import java.time.Clock;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class SpfCheckerProviderTest {

  @Test
  @DisplayName("ServiceLoader finds the SPF verifier for the facade (RFC 7208 §2.4: MAIL FROM)")
  void serviceLoader_findsProvider_verifierChecksMailFrom() throws Exception {
    SpfVerifierProvider provider =
        ServiceLoader.load(SpfVerifierProvider.class).findFirst().orElseThrow();
    InMemoryDnsResolver zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all").build();
    SpfOutcome o =
        provider
            .create(new VerifierContext(zone, Clock.systemUTC(), Runnable::run))
            .checkMailFrom(
                SmtpEnvelope.of(
                    OpenSpfSuiteTest.address("192.0.2.1"), "h.example.com", "u@example.com"))
            .toCompletableFuture()
            .get();
    assertThat(o.result()).isEqualTo(SpfResult.PASS);
  }
}
