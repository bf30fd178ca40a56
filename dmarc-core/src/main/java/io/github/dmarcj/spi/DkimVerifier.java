// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spi;

import io.github.dmarcj.message.HeaderField;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.result.DkimOutcome;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Verification of every DKIM-Signature of a message. Implemented by dmarc-dkim; core depends only
 * on this interface.
 */
@FunctionalInterface
public interface DkimVerifier {
  /**
   * Verifies the signatures of {@code message} (the raw RFC 5322 bytes as received), one outcome
   * per DKIM-Signature field in header order; an empty list when there is none. Never completes
   * exceptionally for anything in the message or the DNS.
   *
   * @param message the message as received
   * @return a stage that completes with one outcome per signature
   */
  CompletionStage<List<DkimOutcome>> verify(byte[] message);

  /**
   * Starts verifying a message whose header has been read already; its body follows through {@link
   * Session#body}. Key lookups may start at once. The default keeps the header and the body in
   * memory and calls {@link #verify(byte[])} at the end with the fields of {@code header} (those a
   * header limit kept), an empty line and the body; dmarc-dkim overrides it to hash the body as it
   * arrives, so the body is never held whole.
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
      public CompletionStage<List<DkimOutcome>> finish() {
        return verify(bytes.toByteArray());
      }
    };
  }

  /** One message being verified: its body arrives in order, then {@link #finish()}. */
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
     * The body has ended: one outcome per DKIM-Signature field, as {@link #verify(byte[])} gives.
     * Never completes exceptionally for anything in the message or the DNS.
     *
     * @return a stage that completes with one outcome per signature
     */
    CompletionStage<List<DkimOutcome>> finish();
  }
}
