// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

/** Thrown by {@link DomainName#of(String)} for text that is not a domain name. */
public final class InvalidDomainNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the name. */
  public enum Reason {
    /** The text is empty. */
    EMPTY,
    /** A label is empty, as in {@code a..b}. */
    EMPTY_LABEL,
    /** A label is longer than 63 octets. */
    LABEL_TOO_LONG,
    /** The name is longer than 253 octets. */
    TOO_LONG,
    /** A character that cannot be in a domain name. */
    INVALID_CHARACTER,
    /** A label is not valid IDNA. */
    BAD_IDN
  }

  /** What was wrong with the name. */
  private final Reason reason;

  InvalidDomainNameException(Reason reason, String text) {
    super("not a domain name (" + reason.name().toLowerCase(java.util.Locale.ROOT) + "): " + text);
    this.reason = reason;
  }

  /** {@return what was wrong} */
  public Reason reason() {
    return reason;
  }
}
