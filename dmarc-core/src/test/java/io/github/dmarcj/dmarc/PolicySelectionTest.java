// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The decision of RFC 9989 §5.3 over facts already fetched: one row per combination of what
 * aligned, where the record was, whether the domain exists, and the policy tags.
 */
final class PolicySelectionTest {
  static final DkimOutcome PASSING =
      new DkimOutcome(
          DkimResult.PASS,
          "example.com",
          "s",
          "rsa-sha256",
          Optional.empty(),
          "AAAA",
          false,
          Optional.empty());

  static DmarcRecord record(String text) {
    return ((DmarcRecordParser.Parsed) DmarcRecordParser.parse(text)).record();
  }

  static PolicySelection.Facts facts(
      String record,
      RecordSource source,
      boolean spf,
      boolean dkim,
      boolean unknown,
      boolean tempAligned,
      DmarcLookups.Existence existence) {
    DmarcRecord r = record(record);
    return new PolicySelection.Facts(
        DmarcOutcome.Context.of(DmarcMode.RFC9989, Optional.of(DomainName.of("a.example.com"))),
        new DmarcOutcome.FoundRecord(DomainName.of("example.com"), source, r),
        r.policyStatus(DmarcMode.RFC9989),
        spf,
        dkim ? Optional.of(PASSING) : Optional.empty(),
        unknown,
        tempAligned,
        existence);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # case                           | record                                  | source               | spf   | dkim  | unknown | temp  | existence    | result    | reason                             | tag | requested  | disposition
      aligned SPF pass                 | v=DMARC1; p=reject                      | AUTHOR_DOMAIN        | true  | false | false   | false | EXISTS       | PASS      |                                    | P   | REJECT     | NONE
      aligned DKIM pass                | v=DMARC1; p=reject                      | AUTHOR_DOMAIN        | false | true  | false   | false | EXISTS       | PASS      |                                    | P   | REJECT     | NONE
      pass beats unknown alignment     | v=DMARC1; p=reject                      | AUTHOR_DOMAIN        | false | true  | true    | true  | EXISTS       | PASS      |                                    | P   | REJECT     | NONE
      nothing aligned                  | v=DMARC1; p=reject                      | AUTHOR_DOMAIN        | false | false | false   | false | EXISTS       | FAIL      |                                    | P   | REJECT     | REJECT
      alignment unknown                | v=DMARC1; p=reject                      | AUTHOR_DOMAIN        | false | false | true    | false | EXISTS       | TEMPERROR | DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN | P   | REJECT     | NONE
      aligned check temperror          | v=DMARC1; p=quarantine                  | AUTHOR_DOMAIN        | false | false | false   | true  | EXISTS       | TEMPERROR | AUTH_TEMPERROR                     | P   | QUARANTINE | NONE
      subdomain takes sp               | v=DMARC1; p=reject; sp=quarantine       | ORGANIZATIONAL_DOMAIN| false | false | false   | false | EXISTS       | FAIL      |                                    | SP  | QUARANTINE | QUARANTINE
      subdomain without sp takes p     | v=DMARC1; p=reject                      | ORGANIZATIONAL_DOMAIN| false | false | false   | false | EXISTS       | FAIL      |                                    | P   | REJECT     | REJECT
      non-existent takes np            | v=DMARC1; p=none; sp=none; np=reject    | ORGANIZATIONAL_DOMAIN| false | false | false   | false | NON_EXISTENT | FAIL      |                                    | NP  | REJECT     | REJECT
      existence unknown: temperror     | v=DMARC1; p=none; np=reject             | ORGANIZATIONAL_DOMAIN| false | false | false   | false | UNKNOWN      | TEMPERROR | DNS_TEMPFAIL_EXISTENCE             | NP  | REJECT     | NONE
      existence unknown but pass       | v=DMARC1; p=none; np=reject             | ORGANIZATIONAL_DOMAIN| true  | false | false   | false | UNKNOWN      | PASS      |                                    | NP  | REJECT     | NONE
      np ignored at the author domain  | v=DMARC1; p=quarantine; np=reject       | AUTHOR_DOMAIN        | false | false | false   | false | NON_EXISTENT | FAIL      |                                    | P   | QUARANTINE | QUARANTINE
      invalid p with rua acts as none  | v=DMARC1; p=bogus; rua=mailto:r@x.test  | AUTHOR_DOMAIN        | false | false | false   | false | EXISTS       | FAIL      |                                    | P   | NONE       | NONE
      """)
  void select_facts_decision(
      String name,
      String record,
      RecordSource source,
      boolean spf,
      boolean dkim,
      boolean unknown,
      boolean temp,
      DmarcLookups.Existence existence,
      DmarcResult result,
      DmarcReason reason,
      PolicyTag tag,
      DmarcPolicy requested,
      DmarcPolicy disposition) {
    DmarcOutcome.PolicyApplied o =
        PolicySelection.select(
            facts(record, source, spf, dkim, unknown, temp, existence), DmarcPolicy.NONE, true);
    assertThat(o.result()).as(name).isEqualTo(result);
    assertThat(o.reason()).as(name).isEqualTo(Optional.ofNullable(reason));
    assertThat(o.policy().tag()).as(name).isEqualTo(tag);
    assertThat(o.policy().requested()).as(name).isEqualTo(requested);
    assertThat(o.disposition()).as(name).isEqualTo(disposition);
    assertThat(o.alignment().spfAligned()).isEqualTo(spf);
    assertThat(o.alignment().dkimAligned()).isEqualTo(dkim);
  }

  @Test
  void tempErrorDisposition_neverStricterThanRequested() {
    PolicySelection.Facts f =
        facts(
            "v=DMARC1; p=quarantine",
            RecordSource.AUTHOR_DOMAIN,
            false,
            false,
            true,
            false,
            DmarcLookups.Existence.EXISTS);
    assertThat(PolicySelection.select(f, DmarcPolicy.REJECT, true).disposition())
        .isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(PolicySelection.select(f, DmarcPolicy.NONE, true).disposition())
        .isEqualTo(DmarcPolicy.NONE);
  }

  @Test
  void authTempErrorAsFail_whenConfigured() {
    PolicySelection.Facts f =
        facts(
            "v=DMARC1; p=reject",
            RecordSource.AUTHOR_DOMAIN,
            false,
            false,
            false,
            true,
            DmarcLookups.Existence.EXISTS);
    DmarcOutcome.PolicyApplied o = PolicySelection.select(f, DmarcPolicy.NONE, false);
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      # case                      | record                            | mode    | honour | draw | disposition | step
      t=y weakens (RFC 9989)      | v=DMARC1; p=reject; t=y           | RFC9989 | true   | 0    | QUARANTINE  | POLICY_TEST_MODE
      t=y ignored in RFC 7489     | v=DMARC1; p=reject; t=y           | RFC7489 | true   | 0    | REJECT      |
      pct draw inside             | v=DMARC1; p=reject; pct=50        | RFC9989 | true   | 49   | REJECT      |
      pct draw outside            | v=DMARC1; p=reject; pct=50        | RFC9989 | true   | 50   | QUARANTINE  | SAMPLED_OUT
      pct not honoured            | v=DMARC1; p=reject; pct=50        | RFC9989 | false  | 99   | REJECT      |
      quarantine sampled to none  | v=DMARC1; p=quarantine; pct=0     | RFC7489 | true   | 0    | NONE        | SAMPLED_OUT
      """)
  void modifiers_table(
      String name,
      String record,
      DmarcMode mode,
      boolean honour,
      int draw,
      DmarcPolicy disposition,
      OverrideReason step) {
    DmarcOutcome.PolicyApplied failing =
        PolicySelection.select(
            facts(
                record,
                RecordSource.AUTHOR_DOMAIN,
                false,
                false,
                false,
                false,
                DmarcLookups.Existence.EXISTS),
            DmarcPolicy.NONE,
            true);
    DmarcOutcome.PolicyApplied o = PolicySelection.modifiers(failing, mode, honour, () -> draw);
    assertThat(o.disposition()).as(name).isEqualTo(disposition);
    assertThat(o.overrides())
        .as(name)
        .extracting(AppliedOverride::reason)
        .isEqualTo(step == null ? List.of() : List.of(step));
  }

  @Test
  void overrides_firstDecidingRuleWins_throwingRuleSkipped() {
    DmarcOutcome.PolicyApplied failing =
        PolicySelection.select(
            facts(
                "v=DMARC1; p=reject",
                RecordSource.AUTHOR_DOMAIN,
                false,
                false,
                false,
                false,
                DmarcLookups.Existence.EXISTS),
            DmarcPolicy.NONE,
            true);
    OverrideRule throwing =
        (in, o) -> {
          throw new IllegalStateException("broken rule");
        };
    OverrideRule silent = (in, o) -> Optional.empty();
    OverrideRule list =
        (in, o) ->
            Optional.of(
                new OverrideRule.Decision(DmarcPolicy.NONE, OverrideReason.MAILING_LIST, "list"));
    DmarcOutcome.PolicyApplied o =
        PolicySelection.overrides(
            DmarcInput.of("a.example.com", null, List.of()),
            failing,
            List.of(throwing, silent, list));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(o.overrides())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(OverrideReason.MAILING_LIST);
              assertThat(s.before()).isEqualTo(DmarcPolicy.REJECT);
            });
  }
}
