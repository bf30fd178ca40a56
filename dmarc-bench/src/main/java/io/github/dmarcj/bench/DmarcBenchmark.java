// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcInput;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcRecordParser;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DMARC evaluation over an in-memory zone. {@code dnsOnly} is the baseline: the one TXT lookup
 * every evaluation needs at least; the other benchmarks add parsing, the tree walk, alignment and
 * policy selection on top of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DmarcBenchmark {
  private static final String RECORD =
      "v=DMARC1; p=reject; sp=quarantine; adkim=r; aspf=r; rua=mailto:dmarc@example.com";

  private ZoneFileResolver zone;
  private DmarcEvaluator evaluator;
  private DmarcInput authorPass;
  private DmarcInput subdomainFail;

  @Setup
  public void setup() {
    zone =
        ZoneFileResolver.fromString(
            String.join(
                "\n",
                "$ORIGIN example.com.",
                "@ SOA ns hostmaster 1 7200 3600 1209600 300",
                "@ A 192.0.2.1",
                "mail A 192.0.2.2",
                "_dmarc TXT \"" + RECORD + "\""));
    evaluator = DmarcEvaluator.builder(zone).build();
    SpfOutcome spfPass =
        SpfOutcome.of(SpfResult.PASS, SpfScope.MFROM, "b@example.com", "example.com");
    SpfOutcome spfFail =
        SpfOutcome.of(SpfResult.FAIL, SpfScope.MFROM, "b@x.example.net", "x.example.net");
    DkimOutcome dkimPass =
        new DkimOutcome(
            DkimResult.PASS,
            "example.com",
            "s",
            "rsa-sha256",
            Optional.empty(),
            "abc",
            false,
            Optional.empty());
    authorPass = DmarcInput.of("example.com", spfPass, List.of(dkimPass));
    subdomainFail = DmarcInput.of("a.b.mail.example.com", spfFail, List.of());
  }

  @Benchmark
  public DnsLookup<String> dnsOnly() {
    return zone.txt("_dmarc.example.com").toCompletableFuture().join();
  }

  @Benchmark
  public DmarcRecordParser.Result parseRecord() {
    return DmarcRecordParser.parse(RECORD);
  }

  @Benchmark
  public DmarcOutcome evaluateAuthorPass() {
    return evaluator.evaluate(authorPass).toCompletableFuture().join();
  }

  @Benchmark
  public DmarcOutcome evaluateSubdomainTreeWalkFail() {
    return evaluator.evaluate(subdomainFail).toCompletableFuture().join();
  }
}
