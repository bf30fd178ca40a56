// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

/** Which SMTP identity an SPF check authorised (RFC 7208 §2.3-2.4; RFC 9990 {@code scope}). */
public enum SpfScope {
  /** The RFC5321.MailFrom identity, or {@code postmaster@HELO} for a null reverse-path. */
  MFROM,
  /** The HELO/EHLO identity. */
  HELO;

  /** {@return {@code mfrom} or {@code helo}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
