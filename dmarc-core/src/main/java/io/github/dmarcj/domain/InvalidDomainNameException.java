// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

/** Thrown by {@link DomainName#of(String)} for text that is not a domain name. */
public final class InvalidDomainNameException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the name. */
  public enum Reason {
    EMPTY,
    EMPTY_LABEL,
    LABEL_TOO_LONG,
    TOO_LONG,
    INVALID_CHARACTER,
    BAD_IDN
  }

  private final Reason reason;

  InvalidDomainNameException(Reason reason, String text) {
    super("not a domain name (" + reason.name().toLowerCase(java.util.Locale.ROOT) + "): " + text);
    this.reason = reason;
  }

  /** What was wrong. */
  public Reason reason() {
    return reason;
  }
}
