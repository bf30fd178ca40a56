// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded random zones and messages: the evaluator always answers and respects its limits. */
final class RandomZoneTest {

  private static final String[] LABELS = {"a", "b", "mail", "x", "example", "com", "psd", "co"};
  private static final String[] RECORDS = {
    "v=DMARC1; p=reject",
    "v=DMARC1; p=none; psd=y",
    "v=DMARC1; p=quarantine; psd=n",
    "v=DMARC1; p=reject; sp=none; np=quarantine; rua=mailto:r@ext.test",
    "v=DMARC1; p=bogus",
    "v=DMARC1; p=bogus; rua=mailto:r@example.com",
    "v=DMARC1; t=y; pct=30; p=reject",
    "v=spf1 -all",
    "v=DMARC1; adkim=s; aspf=s; p=quarantine"
  };

  private static String name(Random r, int maxLabels) {
    int n = 1 + r.nextInt(maxLabels);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ".").append(LABELS[r.nextInt(LABELS.length)]);
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(longs = {1L, 2L, 3L, 20261127L})
  @DisplayName("RFC 9989 §4.10: random zones: an outcome every time, walks stay bounded")
  void evaluate_randomZones_boundedAndTotal(long seed) {
    Random r = new Random(seed);
    for (int round = 0; round < 150; round++) {
      StringBuilder zone = new StringBuilder();
      List<String> failing = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String n = name(r, 4);
        if (r.nextInt(10) == 0) {
          failing.add("_dmarc." + n);
        } else {
          zone.append("_dmarc.")
              .append(n)
              .append(" TXT \"")
              .append(RECORDS[r.nextInt(RECORDS.length)])
              .append("\"\n");
        }
        if (r.nextBoolean()) {
          zone.append(n).append(" A 192.0.2.1\n");
        }
      }
      RecordingDnsResolver dns = Zones.of(zone.toString(), failing);
      String from = name(r, 12);
      String spfDomain = name(r, 5);
      String dkimDomain = name(r, 5);
      DmarcEvaluator e =
          DmarcEvaluator.builder(dns).random(new java.util.SplittableRandom(seed)).build();
      DmarcOutcome o =
          Inputs.run(
              e,
              Inputs.input(
                  from,
                  Inputs.spf(r.nextBoolean() ? SpfResult.PASS : SpfResult.TEMPERROR, spfDomain),
                  Inputs.dkim(r.nextBoolean() ? DkimResult.PASS : DkimResult.FAIL, dkimDomain)));
      assertThat(o.result()).isNotNull();
      if (o.result() == DmarcResult.PASS || o.result() == DmarcResult.NONE) {
        assertThat(o.disposition()).isEqualTo(DmarcPolicy.NONE);
      }
      List<String> dmarcQueries = new ArrayList<>();
      for (String q : Zones.queries(dns, "TXT")) {
        if (q.startsWith("_dmarc.")) {
          dmarcQueries.add(q);
        }
      }
      // Each name is asked once per evaluation. Walks start at the author, SPF and DKIM domains
      // and, for the report destination check, at the report hosts.
      assertThat(dmarcQueries).doesNotHaveDuplicates();
      Set<String> starts =
          new HashSet<>(List.of(from, spfDomain, dkimDomain, "example.com", "ext.test"));
      assertThat(dmarcQueries)
          .hasSizeLessThanOrEqualTo(starts.size() * DmarcEvaluator.MAX_TREE_WALK_QUERIES);
      for (String q : dmarcQueries) {
        String n = q.substring("_dmarc.".length());
        assertThat(starts.stream().anyMatch(s -> s.equals(n) || s.endsWith("." + n)))
            .as("%s lies above a walk's start", q)
            .isTrue();
      }
    }
  }
}
