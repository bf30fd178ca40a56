// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole evaluations over a master file ({@code dmarc/e2e.zone}) served by {@link ZoneFileResolver},
 * one dynamic test per line of {@code dmarc/e2e-cases.txt}. RFC 7489 cases use the bundled Public
 * Suffix List.
 */
final class EndToEndZoneTest {

  private static final io.github.dmarcj.domain.OrganizationalDomainFinder PSL =
      io.github.dmarcj.domain.PublicSuffixList.bundled().organizationalDomainFinder();

  private static String resource(String name) throws IOException {
    try (InputStream in = EndToEndZoneTest.class.getResourceAsStream("/dmarc/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @TestFactory
  Stream<DynamicTest> evaluate_zoneCases_expectedOutcome() throws IOException {
    DnsResolver zone = ZoneFileResolver.fromString(resource("e2e.zone"));
    List<DynamicTest> tests = new ArrayList<>();
    for (String line : resource("e2e-cases.txt").split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\|");
      for (int i = 0; i < f.length; i++) {
        f[i] = f[i].trim();
      }
      String name = f[0] + " (" + f[1] + ")";
      tests.add(DynamicTest.dynamicTest(name, () -> check(zone, f)));
    }
    assertThat(tests).hasSizeGreaterThan(20);
    return tests.stream();
  }

  private static void check(DnsResolver zone, String[] f) {
    SpfOutcome spf = null;
    if (!f[3].equals("-")) {
      String[] p = f[3].split(":");
      spf = Inputs.spf(SpfResult.fromKeyword(p[0]), p[1]);
    }
    List<DkimOutcome> dkim = new ArrayList<>();
    if (!f[4].equals("-")) {
      for (String sig : f[4].split(",")) {
        String[] p = sig.trim().split(":");
        dkim.add(Inputs.dkim(DkimResult.fromKeyword(p[0]), p[1]));
      }
    }
    DmarcMode mode = DmarcMode.valueOf(f[5].toUpperCase(Locale.ROOT));
    DmarcEvaluator.Builder b = DmarcEvaluator.builder(zone).mode(mode);
    if (mode == DmarcMode.RFC7489) {
      b.organizationalDomainFinder(PSL);
    }
    DmarcOutcome o = Inputs.run(b.build(), DmarcInput.of(f[2], spf, dkim));
    assertThat(o.result()).as("result").isEqualTo(DmarcResult.fromKeyword(f[6]));
    assertThat(o.disposition().keyword()).as("disposition").isEqualTo(f[7]);
    assertThat(o.policyDomain().map(DomainName::name).orElse("-"))
        .as("policy domain")
        .isEqualTo(f[8]);
    assertThat(o.policyTag().map(PolicyTag::keyword).orElse("-")).as("policy tag").isEqualTo(f[9]);
    assertThat(o.mode()).isEqualTo(mode);
    // PSL drift: an RFC 7489 result that determined an Organizational Domain names the list used.
    if (mode == DmarcMode.RFC7489 && o.organizationalDomain().isPresent()) {
      assertThat(o.publicSuffixList()).as("PSL version").isPresent();
      assertThat(o.publicSuffixList().get().sha256()).hasSize(64);
    } else {
      assertThat(o.publicSuffixList()).as("PSL version").isEmpty();
    }
  }
}
