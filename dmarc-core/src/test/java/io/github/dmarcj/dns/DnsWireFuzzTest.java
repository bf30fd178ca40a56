// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.fuzz.FuzzBounds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Fuzzes what a DNS server's answer goes through: wire bytes parsed into a message (dnsjava), then
 * mapped to a {@link DnsLookup} by {@link NetworkDnsResolver}; and the zone-file parser behind
 * {@code --zone} on hostile text.
 */
@Tag("fuzz")
final class DnsWireFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void fromResponse_anyWireBytes_lookupWithTypedOutcome(byte[] input) {
    Message response;
    try {
      response = new Message(input);
    } catch (IOException e) {
      // What the resolver sees when dnsjava cannot parse the answer.
      DnsLookup<String> failed = NetworkDnsResolver.fromError(e);
      assertThat(failed).isInstanceOf(DnsLookup.TempFail.class);
      assertThat(((DnsLookup.TempFail<String>) failed).reason())
          .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
      return;
    }
    Record question = response.getQuestion();
    Name qname = question != null ? question.getName() : Name.fromConstantString("example.com.");
    for (RecordType type : RecordType.values()) {
      DnsLookup<Object> lookup =
          FuzzBounds.allocationBounded(
              input.length, 64, () -> NetworkDnsResolver.fromResponse(type, qname, response));
      check(lookup);
    }
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void fromString_anyZoneText_resolverOrIllegalArgument(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    if (text.toUpperCase(Locale.ROOT).contains("$GENERATE")) {
      return; // one line may ask for 2^32 records: operator input, not bounded by its size
    }
    ZoneFileResolver zones;
    try {
      zones = ZoneFileResolver.fromString(text);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotEmpty();
      return;
    }
    // Every lookup completes before it returns, with an outcome.
    for (String zone : zones.zones()) {
      for (String name : new String[] {zone, "_dmarc." + zone, "x." + zone, "*." + zone}) {
        check(done(zones.txt(name)));
        check(done(zones.a(name)));
        check(done(zones.aaaa(name)));
        check(done(zones.mx(name)));
        check(done(zones.ptr(name)));
      }
    }
  }

  /** Names a sender can make the library ask: any text becomes a wire name or none. */
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void toName_anyText_wireNameMatchesNormalizedText(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    String normalized = DnsNames.normalizeOrNull(text);
    Name name = Wire.toName(text);
    if (normalized == null) {
      assertThat(name).isNull();
      return;
    }
    assertThat(name).isNotNull();
    assertThat(name.length()).isLessThanOrEqualTo((short) 255);
    assertThat(name.labels() - 1).isEqualTo(normalized.split("\\.", -1).length);
  }

  private static <T> DnsLookup<T> done(java.util.concurrent.CompletionStage<DnsLookup<T>> stage) {
    CompletableFuture<DnsLookup<T>> f = stage.toCompletableFuture();
    assertThat(f).isDone();
    return f.join();
  }

  private static void check(DnsLookup<?> lookup) {
    assertThat(lookup).isNotNull();
    if (lookup instanceof DnsLookup.Found<?> found) {
      assertThat(found.records()).isNotEmpty().doesNotContainNull();
      assertThat(found.ttlSeconds()).isNotNegative();
    } else if (lookup instanceof DnsLookup.TempFail<?> fail) {
      assertThat(fail.reason()).isNotNull();
    } else if (lookup instanceof DnsLookup.NoData<?> noData) {
      assertThat(noData.negativeTtlSeconds()).isNotNegative();
    } else if (lookup instanceof DnsLookup.NxDomain<?> nx) {
      assertThat(nx.negativeTtlSeconds()).isNotNegative();
    }
  }
}
