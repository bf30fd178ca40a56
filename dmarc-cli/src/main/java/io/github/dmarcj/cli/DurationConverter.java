// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration as a whole number with a unit: {@code 30s}, {@code 10m}, {@code 6h}, {@code 7d};
 * {@code 0} alone is zero.
 */
final class DurationConverter implements ITypeConverter<Duration> {
  /** The most any duration option accepts: ten years. */
  private static final long MAX_SECONDS = 10L * 366 * 86_400;

  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    if (v.length() < 2 || v.length() > 12) {
      throw invalid(value);
    }
    long unit =
        switch (v.charAt(v.length() - 1)) {
          case 's' -> 1;
          case 'm' -> 60;
          case 'h' -> 3_600;
          case 'd' -> 86_400;
          default -> throw invalid(value);
        };
    String digits = v.substring(0, v.length() - 1);
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(value);
    }
    long n = Long.parseLong(digits);
    if (n > MAX_SECONDS / unit) {
      throw new TypeConversionException("'" + value + "' is longer than ten years");
    }
    return Duration.ofSeconds(n * unit);
  }

  private static TypeConversionException invalid(String value) {
    return new TypeConversionException(
        "'" + value + "' is not a duration: a whole number with s, m, h or d (30s, 10m, 6h, 7d)");
  }
}
