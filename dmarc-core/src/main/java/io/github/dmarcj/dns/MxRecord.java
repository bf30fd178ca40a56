// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.util.Objects;

/**
 * One MX record: its preference and its exchange name (no trailing dot; {@code ""} for the null
 * MX of RFC 7505, whose exchange is the root).
 */
public record MxRecord(int preference, String exchange) {
  public MxRecord {
    Objects.requireNonNull(exchange, "exchange");
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference must be 0..65535, was " + preference);
    }
  }
}
