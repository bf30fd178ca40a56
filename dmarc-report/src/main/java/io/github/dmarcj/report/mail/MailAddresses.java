// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The addresses report mails are built with.
 *
 * @since 0.1.0
 */
public final class MailAddresses {
  private static final Pattern DOMAIN =
      Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?");

  private MailAddresses() {}

  /**
   * {@return {@code value} in lower case if it has the form of a host name (letters, digits, dots
   * and hyphens)}
   *
   * @param value the name
   * @param what what it is, for the message of the exception
   * @throws IllegalArgumentException if it does not
   */
  public static String domain(String value, String what) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(value, what);
    if (!DOMAIN.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " is not a domain name: " + value);
    }
    return value.toLowerCase(Locale.ROOT);
  }

  /**
   * {@return {@code value} as one RFC 5322 mailbox with a local part and a domain}
   *
   * @param value the address, with or without a display name
   * @param what what it is, for the message of the exception
   * @throws IllegalArgumentException if it is not such an address (a group, no domain, bad syntax)
   */
  public static InternetAddress parse(String value, String what) {
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(value, what);
    try {
      InternetAddress a = new InternetAddress(value, true);
      String addr = a.getAddress();
      int at = addr.lastIndexOf('@');
      if (at <= 0 || at == addr.length() - 1 || a.isGroup()) {
        throw new IllegalArgumentException(what + " is not a mail address with a domain: " + value);
      }
      return a;
    } catch (AddressException e) {
      throw new IllegalArgumentException(what + " is not a mail address: " + value, e);
    }
  }
}
