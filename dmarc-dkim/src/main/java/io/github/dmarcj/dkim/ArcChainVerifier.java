// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.spi.ArcVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Validates the Authenticated Received Chain of received messages (RFC 8617 §5.2); verification
 * only, no sealing. Immutable and thread-safe: build one and keep it.
 *
 * <p>ARC-Message-Signatures are DKIM signatures in all but name, so they go through the very code
 * that verifies DKIM-Signatures: the {@link DkimMessageVerifier} given to the builder supplies the
 * resolver, clock, executor, limits (key sizes, {@code rsa-sha1}, field and header sizes, key
 * lookup timeout) and key cache. ARC-Seals are checked with the same key records and crypto.
 *
 * <p>A chain longer than {@link Builder#maxSets(int)} (default {@value #DEFAULT_MAX_SETS}) or than
 * the protocol's 50 sets is {@code fail} without any key being fetched; so is any structural flaw.
 * Nothing in a message or the DNS makes it throw; every {@code fail} carries an {@link
 * io.github.dmarcj.result.ArcReason}.
 *
 * <pre>{@code
 * ArcChainVerifier arc = ArcChainVerifier.builder(dkimVerifier).build();
 * ArcOutcome chain = arc.verifyMessage(messageBytes).toCompletableFuture().join();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ArcChainVerifier implements ArcVerifier {
  /**
   * Default for {@link Builder#maxSets(int)}: ten ARC Sets, which real forwarding paths stay well
   * below, and which bounds the public-key work of one message at twenty operations.
   */
  public static final int DEFAULT_MAX_SETS = 10;

  private final DkimMessageVerifier dkim;
  private final int maxSets;

  private ArcChainVerifier(Builder b) {
    this.dkim = b.dkim;
    this.maxSets = b.maxSets;
  }

  /**
   * {@return a builder whose chains are checked with {@code dkim}'s resolver, clock, executor,
   * limits and key cache}
   *
   * @param dkim the DKIM verifier whose settings and key cache ARC shares
   */
  public static Builder builder(DkimMessageVerifier dkim) {
    return new Builder(dkim);
  }

  /**
   * {@return a builder that uses a DKIM verifier with default limits on {@code resolver}}
   *
   * @param resolver the resolver for key records
   */
  public static Builder builder(DnsResolver resolver) {
    Objects.requireNonNull(resolver, "resolver");
    return new Builder(DkimMessageVerifier.builder(resolver).build());
  }

  /** {@return the most ARC Sets a chain may have before it fails} */
  public int maxSets() {
    return maxSets;
  }

  /**
   * Core's contract: the chain of {@code message}.
   *
   * @param message the raw message as received
   */
  @Override
  public CompletionStage<ArcOutcome> verify(byte[] message) {
    return verifyMessage(message);
  }

  /**
   * Validates the chain of a message held in an array.
   *
   * @param message the message as received
   * @return a stage that completes with the chain's outcome, never exceptionally
   */
  public CompletionStage<ArcOutcome> verifyMessage(byte[] message) {
    Objects.requireNonNull(message, "message");
    HeaderSection h = HeaderSection.parse(message, 0, message.length, dkim.limits.maxHeaderBytes);
    ArcVerification v = new ArcVerification(dkim, h, maxSets);
    v.body(message, h.bodyOffset, message.length - h.bodyOffset);
    return v.finish();
  }

  /**
   * Validates the chain of a message read from {@code in} to its end, holding only the header and
   * one chunk of body; the stream is not closed.
   *
   * @param in the stream the message is read from
   * @return a stage that completes with the chain's outcome, never exceptionally
   * @throws IOException if reading {@code in} fails
   */
  public CompletionStage<ArcOutcome> verifyMessage(InputStream in) throws IOException {
    Objects.requireNonNull(in, "in");
    int maxHeader = dkim.limits.maxHeaderBytes;
    HeaderSection.Prefix prefix = HeaderSection.read(in, maxHeader, DkimMessageVerifier.CHUNK);
    HeaderSection h = HeaderSection.parse(prefix.bytes, 0, prefix.length, maxHeader);
    ArcVerification v = new ArcVerification(dkim, h, maxSets);
    if (!h.truncated) {
      v.body(prefix.bytes, h.bodyOffset, prefix.length - h.bodyOffset);
      byte[] buf = new byte[DkimMessageVerifier.CHUNK];
      int n;
      while ((n = in.read(buf, 0, buf.length)) >= 0) {
        v.body(buf, 0, n);
      }
    }
    return v.finish();
  }

  /**
   * Core's streaming contract: the structure is checked and the keys are looked up now, the body is
   * hashed for the ARC-Message-Signatures as it is fed.
   */
  @Override
  public ArcVerifier.Session start(ParsedHeader header) {
    Objects.requireNonNull(header, "header");
    HeaderSection h = HeaderSection.of(header, dkim.limits.maxHeaderBytes);
    ArcVerification v = new ArcVerification(dkim, h, maxSets);
    return new ArcVerifier.Session() {
      @Override
      public void body(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (!h.truncated) {
          v.body(b, off, len);
        }
      }

      @Override
      public CompletionStage<ArcOutcome> finish() {
        return v.finish();
      }
    };
  }

  /** Configuration of an {@link ArcChainVerifier}. */
  public static final class Builder {
    private final DkimMessageVerifier dkim;
    private int maxSets = DEFAULT_MAX_SETS;

    private Builder(DkimMessageVerifier dkim) {
      this.dkim = Objects.requireNonNull(dkim, "dkim");
    }

    /**
     * Most ARC Sets a chain may have, default {@value #DEFAULT_MAX_SETS}, at most 50 (RFC 8617
     * §4.2.1); a longer chain is {@code fail} ({@link
     * io.github.dmarcj.result.ArcReason#OVER_LOCAL_LIMIT}) before any key is fetched.
     *
     * @param n the most ARC Sets
     * @return this builder
     */
    public Builder maxSets(int n) {
      if (n < 1 || n > ArcChain.PROTOCOL_MAX_SETS) {
        throw new IllegalArgumentException(
            "maximum ARC sets must be between 1 and " + ArcChain.PROTOCOL_MAX_SETS + ", was " + n);
      }
      this.maxSets = n;
      return this;
    }

    /** {@return the verifier} */
    public ArcChainVerifier build() {
      return new ArcChainVerifier(this);
    }
  }
}
