// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.DmarcRecordParser;
import io.github.dmarcj.domain.DiscoveryMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** AGG-07: the record's problems that go into a report's {@code error} elements. */
final class ReportRecordsTest {
  private static DmarcRecord parse(String text) {
    return ((DmarcRecordParser.Parsed) DmarcRecordParser.parse(text)).record();
  }

  @Test
  @DisplayName("AGG-07: invalid values and unknown tags are errors in both modes")
  void errors_sharedProblems() {
    DmarcRecord r = parse("v=DMARC1; p=none; adkim=x; foo=bar");
    assertThat(ReportRecords.errors(r, DmarcMode.RFC9989))
        .containsExactly("adkim must be r or s, was \"x\"", "unknown tag foo ignored");
    assertThat(ReportRecords.errors(r, DmarcMode.RFC7489))
        .containsExactlyElementsOf(ReportRecords.errors(r, DmarcMode.RFC9989));
  }

  @Test
  @DisplayName("AGG-07: a tag of the other specification is not an error of this one")
  void errors_otherSpecificationIgnored() {
    DmarcRecord r = parse("v=DMARC1; np=reject; p=none; pct=50; ri=3600; t=y");
    assertThat(ReportRecords.errors(r, DmarcMode.RFC7489))
        .isNotEmpty()
        .allMatch(e -> e.contains("RFC 9989 only") || e.contains("p right after v"))
        .noneMatch(e -> e.contains("removed"));
    assertThat(ReportRecords.errors(r, DmarcMode.RFC9989))
        .containsExactly("pct was removed by RFC 9989", "ri was removed by RFC 9989");
    assertThat(ReportRecords.errors(parse("v=DMARC1; p=none"), DmarcMode.RFC9989)).isEmpty();
  }

  @Test
  @DisplayName("errors are capped in number and length, so a hostile record cannot bloat reports")
  void publishedPolicy_errorsCapped() {
    List<String> many = new ArrayList<>(Collections.nCopies(30, "x".repeat(5_000)));
    ReportRecord.PublishedPolicy p =
        new ReportRecord.PublishedPolicy(
            "example.com",
            DiscoveryMethod.TREEWALK,
            DmarcPolicy.NONE,
            Optional.empty(),
            Optional.empty(),
            AlignmentMode.RELAXED,
            AlignmentMode.RELAXED,
            Optional.empty(),
            Set.of(),
            false,
            many);
    assertThat(p.errors())
        .hasSize(ReportRecord.PublishedPolicy.MAX_ERRORS)
        .allMatch(e -> e.length() == ReportRecord.PublishedPolicy.MAX_ERROR_LENGTH)
        .allMatch(e -> e.endsWith("\u2026"));
  }
}
