// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

/**
 * Signs an outgoing report mail, so it passes DMARC for the reporting domain (RFC 9990 §3.5.2).
 * dmarc-dkim's {@code DkimSigner::signatureField} is one; the report module does not depend on it.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MailSigner {
  /**
   * {@return the header field to put at the top of {@code message}, with its final CRLF}
   *
   * @param message the whole mail as it will be sent (CRLF line endings)
   */
  String signatureField(byte[] message);

  /**
   * {@return {@code message} with the signature field on top}
   *
   * @param message the whole mail as it will be sent (CRLF line endings)
   */
  default byte[] sign(byte[] message) {
    byte[] field = signatureField(message).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] signed = new byte[field.length + message.length];
    System.arraycopy(field, 0, signed, 0, field.length);
    System.arraycopy(message, 0, signed, field.length, message.length);
    return signed;
  }
}
