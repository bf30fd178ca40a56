// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the SMTP session told us about a message: the client's address, the HELO/EHLO name and the
 * MAIL FROM reverse-path.
 *
 * @param clientIp the connecting client; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is
 *     stored as the IPv4 address (RFC 7208 §5)
 * @param helo the HELO/EHLO argument as given (may be an address literal or empty)
 * @param mailFrom the reverse-path without angle brackets or source route; empty for the null
 *     sender {@code <>}
 */
public record SmtpEnvelope(InetAddress clientIp, String helo, Optional<String> mailFrom) {
  /**
   * Checks the components; an IPv4-mapped IPv6 client address becomes IPv4 and angle brackets
   * around MAIL FROM go.
   *
   * @param clientIp the connecting client; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is
   *     stored as the IPv4 address (RFC 7208 §5)
   * @param helo the HELO/EHLO argument as given (may be an address literal or empty)
   * @param mailFrom the reverse-path without angle brackets or source route; empty for the null
   *     sender {@code <>}
   */
  public SmtpEnvelope {
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(helo, "helo");
    Objects.requireNonNull(mailFrom, "mailFrom");
    clientIp = unmap(clientIp);
    mailFrom = mailFrom.map(SmtpEnvelope::stripBrackets).filter(s -> !s.isEmpty());
  }

  /**
   * {@return an envelope; {@code mailFrom} may be {@code null}, {@code ""} or {@code "<>"} for the
   * null sender}
   *
   * @param clientIp the SMTP client's address
   * @param helo the HELO or EHLO argument
   * @param mailFrom the MAIL FROM address
   */
  public static SmtpEnvelope of(InetAddress clientIp, String helo, @Nullable String mailFrom) {
    return new SmtpEnvelope(clientIp, helo, Optional.ofNullable(mailFrom));
  }

  /** {@return true when the reverse-path is null ({@code MAIL FROM:<>})} */
  public boolean isNullSender() {
    return mailFrom.isEmpty();
  }

  /**
   * The mailbox of a reverse-path: surrounding whitespace and one pair of angle brackets removed,
   * and an obsolete source route ({@code <@relay.example:user@example.com>}) dropped, as RFC 5321
   * §4.1.2 and Appendix C tell a receiver to do.
   */
  private static String stripBrackets(String s) {
    String t = s.trim();
    if (t.length() >= 2 && t.charAt(0) == '<' && t.charAt(t.length() - 1) == '>') {
      t = t.substring(1, t.length() - 1).trim();
    }
    if (t.startsWith("@")) {
      int colon = t.indexOf(':');
      if (colon > 0) {
        t = t.substring(colon + 1);
      }
    }
    return t;
  }

  private static InetAddress unmap(InetAddress ip) {
    if (ip instanceof Inet6Address) {
      byte[] b = ip.getAddress();
      for (int i = 0; i < 10; i++) {
        if (b[i] != 0) {
          return ip;
        }
      }
      if ((b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
        try {
          return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (java.net.UnknownHostException e) {
          throw new AssertionError(e);
        }
      }
    }
    return ip;
  }
}
