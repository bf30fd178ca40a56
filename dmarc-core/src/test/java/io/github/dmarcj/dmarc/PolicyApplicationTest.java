// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static io.github.dmarcj.dmarc.Inputs.dkim;
import static io.github.dmarcj.dmarc.Inputs.input;
import static io.github.dmarcj.dmarc.Inputs.run;
import static io.github.dmarcj.dmarc.Inputs.spf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.message.FromStatus;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

final class PolicyApplicationTest {

  static final String ZONE =
      String.join(
          "\n",
          "_dmarc.reject.test TXT \"v=DMARC1; p=reject\"",
          "_dmarc.quarantine.test TXT \"v=DMARC1; p=quarantine\"",
          "_dmarc.none.test TXT \"v=DMARC1; p=none\"",
          "_dmarc.testing.test TXT \"v=DMARC1; p=reject; t=y\"",
          "_dmarc.testingq.test TXT \"v=DMARC1; p=quarantine; t=y\"",
          "_dmarc.pct0.test TXT \"v=DMARC1; p=reject; pct=0\"",
          "_dmarc.pct50.test TXT \"v=DMARC1; p=reject; pct=50\"",
          "_dmarc.pct50q.test TXT \"v=DMARC1; p=quarantine; pct=50\"",
          "_dmarc.badp.test TXT \"v=DMARC1; p=always; rua=mailto:d@badp.test\"",
          "_dmarc.badpnorua.test TXT \"v=DMARC1; p=always\"",
          "_dmarc.a.test TXT \"v=DMARC1; p=quarantine\"",
          "_dmarc.b.test TXT \"v=DMARC1; p=reject\"",
          "_dmarc.c.test TXT \"v=DMARC1; p=none\"");

  private static DmarcEvaluator.Builder builder() {
    return DmarcEvaluator.builder(Zones.of(ZONE));
  }

  private static DmarcInput failing(String from) {
    return input(from, spf(SpfResult.FAIL, "attacker.example"));
  }

  @Test
  @DisplayName("a record text is parsed once per evaluator; a changed record takes effect")
  void parsedRecordsAreSharedByTextAndFollowChanges() {
    io.github.dmarcj.dns.InMemoryDnsResolver.Builder zone =
        io.github.dmarcj.dns.InMemoryDnsResolver.builder().ttl(0).negativeTtl(0);
    java.util.concurrent.atomic.AtomicReference<String> record =
        new java.util.concurrent.atomic.AtomicReference<>("v=DMARC1; p=reject");
    io.github.dmarcj.dns.DnsResolver changing =
        new io.github.dmarcj.dns.ForwardingDnsResolver(zone.build()) {
          @Override
          public java.util.concurrent.CompletionStage<io.github.dmarcj.dns.DnsLookup<String>> txt(
              String name) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                name.equals("_dmarc.changing.test")
                    ? io.github.dmarcj.dns.DnsLookup.found(List.of(record.get()), 0)
                    : io.github.dmarcj.dns.DnsLookup.nxDomain(0));
          }
        };
    DmarcEvaluator evaluator = DmarcEvaluator.builder(changing).build();
    assertThat(evaluator.parse("v=DMARC1; p=reject"))
        .isSameAs(evaluator.parse("v=DMARC1; p=reject"));
    assertThat(run(evaluator, failing("changing.test")).disposition())
        .isEqualTo(DmarcPolicy.REJECT);
    record.set("v=DMARC1; p=quarantine");
    assertThat(run(evaluator, failing("changing.test")).disposition())
        .isEqualTo(DmarcPolicy.QUARANTINE);
    record.set("v=DMARC1; p=reject");
    assertThat(run(evaluator, failing("changing.test")).disposition())
        .isEqualTo(DmarcPolicy.REJECT);
  }

  @ParameterizedTest
  @CsvSource({"reject.test, REJECT", "quarantine.test, QUARANTINE", "none.test, NONE"})
  @DisplayName("RFC 9989 §5.3 and §5.4: a failing message gets the requested policy as disposition")
  void evaluate_fail_requestedPolicy(String from, DmarcPolicy expected) {
    DmarcOutcome o = run(builder().build(), failing(from));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.requestedPolicy()).contains(expected);
    assertThat(o.disposition()).isEqualTo(expected);
    assertThat(o.overrides()).isEmpty();
  }

  @Test
  @DisplayName("RFC 9989 §5.4: a passing message always gets disposition none")
  void evaluate_pass_none() {
    DmarcOutcome o =
        run(builder().build(), input("reject.test", null, dkim(DkimResult.PASS, "reject.test")));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.REJECT);
  }

  @ParameterizedTest
  @CsvSource({"testing.test, REJECT, QUARANTINE", "testingq.test, QUARANTINE, NONE"})
  @DisplayName("RFC 9989 §4.7: t=y applies the policy one level lower, reason policy_test_mode")
  void evaluate_testMode_oneLevelDown(String from, DmarcPolicy requested, DmarcPolicy applied) {
    DmarcOutcome o = run(builder().build(), failing(from));
    assertThat(o.requestedPolicy()).contains(requested);
    assertThat(o.disposition()).isEqualTo(applied);
    assertThat(o.testMode()).isTrue();
    assertThat(o.overrides())
        .containsExactly(
            new AppliedOverride(OverrideReason.POLICY_TEST_MODE, "t=y", requested, applied));
  }

  @Test
  @DisplayName("RFC 9989 §4.7: t=y is an RFC 9989 tag: RFC 7489 mode ignores it")
  void evaluate7489_testMode_ignored() {
    DmarcOutcome o =
        run(
            builder()
                .mode(DmarcMode.RFC7489)
                .organizationalDomainFinder(PolicyDiscoveryTest.lastTwoLabels())
                .build(),
            failing("testing.test"));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(o.testMode()).isFalse();
  }

  @Test
  @DisplayName(
      "RFC 7489 §6.6.4: pct=0: every failing message is sampled out (reject becomes quarantine)")
  void evaluate_pct0_sampledOut() {
    DmarcOutcome o = run(builder().build(), failing("pct0.test"));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(o.sampledOut()).isTrue();
    assertThat(o.overrides())
        .extracting(AppliedOverride::reason)
        .containsExactly(OverrideReason.SAMPLED_OUT);
  }

  @Test
  @DisplayName("RFC 7489 §6.6.4: pct=50 with a seeded random source: about half are sampled in")
  void evaluate_pct50_aboutHalf() {
    DmarcEvaluator e = builder().random(new SplittableRandom(7)).build();
    int applied = 0;
    int sampledOut = 0;
    for (int i = 0; i < 2000; i++) {
      DmarcOutcome o = run(e, failing("pct50q.test"));
      if (o.disposition() == DmarcPolicy.QUARANTINE) {
        applied++;
        assertThat(o.sampledOut()).isFalse();
      } else {
        sampledOut++;
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(o.sampledOut()).isTrue();
      }
    }
    assertThat(applied).isBetween(900, 1100);
    assertThat(applied + sampledOut).isEqualTo(2000);
  }

  @Test
  @DisplayName("RFC 7489 §6.6.4: the same seed gives the same decisions")
  void evaluate_pctSeeded_deterministic() {
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    for (StringBuilder sb : List.of(first, second)) {
      DmarcEvaluator e = builder().random(new SplittableRandom(42)).build();
      for (int i = 0; i < 50; i++) {
        sb.append(run(e, failing("pct50.test")).disposition().ordinal());
      }
    }
    assertThat(first.toString()).isEqualTo(second.toString()).contains("1").contains("2");
  }

  @Test
  @DisplayName("RFC 7489 §6.6.4: pct can be switched off (strict RFC 9989)")
  void evaluate_pctOff_fullPolicy() {
    DmarcOutcome o = run(builder().honourPct(false).build(), failing("pct0.test"));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(o.sampledOut()).isFalse();
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: invalid p with rua: act as p=none")
  void evaluate_invalidPWithRua_none() {
    DmarcOutcome o = run(builder().build(), failing("badp.test"));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.requestedPolicy()).contains(DmarcPolicy.NONE);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(o.aggregateDestinations()).hasSize(1);
  }

  @Test
  @DisplayName("RFC 9989 §4.10.1: invalid p without rua: no DMARC processing")
  void evaluate_invalidPWithoutRua_noneResult() {
    DmarcOutcome o = run(builder().build(), failing("badpnorua.test"));
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.UNUSABLE_RECORD);
    assertThat(o.record()).isPresent();
  }

  @Test
  @DisplayName("RFC 9990 §3.1.6: trusted forwarder by CIDR: none with reason trusted_forwarder")
  void evaluate_trustedForwarderNetwork_none() throws Exception {
    DmarcEvaluator e =
        builder()
            .addOverride(
                OverrideRule.trustedForwarderNetworks(List.of("192.0.2.0/24", "2001:db8::/32")))
            .build();
    DmarcOutcome in4 =
        run(e, failing("reject.test").withClientIp(InetAddress.getByName("192.0.2.77")));
    assertThat(in4.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(in4.overrides())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.reason()).isEqualTo(OverrideReason.TRUSTED_FORWARDER);
              assertThat(s.reason().keyword()).isEqualTo("trusted_forwarder");
              assertThat(s.before()).isEqualTo(DmarcPolicy.REJECT);
              assertThat(s.comment()).contains("192.0.2.0/24");
            });
    DmarcOutcome in6 =
        run(e, failing("reject.test").withClientIp(InetAddress.getByName("2001:db8::1")));
    assertThat(in6.disposition()).isEqualTo(DmarcPolicy.NONE);
    DmarcOutcome mapped =
        run(e, failing("reject.test").withClientIp(InetAddress.getByName("::ffff:192.0.2.5")));
    assertThat(mapped.disposition()).isEqualTo(DmarcPolicy.NONE);
    DmarcOutcome out =
        run(e, failing("reject.test").withClientIp(InetAddress.getByName("192.0.3.1")));
    assertThat(out.disposition()).isEqualTo(DmarcPolicy.REJECT);
    assertThat(run(e, failing("reject.test")).disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName("RFC 9990 §3.1.6: trusted forwarder by authenticated domain (DKIM or SPF pass)")
  void evaluate_trustedForwarderDomain_none() {
    DmarcEvaluator e =
        builder()
            .addOverride(OverrideRule.trustedForwarderDomains(List.of("forwarder.example")))
            .build();
    DmarcOutcome viaDkim =
        run(
            e,
            input(
                "reject.test",
                spf(SpfResult.FAIL, "x.test"),
                dkim(DkimResult.PASS, "mx.forwarder.example")));
    assertThat(viaDkim.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(viaDkim.overrides())
        .extracting(AppliedOverride::reason)
        .containsExactly(OverrideReason.TRUSTED_FORWARDER);
    DmarcOutcome viaSpf = run(e, input("reject.test", spf(SpfResult.PASS, "forwarder.example")));
    assertThat(viaSpf.disposition()).isEqualTo(DmarcPolicy.NONE);
    DmarcOutcome failedSig =
        run(e, input("reject.test", null, dkim(DkimResult.FAIL, "forwarder.example")));
    assertThat(failedSig.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName("RFC 9990 §3.1.6: mailing list by List-Id: none with reason mailing_list")
  void evaluate_mailingList_none() {
    DmarcEvaluator e =
        builder().addOverride(OverrideRule.mailingLists(List.of("lists.example.org"))).build();
    DmarcOutcome o =
        run(e, failing("reject.test").withListId("Discussion <dev.lists.example.org>"));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(o.overrides())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).isEqualTo(OverrideReason.MAILING_LIST));
    DmarcOutcome other = run(e, failing("reject.test").withListId("<dev.lists.example.net>"));
    assertThat(other.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.6: a custom rule sees the preliminary outcome; the first rule that decides wins")
  void evaluate_customRules_firstWins() {
    OverrideRule quarantineRejects =
        (in, prelim) ->
            prelim.disposition() == DmarcPolicy.REJECT
                ? Optional.of(
                    new OverrideRule.Decision(
                        DmarcPolicy.QUARANTINE, OverrideReason.LOCAL_POLICY, "never reject"))
                : Optional.empty();
    OverrideRule never =
        (in, prelim) ->
            Optional.of(new OverrideRule.Decision(DmarcPolicy.NONE, OverrideReason.OTHER, "x"));
    DmarcEvaluator e = builder().addOverride(quarantineRejects).addOverride(never).build();
    DmarcOutcome o = run(e, failing("reject.test"));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
    assertThat(o.overrides())
        .extracting(AppliedOverride::reason)
        .containsExactly(OverrideReason.LOCAL_POLICY);
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3, RFC 9990 §3.1.6: overrides are not consulted for passing mail or p=none")
  void evaluate_overrides_onlyForEffectiveFailures() {
    OverrideRule boom =
        (in, prelim) -> {
          throw new AssertionError("consulted for " + prelim);
        };
    DmarcEvaluator e = builder().addOverride(boom).build();
    assertThat(run(e, failing("none.test")).disposition()).isEqualTo(DmarcPolicy.NONE);
    assertThat(run(e, input("reject.test", spf(SpfResult.PASS, "reject.test"))).result())
        .isEqualTo(DmarcResult.PASS);
  }

  @Test
  @DisplayName("RFC 9990 §3.1.6: a rule that throws is skipped, never propagated")
  void evaluate_throwingRule_skipped() {
    OverrideRule bad =
        (in, prelim) -> {
          throw new IllegalStateException("bug");
        };
    DmarcOutcome o = run(builder().addOverride(bad).build(), failing("reject.test"));
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName(
      "RFC 9990 §3.1.6: bad CIDR configuration is the caller's mistake and throws at build time")
  void trustedForwarderNetworks_badCidr_throws() {
    assertThatThrownBy(() -> OverrideRule.trustedForwarderNetworks(List.of("192.0.2.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OverrideRule.trustedForwarderNetworks(List.of("mail.example.com")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(value = FromStatus.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
  @DisplayName(
      "RFC 9989 §5.3.1 and §11.5: From problems give none with a distinct reason, never the first domain")
  void evaluate_fromProblem_none(FromStatus status) {
    RecordingDnsResolver zone = Zones.of(ZONE);
    List<String> domains =
        status == FromStatus.MULTIPLE_FIELDS || status == FromStatus.MULTIPLE_ADDRESSES
            ? List.of("reject.test", "none.test")
            : List.of();
    DmarcOutcome o =
        run(
            DmarcEvaluator.builder(zone).build(),
            DmarcInput.withFromProblem(status, domains, spf(SpfResult.FAIL, "x.test"), List.of()));
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.valueOf("FROM_" + status.name()));
    assertThat(o.fromDomain()).isEmpty();
    assertThat(Zones.queries(zone)).isEmpty();
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1: the From reading of the message package is carried over as it is")
  void dmarcInput_ofAuthorDomains_statusCarried() {
    io.github.dmarcj.message.AuthorDomains from =
        io.github.dmarcj.message.AuthorDomains.ofValue("Someone <me@Reject.Test>");
    DmarcInput in = DmarcInput.of(from, spf(SpfResult.FAIL, "x.test"), List.of());
    assertThat(in.fromStatus()).isEqualTo(FromStatus.OK);
    assertThat(run(builder().build(), in).disposition()).isEqualTo(DmarcPolicy.REJECT);
    DmarcInput two =
        DmarcInput.of(
            io.github.dmarcj.message.AuthorDomains.ofValue("a@reject.test, b@none.test"),
            null,
            List.of());
    assertThat(run(builder().build(), two).reason()).contains(DmarcReason.FROM_MULTIPLE_ADDRESSES);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1: several addresses of one domain are evaluated normally")
  void evaluate_multipleAddressesSameDomain_evaluated() {
    DmarcOutcome o =
        run(
            builder().build(),
            DmarcInput.withFromProblem(
                FromStatus.MULTIPLE_ADDRESSES,
                List.of("reject.test", "REJECT.test."),
                spf(SpfResult.FAIL, "x.test"),
                List.of()));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName(
      "RFC 9989 §11.5: optional mode: every From domain evaluated, the strictest failing policy wins")
  void evaluate_strictestMode_strictestFailure() {
    DmarcEvaluator e = builder().strictestPolicyForMultipleAuthors(3).build();
    DmarcOutcome o =
        run(
            e,
            DmarcInput.withFromProblem(
                FromStatus.MULTIPLE_FIELDS,
                List.of("a.test", "b.test", "c.test"),
                spf(SpfResult.PASS, "a.test"),
                List.of()));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.fromDomain().orElseThrow().name()).isEqualTo("b.test");
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  @DisplayName("RFC 9989 §11.5: the strictest mode is capped")
  void evaluate_strictestModeOverCap_none() {
    DmarcEvaluator e = builder().strictestPolicyForMultipleAuthors(2).build();
    DmarcOutcome o =
        run(
            e,
            DmarcInput.withFromProblem(
                FromStatus.MULTIPLE_FIELDS,
                List.of("a.test", "b.test", "c.test"),
                null,
                List.of()));
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.TOO_MANY_AUTHOR_DOMAINS);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.1: an author domain that is not a domain name gives none")
  void evaluate_invalidAuthorDomain_none() {
    DmarcOutcome o = run(builder().build(), failing("bad..domain"));
    assertThat(o.result()).isEqualTo(DmarcResult.NONE);
    assertThat(o.reason()).contains(DmarcReason.FROM_INVALID_DOMAIN);
  }

  @Test
  @DisplayName("status OK with other than one domain is the caller's mistake")
  void dmarcInput_okWithTwoDomains_throws() {
    assertThatThrownBy(
            () ->
                new DmarcInput(
                    FromStatus.OK,
                    List.of("a.test", "b.test"),
                    Optional.empty(),
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("RFC 9989 §5.3.6: a resolver that throws yields temperror, never an exception")
  void evaluate_throwingResolver_temperror() {
    io.github.dmarcj.dns.DnsResolver broken =
        new io.github.dmarcj.dns.DnsResolver() {
          @Override
          public java.util.concurrent.CompletionStage<io.github.dmarcj.dns.DnsLookup<String>> txt(
              String n) {
            return java.util.concurrent.CompletableFuture.failedFuture(
                new RuntimeException("down"));
          }

          @Override
          public java.util.concurrent.CompletionStage<
                  io.github.dmarcj.dns.DnsLookup<java.net.Inet4Address>>
              a(String n) {
            throw new UnsupportedOperationException();
          }

          @Override
          public java.util.concurrent.CompletionStage<
                  io.github.dmarcj.dns.DnsLookup<java.net.Inet6Address>>
              aaaa(String n) {
            throw new UnsupportedOperationException();
          }

          @Override
          public java.util.concurrent.CompletionStage<
                  io.github.dmarcj.dns.DnsLookup<io.github.dmarcj.dns.MxRecord>>
              mx(String n) {
            throw new UnsupportedOperationException();
          }

          @Override
          public java.util.concurrent.CompletionStage<io.github.dmarcj.dns.DnsLookup<String>> ptr(
              String n) {
            throw new UnsupportedOperationException();
          }
        };
    DmarcOutcome o = run(DmarcEvaluator.builder(broken).build(), failing("reject.test"));
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  @Test
  @DisplayName(
      "RFC 9989 §5.3.6: a resolver that breaks its contract yields temperror with reason INTERNAL_ERROR")
  void evaluate_contractBreakingResolver_internalError() {
    io.github.dmarcj.dns.DnsResolver nulls =
        new io.github.dmarcj.dns.ForwardingDnsResolver(
            io.github.dmarcj.dns.InMemoryDnsResolver.builder().build()) {
          @Override
          public java.util.concurrent.CompletionStage<io.github.dmarcj.dns.DnsLookup<String>> txt(
              String n) {
            return null;
          }
        };
    DmarcOutcome o = run(DmarcEvaluator.builder(nulls).build(), failing("reject.test"));
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains(DmarcReason.INTERNAL_ERROR);
    assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
  }
}
