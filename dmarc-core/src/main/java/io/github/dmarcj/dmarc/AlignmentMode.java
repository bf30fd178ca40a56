// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/**
 * Identifier alignment mode, tags {@code adkim} and {@code aspf} (RFC 9989 §4.7, §3.2.10; RFC 7489
 * §3.1).
 */
public enum AlignmentMode {
  /** {@code r}: the domains share an Organizational Domain. The default. */
  RELAXED,
  /** {@code s}: the domains are identical. */
  STRICT;

  /** {@return {@code r} or {@code s}} */
  public String keyword() {
    return this == RELAXED ? "r" : "s";
  }
}
