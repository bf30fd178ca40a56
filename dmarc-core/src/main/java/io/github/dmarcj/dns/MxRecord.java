// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.util.Objects;

/**
 * One MX record: its preference and its exchange name (no trailing dot; {@code ""} for the null MX
 * of RFC 7505, whose exchange is the root).
 *
 * @param preference the preference, 0 to 65535; lower is preferred
 * @param exchange the exchange host name, or {@code ""} for the null MX
 */
public record MxRecord(int preference, String exchange) {
  /**
   * Checks the preference range and that the exchange is present.
   *
   * @param preference the preference, 0 to 65535; lower is preferred
   * @param exchange the exchange host name, or {@code ""} for the null MX
   */
  public MxRecord {
    Objects.requireNonNull(exchange, "exchange");
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
    }
  }
}
