// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/**
 * The parser against any bytes: it delivers a report or refuses with a typed reason, never throws
 * anything else, and finishes in bounded time.
 */
@Tag("fuzz")
final class ReceivedReportFuzzTest {
  private static final ReceivedReportParser PARSER =
      new ReceivedReportParser(
          new ImportLimits(1_000_000, 10_000_000, 100, 1_000_000, 1_000_000, 32, 100_000, 10_000));

  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyBytes_reportOrTypedRefusal(byte[] data) throws Exception {
    ReceivedReportParserTest.Collect c = new ReceivedReportParserTest.Collect();
    try {
      PARSER.parse(new ByteArrayInputStream(data), c);
      assertThat(c.report).as("parsed without a report head").isNotNull();
      assertThat(c.ended).isTrue();
    } catch (ImportException e) {
      assertThat(e.reason()).isNotNull();
    }
  }
}
