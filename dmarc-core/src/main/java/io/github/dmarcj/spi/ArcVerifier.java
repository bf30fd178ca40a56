// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spi;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.result.ArcOutcome;
import java.io.ByteArrayOutputStream;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Validation of a message's Authenticated Received Chain (RFC 8617 §5.2). Implemented by
 * dmarc-dkim, which shares its DKIM canonicalization, body hashing, key lookup and signature checks
 * with it; core depends only on this interface.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ArcVerifier {
  /**
   * Validates the chain of {@code message} (the raw RFC 5322 bytes as received): {@link
   * ArcOutcome#none()} when it carries no ARC field. Never completes exceptionally for anything in
   * the message or the DNS.
   *
   * @param message the message as received
   * @return a stage that completes with the chain's outcome
   */
  CompletionStage<ArcOutcome> verify(byte[] message);

  /**
   * Starts validating a message whose header has been read already; its body follows through {@link
   * Session#body}. The default keeps the header and the body in memory and calls {@link
   * #verify(byte[])} at the end, as {@link DkimVerifier#start} does.
   *
   * @param header the header as {@link io.github.dmarcj.message.MessageHeaderParser} read it
   * @return a session that takes the body
   */
  default Session start(ParsedHeader header) {
    Objects.requireNonNull(header, "header");
    return new Session() {
      private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

      {
        for (HeaderField f : header.fields()) {
          bytes.writeBytes(f.raw());
        }
        bytes.write('\r');
        bytes.write('\n');
      }

      @Override
      public void body(byte[] b, int off, int len) {
        bytes.write(b, off, len);
      }

      @Override
      public CompletionStage<ArcOutcome> finish() {
        return verify(bytes.toByteArray());
      }
    };
  }

  /** One message being validated: its body arrives in order, then {@link #finish()}. */
  interface Session {
    /**
     * The next {@code len} body bytes.
     *
     * @param b the array holding the bytes
     * @param off the index of the first byte
     * @param len the number of bytes
     */
    void body(byte[] b, int off, int len);

    /**
     * The body has ended: the chain's outcome, as {@link #verify(byte[])} gives it. Never completes
     * exceptionally for anything in the message or the DNS.
     *
     * @return a stage that completes with the chain's outcome
     */
    CompletionStage<ArcOutcome> finish();
  }
}
