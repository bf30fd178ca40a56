// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static io.github.dmarcj.dmarc.Inputs.dkim;
import static io.github.dmarcj.dmarc.Inputs.input;
import static io.github.dmarcj.dmarc.Inputs.run;
import static io.github.dmarcj.dmarc.Inputs.spf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class PolicyDiscoveryTest {

  static final String ZONE =
      String.join(
          "\n",
          "example.com A 192.0.2.1",
          "_dmarc.example.com TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject\"",
          "mail.example.com MX 10 mx.example.com",
          "_dmarc.own.example.com TXT \"v=DMARC1; p=none\"",
          "nosp.example TXT \"hello\"",
          "_dmarc.nosp.example TXT \"v=DMARC1; p=quarantine\"",
          "exists.nosp.example A 192.0.2.9",
          "_dmarc.psd TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject; psd=y; "
              + "rua=mailto:agg@psd; ruf=mailto:fail@psd\"",
          "org.psd A 192.0.2.2",
          "_dmarc.org.psd TXT \"v=DMARC1; p=none\"",
          "bare.psd A 192.0.2.3",
          "_dmarc.dup.test TXT \"v=DMARC1; p=reject\"",
          "_dmarc.dup.test TXT \"v=DMARC1; p=none\"",
          "_dmarc.other.test TXT \"v=spf1 -all\"",
          "_dmarc.other.test TXT \"v=DMARC1; p=quarantine\"",
          "_dmarc.tld TXT \"v=DMARC1; p=reject\"");

  /** Names whose every query fails with SERVFAIL. */
  static final List<String> FAILING = List.of("_dmarc.broken.test", "_dmarc.nx.example.org");

  private static DmarcEvaluator evaluator(RecordingDnsResolver zone) {
    return DmarcEvaluator.builder(zone).build();
  }

  private static DmarcOutcome failing(RecordingDnsResolver zone, String from) {
    return run(evaluator(zone), input(from, spf(SpfResult.FAIL, "attacker.test")));
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a record at the author domain applies with p")
  void evaluate_recordAtAuthor_p() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o = failing(zone, "own.example.com");
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.policyDomain()).contains(DomainName.of("own.example.com"));
    assertThat(o.recordSource()).contains(RecordSource.AUTHOR_DOMAIN);
    assertThat(o.policyTag()).contains(PolicyTag.P);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.NONE);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(o.discoveryMethod()).isEqualTo(DiscoveryMethod.TREEWALK);
    assertThat(o.mode()).isEqualTo(DmarcMode.RFC9989);
    assertThat(Zones.queries(zone, "TXT")).containsExactly("_dmarc.own.example.com");
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: an existing subdomain takes sp from the organizational domain record")
  void evaluate_existingSubdomain_sp() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "mail.example.com");
    assertThat(o.policyDomain()).contains(DomainName.of("example.com"));
    assertThat(o.recordSource()).contains(RecordSource.ORGANIZATIONAL_DOMAIN);
    assertThat(o.organizationalDomain()).contains(DomainName.of("example.com"));
    assertThat(o.policyTag()).contains(PolicyTag.SP);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: a non-existent subdomain (NXDOMAIN) takes np")
  void evaluate_nonExistentSubdomain_np() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o = failing(zone, "nothere.example.com");
    assertThat(o.policyTag()).contains(PolicyTag.NP);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.REJECT);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(Zones.queries(zone))
        .contains("A nothere.example.com", "AAAA nothere.example.com", "MX nothere.example.com");
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: an answer at _dmarc.<author> proves the author exists: no A/AAAA/MX query")
  void evaluate_dmarcNameAnswered_existsWithoutQueries() {
    RecordingDnsResolver zone =
        Zones.of(ZONE + "\n_dmarc.quiet.example.com TXT \"not dmarc\"", FAILING);
    DmarcOutcome o = failing(zone, "quiet.example.com");
    assertThat(o.policyTag()).contains(PolicyTag.SP);
    assertThat(Zones.queries(zone, "A")).isEmpty();
    assertThat(Zones.queries(zone, "MX")).isEmpty();
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: an empty non-terminal (NODATA) exists: sp, not np")
  void evaluate_emptyNonTerminal_sp() {
    RecordingDnsResolver zone = Zones.of(ZONE + "\nx.y.example.com A 192.0.2.7", FAILING);
    DmarcOutcome o = failing(zone, "y.example.com");
    assertThat(o.policyTag()).contains(PolicyTag.SP);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.QUARANTINE);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: without np or sp, p applies to subdomains; no existence query is needed")
  void evaluate_subdomainNoSp_p() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o = failing(zone, "nothere.nosp.example");
    assertThat(o.policyTag()).contains(PolicyTag.P);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(Zones.queries(zone, "A")).isEmpty();
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: an organizational domain with its own record is not governed by the PSD")
  void evaluate_orgRecordBelowPsd_orgRecord() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "mail.org.psd");
    assertThat(o.policyDomain()).contains(DomainName.of("org.psd"));
    assertThat(o.recordSource()).contains(RecordSource.ORGANIZATIONAL_DOMAIN);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.NONE);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: without an org record the PSD record (psd=y) applies, sp or np")
  void evaluate_noOrgRecord_psdRecord() {
    DmarcOutcome exists = failing(Zones.of(ZONE, FAILING), "bare.psd");
    assertThat(exists.policyDomain()).contains(DomainName.of("psd"));
    assertThat(exists.recordSource()).contains(RecordSource.PUBLIC_SUFFIX_DOMAIN);
    assertThat(exists.organizationalDomain()).contains(DomainName.of("bare.psd"));
    assertThat(exists.policyTag()).contains(PolicyTag.SP);
    assertThat(exists.requestedPolicy()).contains(DmarcPolicy.QUARANTINE);
    DmarcOutcome missing = failing(Zones.of(ZONE, FAILING), "ghost.psd");
    assertThat(missing.recordSource()).contains(RecordSource.PUBLIC_SUFFIX_DOMAIN);
    assertThat(missing.policyTag()).contains(PolicyTag.NP);
    assertThat(missing.requestedPolicy()).contains(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1, RFC 9991 §2: no failure reports to the ruf of a PSD record; aggregate reports go there")
  void evaluate_psdRecord_rufHeld() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "bare.psd");
    assertThat(o.failureDestinations())
        .extracting(ReportDestination::status)
        .containsExactly(ReportDestination.Status.PUBLIC_SUFFIX_FAILURE_REPORTS);
    assertThat(o.failureDestinations().get(0).deliverable()).isFalse();
    assertThat(o.aggregateDestinations()).hasSize(1);
    assertThat(o.aggregateDestinations().get(0).status())
        .isNotEqualTo(ReportDestination.Status.PUBLIC_SUFFIX_FAILURE_REPORTS);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: no record anywhere: result none, no policy")
  void evaluate_noRecord_none() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "a.b.nothing.test");
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.NO_RECORD);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(o.record()).isEmpty();
  }

  @Test
  @DisplayName("RFC 9989 §4.10: several DMARC records at the author name count as none there")
  void evaluate_duplicateRecords_none() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "dup.test");
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.MULTIPLE_RECORDS);
  }

  @Test
  @DisplayName("RFC 7489 §6.6.3: non-DMARC TXT records beside the DMARC one are discarded")
  void evaluate_otherTxt_ignored() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "other.test");
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.QUARANTINE);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1 and §5.3.6: a temporary failure of the record query is temperror, no policy")
  void evaluate_recordTempFail_temperror() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "broken.test");
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains(DmarcReason.DNS_TEMPFAIL_RECORD);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: temperror disposition is configurable")
  void evaluate_recordTempFailConfigured_quarantine() {
    DmarcEvaluator e =
        DmarcEvaluator.builder(Zones.of(ZONE, FAILING))
            .tempErrorDisposition(DmarcPolicy.QUARANTINE)
            .build();
    DmarcOutcome o = run(e, input("broken.test", spf(SpfResult.FAIL, "x.test")));
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: existence unknown (temporary failure) with np: temperror rather than guess")
  void evaluate_existenceTempFail_temperror() {
    RecordingDnsResolver zone =
        Zones.of(ZONE, Stream.concat(FAILING.stream(), Stream.of("x.example.com")).toList());
    DmarcOutcome o = failing(zone, "x.example.com");
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains(DmarcReason.DNS_TEMPFAIL_EXISTENCE);
  }

  @Test
  @DisplayName("RFC 7489 §6.6.3: author domain, then the PSL organizational domain")
  void evaluate7489_orgFallback_spOfOrg() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    OrganizationalDomainFinder psl = lastTwoLabels();
    DmarcEvaluator e =
        DmarcEvaluator.builder(zone)
            .mode(DmarcMode.RFC7489)
            .organizationalDomainFinder(psl)
            .build();
    DmarcOutcome o = run(e, input("a.b.example.com", spf(SpfResult.FAIL, "x.test")));
    assertThat(o.mode()).isEqualTo(DmarcMode.RFC7489);
    assertThat(o.discoveryMethod()).isEqualTo(DiscoveryMethod.PSL);
    assertThat(o.policyDomain()).contains(DomainName.of("example.com"));
    assertThat(o.policyTag()).contains(PolicyTag.SP);
    // np is an RFC 9989 tag: RFC 7489 mode neither uses it nor probes existence
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(Zones.queries(zone, "TXT"))
        .containsExactly("_dmarc.a.b.example.com", "_dmarc.example.com");
    assertThat(Zones.queries(zone, "A")).isEmpty();
  }

  @Test
  @DisplayName("RFC 7489 §6.6.3: several records at the author domain end discovery")
  void evaluate7489_duplicates_noFallback() {
    RecordingDnsResolver zone =
        Zones.of(
            ZONE
                + "\n_dmarc.z.dup.test TXT \"v=DMARC1; p=none\"\n"
                + "_dmarc.z.dup.test TXT \"v=DMARC1; p=reject\"",
            FAILING);
    DmarcEvaluator e =
        DmarcEvaluator.builder(zone)
            .mode(DmarcMode.RFC7489)
            .organizationalDomainFinder(lastTwoLabels())
            .build();
    DmarcOutcome o = run(e, input("z.dup.test", spf(SpfResult.FAIL, "x.test")));
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.MULTIPLE_RECORDS);
    assertThat(Zones.queries(zone, "TXT")).containsExactly("_dmarc.z.dup.test");
  }

  @Test
  @DisplayName("RFC 7489 §6.6.3: RFC 7489 mode needs a PSL finder")
  void build7489_withoutFinder_throws() {
    assertThatThrownBy(() -> DmarcEvaluator.builder(Zones.of("")).mode(DmarcMode.RFC7489).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("organizationalDomainFinder");
  }

  @Test
  @DisplayName("RFC 7489 §3.2: a PSL finder failure is temperror")
  void evaluate7489_finderTempFail_temperror() {
    OrganizationalDomainFinder failing =
        domain -> CompletableFuture.completedFuture(new OrganizationalDomainOutcome.TempFail("x"));
    DmarcEvaluator e =
        DmarcEvaluator.builder(Zones.of(ZONE, FAILING))
            .mode(DmarcMode.RFC7489)
            .organizationalDomainFinder(failing)
            .build();
    DmarcOutcome o = run(e, input("a.example.com", spf(SpfResult.FAIL, "x.test")));
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains(DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN);
  }

  @Test
  @DisplayName(
      "RFC 9989 §4.10.1: a record at a TLD without psd=y governs names below it (fewest labels)")
  void evaluate_tldRecordWithoutPsd_orgIsTld() {
    DmarcOutcome o = failing(Zones.of(ZONE, FAILING), "shop.tld");
    assertThat(o.policyDomain()).contains(DomainName.of("tld"));
    assertThat(o.recordSource()).contains(RecordSource.ORGANIZATIONAL_DOMAIN);
  }

  @Test
  @DisplayName("a pass with an aligned DKIM signature queries each _dmarc name once")
  void evaluate_sharedWalks_eachNameOnce() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcOutcome o =
        run(
            evaluator(zone),
            input(
                "a.mail.example.com",
                spf(SpfResult.PASS, "b.example.com"),
                dkim(DkimResult.PASS, "mail.example.com")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(Zones.queries(zone, "TXT")).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: discover() names every query and the record found")
  void discover_subdomain_queriesListed() {
    DiscoveredPolicy d =
        evaluator(Zones.of(ZONE, FAILING))
            .discover(DomainName.of("a.mail.example.com"))
            .toCompletableFuture()
            .join();
    assertThat(d.policyDomain()).contains(DomainName.of("example.com"));
    assertThat(d.queries())
        .extracting(q -> q.domain().name())
        .containsExactly("a.mail.example.com", "mail.example.com", "example.com", "com");
    assertThat(d.method()).isEqualTo(DiscoveryMethod.TREEWALK);
  }

  /** A stand-in for the Public Suffix List: every name's last two labels. */
  static OrganizationalDomainFinder lastTwoLabels() {
    return domain ->
        CompletableFuture.completedFuture(
            new OrganizationalDomainOutcome.Found(domain.lastLabels(2), DiscoveryMethod.PSL));
  }
}
