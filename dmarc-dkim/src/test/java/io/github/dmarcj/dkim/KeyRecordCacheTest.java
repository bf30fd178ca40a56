// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.result.DkimReason;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The verifier's cache of parsed key records: keyed on the exact TXT text, bounded. */
final class KeyRecordCacheTest {

  /** Answers from whichever zone {@code zone} holds at the time of the query. */
  private static DnsResolver switchable(AtomicReference<DnsResolver> zone) {
    return new ForwardingDnsResolver(zone.get()) {
      @Override
      protected <T> CompletionStage<DnsLookup<T>> forward(
          RecordType type,
          String name,
          Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
        return call.apply(zone.get());
      }
    };
  }

  private static DnsResolver keyAt(String record) {
    return InMemoryDnsResolver.builder().negativeTtl(0).txt(VerifierTest.KEY_NAME, record).build();
  }

  private static DkimMessageVerifier verifier(DnsResolver resolver) {
    return DkimMessageVerifier.builder(resolver).clock(TestData.fixed(VerifierTest.NOW)).build();
  }

  private static DkimReason verify(DkimMessageVerifier v, byte[] message) {
    DkimVerificationResult report = v.verifyMessage(message).toCompletableFuture().join();
    return VerifierTest.only(report).reason();
  }

  @Test
  void keyRecord_sameText_parsedOnce() {
    DkimMessageVerifier v = verifier(InMemoryDnsResolver.builder().build());
    String txt = RawSigner.RSA.publicKeyRecord();
    assertThat(v.keyRecord(txt)).isSameAs(v.keyRecord(new String(txt)));
  }

  @Test
  void keyRecord_moreTextsThanTheLimit_cacheStaysBounded() {
    DkimMessageVerifier v = verifier(InMemoryDnsResolver.builder().build());
    int texts = DkimMessageVerifier.KEY_RECORD_CACHE_SIZE + 1000;
    for (int i = 0; i < texts; i++) {
      assertThat(v.keyRecord("v=DKIM1; n=" + i + "; p=").error).isEqualTo(DkimReason.KEY_REVOKED);
    }
    v.keyRecordCache.cleanUp();
    assertThat(v.keyRecordCache.estimatedSize())
        .isLessThanOrEqualTo(DkimMessageVerifier.KEY_RECORD_CACHE_SIZE);
  }

  @Test
  void verify_keyRecordTextChanges_newRecordUsed() {
    String right = RawSigner.RSA.publicKeyRecord();
    String other = RawSigner.record((RSAPublicKey) RawSigner.rsaPair(1024, 7).getPublic());
    AtomicReference<DnsResolver> zone = new AtomicReference<>(keyAt(right));
    DkimMessageVerifier v = verifier(switchable(zone));
    byte[] message = VerifierTest.signed(VerifierTest.TEMPLATE);

    assertThat(verify(v, message)).isEqualTo(DkimReason.VERIFIED);
    zone.set(keyAt(other));
    assertThat(verify(v, message)).isEqualTo(DkimReason.SIGNATURE_MISMATCH);
    zone.set(keyAt("v=DKIM1; p="));
    assertThat(verify(v, message)).isEqualTo(DkimReason.KEY_REVOKED);
    zone.set(keyAt(right));
    assertThat(verify(v, message)).isEqualTo(DkimReason.VERIFIED);
  }
}
