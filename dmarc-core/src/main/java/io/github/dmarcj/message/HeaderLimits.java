// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

/**
 * Bounds on what {@link MessageHeaderParser} reads from one message header (RFC 5322 §2.2). A
 * header that exceeds a bound is not an error of the caller: parsing stops, the fields read so far
 * are kept and the result carries {@link HeaderProblem.Reason#HEADER_TOO_LARGE} or {@link
 * HeaderProblem.Reason#TOO_MANY_FIELDS}.
 *
 * @param maxHeaderBytes most bytes of the header section, the blank separator line included;
 *     default {@value #DEFAULT_MAX_HEADER_BYTES}
 * @param maxFields most header fields; default {@value #DEFAULT_MAX_FIELDS}
 */
public record HeaderLimits(int maxHeaderBytes, int maxFields) {
  /** Default for {@link #maxHeaderBytes()}: 1 MiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;

  /** Default for {@link #maxFields()}. */
  public static final int DEFAULT_MAX_FIELDS = 1000;

  private static final HeaderLimits DEFAULTS =
      new HeaderLimits(DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_FIELDS);

  /**
   * Validates the bounds.
   *
   * @param maxHeaderBytes the largest header section read, in bytes
   * @param maxFields the most fields read
   * @throws IllegalArgumentException if a bound is not positive
   */
  public HeaderLimits {
    if (maxHeaderBytes < 1) {
      throw new IllegalArgumentException(
          "maximum header bytes must be positive, was " + maxHeaderBytes);
    }
    if (maxFields < 1) {
      throw new IllegalArgumentException("maximum fields must be positive, was " + maxFields);
    }
  }

  /**
   * {@return the default limits: {@value #DEFAULT_MAX_HEADER_BYTES} bytes, {@value
   * #DEFAULT_MAX_FIELDS} fields}
   */
  public static HeaderLimits defaults() {
    return DEFAULTS;
  }
}
