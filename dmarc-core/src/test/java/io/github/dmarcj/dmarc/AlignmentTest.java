// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static io.github.dmarcj.dmarc.Inputs.dkim;
import static io.github.dmarcj.dmarc.Inputs.helo;
import static io.github.dmarcj.dmarc.Inputs.input;
import static io.github.dmarcj.dmarc.Inputs.run;
import static io.github.dmarcj.dmarc.Inputs.spf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class AlignmentTest {

  static final String ZONE =
      String.join(
          "\n",
          "example.com A 192.0.2.1",
          "mail.example.com A 192.0.2.1",
          "bounce.example.com A 192.0.2.1",
          "_dmarc.example.com TXT \"v=DMARC1; p=reject\"",
          "_dmarc.strict.test TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"",
          "strict.test A 192.0.2.5",
          "sub.strict.test A 192.0.2.5",
          "_dmarc.psd TXT \"v=DMARC1; p=reject; psd=y\"",
          "a.psd A 192.0.2.6",
          "b.psd A 192.0.2.6",
          "_dmarc.flaky.example.com TXT \"v=DMARC1; p=reject\"",
          "_dmarc.flaky.net TXT \"v=DMARC1; p=none\"",
          "_dmarc.bank.example TXT \"v=DMARC1; p=reject\"");

  /** Names whose every query fails with SERVFAIL. */
  static final List<String> FAILING =
      List.of("_dmarc.bounce.flaky.net", "_dmarc.evil.example", "_dmarc.mail.evil.example");

  private static DmarcOutcome eval(
      String from, SpfOutcome spf, List<io.github.dmarcj.result.DkimOutcome> dkim) {
    return run(
        DmarcEvaluator.builder(Zones.of(ZONE, FAILING)).build(), DmarcInput.of(from, spf, dkim));
  }

  @ParameterizedTest(name = "From {0}, MAIL FROM {1} -> {2}")
  @CsvSource({
    "example.com, example.com, PASS",
    "example.com, bounce.example.com, PASS",
    "mail.example.com, bounce.example.com, PASS",
    "EXAMPLE.com., Bounce.Example.COM, PASS",
    "example.com, example.net, FAIL",
    "example.com, example.com.evil.test, FAIL",
    "strict.test, strict.test, PASS",
    "strict.test, sub.strict.test, FAIL",
    "sub.strict.test, strict.test, FAIL",
    "a.psd, b.psd, FAIL",
    "a.psd, a.psd, PASS"
  })
  @DisplayName(
      "RFC 9989 §4.4.2 and §5.3.5: SPF alignment, strict and relaxed, case and trailing dot ignored")
  void evaluate_spfPass_alignment(String from, String mailFrom, DmarcResult expected) {
    DmarcOutcome o = eval(from, spf(SpfResult.PASS, mailFrom), List.of());
    assertThat(o.result()).isEqualTo(expected);
    assertThat(o.spfAligned()).isEqualTo(expected == DmarcResult.PASS);
    assertThat(o.dkimAligned()).isFalse();
  }

  @ParameterizedTest(name = "From {0}, d={1} -> {2}")
  @CsvSource({
    "example.com, example.com, PASS",
    "example.com, mail.example.com, PASS",
    "example.com, example.net, FAIL",
    "strict.test, strict.test, PASS",
    "strict.test, sub.strict.test, FAIL"
  })
  @DisplayName("RFC 9989 §4.4.1: DKIM alignment, strict and relaxed")
  void evaluate_dkimPass_alignment(String from, String d, DmarcResult expected) {
    DmarcOutcome o = eval(from, null, List.of(dkim(DkimResult.PASS, d)));
    assertThat(o.result()).isEqualTo(expected);
    assertThat(o.dkimAligned()).isEqualTo(expected == DmarcResult.PASS);
    assertThat(o.alignedDkimDomain().isPresent()).isEqualTo(expected == DmarcResult.PASS);
  }

  @Test
  @DisplayName("RFC 9989 §4.4.1: every passing signature is tried; the aligned one is reported")
  void evaluate_severalSignatures_alignedOneReported() {
    DmarcOutcome o =
        eval(
            "example.com",
            spf(SpfResult.PASS, "esp.test"),
            List.of(
                dkim(DkimResult.PASS, "esp.test"),
                dkim(DkimResult.FAIL, "example.com"),
                dkim(DkimResult.PASS, "mail.example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(o.alignedDkimDomain()).contains("mail.example.com");
    assertThat(o.spfAligned()).isFalse();
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  @Test
  @DisplayName("RFC 9989 §4.4.1: a failing signature with the author's d= does not align")
  void evaluate_failingAlignedSignature_fail() {
    DmarcOutcome o = eval("example.com", null, List.of(dkim(DkimResult.FAIL, "example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName("RFC 9989 §4.4.2: an SPF result for the HELO identity is not used")
  void evaluate_heloScope_ignored() {
    DmarcOutcome o = eval("example.com", helo(SpfResult.PASS, "example.com"), List.of());
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.spfAligned()).isFalse();
  }

  @Test
  @DisplayName(
      "RFC 7208 §2.4: null sender: the MAIL FROM check of postmaster@HELO aligns by the HELO domain")
  void evaluate_nullSender_heloDomainAligns() {
    SpfOutcome nullSender =
        SpfOutcome.of(
            SpfResult.PASS, SpfScope.MFROM, "postmaster@mail.example.com", "mail.example.com");
    DmarcOutcome o = eval("example.com", nullSender, List.of());
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(o.spfAligned()).isTrue();
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.4.2: only an SPF pass counts: softfail and neutral are not aligned passes")
  void evaluate_spfSoftfail_fail() {
    assertThat(eval("example.com", spf(SpfResult.SOFTFAIL, "example.com"), List.of()).result())
        .isEqualTo(DmarcResult.FAIL);
    assertThat(eval("example.com", spf(SpfResult.NEUTRAL, "example.com"), List.of()).result())
        .isEqualTo(DmarcResult.FAIL);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.6: an aligned SPF temperror without any aligned pass is temperror")
  void evaluate_alignedSpfTemperror_temperror() {
    DmarcOutcome o = eval("example.com", spf(SpfResult.TEMPERROR, "example.com"), List.of());
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains(DmarcReason.AUTH_TEMPERROR);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.6: an aligned DKIM temperror without any aligned pass is temperror")
  void evaluate_alignedDkimTemperror_temperror() {
    DmarcOutcome o =
        eval(
            "example.com",
            spf(SpfResult.FAIL, "x.test"),
            List.of(dkim(DkimResult.TEMPERROR, "example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.6: an unaligned temperror does not matter; the message fails")
  void evaluate_unalignedTemperror_fail() {
    DmarcOutcome o =
        eval(
            "example.com",
            spf(SpfResult.TEMPERROR, "x.test"),
            List.of(dkim(DkimResult.TEMPERROR, "y.test")));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.6: an aligned pass beats a temperror")
  void evaluate_passAndTemperror_pass() {
    DmarcOutcome o =
        eval(
            "example.com",
            spf(SpfResult.TEMPERROR, "example.com"),
            List.of(dkim(DkimResult.PASS, "example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.6: temperror-as-fail is configurable")
  void evaluate_temperrorConfiguredAsFail_fail() {
    DmarcEvaluator e =
        DmarcEvaluator.builder(Zones.of(ZONE, FAILING)).authTempErrorIsTempError(false).build();
    DmarcOutcome o = run(e, input("example.com", spf(SpfResult.TEMPERROR, "example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: a tree walk failure while aligning, with no other aligned pass, is temperror")
  void evaluate_orgWalkTempFail_temperror() {
    DmarcOutcome o = eval("flaky.net", spf(SpfResult.PASS, "bounce.flaky.net"), List.of());
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains(DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: a sender's own failing DNS cannot turn a spoof of another domain into temperror")
  void evaluate_spoofWithIdentifiersWhoseDnsFails_stillFails() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o =
        run(
            DmarcEvaluator.builder(zone).build(),
            input(
                "bank.example",
                spf(SpfResult.PASS, "mail.evil.example"),
                dkim(DkimResult.PASS, "evil.example"),
                dkim(DkimResult.TEMPERROR, "x.evil.example")));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(Zones.queries(zone, "TXT")).noneMatch(q -> q.endsWith("evil.example"));
  }

  @Test
  @DisplayName("RFC 9989 §4.10.2: identical domains align without any organizational-domain walk")
  void evaluate_identicalDomains_noWalk() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o =
        run(
            DmarcEvaluator.builder(zone).build(),
            input(
                "example.com",
                spf(SpfResult.PASS, "example.com"),
                dkim(DkimResult.PASS, "example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(Zones.queries(zone, "TXT")).containsExactly("_dmarc.example.com");
  }

  @Test
  @DisplayName("RFC 7489 §3.2: relaxed alignment uses the injected PSL finder")
  void evaluate7489_relaxed_usesFinder() {
    // A finder that calls everything below "example.com" its own organization.
    io.github.dmarcj.domain.OrganizationalDomainFinder finder =
        domain ->
            CompletableFuture.completedFuture(
                new OrganizationalDomainOutcome.Found(domain.lastLabels(3), DiscoveryMethod.PSL));
    DmarcEvaluator e =
        DmarcEvaluator.builder(
                Zones.of(ZONE + "\n_dmarc.mail.example.com TXT \"v=DMARC1; p=reject\"", FAILING))
            .mode(DmarcMode.RFC7489)
            .organizationalDomainFinder(finder)
            .build();
    DmarcOutcome o = run(e, input("x.mail.example.com", spf(SpfResult.PASS, "y.mail.example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    DmarcOutcome o2 =
        run(e, input("x.mail.example.com", spf(SpfResult.PASS, "bounce.example.com")));
    assertThat(o2.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o2.policyDomain().orElseThrow().name()).isEqualTo("mail.example.com");
  }

  @Test
  @DisplayName("RFC 8616 §6, RFC 9989 §5.3.1: a U-label author domain is compared as A-labels")
  void evaluate_unicodeAuthor_aLabels() {
    RecordingDnsResolver zone = Zones.of("_dmarc.xn--bcher-kva.example TXT \"v=DMARC1; p=reject\"");
    DmarcOutcome o =
        run(
            DmarcEvaluator.builder(zone).build(),
            input("bücher.example", spf(SpfResult.PASS, "xn--bcher-kva.example")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(o.fromDomain().orElseThrow().name()).isEqualTo("xn--bcher-kva.example");
  }
}
