// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.FaultInjectingDnsResolver;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** check_host() behaviour beyond the openspf suite: limits counted on real queries, outputs. */
final class SpfCheckerTest {

  private static final InetAddress CLIENT = OpenSpfSuiteTest.address("192.0.2.10");

  private static SpfEvaluation check(DnsResolver resolver, String mailFrom) throws Exception {
    return check(SpfChecker.builder(resolver).receiver("mx.receiver.example").build(), mailFrom);
  }

  private static SpfEvaluation check(SpfChecker checker, String mailFrom) throws Exception {
    return checker
        .check(SpfRequest.mailFrom(CLIENT, mailFrom, "mail.example.com"))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** The queries made through {@code rr}, as {@code "TYPE name"} with the name lower case. */
  private static List<String> queries(RecordingDnsResolver rr) {
    List<String> out = new ArrayList<>();
    for (RecordingDnsResolver.Query q : rr.queries()) {
      String n = q.name().toLowerCase(Locale.ROOT);
      out.add(q.type() + " " + (n.endsWith(".") ? n.substring(0, n.length() - 1) : n));
    }
    return out;
  }

  @Test
  @DisplayName("the 11th DNS-querying term is a permerror; only 10 are queried (RFC 7208 §4.6.4)")
  void check_elevenATerms_tenQueriedThenPermerror() throws Exception {
    StringBuilder rec = new StringBuilder("v=spf1");
    for (int i = 1; i <= 11; i++) {
      rec.append(" a:h").append(i).append(".example.com");
    }
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", rec.append(" -all").toString());
    for (int i = 1; i <= 11; i++) {
      zone.a("h" + i + ".example.com", "198.51.100." + i);
    }
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(e.problem()).contains(SpfProblem.TOO_MANY_DNS_LOOKUPS);
    assertThat(e.dnsLookups()).isEqualTo(10);
    assertThat(rr.count(RecordType.A)).isEqualTo(10);
    assertThat(queries(rr)).doesNotContain("A h11.example.com");
  }

  @Test
  @DisplayName("the limit is global across nested includes (RFC 7208 §4.6.4)")
  void check_includeChain_limitCountsNestedTerms() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 include:i1.example.com -all");
    for (int i = 1; i <= 20; i++) {
      zone.txt("i" + i + ".example.com", "v=spf1 include:i" + (i + 1) + ".example.com");
    }
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.PERMERROR);
    assertThat(e.problem()).contains(SpfProblem.TOO_MANY_DNS_LOOKUPS);
    // the top record plus the 10 admitted includes
    assertThat(rr.count(RecordType.TXT)).isEqualTo(11);
  }

  @Test
  @DisplayName("an include loop ends in permerror after 10 lookups (RFC 7208 §4.6.4)")
  void check_includeLoop_permerror() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 include:loop.example.com -all")
            .txt("loop.example.com", "v=spf1 include:example.com");
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.problem()).contains(SpfProblem.TOO_MANY_DNS_LOOKUPS);
    assertThat(queries(rr)).hasSize(11);
  }

  @Test
  @DisplayName("the third void lookup is a permerror; the limit is configurable (RFC 7208 §4.6.4)")
  void check_threeVoidLookups_permerrorUnlessConfigured() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt(
                "example.com",
                "v=spf1 a:n1.example.com mx:n2.example.com exists:n3.example.com"
                    + " a:n4.example.com -all")
            .exists("n2.example.com");
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.problem()).contains(SpfProblem.TOO_MANY_VOID_LOOKUPS);
    assertThat(e.voidLookups()).isEqualTo(3);
    assertThat(queries(rr))
        .containsExactly(
            "TXT example.com", "A n1.example.com", "MX n2.example.com", "A n3.example.com");

    SpfEvaluation relaxed =
        check(SpfChecker.builder(zone.build()).maxVoidLookups(4).build(), "user@example.com");
    assertThat(relaxed.result()).isEqualTo(SpfResult.FAIL);
    assertThat(relaxed.voidLookups()).isEqualTo(4);
  }

  @Test
  @DisplayName("over 10 MX names: permerror before any address query (RFC 7208 §4.6.4 and §5.4)")
  void check_elevenMxNames_permerrorWithoutAddressQueries() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 mx -all");
    for (int i = 0; i < 11; i++) {
      zone.mx("example.com", i, "mx" + i + ".example.com")
          .a("mx" + i + ".example.com", "192.0.2.10");
    }
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.problem()).contains(SpfProblem.TOO_MANY_MX_NAMES);
    assertThat(rr.count(RecordType.A)).isZero();

    InMemoryDnsResolver.Builder ten =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 mx -all");
    for (int i = 0; i < 10; i++) {
      ten.mx("example.com", i, "mx" + i + ".example.com")
          .a("mx" + i + ".example.com", i == 9 ? "192.0.2.10" : "192.0.2.99");
    }
    RecordingDnsResolver rr10 = new RecordingDnsResolver(ten.build());
    SpfEvaluation pass = check(rr10, "user@example.com");
    assertThat(pass.result()).isEqualTo(SpfResult.PASS);
    assertThat(pass.mechanism()).contains("mx");
    assertThat(rr10.count(RecordType.A)).isEqualTo(10);
  }

  @Test
  @DisplayName("ptr resolves at most 10 PTR names, the rest ignored (RFC 7208 §4.6.4 and §5.5)")
  void check_twelvePtrNames_onlyTenResolved() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ptr -all");
    for (int i = 0; i < 12; i++) {
      zone.ptr("10.2.0.192.in-addr.arpa", "h" + i + ".example.com");
      zone.a("h" + i + ".example.com", i == 11 ? "192.0.2.10" : "192.0.2.99");
    }
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.FAIL);
    assertThat(rr.count(RecordType.PTR)).isEqualTo(1);
    assertThat(rr.count(RecordType.A)).isEqualTo(10);
  }

  @Test
  @DisplayName(
      "a resolver that never answers ends in temperror within the budget (RFC 7208 §4.6.4)")
  void check_hangingResolver_temperrorTimeBudget() throws Exception {
    DnsResolver hanging =
        new ForwardingDnsResolver(InMemoryDnsResolver.builder().build()) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            return new CompletableFuture<>();
          }
        };
    SpfChecker checker = SpfChecker.builder(hanging).timeBudget(Duration.ofMillis(200)).build();
    long start = System.nanoTime();
    SpfEvaluation e = check(checker, "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(e.problem()).contains(SpfProblem.TIME_BUDGET);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  @DisplayName("an injected TXT timeout is a temperror (RFC 7208 §4.4 and §5)")
  void check_injectedTimeout_temperror() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 include:inc.example.com -all")
            .txt("inc.example.com", "v=spf1 +all");
    SpfEvaluation e =
        check(
            FaultInjectingDnsResolver.builder(zone.build())
                .timeout(RecordType.TXT, "inc.example.com")
                .build(),
            "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(e.problem()).contains(SpfProblem.DNS_TEMPFAIL);
  }

  @Test
  @DisplayName("a resolver that throws or fails exceptionally gives temperror, not an exception")
  void check_misbehavingResolver_temperror() throws Exception {
    DnsResolver throwing =
        new ForwardingDnsResolver(InMemoryDnsResolver.builder().build()) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            throw new IllegalStateException("boom");
          }
        };
    SpfEvaluation e1 = check(throwing, "user@example.com");
    assertThat(e1.result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(e1.problem()).contains(SpfProblem.INTERNAL_ERROR);

    DnsResolver failing =
        new ForwardingDnsResolver(InMemoryDnsResolver.builder().build()) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
          }
        };
    SpfEvaluation e2 = check(failing, "user@example.com");
    assertThat(e2.result()).isEqualTo(SpfResult.TEMPERROR);
  }

  @Test
  @DisplayName(
      "HELO identity: postmaster@helo, address literals give none (RFC 7208 §2.3 and §4.3)")
  void check_heloIdentity_checkedAsPostmaster() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("mail.example.com", "v=spf1 a -all")
            .a("mail.example.com", "192.0.2.10");
    SpfChecker checker = SpfChecker.builder(zone.build()).build();
    SpfEvaluation e =
        checker.check(SpfRequest.helo(CLIENT, "mail.example.com")).toCompletableFuture().get();
    assertThat(e.result()).isEqualTo(SpfResult.PASS);
    assertThat(e.scope()).isEqualTo(SpfScope.HELO);
    assertThat(e.identity()).isEqualTo("postmaster@mail.example.com");
    assertThat(e.authResultsFragment()).isEqualTo("spf=pass smtp.helo=mail.example.com");

    SpfEvaluation literal =
        checker.check(SpfRequest.helo(CLIENT, "[192.0.2.10]")).toCompletableFuture().get();
    assertThat(literal.result()).isEqualTo(SpfResult.NONE);
    assertThat(literal.problem()).contains(SpfProblem.INVALID_DOMAIN);
  }

  @Test
  @DisplayName("null sender is checked as postmaster@HELO (RFC 7208 §2.4)")
  void check_nullSender_usesHelo() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("mail.example.com", "v=spf1 ip4:192.0.2.0/24 -all");
    SpfEvaluation e =
        SpfChecker.builder(zone.build())
            .build()
            .check(SpfRequest.mailFrom(CLIENT, "<>", "mail.example.com"))
            .toCompletableFuture()
            .get();
    assertThat(e.result()).isEqualTo(SpfResult.PASS);
    assertThat(e.identity()).isEqualTo("postmaster@mail.example.com");
    assertThat(e.scope()).isEqualTo(SpfScope.MFROM);
  }

  @Test
  @DisplayName("IPv4-mapped IPv6 clients are evaluated as IPv4 (RFC 7208 §5)")
  void check_mappedClient_matchesIp4() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:192.0.2.10 -all");
    SpfEvaluation e =
        SpfChecker.builder(zone.build())
            .build()
            .check(
                SpfRequest.mailFrom(
                    InetAddress.getByName("::ffff:192.0.2.10"), "a@example.com", "h.example.com"))
            .toCompletableFuture()
            .get();
    assertThat(e.result()).isEqualTo(SpfResult.PASS);
    assertThat(e.clientIp()).isInstanceOf(Inet4Address.class);
  }

  @Test
  @DisplayName("Received-SPF (RFC 7208 §9.1) and the A-R spf= fragment (RFC 7208 §9.2)")
  void receivedSpf_pass_rendersFields() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
    SpfEvaluation e = check(zone.build(), "user@example.com");
    assertThat(e.receivedSpfHeader())
        .isEqualTo(
            "Received-SPF: pass (mx.receiver.example: domain of user@example.com designates"
                + " 192.0.2.10 as permitted sender) client-ip=192.0.2.10;"
                + " envelope-from=\"user@example.com\"; helo=mail.example.com;"
                + " receiver=mx.receiver.example; identity=mailfrom;"
                + " mechanism=\"ip4:192.0.2.0/24\";");
    assertThat(e.authResultsFragment()).isEqualTo("spf=pass smtp.mailfrom=user@example.com");
    assertThat(e.toOutcome())
        .isEqualTo(
            new SpfOutcome(
                SpfResult.PASS,
                SpfScope.MFROM,
                "user@example.com",
                "example.com",
                Optional.empty(),
                Optional.of("ip4:192.0.2.0/24"),
                Optional.empty()));
  }

  @Test
  @DisplayName("permerror carries its reason into Received-SPF and A-R (RFC 7208 §2.6 and §9)")
  void receivedSpf_permerror_namesProblem() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 -all")
            .txt("example.com", "v=spf1 +all");
    SpfEvaluation e = check(zone.build(), "user@example.com");
    assertThat(e.problem()).contains(SpfProblem.MULTIPLE_RECORDS);
    assertThat(e.receivedSpf()).startsWith("permerror (").contains(" problem=\"more than one");
    assertThat(e.authResultsFragment())
        .isEqualTo("spf=permerror reason=multiple-records smtp.mailfrom=user@example.com");
    assertThat(e.toOutcome().reason()).contains("multiple-records");
  }

  @Test
  @DisplayName("fail carries the exp= explanation (RFC 7208 §6.2)")
  void check_failWithExp_explanationExpanded() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 -all exp=why.%{d}")
            .txt("why.example.com", "%{i} may not send for %{o} (seen by %{r})");
    SpfEvaluation e = check(zone.build(), "user@example.com");
    assertThat(e.explanation())
        .contains("192.0.2.10 may not send for example.com" + " (seen by mx.receiver.example)");
  }

  @Test
  @DisplayName("as SpfVerifier it checks the envelope's MAIL FROM (RFC 7208 §2.4)")
  void checkMailFrom_envelope_outcome() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ~all");
    io.github.dmarcj.spi.SpfVerifier verifier = SpfChecker.builder(zone.build()).build();
    SpfOutcome o =
        verifier
            .checkMailFrom(SmtpEnvelope.of(CLIENT, "h.example.com", "u@example.com"))
            .toCompletableFuture()
            .get();
    assertThat(o.result()).isEqualTo(SpfResult.SOFTFAIL);
    assertThat(o.reason()).contains("~all");
  }

  @Test
  @DisplayName("one checker serves many threads with an asynchronous resolver")
  void check_concurrentAsync_allCorrect() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 include:a.example.com mx -all")
            .txt("a.example.com", "v=spf1 a:h.example.com")
            .a("h.example.com", "192.0.2.10")
            .mx("example.com", 10, "mx.example.com")
            .a("mx.example.com", "192.0.2.20");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      SpfChecker checker =
          SpfChecker.builder(OpenSpfSuiteTest.answeringOn(zone.build(), pool)).build();
      List<CompletableFuture<SpfEvaluation>> all = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        InetAddress ip =
            OpenSpfSuiteTest.address(
                i % 3 == 0 ? "192.0.2.10" : i % 3 == 1 ? "192.0.2.20" : "192.0.2.30");
        all.add(
            checker
                .check(SpfRequest.mailFrom(ip, "u@example.com", "h.example.com"))
                .toCompletableFuture());
      }
      for (int i = 0; i < all.size(); i++) {
        SpfResult expected = i % 3 == 2 ? SpfResult.FAIL : SpfResult.PASS;
        assertThat(all.get(i).get(10, TimeUnit.SECONDS).result()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void builder_invalidArguments_rejectedWithMessage() {
    DnsResolver r = InMemoryDnsResolver.builder().build();
    assertThatThrownBy(() -> SpfChecker.builder(r).maxDnsLookups(-1))
        .hasMessageContaining("was -1");
    assertThatThrownBy(() -> SpfChecker.builder(r).timeBudget(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SpfChecker.builder(r).defaultExplanation("bad %"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a non-ASCII local-part: %{l} terms do not match, no query (RFC 8616 §4)")
  void check_nonAsciiLocalPart_macroTermDoesNotMatch() throws Exception {
    // No shipped resolver holds a name that cannot exist in the DNS; this one answers every A query
    // with 127.0.0.2, so a query for j\u00f6e.users.example.com would match.
    DnsResolver zone =
        new ForwardingDnsResolver(
            InMemoryDnsResolver.builder()
                .txt("example.com", "v=spf1 exists:%{l}.users.example.com ip4:192.0.2.0/24 -all")
                .build()) {
          @Override
          public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
            return CompletableFuture.completedFuture(
                DnsLookup.found(
                    List.of((Inet4Address) OpenSpfSuiteTest.address("127.0.0.2")), 300));
          }
        };
    RecordingDnsResolver rr = new RecordingDnsResolver(zone);
    SpfEvaluation e = check(rr, "j\u00f6e@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.PASS);
    assertThat(e.mechanism()).contains("ip4:192.0.2.0/24");
    assertThat(queries(rr)).containsExactly("TXT example.com");
  }

  @Test
  @DisplayName("redirect is ignored in a record with all (RFC 7208 §5.1 and §6.1)")
  void check_redirectWithAll_redirectIgnored() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 redirect=other.example.com ?all")
            .txt("other.example.com", "v=spf1 +all");
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    SpfEvaluation e = check(rr, "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.NEUTRAL);
    assertThat(e.mechanism()).contains("?all");
    assertThat(queries(rr)).containsExactly("TXT example.com");
  }

  @Test
  @DisplayName("IPv6 clients match ip6 and a//prefix terms (RFC 7208 §5.3 and §5.6)")
  void check_ipv6Client_dualCidr() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 ip4:192.0.2.0/24 a:h.example.com/24//64 -all")
            .aaaa("h.example.com", "2001:db8:1:2::1");
    SpfEvaluation e =
        SpfChecker.builder(zone.build())
            .build()
            .check(
                SpfRequest.mailFrom(
                    InetAddress.getByName("2001:db8:1:2:ffff::9"),
                    "u@example.com",
                    "h.example.com"))
            .toCompletableFuture()
            .get();
    assertThat(e.result()).isEqualTo(SpfResult.PASS);
    assertThat(e.mechanism()).contains("a:h.example.com/24//64");
    assertThat(e.receivedSpf()).contains("client-ip=\"2001:db8:1:2:ffff::9\";");
  }

  @Test
  @DisplayName("an expanded name over 253 characters loses labels on the left (RFC 7208 §7.3)")
  void check_longExpansion_truncatedFromLeft() throws Exception {
    String local = "x".repeat(60);
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 exists:%{l}.%{l}.%{l}.%{l}.example.com -all");
    RecordingDnsResolver rr = new RecordingDnsResolver(zone.build());
    check(rr, local + "@example.com");
    String expected = local + "." + local + "." + local + ".example.com";
    assertThat(queries(rr)).containsExactly("TXT example.com", "A " + expected);
    assertThat(expected.length()).isLessThanOrEqualTo(253);
  }

  @Test
  @DisplayName("no match gives neutral and Received-SPF mechanism=default (RFC 7208 §4.7 and §9.1)")
  void receivedSpf_noMatch_mechanismDefault() throws Exception {
    InMemoryDnsResolver.Builder zone =
        InMemoryDnsResolver.builder().txt("example.com", "v=spf1 ip4:198.51.100.1");
    SpfEvaluation e = check(zone.build(), "user@example.com");
    assertThat(e.result()).isEqualTo(SpfResult.NEUTRAL);
    assertThat(e.mechanism()).isEmpty();
    assertThat(e.receivedSpf()).startsWith("neutral (").endsWith(" mechanism=default;");
  }

  @Test
  @DisplayName("a sender's 5000-character MAIL FROM and HELO keep every header line within 998")
  void receivedSpf_hugeSenderValues_linesWithinLimit() throws Exception {
    String local = "\"" + "x".repeat(5000) + "\r\nReceived-SPF: pass\"";
    SpfEvaluation e =
        SpfChecker.builder(InMemoryDnsResolver.builder().txt("example.com", "v=spf1 -all").build())
            .receiver("mx.receiver.example")
            .build()
            .check(
                SpfRequest.mailFrom(CLIENT, local + "@example.com", "h".repeat(5000) + ".example"))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    String header = e.receivedSpfHeader();
    assertThat(header.split("\r\n", -1))
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
    assertThat(header.replace("\r\n\t", " ")).doesNotContain("\r").doesNotContain("\n");
    assertThat(e.authResultsFragment()).contains("left out").hasSizeLessThan(200);
  }
}
