// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * A requested handling policy ({@code p}, {@code sp}, {@code np}; RFC 9989 §4.7) and also a message
 * disposition after modifiers and overrides (RFC 9990 §3.1.1.7 {@code disposition}). Ordered from
 * weakest to strictest.
 */
public enum DmarcPolicy {
  /** No specific action; mail is handled as if there were no DMARC policy. */
  NONE,
  /** Treat failing mail as suspicious (for example deliver to a spam folder). */
  QUARANTINE,
  /** Reject failing mail during the SMTP transaction. */
  REJECT;

  /** {@return the RFC keyword: {@code none}, {@code quarantine} or {@code reject}} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * {@return the policy one level weaker (reject to quarantine, quarantine to none, none stays
   * none)}
   */
  public DmarcPolicy weaker() {
    return this == REJECT ? QUARANTINE : NONE;
  }

  /**
   * {@return true if this policy is stricter than {@code other}}
   *
   * @param other the policy to compare with
   */
  public boolean isStricterThan(DmarcPolicy other) {
    return compareTo(other) > 0;
  }

  /**
   * {@return the policy named by {@code keyword} (ASCII case-insensitive), or empty}
   *
   * @param keyword {@code none}, {@code quarantine} or {@code reject}, in any case
   */
  public static Optional<DmarcPolicy> fromKeyword(String keyword) {
    java.util.Objects.requireNonNull(keyword, "keyword");
    for (DmarcPolicy p : values()) {
      if (p.keyword().equalsIgnoreCase(keyword)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
