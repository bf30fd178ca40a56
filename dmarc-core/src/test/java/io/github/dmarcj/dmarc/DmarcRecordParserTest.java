// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dmarc.DmarcRecord.PolicyStatus;
import io.github.dmarcj.dmarc.DmarcRecordParser.NotDmarc;
import io.github.dmarcj.dmarc.DmarcRecordParser.NotDmarcReason;
import io.github.dmarcj.dmarc.DmarcRecordParser.Parsed;
import io.github.dmarcj.dmarc.RecordProblem.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class DmarcRecordParserTest {

  static DmarcRecord parse(String text) {
    DmarcRecordParser.Result r = DmarcRecordParser.parse(text);
    assertThat(r).isInstanceOf(Parsed.class);
    return ((Parsed) r).record();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "v=DMARC1; p=reject",
        "v=DMARC1;p=reject",
        "v = DMARC1 ; p = reject ;",
        "V=DMARC1; p=reject",
        "\tv=DMARC1;\tp=reject\t"
      })
  @DisplayName(
      "RFC 9989 §4.7: a record starting with v=DMARC1 parses, whitespace around = and ; allowed")
  void parse_versionFirst_parsed(String text) {
    assertThat(parse(text).p()).contains(DmarcPolicy.REJECT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "p=reject; v=DMARC1|NO_VERSION_TAG",
        "v=spf1 -all|WRONG_VERSION",
        "v=dmarc1; p=reject|WRONG_VERSION",
        "v=DMARC2; p=reject|WRONG_VERSION",
        "v=DMARC1x; p=reject|WRONG_VERSION",
        "DMARC1; p=reject|NO_VERSION_TAG",
        "''|NO_VERSION_TAG",
        "hello world|NO_VERSION_TAG"
      })
  @DisplayName("RFC 9989 §4.7: v must come first and DMARC1 is case-sensitive")
  void parse_versionMissingOrWrong_notDmarc(String text, NotDmarcReason reason) {
    DmarcRecordParser.Result r = DmarcRecordParser.parse(text);
    assertThat(r).isInstanceOf(NotDmarc.class);
    assertThat(((NotDmarc) r).reason()).isEqualTo(reason);
    assertThat(DmarcRecordParser.looksLikeDmarc(text)).isFalse();
  }

  @Test
  @DisplayName("RFC 9989 §4.7: defaults of every tag")
  void parse_minimalRecord_defaults() {
    DmarcRecord r = parse("v=DMARC1; p=none");
    assertThat(r.p()).contains(DmarcPolicy.NONE);
    assertThat(r.sp()).isEmpty();
    assertThat(r.np()).isEmpty();
    assertThat(r.adkim()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(r.aspf()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(r.pct()).isEqualTo(100);
    assertThat(r.rua()).isEmpty();
    assertThat(r.ruf()).isEmpty();
    assertThat(r.fo()).containsExactly(FailureReportOption.ALL_FAIL);
    assertThat(r.rf()).containsExactly("afrf");
    assertThat(r.ri()).isEqualTo(86_400);
    assertThat(r.testing()).isFalse();
    assertThat(r.psd()).isEqualTo(PsdFlag.U);
    assertThat(r.problems()).isEmpty();
    assertThat(r.tags()).containsExactly("p");
  }

  @Test
  @DisplayName("RFC 9989 §4.7, RFC 7489 §6.3: every tag of both is read")
  void parse_allTags_read() {
    DmarcRecord r =
        parse(
            "v=DMARC1; p=quarantine; sp=reject; np=reject; adkim=s; aspf=s; pct=25;"
                + " rua=mailto:agg@example.com; ruf=mailto:fail@example.com; fo=d:s; rf=afrf;"
                + " ri=3600; t=y; psd=n");
    assertThat(r.p()).contains(DmarcPolicy.QUARANTINE);
    assertThat(r.sp()).contains(DmarcPolicy.REJECT);
    assertThat(r.np()).contains(DmarcPolicy.REJECT);
    assertThat(r.adkim()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.aspf()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.pct()).isEqualTo(25);
    assertThat(r.rua()).extracting(ReportUri::uri).containsExactly("mailto:agg@example.com");
    assertThat(r.ruf()).extracting(ReportUri::uri).containsExactly("mailto:fail@example.com");
    assertThat(r.fo()).containsExactlyInAnyOrder(FailureReportOption.DKIM, FailureReportOption.SPF);
    assertThat(r.ri()).isEqualTo(3600);
    assertThat(r.testing()).isTrue();
    assertThat(r.psd()).isEqualTo(PsdFlag.N);
    assertThat(r.problems())
        .extracting(RecordProblem::kind)
        .containsOnly(Kind.OBSOLETE_TAG, Kind.RFC9989_ONLY_TAG);
  }

  @Test
  @DisplayName("RFC 9989 §4.8: tag names and keywords are case-insensitive")
  void parse_mixedCase_matches() {
    DmarcRecord r = parse("v=DMARC1; P=Reject; SP=QUARANTINE; ADKIM=S; Aspf=s; T=Y; PSD=Y");
    assertThat(r.p()).contains(DmarcPolicy.REJECT);
    assertThat(r.sp()).contains(DmarcPolicy.QUARANTINE);
    assertThat(r.adkim()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.aspf()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.testing()).isTrue();
    assertThat(r.psd()).isEqualTo(PsdFlag.Y);
  }

  @Test
  @DisplayName("RFC 9989 §4.8: unknown tags are ignored and listed")
  void parse_unknownTag_ignored() {
    DmarcRecord r = parse("v=DMARC1; p=reject; foo=bar; x=1");
    assertThat(r.p()).contains(DmarcPolicy.REJECT);
    assertThat(r.tags()).containsExactly("p");
    assertThat(r.problems())
        .extracting(RecordProblem::kind, RecordProblem::tag)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Kind.UNKNOWN_TAG, "foo"),
            org.assertj.core.groups.Tuple.tuple(Kind.UNKNOWN_TAG, "x"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "v=DMARC1; p=reject; adkim=x|adkim",
        "v=DMARC1; p=reject; aspf=relaxed|aspf",
        "v=DMARC1; p=reject; pct=101|pct",
        "v=DMARC1; p=reject; pct=-1|pct",
        "v=DMARC1; p=reject; pct=abc|pct",
        "v=DMARC1; p=reject; fo=2|fo",
        "v=DMARC1; p=reject; fo=0:1|fo",
        "v=DMARC1; p=reject; t=maybe|t",
        "v=DMARC1; p=reject; psd=x|psd",
        "v=DMARC1; p=reject; ri=99999999999|ri"
      })
  @DisplayName("RFC 9989 §4.8: a tag with a syntax error falls back to its default")
  void parse_badTagValue_defaultKept(String text, String tag) {
    DmarcRecord r = parse(text);
    DmarcRecord defaults = parse("v=DMARC1; p=reject");
    assertThat(r.p()).contains(DmarcPolicy.REJECT);
    assertThat(r.adkim()).isEqualTo(defaults.adkim());
    assertThat(r.aspf()).isEqualTo(defaults.aspf());
    assertThat(r.pct()).isEqualTo(defaults.pct());
    assertThat(r.fo()).isEqualTo(defaults.fo());
    assertThat(r.testing()).isEqualTo(defaults.testing());
    assertThat(r.psd()).isEqualTo(defaults.psd());
    assertThat(r.ri()).isEqualTo(defaults.ri());
    assertThat(r.problems())
        .anySatisfy(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.INVALID_VALUE);
              assertThat(p.tag()).isEqualTo(tag);
            });
  }

  @Test
  @DisplayName("RFC 9989 §4.8: a repeated tag: the first counts")
  void parse_duplicateTag_firstWins() {
    DmarcRecord r = parse("v=DMARC1; p=reject; p=none");
    assertThat(r.p()).contains(DmarcPolicy.REJECT);
    assertThat(r.hasProblem(Kind.DUPLICATE_TAG)).isTrue();
  }

  @Test
  @DisplayName("RFC 9989 §4.8: fragments that are not tag=value are ignored")
  void parse_malformedFragment_ignored() {
    DmarcRecord r = parse("v=DMARC1; p=reject; garbage; 1a=b; ;;");
    assertThat(r.p()).contains(DmarcPolicy.REJECT);
    assertThat(r.problems()).extracting(RecordProblem::kind).containsOnly(Kind.MALFORMED_TAG);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: invalid p with a valid rua: act as p=none")
  void policyStatus_invalidPWithRua_actAsNone() {
    DmarcRecord r = parse("v=DMARC1; p=bogus; rua=mailto:r@example.com");
    assertThat(r.hasProblem(Kind.INVALID_P)).isTrue();
    for (DmarcMode m : DmarcMode.values()) {
      assertThat(r.policyStatus(m)).isEqualTo(PolicyStatus.ACT_AS_NONE);
      assertThat(r.effectivePolicy(m)).contains(DmarcPolicy.NONE);
      assertThat(r.effectiveSubdomainPolicy(m)).contains(DmarcPolicy.NONE);
    }
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: invalid p and no valid rua: no DMARC processing")
  void policyStatus_invalidPWithoutRua_unusable() {
    DmarcRecord r = parse("v=DMARC1; p=bogus; rua=ftp://example.com/x");
    for (DmarcMode m : DmarcMode.values()) {
      assertThat(r.policyStatus(m)).isEqualTo(PolicyStatus.UNUSABLE);
      assertThat(r.effectivePolicy(m)).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: invalid sp makes the record act as p=none; invalid np only in RFC 9989")
  void policyStatus_invalidSpOrNp_modeDependent() {
    DmarcRecord sp = parse("v=DMARC1; p=reject; sp=strict; rua=mailto:r@example.com");
    assertThat(sp.policyStatus(DmarcMode.RFC9989)).isEqualTo(PolicyStatus.ACT_AS_NONE);
    assertThat(sp.policyStatus(DmarcMode.RFC7489)).isEqualTo(PolicyStatus.ACT_AS_NONE);
    DmarcRecord np = parse("v=DMARC1; p=reject; np=strict");
    assertThat(np.policyStatus(DmarcMode.RFC9989)).isEqualTo(PolicyStatus.UNUSABLE);
    assertThat(np.policyStatus(DmarcMode.RFC7489)).isEqualTo(PolicyStatus.VALID);
  }

  @Test
  @DisplayName("RFC 9989 §4.7 and §4.10.1: missing p: none in RFC 9989, invalid policy in RFC 7489")
  void policyStatus_missingP_modeDependent() {
    DmarcRecord r = parse("v=DMARC1; sp=reject");
    assertThat(r.hasProblem(Kind.MISSING_P)).isTrue();
    assertThat(r.policyStatus(DmarcMode.RFC9989)).isEqualTo(PolicyStatus.VALID);
    assertThat(r.effectivePolicy(DmarcMode.RFC9989)).contains(DmarcPolicy.NONE);
    assertThat(r.effectiveSubdomainPolicy(DmarcMode.RFC9989)).contains(DmarcPolicy.REJECT);
    assertThat(r.policyStatus(DmarcMode.RFC7489)).isEqualTo(PolicyStatus.UNUSABLE);
    DmarcRecord withRua = parse("v=DMARC1; rua=mailto:r@example.com");
    assertThat(withRua.policyStatus(DmarcMode.RFC7489)).isEqualTo(PolicyStatus.ACT_AS_NONE);
  }

  @Test
  @DisplayName("RFC 9989 §4.7: np falls back to sp, then p; RFC 7489 has no np")
  void effectiveNonExistentPolicy_fallbacks() {
    assertThat(
            parse("v=DMARC1; p=none; sp=quarantine; np=reject")
                .effectiveNonExistentPolicy(DmarcMode.RFC9989))
        .contains(DmarcPolicy.REJECT);
    assertThat(
            parse("v=DMARC1; p=none; sp=quarantine").effectiveNonExistentPolicy(DmarcMode.RFC9989))
        .contains(DmarcPolicy.QUARANTINE);
    assertThat(parse("v=DMARC1; p=reject").effectiveNonExistentPolicy(DmarcMode.RFC9989))
        .contains(DmarcPolicy.REJECT);
    assertThat(parse("v=DMARC1; p=none; np=reject").effectiveNonExistentPolicy(DmarcMode.RFC7489))
        .contains(DmarcPolicy.NONE);
  }

  @Test
  @DisplayName("RFC 7489 §6.4: the ABNF wants p right after v")
  void parse_pNotSecond_flagged() {
    assertThat(parse("v=DMARC1; rua=mailto:a@example.com; p=none").hasProblem(Kind.P_NOT_SECOND))
        .isTrue();
    assertThat(parse("v=DMARC1; p=none; rua=mailto:a@example.com").hasProblem(Kind.P_NOT_SECOND))
        .isFalse();
  }

  @Test
  @DisplayName("RFC 9989 §4.7: URI lists: commas separate, whitespace around them is allowed")
  void parse_uriList_split() {
    DmarcRecord r =
        parse(
            "v=DMARC1; p=none; rua=mailto:a@example.com , mailto:b@example.net,https://r.example.org/x");
    assertThat(r.rua())
        .extracting(ReportUri::uri)
        .containsExactly("mailto:a@example.com", "mailto:b@example.net", "https://r.example.org/x");
    assertThat(r.rua())
        .extracting(u -> u.host().orElseThrow())
        .containsExactly("example.com", "example.net", "r.example.org");
  }

  @Test
  @DisplayName("RFC 9989 §4.7: unsupported schemes and malformed URIs are ignored")
  void parse_badUris_ignored() {
    DmarcRecord r =
        parse(
            "v=DMARC1; p=none; rua=ftp://example.com/x, mailto:ok@example.com, not a uri, mailto:nobody");
    assertThat(r.rua()).extracting(ReportUri::uri).containsExactly("mailto:ok@example.com");
    assertThat(r.problems())
        .extracting(RecordProblem::kind)
        .contains(Kind.UNSUPPORTED_URI_SCHEME, Kind.INVALID_URI);
  }

  @Test
  @DisplayName("RFC 9989 §4.7: percent-encoded comma and ! stay inside the URI")
  void parse_percentEncoded_kept() {
    DmarcRecord r =
        parse("v=DMARC1; p=none; rua=mailto:a%21b@example.com, https://r.example.org/a%2Cb");
    assertThat(r.rua()).hasSize(2);
    assertThat(r.rua().get(0).mailbox()).contains("a!b@example.com");
    assertThat(r.rua().get(0).maxSizeBytes()).isEmpty();
    assertThat(r.rua().get(1).uri()).isEqualTo("https://r.example.org/a%2Cb");
  }

  @ParameterizedTest
  @CsvSource({
    "mailto:a@example.com!10, 10",
    "mailto:a@example.com!10k, 10240",
    "mailto:a@example.com!10m, 10485760",
    "mailto:a@example.com!2G, 2147483648",
    "mailto:a@example.com!1t, 1099511627776"
  })
  @DisplayName("RFC 7489 §6.2: size suffix in bytes (k/m/g/t = 2^10/2^20/2^30/2^40)")
  void parse_sizeSuffix_bytes(String uri, long bytes) {
    DmarcRecord r = parse("v=DMARC1; p=none; rua=" + uri);
    assertThat(r.rua()).hasSize(1);
    assertThat(r.rua().get(0).uri()).isEqualTo("mailto:a@example.com");
    assertThat(r.rua().get(0).maxSizeBytes()).isEqualTo(OptionalLong.of(bytes));
    assertThat(r.hasProblem(Kind.OBSOLETE_SIZE_SUFFIX)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"mailto:a@example.com!", "mailto:a@example.com!10x", "mailto:a@example.com!k"})
  @DisplayName("RFC 9989 §4.7: a malformed size suffix makes the URI invalid")
  void parse_badSizeSuffix_ignored(String uri) {
    DmarcRecord r = parse("v=DMARC1; p=none; rua=" + uri);
    assertThat(r.rua()).isEmpty();
    assertThat(r.hasProblem(Kind.INVALID_URI)).isTrue();
  }

  @Test
  @DisplayName("RFC 9989 §4.7: fo accepts colon-separated combinations")
  void parse_foCombination_read() {
    assertThat(parse("v=DMARC1; p=none; fo=1:d").fo())
        .isEqualTo(EnumSet.of(FailureReportOption.ANY_FAIL, FailureReportOption.DKIM));
  }

  @Test
  @DisplayName("RFC 9989 §4.5: character-strings joined without separator parse as one record")
  void parse_joinedStrings_parsed() {
    // "v=DMARC1; p=rej" + "ect" as a resolver joins them.
    assertThat(parse("v=DMARC1; p=rej" + "ect").p()).contains(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName("RFC 9989 §4.7: at most MAX_URIS_PER_TAG URIs are kept")
  void parse_manyUris_capped() {
    StringBuilder sb = new StringBuilder("v=DMARC1; p=none; rua=");
    for (int i = 0; i < 40; i++) {
      sb.append(i == 0 ? "" : ",").append("mailto:r").append(i).append("@example.com");
    }
    assertThat(parse(sb.toString()).rua()).hasSize(DmarcRecordParser.MAX_URIS_PER_TAG);
  }

  @Test
  @DisplayName("over-long texts are refused without parsing")
  void parse_tooLong_refused() {
    String text = "v=DMARC1; p=none; x=" + "a".repeat(DmarcRecordParser.MAX_RECORD_LENGTH);
    assertThat(DmarcRecordParser.parse(text))
        .isEqualTo(
            new NotDmarc(NotDmarcReason.TOO_LONG, "record of " + text.length() + " characters"));
  }

  @Test
  @DisplayName("RFC 9989 §4.8: random texts never throw (seeded)")
  void parse_randomInput_neverThrows() {
    Random random = new Random(20261127L);
    String alphabet = "v=DMARC1;pspnrua:mailto@.,!%2C kmgt0123456789\t\"=;;yn";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(random.nextBoolean() ? "v=DMARC1;" : "");
      int len = random.nextInt(60);
      for (int j = 0; j < len; j++) {
        sb.append(
            random.nextInt(10) == 0
                ? (char) random.nextInt(0x3000)
                : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      DmarcRecordParser.Result r = DmarcRecordParser.parse(sb.toString());
      assertThat(r).isNotNull();
      if (r instanceof Parsed p) {
        for (DmarcMode m : DmarcMode.values()) {
          Optional<DmarcPolicy> eff = p.record().effectivePolicy(m);
          assertThat(eff.isPresent())
              .isEqualTo(p.record().policyStatus(m) != PolicyStatus.UNUSABLE);
        }
        assertThat(p.record().rua()).allSatisfy(u -> assertThat(u.host()).isPresent());
      }
    }
  }

  @Test
  @DisplayName("RFC 9989 §4.7: the record keeps its text and its well-formed tag names")
  void parse_text_kept() {
    String text = "v=DMARC1; p=none; rua=mailto:a@example.com";
    DmarcRecord r = parse(text);
    assertThat(r.text()).isEqualTo(text);
    assertThat(r.tags()).isEqualTo(List.of("p", "rua"));
  }
}
