// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.util.Locale;

/**
 * An authentication mechanism named in the {@code Identity-Alignment} field of a DMARC failure
 * report, the {@code dmarc-method} of RFC 9991 §4: {@code "dkim" / "spf"}, each at most once. A
 * report lists the mechanisms that failed to authenticate an aligned identity; an empty set is
 * written as {@code none}.
 *
 * @since 0.1.0
 */
public enum DmarcMethod {
  /** DKIM (RFC 6376) failed to authenticate an aligned identity. */
  DKIM,
  /** SPF (RFC 7208) failed to authenticate an aligned identity. */
  SPF;

  /** {@return the keyword as written in the field, lower case: {@code dkim}} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
