// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.util.Objects;

/**
 * Something wrong with a message header that {@link MessageHeaderParser} tolerated or stopped at.
 * Each reason is reported once per header, at the offset where it was first seen.
 *
 * @param reason what was wrong
 * @param offset offset of the offending line or byte, counted from the start of the parsed input
 */
public record HeaderProblem(Reason reason, int offset) {
  /** What was wrong with the header (RFC 5322 §2.2, §3.6.8). */
  public enum Reason {
    /**
     * The header section is longer than {@link HeaderLimits#maxHeaderBytes()}; parsing stopped and
     * only fields that ended within the limit are kept.
     */
    HEADER_TOO_LARGE(true),
    /**
     * More fields than {@link HeaderLimits#maxFields()}; parsing stopped at the first extra one.
     */
    TOO_MANY_FIELDS(true),
    /**
     * A line that is neither a field nor a continuation: no colon, an empty name, or a byte outside
     * {@code ftext} (printable ASCII except the colon) before the colon. The line and its
     * continuation lines are skipped; parsing goes on with the next line.
     */
    MALFORMED_LINE(false),
    /**
     * A continuation line (starting with a space or tab) with no field before it, such as a first
     * header line starting with whitespace. The line is skipped.
     */
    ORPHAN_CONTINUATION(false),
    /** A NUL byte inside a field; the field is kept as received. */
    NUL_BYTE(false),
    /** A carriage return not followed by a line feed; it is kept as an ordinary byte. */
    BARE_CR(false);

    private final boolean truncating;

    Reason(boolean truncating) {
      this.truncating = truncating;
    }

    /** {@return true if parsing stopped here, so fields after this point are missing} */
    public boolean truncating() {
      return truncating;
    }
  }

  /**
   * Checks that the reason is present.
   *
   * @param reason what was wrong
   * @param offset offset of the offending line or byte, counted from the start of the parsed input
   */
  public HeaderProblem {
    Objects.requireNonNull(reason, "reason");
  }
}
