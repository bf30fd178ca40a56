// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.ReportRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Hand-built report records for tests. */
final class Records {
  static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

  private Records() {}

  static InetAddress ip(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static ReportRecord.PublishedPolicy policy9989(String domain) {
    return new ReportRecord.PublishedPolicy(
        domain,
        DiscoveryMethod.TREEWALK,
        DmarcPolicy.QUARANTINE,
        Optional.of(DmarcPolicy.NONE),
        Optional.of(DmarcPolicy.REJECT),
        AlignmentMode.RELAXED,
        AlignmentMode.STRICT,
        Optional.empty(),
        Set.of(FailureReportOption.ANY_FAIL, FailureReportOption.DKIM),
        false);
  }

  static ReportRecord.PublishedPolicy policy7489(String domain) {
    return new ReportRecord.PublishedPolicy(
        domain,
        DiscoveryMethod.PSL,
        DmarcPolicy.REJECT,
        Optional.empty(),
        Optional.empty(),
        AlignmentMode.RELAXED,
        AlignmentMode.RELAXED,
        Optional.of(50),
        Set.of(),
        false);
  }

  /** A failing message from 192.0.2.1 for example.com, everything optional filled in. */
  static ReportRecord full(Instant at) {
    return new ReportRecord(
        at,
        DmarcMode.RFC9989,
        ip("192.0.2.1"),
        "example.com",
        Optional.of("bounce.example.net"),
        Optional.of("example.org"),
        policy9989("example.com"),
        DmarcPolicy.NONE,
        DmarcResult.FAIL,
        DmarcResult.FAIL,
        List.of(new ReportRecord.Override(OverrideReason.MAILING_LIST, "list.example.org")),
        List.of(
            new ReportRecord.DkimAuth("example.net", "s1", DkimResult.FAIL),
            new ReportRecord.DkimAuth("list.example.org", "k2", DkimResult.PASS)),
        new ReportRecord.SpfAuth("bounce.example.net", SpfScope.MFROM, SpfResult.SOFTFAIL));
  }

  /** A passing message, aligned DKIM and SPF, no overrides, one signature. */
  static ReportRecord passing(Instant at, String sourceIp) {
    return new ReportRecord(
        at,
        DmarcMode.RFC9989,
        ip(sourceIp),
        "example.com",
        Optional.of("example.com"),
        Optional.empty(),
        policy9989("example.com"),
        DmarcPolicy.NONE,
        DmarcResult.PASS,
        DmarcResult.PASS,
        List.of(),
        List.of(new ReportRecord.DkimAuth("example.com", "sel", DkimResult.PASS)),
        new ReportRecord.SpfAuth("example.com", SpfScope.MFROM, SpfResult.PASS));
  }
}
