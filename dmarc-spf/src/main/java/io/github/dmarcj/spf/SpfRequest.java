// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.SpfScope;
import java.net.InetAddress;
import java.util.Objects;

/**
 * What one SPF check is asked about (RFC 7208 §2.3, §2.4, §4.1): the identity to authorise, the
 * client address and the HELO/EHLO name (for {@code %{h}}). Build one with {@link
 * #mailFrom(InetAddress, String, String)} or {@link #helo(InetAddress, String)}.
 *
 * @param scope which identity is checked
 * @param clientIp the SMTP client; an IPv4-mapped IPv6 address is treated as IPv4 (§5)
 * @param helo the HELO/EHLO argument as the client sent it (may be empty or an address literal)
 * @param mailFrom the reverse-path without angle brackets, {@code ""} for the null sender; for a
 *     HELO check it is carried only into the Received-SPF header
 */
public record SpfRequest(SpfScope scope, InetAddress clientIp, String helo, String mailFrom) {
  /**
   * Checks the components; an IPv4-mapped client address becomes IPv4 and angle brackets and spaces
   * around MAIL FROM go.
   *
   * @param scope which identity is checked
   * @param clientIp the SMTP client; an IPv4-mapped IPv6 address is treated as IPv4 (§5)
   * @param helo the HELO/EHLO argument as the client sent it (may be empty or an address literal)
   * @param mailFrom the reverse-path without angle brackets, {@code ""} for the null sender; for a
   *     HELO check it is carried only into the Received-SPF header
   */
  public SpfRequest {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(helo, "helo");
    Objects.requireNonNull(mailFrom, "mailFrom");
    if (clientIp instanceof java.net.Inet6Address) {
      // normalise IPv4-mapped addresses the same way the envelope does
      clientIp = SmtpEnvelope.of(clientIp, "", null).clientIp();
    }
    if (!mailFrom.isEmpty()
        && (mailFrom.charAt(0) <= ' '
            || mailFrom.charAt(mailFrom.length() - 1) <= ' '
            || mailFrom.charAt(0) == '<')) {
      String m = mailFrom.trim();
      if (m.startsWith("<") && m.endsWith(">")) {
        m = m.substring(1, m.length() - 1);
      }
      mailFrom = m;
    }
  }

  /**
   * {@return a check of the MAIL FROM identity (§2.4)} For the null reverse-path ({@code mailFrom}
   * empty, {@code "<>"} or {@code null}) the identity is {@code postmaster@<helo>}.
   *
   * @param clientIp the SMTP client address
   * @param mailFrom the reverse-path, with or without angle brackets
   * @param helo the HELO/EHLO argument (used for {@code %{h}} and the null sender)
   */
  public static SpfRequest mailFrom(InetAddress clientIp, String mailFrom, String helo) {
    return new SpfRequest(SpfScope.MFROM, clientIp, helo, mailFrom == null ? "" : mailFrom);
  }

  /**
   * {@return a check of the MAIL FROM identity of {@code envelope} (§2.4)}
   *
   * @param envelope the SMTP envelope
   */
  public static SpfRequest mailFrom(SmtpEnvelope envelope) {
    return mailFrom(envelope.clientIp(), envelope.mailFrom().orElse(""), envelope.helo());
  }

  /**
   * {@return a check of the HELO identity (§2.3); the identity is {@code postmaster@<helo>}}
   *
   * @param clientIp the SMTP client's address
   * @param helo the HELO or EHLO argument
   */
  public static SpfRequest helo(InetAddress clientIp, String helo) {
    return new SpfRequest(SpfScope.HELO, clientIp, helo, "");
  }

  /**
   * {@return a check of the HELO identity of {@code envelope} (§2.3)}
   *
   * @param envelope the SMTP envelope
   */
  public static SpfRequest helo(SmtpEnvelope envelope) {
    return new SpfRequest(
        SpfScope.HELO, envelope.clientIp(), envelope.helo(), envelope.mailFrom().orElse(""));
  }

  /** {@return true for a MAIL FROM check with the null reverse-path} */
  public boolean isNullSender() {
    return mailFrom.isEmpty();
  }
}
