// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class TreeWalkTest {

  private static DomainName d(String s) {
    return DomainName.of(s);
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a short name is walked label by label up to the TLD")
  void walkNames_shortName_everyAncestor() {
    assertThat(TreeWalk.walkNames(d("a.mail.example.com")))
        .extracting(DomainName::name)
        .containsExactly("a.mail.example.com", "mail.example.com", "example.com", "com");
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a name of 8 labels takes 8 queries")
  void walkNames_eightLabels_eightQueries() {
    assertThat(TreeWalk.walkNames(d("a.b.c.d.e.f.example.com"))).hasSize(8);
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a longer name jumps to 7 labels: at most 8 queries")
  void walkNames_longName_shortened() {
    List<DomainName> names = TreeWalk.walkNames(d("a.b.c.d.e.f.g.h.i.j.example.com"));
    assertThat(names).hasSize(DmarcEvaluator.MAX_TREE_WALK_QUERIES);
    assertThat(names.get(0).name()).isEqualTo("a.b.c.d.e.f.g.h.i.j.example.com");
    assertThat(names.get(1).name()).isEqualTo("f.g.h.i.j.example.com");
    assertThat(names.get(7).name()).isEqualTo("com");
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a single-label name is queried once")
  void walkNames_tld_once() {
    assertThat(TreeWalk.walkNames(d("com"))).extracting(DomainName::name).containsExactly("com");
  }

  static final String ZONE =
      String.join(
          "\n",
          "; organizational domains by tree walk",
          "_dmarc.example.com TXT \"v=DMARC1; p=reject\"",
          "_dmarc.mail.example.com TXT \"v=DMARC1; p=none\"",
          "_dmarc.psd TXT \"v=DMARC1; p=reject; psd=y\"",
          "_dmarc.owner.psd TXT \"v=DMARC1; p=none; psd=y\"",
          "_dmarc.gov.example TXT \"v=DMARC1; p=reject; psd=y\"",
          "_dmarc.agency.gov.example TXT \"v=DMARC1; p=none\"",
          "_dmarc.sub.agency.gov.example TXT \"v=DMARC1; p=none\"",
          "_dmarc.stop.example.net TXT \"v=DMARC1; p=none; psd=n\"",
          "_dmarc.example.net TXT \"v=DMARC1; p=reject\"",
          "_dmarc.two.example.org TXT \"v=DMARC1; p=none\"",
          "_dmarc.two.example.org TXT \"v=DMARC1; p=reject\"",
          "_dmarc.example.org TXT \"v=DMARC1; p=reject\"");

  /** Names whose every query fails with SERVFAIL. */
  static final List<String> FAILING = List.of("broken.example", "_dmarc.broken.example");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // (3) the record with the fewest labels
    "a.mail.example.com, example.com",
    "mail.example.com, example.com",
    "example.com, example.com",
    // no record anywhere: the domain itself
    "x.y.nowhere.test, x.y.nowhere.test",
    // (2) psd=y above the start: one label below it
    "a.b.psd, b.psd",
    "b.psd, b.psd",
    "x.agency.gov.example, agency.gov.example",
    "deep.sub.agency.gov.example, agency.gov.example",
    // psd=y at the start is not rule (2) of RFC 9989 §4.10.2; the walk continues
    "owner.psd, owner.psd",
    // ... but seen from below it marks owner.psd as a suffix
    "x.owner.psd, x.owner.psd",
    // (1) psd=n stops the walk and names the organizational domain
    "a.stop.example.net, stop.example.net",
    "stop.example.net, stop.example.net",
    // several records at one name count as none there (RFC 9989 §4.10)
    "two.example.org, example.org"
  })
  @DisplayName("RFC 9989 §4.10.2: organizational domain by tree walk")
  void treeWalkFinder_cases_organizationalDomain(String start, String expected) {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    OrganizationalDomainOutcome out =
        DmarcEvaluator.treeWalkFinder(zone).find(d(start)).toCompletableFuture().join();
    assertThat(out)
        .isEqualTo(new OrganizationalDomainOutcome.Found(d(expected), DiscoveryMethod.TREEWALK));
    assertThat(Zones.queries(zone, "TXT"))
        .hasSizeLessThanOrEqualTo(DmarcEvaluator.MAX_TREE_WALK_QUERIES);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.2: the walk stops at psd=n without querying further up")
  void treeWalkFinder_psdN_stops() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcEvaluator.treeWalkFinder(zone).find(d("a.stop.example.net")).toCompletableFuture().join();
    assertThat(Zones.queries(zone, "TXT"))
        .containsExactly("_dmarc.a.stop.example.net", "_dmarc.stop.example.net");
  }

  @Test
  @DisplayName("RFC 9989 §4.10: a 12-label name costs at most 8 _dmarc queries")
  void treeWalkFinder_longName_eightQueries() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    DmarcEvaluator.treeWalkFinder(zone)
        .find(d("1.2.3.4.5.6.7.8.9.10.example.com"))
        .toCompletableFuture()
        .join();
    assertThat(Zones.queries(zone, "TXT")).hasSize(8);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: a temporary DNS failure during the walk is TempFail, not a guess")
  void treeWalkFinder_tempFail_tempFail() {
    RecordingDnsResolver zone = Zones.of(ZONE, FAILING);
    assertThat(
            DmarcEvaluator.treeWalkFinder(zone)
                .find(d("a.broken.example"))
                .toCompletableFuture()
                .join())
        .isInstanceOf(OrganizationalDomainOutcome.TempFail.class);
  }
}
