// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line: a whole number and a unit. */
final class DurationConverterTest {
  @ParameterizedTest
  @CsvSource({"0, 0", "30s, 30", "10m, 600", "6h, 21600", "7d, 604800", "24H, 86400", "0m, 0"})
  void accepted(String text, long seconds) {
    assertThat(new DurationConverter().convert(text)).isEqualTo(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "h", "10", "-1h", "1.5h", "1w", "ten", "99999999999d", "1 h", "+1h", "１h"})
  void refused(String text) {
    assertThatThrownBy(() -> new DurationConverter().convert(text))
        .isInstanceOf(TypeConversionException.class);
  }
}
