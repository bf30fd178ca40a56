// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.fuzz.FuzzBounds;
import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import java.io.ByteArrayInputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes DKIM: the tag-list grammar, DKIM-Signature fields, key records, and whole-message
 * verification with a key record from the fuzzer.
 *
 * <p>The verification input is the key record's text on the first line, then the message. Seeds are
 * the dkimpy, Stalwart and cross-check vectors with their keys.
 */
@Tag("fuzz")
final class DkimFuzzTest {
  private static final Limits LIMITS =
      new Limits(
          DkimMessageVerifier.DEFAULT_MAX_SIGNATURES,
          DkimMessageVerifier.DEFAULT_MAX_SIGNED_HEADERS,
          DkimMessageVerifier.DEFAULT_MAX_SIGNATURE_FIELD_BYTES,
          DkimMessageVerifier.DEFAULT_MAX_HEADER_BYTES,
          DkimMessageVerifier.DEFAULT_MIN_RSA_KEY_BITS,
          DkimMessageVerifier.DEFAULT_MAX_RSA_KEY_BITS,
          false,
          false,
          false,
          true,
          true,
          DkimMessageVerifier.DEFAULT_CLOCK_SKEW_SECONDS,
          false);

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyTagList_roundTripsAndTypedErrors(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);

    Optional<TagList> tags =
        FuzzBounds.allocationBounded(input.length, 64, () -> TagList.parse(text));
    if (tags.isPresent()) {
      // parse -> render -> parse gives the same tags in the same order.
      StringBuilder rendered = new StringBuilder();
      for (String name : tags.get().names()) {
        rendered.append(name).append('=').append(tags.get().value(name)).append("; ");
      }
      TagList again = TagList.parse(rendered.toString()).orElseThrow();
      assertThat(again.names()).containsExactlyElementsOf(tags.get().names());
      for (String name : tags.get().names()) {
        assertThat(again.value(name)).isEqualTo(tags.get().value(name));
      }
    }

    KeyRecord key = FuzzBounds.allocationBounded(input.length, 256, () -> KeyRecord.parse(text));
    if (tags.isEmpty()) {
      assertThat(key.error).isEqualTo(DkimReason.KEY_SYNTAX);
    }
    if (key.error == null) {
      assertThat(key.keyType).isNotNull();
      if (key.keyType.equals("rsa")) {
        assertThat(key.rsaKey).isNotNull();
        assertThat(key.keyBits).isEqualTo(key.rsaKey.getModulus().bitLength());
      } else if (key.keyType.equals("ed25519")) {
        assertThat(key.edKey).isNotNull();
      }
    } else {
      assertThat(key.error.result())
          .isIn(DkimResult.PERMERROR, DkimResult.NEUTRAL, DkimResult.FAIL);
    }

    byte[] raw = ("DKIM-Signature:" + text + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    HeaderField field = new HeaderField("DKIM-Signature", raw, "DKIM-Signature:".length());
    SignatureRecord sig =
        FuzzBounds.allocationBounded(
            input.length, 64, () -> SignatureRecord.parse(field, 0, LIMITS));
    if (sig.error == null) {
      assertThat(sig.algorithm).isNotNull();
      assertThat(sig.signature).isNotEmpty();
      assertThat(sig.bodyHash).isNotEmpty();
      assertThat(SignatureRecord.validDomain(sig.domain)).isTrue();
      assertThat(sig.signedHeaders).isNotEmpty();
      assertThat(sig.bValueStart).isBetween(field.valueOffset(), sig.bValueEnd);
      assertThat(sig.bValueEnd).isLessThanOrEqualTo(raw.length);
      assertThat(sig.identityDomain()).isNotNull();
    } else {
      assertThat(sig.error.result()).isNotEqualTo(DkimResult.PASS);
    }
    assertThat(sig.signaturePrefix().length()).isLessThanOrEqualTo(12);
  }

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void verifyMessage_fuzzedMessageAndKey_oneTypedResultPerSignature(byte[] input) throws Exception {
    int nl = indexOf(input, (byte) '\n');
    String keyRecord =
        nl < 0 ? "" : new String(input, 0, nl, StandardCharsets.UTF_8).replace("\r", "");
    byte[] message = nl < 0 ? input : Arrays.copyOfRange(input, nl + 1, input.length);
    DkimMessageVerifier verifier =
        DkimMessageVerifier.builder(new AnyNameResolver(keyRecord))
            .clock(TestData.fixed(1_900_000_000L))
            .executor(Runnable::run)
            .build();

    DkimVerificationResult report =
        verifier.verifyMessage(message).toCompletableFuture().get(15, TimeUnit.SECONDS);
    ParsedHeader header = MessageHeaderParser.create().parse(message);
    assertThat(report.signatures()).hasSize(header.count("DKIM-Signature"));
    for (DkimSignatureResult r : report.signatures()) {
      assertThat(r.reason()).isNotNull();
      assertThat(r.result()).isEqualTo(r.reason().result());
      assertThat(r.fieldIndex()).isBetween(0, header.fields().size() - 1);
      assertThat(header.fields().get(r.fieldIndex()).hasName("DKIM-Signature")).isTrue();
      assertThat(r.toOutcome()).isNotNull();
    }
    assertThat(report.summary()).isNotNull();

    // The stream entry point reads the same message the same way.
    DkimVerificationResult streamed =
        verifier
            .verifyMessage(new ByteArrayInputStream(message))
            .toCompletableFuture()
            .get(15, TimeUnit.SECONDS);
    assertThat(streamed).isEqualTo(report);
  }

  private static int indexOf(byte[] b, byte x) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == x) {
        return i;
      }
    }
    return -1;
  }

  /** Serves one TXT record at every name: whichever selector and domain the signature names. */
  private static final class AnyNameResolver implements DnsResolver {
    private final String txt;

    AnyNameResolver(String txt) {
      this.txt = txt;
    }

    @Override
    public CompletionStage<DnsLookup<String>> txt(String name) {
      return CompletableFuture.completedFuture(
          txt.isEmpty() ? DnsLookup.nxDomain(0) : DnsLookup.found(List.of(txt), 300));
    }

    @Override
    public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
      return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
    }

    @Override
    public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
      return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
    }

    @Override
    public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
      return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
    }

    @Override
    public CompletionStage<DnsLookup<String>> ptr(String name) {
      return CompletableFuture.completedFuture(DnsLookup.nxDomain(0));
    }
  }
}
