// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.result.SpfReportRequest;
import io.github.dmarcj.result.SpfResult;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The RFC 6652 §3 report modifiers: read from the right record, never changing the result. */
final class SpfReportRequestTest {
  private static final InetAddress CLIENT = OpenSpfSuiteTest.address("192.0.2.10");

  private static SpfEvaluation check(InMemoryDnsResolver.Builder zone, String mailFrom)
      throws Exception {
    return SpfChecker.builder(zone.build())
        .build()
        .check(SpfRequest.mailFrom(CLIENT, mailFrom, "mail.example.com"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static Optional<SpfReportRequest> request(String record) throws Exception {
    return check(InMemoryDnsResolver.builder().txt("example.com", record), "u@example.com")
        .reportRequest();
  }

  @Test
  @DisplayName("ra= at the identity's domain: reports to ra@domain, rp 100 and every failure")
  void ra_only_defaults() throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ra=postmaster -all"),
            "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.FAIL);
    assertThat(e.reportRequest())
        .contains(
            new SpfReportRequest("postmaster@example.com", 100, SpfReportRequest.ALL_RESULTS));
    assertThat(e.toOutcome().reportRequest()).isEqualTo(e.reportRequest());
  }

  @Test
  @DisplayName("rp= and rr= are read with ra=, in any order and any case")
  void rp_rr_read() throws Exception {
    assertThat(request("v=spf1 RR=f:S rp=25 -all ra=spf-reports"))
        .contains(
            new SpfReportRequest(
                "spf-reports@example.com", 25, Set.of(SpfResult.FAIL, SpfResult.SOFTFAIL)));
    assertThat(request("v=spf1 ra=r rr=e:n ?all").map(SpfReportRequest::results))
        .contains(Set.of(SpfResult.PERMERROR, SpfResult.NEUTRAL));
  }

  @ParameterizedTest(name = "rp={0} -> {1}")
  @CsvSource({"0,0", "100,100", "7,7", "101,100", "1000,100", "-1,100", "x,100", "1.5,100"})
  @DisplayName("rp= outside 0..100 or not digits falls back to 100")
  void rp_values(String rp, int expected) throws Exception {
    assertThat(request("v=spf1 ra=r rp=" + rp + " -all").map(SpfReportRequest::percentage))
        .contains(expected);
  }

  @ParameterizedTest(name = "rr={0}")
  @CsvSource({"all", "x", "all:f", "''"})
  @DisplayName("rr=all, or a list with no known type, means every failure result")
  void rr_all(String rr) throws Exception {
    assertThat(request("v=spf1 ra=r rr=" + rr + " -all").map(SpfReportRequest::results))
        .contains(SpfReportRequest.ALL_RESULTS);
  }

  @Test
  @DisplayName("rp= and rr= without ra= ask for nothing")
  void noRa_noRequest() throws Exception {
    assertThat(request("v=spf1 rp=50 rr=f -all")).isEmpty();
  }

  @ParameterizedTest(name = "ra={0}")
  @CsvSource({".a", "a.", "a..b", "a%%b", "a?b", "a\"b", "a@b"})
  @DisplayName("an ra= that is not a plain dot-atom local-part is not honoured")
  void badRa_ignored(String ra) throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ra=" + ra + " -all"),
            "u@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.FAIL);
    assertThat(e.reportRequest()).isEmpty();
  }

  @Test
  @DisplayName("an ra= of 65 characters is not honoured; 64 is")
  void longRa() throws Exception {
    assertThat(request("v=spf1 ra=" + "a".repeat(65) + " -all")).isEmpty();
    assertThat(request("v=spf1 ra=" + "a".repeat(64) + " -all")).isPresent();
  }

  @Test
  @DisplayName("the first of repeated ra= counts, and repeating it is no error")
  void repeated_firstCounts() throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ra=one ra=two -all"),
            "u@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.FAIL);
    assertThat(e.reportRequest().map(SpfReportRequest::address)).contains("one@example.com");
  }

  @Test
  @DisplayName("ra= in an include target speaks for another domain: ignored")
  void include_ignored() throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder()
                .txt("example.com", "v=spf1 include:esp.example.net -all")
                .txt("esp.example.net", "v=spf1 ra=abuse ip4:198.51.100.0/24 -all"),
            "u@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.FAIL);
    assertThat(e.reportRequest()).isEmpty();
  }

  @Test
  @DisplayName("ra= in a redirect target counts, at the target's domain, when the top has none")
  void redirect_used() throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder()
                .txt("example.com", "v=spf1 redirect=_spf.example.com")
                .txt("_spf.example.com", "v=spf1 ra=spf rr=f -all"),
            "u@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.FAIL);
    assertThat(e.reportRequest().map(SpfReportRequest::address)).contains("spf@_spf.example.com");
  }

  @Test
  @DisplayName("the identity's own ra= wins over a redirect target's")
  void top_winsOverRedirect() throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder()
                .txt("example.com", "v=spf1 ra=owner redirect=_spf.example.com")
                .txt("_spf.example.com", "v=spf1 ra=spf -all"),
            "u@example.com");
    assertThat(e.reportRequest().map(SpfReportRequest::address)).contains("owner@example.com");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'v=spf1 ip4:192.0.2.0/24 -all', pass",
    "'v=spf1 -all', fail",
    "'v=spf1 ~all', softfail",
    "'v=spf1 ?all', neutral",
    "'v=spf1', neutral",
    "'v=spf1 a:%{z}.example.com -all', permerror",
  })
  @DisplayName("the modifiers never change the result (they are unknown modifiers to RFC 7208)")
  void resultUnchanged(String record, String result) throws Exception {
    String with = record.replace("v=spf1", "v=spf1 ra=r rp=0 rr=f");
    SpfEvaluation plain =
        check(InMemoryDnsResolver.builder().txt("example.com", record), "u@example.com");
    SpfEvaluation modified =
        check(InMemoryDnsResolver.builder().txt("example.com", with), "u@example.com");
    assertThat(plain.result().keyword()).isEqualTo(result);
    assertThat(modified.result()).isEqualTo(plain.result());
    assertThat(modified.problem()).isEqualTo(plain.problem());
    assertThat(modified.mechanism()).isEqualTo(plain.mechanism());
  }

  @Test
  @DisplayName("a record that does not parse requests nothing")
  void invalidRecord_noRequest() throws Exception {
    SpfEvaluation e =
        check(
            InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ra=r bogus:x -all"),
            "u@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(e.reportRequest()).isEmpty();
  }
}
