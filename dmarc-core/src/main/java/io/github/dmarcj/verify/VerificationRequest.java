// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.SpfOutcome;
import java.util.Objects;
import java.util.Optional;

/**
 * One message to verify: its SMTP envelope and raw bytes, plus what the mail server may already
 * know.
 *
 * <p>The message array is not copied: do not modify it until the verification has completed.
 *
 * @param envelope the client address, HELO name and MAIL FROM
 * @param message the message as received (RFC 5322 header and body, CRLF or LF line endings)
 * @param spf an SPF outcome the mail server already computed at MAIL FROM time; when present SPF is
 *     not checked again
 * @param envelopeTo the RCPT TO domain, copied into the report record ({@code envelope_to})
 * @since 0.1.0
 */
public record VerificationRequest(
    SmtpEnvelope envelope, byte[] message, Optional<SpfOutcome> spf, Optional<String> envelopeTo) {
  /**
   * Checks that every component is present.
   *
   * @param envelope the client address, HELO name and MAIL FROM
   * @param message the message as received (RFC 5322 header and body, CRLF or LF line endings)
   * @param spf an SPF outcome the mail server already computed at MAIL FROM time; when present SPF
   *     is not checked again
   * @param envelopeTo the RCPT TO domain, copied into the report record ({@code envelope_to})
   */
  public VerificationRequest {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(envelopeTo, "envelopeTo");
  }

  private static final byte[] NO_BYTES = new byte[0];

  /**
   * {@return a request without message bytes, for a message read from a stream ({@link
   * MessageAuthenticator#verifyAsync(VerificationRequest, java.io.InputStream)})}
   *
   * @param envelope the SMTP envelope
   */
  public static VerificationRequest of(SmtpEnvelope envelope) {
    return new VerificationRequest(envelope, NO_BYTES, Optional.empty(), Optional.empty());
  }

  /**
   * {@return a request for {@code message} received with {@code envelope}}
   *
   * @param envelope the SMTP envelope
   * @param message the message as received
   */
  public static VerificationRequest of(SmtpEnvelope envelope, byte[] message) {
    return new VerificationRequest(envelope, message, Optional.empty(), Optional.empty());
  }

  /**
   * {@return this request with an SPF outcome computed earlier (SPF is then not checked again)}
   *
   * @param precomputed the SPF outcome of the MAIL FROM identity
   */
  public VerificationRequest withSpf(SpfOutcome precomputed) {
    Objects.requireNonNull(precomputed, "precomputed");
    return new VerificationRequest(envelope, message, Optional.of(precomputed), envelopeTo);
  }

  /**
   * {@return this request with the RCPT TO domain for the report record, normalized (A-labels,
   * lower case, no trailing dot)}
   *
   * @param domain the RCPT TO domain
   * @throws IllegalArgumentException if {@code domain} is not a domain name
   */
  public VerificationRequest withEnvelopeTo(String domain) {
    Objects.requireNonNull(domain, "domain");
    String normalized =
        io.github.dmarcj.domain.DomainName.parse(domain)
            .map(io.github.dmarcj.domain.DomainName::name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "envelope-to is not a domain name: '" + domain + "'"));
    return new VerificationRequest(envelope, message, spf, Optional.of(normalized));
  }
}
