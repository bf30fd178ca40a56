// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.AppliedOverride;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Builds the {@link ReportRecord} of one evaluated message. */
final class ReportRecords {
  private ReportRecords() {}

  /** The row, when a policy applied and DMARC passed or failed; empty otherwise. */
  static Optional<ReportRecord> of(
      Instant now,
      VerificationRequest request,
      SpfOutcome spf,
      List<DkimOutcome> dkim,
      DmarcOutcome o) {
    if (o.record().isEmpty()
        || o.policyDomain().isEmpty()
        || o.fromDomain().isEmpty()
        || (o.result() != DmarcResult.PASS && o.result() != DmarcResult.FAIL)) {
      return Optional.empty();
    }
    DmarcRecord r = o.record().get();
    DmarcMode mode = o.mode();
    ReportRecord.PublishedPolicy published =
        new ReportRecord.PublishedPolicy(
            o.policyDomain().get().name(),
            o.discoveryMethod(),
            r.effectivePolicy(mode).orElse(DmarcPolicy.NONE),
            r.sp(),
            mode == DmarcMode.RFC9989 ? r.np() : Optional.empty(),
            r.adkim(),
            r.aspf(),
            mode == DmarcMode.RFC7489 ? Optional.of(r.pct()) : Optional.empty(),
            r.fo(),
            mode == DmarcMode.RFC9989 && r.testing());
    List<ReportRecord.Override> overrides = new ArrayList<>(o.overrides().size());
    for (AppliedOverride a : o.overrides()) {
      overrides.add(new ReportRecord.Override(a.reason(), a.comment()));
    }
    List<ReportRecord.DkimAuth> dkimAuth = new ArrayList<>(dkim.size());
    for (DkimOutcome d : dkim) {
      dkimAuth.add(new ReportRecord.DkimAuth(d.domain(), d.selector(), d.result()));
    }
    Optional<String> envelopeFrom =
        request.envelope().mailFrom().map(ReportRecords::domainOf).filter(s -> !s.isEmpty());
    return Optional.of(
        new ReportRecord(
            now,
            mode,
            request.envelope().clientIp(),
            o.fromDomain().get().name(),
            envelopeFrom,
            request.envelopeTo(),
            published,
            o.disposition(),
            o.dkimAligned() ? DmarcResult.PASS : DmarcResult.FAIL,
            o.spfAligned() ? DmarcResult.PASS : DmarcResult.FAIL,
            overrides,
            dkimAuth,
            new ReportRecord.SpfAuth(spf.domain(), spf.scope(), spf.result())));
  }

  private static String domainOf(String mailbox) {
    int at = mailbox.lastIndexOf('@');
    return (at < 0 ? mailbox : mailbox.substring(at + 1)).toLowerCase(Locale.ROOT);
  }
}
