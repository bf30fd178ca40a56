// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.domain.DomainName;
import org.junit.jupiter.api.Test;

/** The record check as a library call: what a control panel would show a domain owner. */
final class DmarcRecordCheckTest {
  static final String ZONE =
      String.join(
          "\n",
          "_dmarc.weak.example TXT \"v=DMARC1; p=none; sp=none; pct=50; rua=mailto:a@elsewhere.example\"",
          "weak.example A 192.0.2.1",
          "_dmarc.good.example TXT \"v=DMARC1; p=reject; sp=reject; np=reject; rua=mailto:d@good.example\"",
          "good.example A 192.0.2.2");

  static DmarcRecordCheck check(String domain) {
    return DmarcRecordCheck.check(
            DmarcEvaluator.builder(Zones.of(ZONE, "_dmarc.flaky.example")).build(),
            DomainName.of(domain))
        .toCompletableFuture()
        .join();
  }

  @Test
  void goodRecord_noErrors_explained() {
    DmarcRecordCheck c = check("good.example");
    assertThat(c.hasErrors()).isFalse();
    assertThat(c.dnsFailed()).isFalse();
    assertThat(c.domainExists()).contains(true);
    assertThat(c.aggregateDestinations())
        .singleElement()
        .satisfies(d -> assertThat(d.status()).isEqualTo(ReportDestination.Status.INTERNAL));
    assertThat(c.explanation()).isNotEmpty();
  }

  @Test
  void weakRecord_findingsNameEachProblem() {
    DmarcRecordCheck c = check("weak.example");
    assertThat(c.hasErrors()).isTrue();
    assertThat(c.findings())
        .extracting(DmarcRecordCheck.Finding::code)
        .contains("rua-not-authorized");
    assertThat(c.findings()).allSatisfy(f -> assertThat(f.message()).isNotBlank());
  }

  @Test
  void dnsFailure_saysSo_noRecordClaimed() {
    DmarcRecordCheck c = check("flaky.example");
    assertThat(c.dnsFailed()).isTrue();
    assertThat(c.findings()).extracting(DmarcRecordCheck.Finding::code).contains("dns-tempfail");
  }
}
