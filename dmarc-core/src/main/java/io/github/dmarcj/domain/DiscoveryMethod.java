// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

/** How an Organizational Domain was found (RFC 9990 §3.1.1.5 {@code discovery_method}). */
public enum DiscoveryMethod {
  /** Public Suffix List, RFC 7489 §3.2. */
  PSL,
  /** DNS tree walk, RFC 9989 §4.10. */
  TREEWALK;

  /** {@return {@code psl} or {@code treewalk}} */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
