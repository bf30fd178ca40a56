// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reporting periods: UTC-aligned, whole hours dividing a day, and RFC 7489's {@code ri}. */
final class ReportPeriodTest {
  @ParameterizedTest(name = "ri={0} with a {1}h period -> {2}h")
  @CsvSource({
    "86400, 24, 24",
    "604800, 24, 24",
    "43200, 24, 12",
    "30000, 24, 8",
    "10000, 24, 2",
    "7200, 24, 2",
    "3600, 24, 1",
    "3599, 24, 1",
    "60, 24, 1",
    "0, 24, 1",
    "86400, 6, 6",
    "3600, 6, 1"
  })
  @DisplayName("DMARC-31: ri becomes the longest whole-hour divisor of a day not above it")
  void forInterval(long ri, int configuredHours, int expectedHours) {
    assertThat(ReportPeriod.forInterval(ri, Duration.ofHours(configuredHours)))
        .isEqualTo(Duration.ofHours(expectedHours));
  }

  @Test
  @DisplayName("periods are aligned to UTC midnight and hold their start, not their end")
  void containing() {
    Instant t = Instant.parse("2026-11-26T13:59:59Z");
    assertThat(ReportPeriod.containing(t, Duration.ofHours(6)))
        .isEqualTo(
            new ReportPeriod(
                Instant.parse("2026-11-26T12:00:00Z"), Instant.parse("2026-11-26T18:00:00Z")));
    ReportPeriod day = ReportPeriod.containing(t, ReportPeriod.DAY);
    assertThat(day.begin()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
    assertThat(day.contains(day.begin())).isTrue();
    assertThat(day.contains(day.end())).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"PT5H", "PT30M", "PT48H", "PT0S", "PT1H0.5S", "PT-24H"})
  @DisplayName("a period that is not a whole number of hours dividing a day is refused")
  void refused(String length) {
    assertThatThrownBy(() -> ReportPeriod.containing(Instant.EPOCH, Duration.parse(length)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an empty period is refused")
  void empty() {
    assertThatThrownBy(() -> new ReportPeriod(Instant.EPOCH, Instant.EPOCH))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
