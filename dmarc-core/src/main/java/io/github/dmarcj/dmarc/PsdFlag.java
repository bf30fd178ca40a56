// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/** The {@code psd} tag of RFC 9989 §4.7. */
public enum PsdFlag {
  /** {@code y}: the record is published by a Public Suffix Operator. */
  Y,
  /** {@code n}: the domain is an Organizational Domain (the tree walk stops here). */
  N,
  /** {@code u}: unknown, the default. */
  U;

  /** {@return {@code y}, {@code n} or {@code u}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
