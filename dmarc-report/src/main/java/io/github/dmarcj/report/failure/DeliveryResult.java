// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.util.Locale;

/**
 * What the receiver did with the reported message, field {@code Delivery-Result} (RFC 6591 §3.2;
 * optional in a DMARC failure report, RFC 9991 §4).
 *
 * @since 0.1.0
 */
public enum DeliveryResult {
  /** The message was delivered to the intended recipient. */
  DELIVERED,
  /** The message was delivered to a spam or junk folder. */
  SPAM,
  /** The message was suppressed by local policy (quarantined, discarded). */
  POLICY,
  /** The message was rejected during the SMTP transaction. */
  REJECT,
  /** Something else happened. */
  OTHER;

  /** {@return the keyword as written in the field, lower case: {@code delivered}} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
