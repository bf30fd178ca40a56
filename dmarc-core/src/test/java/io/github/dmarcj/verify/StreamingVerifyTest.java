// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.spi.DkimVerifier;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** {@link MessageAuthenticator#verify(SmtpEnvelope, InputStream)}: same verdicts, streamed body. */
final class StreamingVerifyTest {
  private static final String SIGNED =
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; b=AAAABBBBCCCCDDDD; bh=x; h=from\r\n"
          + "From: Alice <alice@example.com>\r\n"
          + "Subject: hi\r\n\r\nbody line one\r\nbody line two\r\n";

  private final InMemoryDnsResolver dns =
      InMemoryDnsResolver.builder()
          .txt("_dmarc.example.com", "v=DMARC1; p=reject")
          .exists("example.com")
          .build();

  /** A DKIM verifier that passes when the body it was given is exactly {@code expectedBody}. */
  private static final class BodyCheckingVerifier implements DkimVerifier {
    final List<String> seen = new ArrayList<>();

    @Override
    public CompletionStage<List<DkimOutcome>> verify(byte[] message) {
      String m = new String(message, StandardCharsets.ISO_8859_1);
      seen.add("whole:" + m.substring(m.indexOf("\r\n\r\n") + 4));
      return CompletableFuture.completedFuture(List.of(outcome()));
    }

    @Override
    public Session start(ParsedHeader header) {
      StringBuilder body = new StringBuilder();
      return new Session() {
        @Override
        public void body(byte[] b, int off, int len) {
          body.append(new String(b, off, len, StandardCharsets.ISO_8859_1));
        }

        @Override
        public CompletionStage<List<DkimOutcome>> finish() {
          seen.add("streamed:" + body + " fields=" + header.fields().size());
          return CompletableFuture.completedFuture(List.of(outcome()));
        }
      };
    }

    static DkimOutcome outcome() {
      return new DkimOutcome(
          DkimResult.PASS,
          "example.com",
          "sel",
          "rsa-sha256",
          Optional.empty(),
          "AAAA",
          false,
          Optional.empty());
    }
  }

  private MessageAuthenticator authenticator(DkimVerifier dkim) {
    return MessageAuthenticator.builder(dns)
        .authservId("mx.example.org")
        .spfVerifier(
            env ->
                CompletableFuture.completedFuture(
                    SpfOutcome.of(
                        SpfResult.NONE, SpfScope.MFROM, "x@other.example", "other.example")))
        .dkimVerifier(dkim)
        .build();
  }

  private static SmtpEnvelope envelope() throws Exception {
    return SmtpEnvelope.of(
        InetAddress.getByName("192.0.2.1"), "mx.other.example", "x@other.example");
  }

  private static InputStream unmarkable(byte[] b) {
    return new FilterInputStream(new ByteArrayInputStream(b)) {
      @Override
      public boolean markSupported() {
        return false;
      }
    };
  }

  @Test
  void stream_sameVerdictAsArray_bodyStreamedToTheSession() throws Exception {
    BodyCheckingVerifier dkim = new BodyCheckingVerifier();
    MessageAuthenticator a = authenticator(dkim);
    byte[] msg = SIGNED.getBytes(StandardCharsets.ISO_8859_1);
    VerificationResult fromArray = a.verify(envelope(), msg);
    VerificationResult fromStream = a.verify(envelope(), unmarkable(msg));
    assertThat(fromStream.dmarc()).isEqualTo(fromArray.dmarc());
    assertThat(fromStream.dkim()).isEqualTo(fromArray.dkim());
    assertThat(fromStream.authenticationResultsField())
        .isEqualTo(fromArray.authenticationResultsField());
    assertThat(fromStream.dmarc().result()).isEqualTo(DmarcResult.PASS);
    assertThat(dkim.seen)
        .containsExactly(
            "whole:body line one\r\nbody line two\r\n",
            "streamed:body line one\r\nbody line two\r\n fields=3");
  }

  @Test
  void stream_defaultSession_givesTheVerifierTheWholeMessage() throws Exception {
    List<String> got = new ArrayList<>();
    DkimVerifier plain =
        message -> {
          got.add(new String(message, StandardCharsets.ISO_8859_1));
          return CompletableFuture.completedFuture(List.of(BodyCheckingVerifier.outcome()));
        };
    authenticator(plain)
        .verify(envelope(), new ByteArrayInputStream(SIGNED.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(got).containsExactly(SIGNED);
  }

  @Test
  void stream_sessionThatThrows_isNeutralForEachSignatureOnly() throws Exception {
    DkimVerifier broken =
        new DkimVerifier() {
          @Override
          public CompletionStage<List<DkimOutcome>> verify(byte[] message) {
            throw new AssertionError("not called");
          }

          @Override
          public Session start(ParsedHeader header) {
            return new Session() {
              @Override
              public void body(byte[] b, int off, int len) {
                throw new IllegalStateException("defect");
              }

              @Override
              public CompletionStage<List<DkimOutcome>> finish() {
                throw new AssertionError("not called");
              }
            };
          }
        };
    InputStream in = new ByteArrayInputStream(SIGNED.getBytes(StandardCharsets.ISO_8859_1));
    VerificationResult r = authenticator(broken).verify(envelope(), in);
    assertThat(r.dkim())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.result()).isEqualTo(DkimResult.NEUTRAL);
              assertThat(d.reason()).contains(DkimReason.INTERNAL_ERROR);
            });
    assertThat(in.read()).as("the stream is read to its end").isEqualTo(-1);
  }

  @Test
  void stream_readFailure_isTheCallersIoException() throws Exception {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk gone");
          }
        };
    assertThatThrownBy(() -> authenticator(new BodyCheckingVerifier()).verify(envelope(), failing))
        .isInstanceOf(IOException.class)
        .hasMessage("disk gone");
  }

  @Test
  void stream_requestWithBytes_isMisuse() throws Exception {
    MessageAuthenticator a = authenticator(new BodyCheckingVerifier());
    VerificationRequest withBytes = VerificationRequest.of(envelope(), new byte[] {'x'});
    assertThatThrownBy(() -> a.verify(withBytes, new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VerificationRequest.of(envelope)");
    assertThatThrownBy(() -> a.verify(envelope(), (InputStream) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("message");
  }

  @Test
  void stream_cutHeader_spoofStillRejected_andBodyNotHashed() throws Exception {
    StringBuilder junk = new StringBuilder();
    for (int i = 0; i < 1200; i++) {
      junk.append("X-J").append(i).append(": j\r\n");
    }
    BodyCheckingVerifier dkim = new BodyCheckingVerifier();
    byte[] msg =
        (SIGNED.replace("From: Alice", junk + "From: Alice")).getBytes(StandardCharsets.ISO_8859_1);
    VerificationResult r =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.org")
            .spfVerifier(
                env ->
                    CompletableFuture.completedFuture(
                        SpfOutcome.of(
                            SpfResult.PASS, SpfScope.MFROM, "x@other.example", "other.example")))
            .dkimVerifier(dkim)
            .build()
            .verify(envelope(), new ByteArrayInputStream(msg));
    assertThat(r.dmarc().headerLimitExceeded()).isTrue();
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(dkim.seen).singleElement().asString().startsWith("streamed: fields=1000");
  }

  @Test
  void requestOfEnvelope_hasNoBytes() throws Exception {
    assertThat(VerificationRequest.of(envelope()).message()).isEmpty();
  }
}
