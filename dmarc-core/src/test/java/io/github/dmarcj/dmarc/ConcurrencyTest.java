// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static io.github.dmarcj.dmarc.Inputs.dkim;
import static io.github.dmarcj.dmarc.Inputs.input;
import static io.github.dmarcj.dmarc.Inputs.spf;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class ConcurrencyTest {

  @Test
  @DisplayName("one evaluator shared by many threads gives the same answers as one thread")
  void evaluate_manyThreads_consistent() throws Exception {
    DmarcEvaluator e =
        DmarcEvaluator.builder(
                ZoneFileResolver.fromString(
                    String.join(
                        "\n",
                        "$ORIGIN example.com.",
                        "@ SOA ns hostmaster 1 7200 3600 1209600 300",
                        "@ A 192.0.2.1",
                        "mail A 192.0.2.2",
                        "_dmarc TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject\"")))
            .build();
    List<DmarcInput> inputs =
        List.of(
            input("example.com", spf(SpfResult.PASS, "mail.example.com")),
            input("mail.example.com", spf(SpfResult.FAIL, "x.test")),
            input("ghost.example.com", null, dkim(DkimResult.PASS, "other.test")),
            input("example.com", null, dkim(DkimResult.PASS, "mail.example.com")));
    List<DmarcOutcome> expected = new ArrayList<>();
    for (DmarcInput in : inputs) {
      expected.add(Inputs.run(e, in));
    }
    assertThat(expected)
        .extracting(DmarcOutcome::result, DmarcOutcome::disposition)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(DmarcResult.PASS, DmarcPolicy.NONE),
            org.assertj.core.groups.Tuple.tuple(DmarcResult.FAIL, DmarcPolicy.QUARANTINE),
            org.assertj.core.groups.Tuple.tuple(DmarcResult.FAIL, DmarcPolicy.REJECT),
            org.assertj.core.groups.Tuple.tuple(DmarcResult.PASS, DmarcPolicy.NONE));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Boolean>> checks = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int k = i % inputs.size();
        checks.add(
            CompletableFuture.supplyAsync(
                () -> Inputs.run(e, inputs.get(k)).equals(expected.get(k)), pool));
      }
      for (CompletableFuture<Boolean> c : checks) {
        assertThat(c.get(30, TimeUnit.SECONDS)).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
