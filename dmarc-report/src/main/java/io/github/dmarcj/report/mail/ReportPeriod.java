// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A reporting period [{@code begin}, {@code end}) (RFC 9990 §3.1.1.4: UTC, non-overlapping).
 *
 * @param begin the start, inclusive
 * @param end the end, exclusive
 * @since 0.1.0
 */
public record ReportPeriod(Instant begin, Instant end) {
  /** One UTC day, the usual period (RFC 9990 §3.1.1.4) and the longest one (RFC 9989 §5.3.8). */
  public static final Duration DAY = Duration.ofDays(1);

  /**
   * Checks that the period is not empty.
   *
   * @param begin the start, inclusive
   * @param end the end, exclusive
   */
  public ReportPeriod {
    Objects.requireNonNull(begin, "begin");
    Objects.requireNonNull(end, "end");
    if (!end.isAfter(begin)) {
      throw new IllegalArgumentException("empty period: " + begin + " .. " + end);
    }
  }

  /**
   * {@return the period of {@code length} that holds {@code t}, aligned to UTC midnight}
   *
   * @param t a time
   * @param length a whole number of hours that divides a day
   */
  public static ReportPeriod containing(Instant t, Duration length) {
    long s = checkedLength(length);
    long b = Math.floorDiv(t.getEpochSecond(), s) * s;
    return new ReportPeriod(Instant.ofEpochSecond(b), Instant.ofEpochSecond(b + s));
  }

  /**
   * {@return {@code length} in seconds if it is a whole number of hours that divides a day}
   *
   * @param length the period length
   * @throws IllegalArgumentException otherwise
   */
  static long checkedLength(Duration length) {
    long s = length.toSeconds();
    if (length.toNanosPart() != 0 || s < 3600 || s % 3600 != 0 || DAY.toSeconds() % s != 0) {
      throw new IllegalArgumentException(
          "a reporting period must be a whole number of hours that divides a day (1, 2, 3, 4, 6,"
              + " 8, 12 or 24 hours), was "
              + length);
    }
    return s;
  }

  /**
   * {@return the period an RFC 7489 {@code ri} asks for, no longer than {@code longest}: the
   * longest whole number of hours dividing a day that is at most {@code ri}, at least one hour (RFC
   * 7489 §6.3: daily reports are required, hourly ones expected, shorter ones best effort)}
   *
   * @param ri the record's {@code ri} in seconds
   * @param longest the configured period
   */
  public static Duration forInterval(long ri, Duration longest) {
    long cap = checkedLength(longest);
    long chosen = 3600;
    for (long h : new long[] {24, 12, 8, 6, 4, 3, 2, 1}) {
      if (h * 3600 <= ri) {
        chosen = h * 3600;
        break;
      }
    }
    return Duration.ofSeconds(Math.min(chosen, cap));
  }

  /**
   * {@return true if {@code t} lies in this period}
   *
   * @param t a time
   */
  public boolean contains(Instant t) {
    return !t.isBefore(begin) && t.isBefore(end);
  }
}
