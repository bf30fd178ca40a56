// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.FaultInjectingDnsResolver;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.RecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The openspf conformance suites for RFC 7208 (check_host() with its DNS limits of §4.6.4 and
 * §11.1), one dynamic test per case, each scenario's zone served by {@link
 * io.github.dmarcj.dns.InMemoryDnsResolver} with its {@code TIMEOUT} entries injected as resolver
 * timeouts by {@link FaultInjectingDnsResolver}.
 */
final class OpenSpfSuiteTest {

  /**
   * Cases of the RFC 4408 suite whose expected result RFC 7208 changed, each with the reason.
   * Empty: every RFC 4408 case also passes under this RFC 7208 implementation (where RFC 7208
   * changed a result, the 4408 suite already lists both results).
   */
  static final Map<String, String> RFC4408_SKIPS = Map.of();

  private static final ExecutorService LATER =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "spf-suite-async");
            t.setDaemon(true);
            return t;
          });

  @AfterAll
  static void stop() throws InterruptedException {
    LATER.shutdown();
    LATER.awaitTermination(5, TimeUnit.SECONDS);
  }

  @TestFactory
  @DisplayName("openspf rfc7208-tests.yml, completed-future resolver (RFC 7208)")
  Stream<DynamicTest> rfc7208Suite() {
    return suite("/openspf/rfc7208-tests.yml", false, Map.of());
  }

  @TestFactory
  @DisplayName("openspf rfc7208-tests.yml, answers delivered on another thread (RFC 7208)")
  Stream<DynamicTest> rfc7208SuiteAsync() {
    return suite("/openspf/rfc7208-tests.yml", true, Map.of());
  }

  @TestFactory
  @DisplayName("openspf rfc7208-tests 2014.05 release (RFC 7208)")
  Stream<DynamicTest> rfc7208Release201405() {
    return suite("/openspf/rfc7208-tests-2014.05.yml", false, Map.of());
  }

  @TestFactory
  @DisplayName("openspf rfc4408-tests.yml, cases changed by RFC 7208 skipped with reason")
  Stream<DynamicTest> rfc4408Suite() {
    return suite("/openspf/rfc4408-tests.yml", false, RFC4408_SKIPS);
  }

  /** The scenario's zone with its TIMEOUT entries injected, answers delivered on {@code later}. */
  static DnsResolver resolver(OpenSpfSuite.Scenario s, Executor later) {
    FaultInjectingDnsResolver.Builder b = FaultInjectingDnsResolver.builder(s.zone());
    for (String name : s.timeouts()) {
      for (RecordType type : RecordType.values()) {
        if (s.timesOut(type, name)) {
          b.timeout(type, name);
        }
      }
    }
    DnsResolver dns = b.build();
    return later == null ? dns : answeringOn(dns, later);
  }

  /** Delivers every answer of {@code dns} later, on {@code executor}. */
  static DnsResolver answeringOn(DnsResolver dns, Executor executor) {
    return new ForwardingDnsResolver(dns) {
      @Override
      protected <T> CompletionStage<DnsLookup<T>> forward(
          RecordType type,
          String name,
          Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
        return super.forward(type, name, call).thenApplyAsync(l -> l, executor);
      }
    };
  }

  static SpfChecker checker(DnsResolver resolver) {
    return SpfChecker.builder(resolver)
        .defaultExplanation("DEFAULT")
        .receiver("receiver.example.net")
        .clock(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC))
        .build();
  }

  private Stream<DynamicTest> suite(String resource, boolean async, Map<String, String> skips) {
    List<DynamicTest> tests = new ArrayList<>();
    for (OpenSpfSuite.Scenario s : OpenSpfSuite.load(resource)) {
      DnsResolver resolver = resolver(s, async ? LATER : null);
      SpfChecker checker = checker(resolver);
      for (OpenSpfSuite.Case c : s.cases()) {
        String name = s.description() + "/" + c.name() + " (spec " + c.spec() + ")";
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  String skip = skips.get(c.name());
                  org.junit.jupiter.api.Assumptions.assumeTrue(
                      skip == null, () -> "skipped: " + skip);
                  run(checker, c);
                }));
      }
    }
    return tests.stream();
  }

  static void run(SpfChecker checker, OpenSpfSuite.Case c) throws Exception {
    SpfRequest request = SpfRequest.mailFrom(address(c.host()), c.mailFrom(), c.helo());
    SpfEvaluation e = checker.check(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(c.results()).as("result of %s: %s", c.name(), e).contains(e.result().keyword());
    if (c.explanation() != null) {
      assertThat(e.explanation())
          .as("explanation of %s", c.name())
          .hasValueSatisfying(
              x ->
                  assertThat(x.toLowerCase(Locale.ROOT))
                      .isEqualTo(c.explanation().toLowerCase(Locale.ROOT)));
    }
  }

  static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(host, e);
    }
  }
}
