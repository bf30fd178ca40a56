// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dmarcj.fuzz.FuzzBounds;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;

/** Fuzzes the DMARC record parser and what the evaluator reads from a parsed record. */
@Tag("fuzz")
final class DmarcRecordParserFuzzTest {
  @FuzzTest(maxDuration = "5m")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void parse_anyText_recordOrTypedReason(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    DmarcRecordParser.Result r =
        FuzzBounds.allocationBounded(input.length, 64, () -> DmarcRecordParser.parse(text));
    assertThat(r).isNotNull();
    assertThat(DmarcRecordParser.parse(text)).as("deterministic").isEqualTo(r);
    if (r instanceof DmarcRecordParser.NotDmarc not) {
      assertThat(not.reason()).isNotNull();
      assertThat(not.detail()).isNotEmpty();
      if (not.reason() != DmarcRecordParser.NotDmarcReason.TOO_LONG) {
        assertThat(DmarcRecordParser.looksLikeDmarc(text)).isFalse();
      }
      return;
    }
    assertThat(DmarcRecordParser.looksLikeDmarc(text)).isTrue();
    DmarcRecord rec = ((DmarcRecordParser.Parsed) r).record();
    assertThat(rec.text()).isEqualTo(text);
    assertThat(rec.pct()).isBetween(0, 100);
    assertThat(rec.ri()).isNotNegative();
    assertThat(rec.rua().size()).isLessThanOrEqualTo(DmarcRecordParser.MAX_URIS_PER_TAG);
    assertThat(rec.ruf().size()).isLessThanOrEqualTo(DmarcRecordParser.MAX_URIS_PER_TAG);
    assertThat(rec.tags()).doesNotHaveDuplicates();
    for (RecordProblem p : rec.problems()) {
      assertThat(p.kind()).isNotNull();
    }
    for (java.util.List<ReportUri> uris : java.util.List.of(rec.rua(), rec.ruf())) {
      for (ReportUri u : uris) {
        assertThat(u.scheme()).isNotEmpty();
        assertThat(u.uri()).isNotEmpty();
        u.host();
        if (u.isMailto()) {
          u.mailbox();
        }
        u.maxSizeBytes().ifPresent(size -> assertThat(size).isNotNegative());
      }
    }
    for (DmarcMode mode : DmarcMode.values()) {
      assertThat(rec.policyStatus(mode)).isNotNull();
      rec.effectivePolicy(mode);
      rec.effectiveSubdomainPolicy(mode);
      rec.effectiveNonExistentPolicy(mode);
    }
  }
}
