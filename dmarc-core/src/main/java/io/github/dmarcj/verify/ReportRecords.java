// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.AppliedOverride;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.RecordProblem;
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
            mode == DmarcMode.RFC9989 && r.testing(),
            errors(r, mode));
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

  /**
   * The record's problems that matter under {@code mode}, for the report's {@code error} elements:
   * tags of the other specification are not errors (RFC 9989's {@code np}, {@code t}, {@code psd}
   * under RFC 7489; RFC 7489's {@code pct}, {@code rf}, {@code ri}, {@code !size} and the place of
   * {@code p} under RFC 9989, which ignores them).
   */
  static List<String> errors(DmarcRecord r, DmarcMode mode) {
    if (r.problems().isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (RecordProblem p : r.problems()) {
      boolean otherSpec =
          mode == DmarcMode.RFC7489
              ? p.kind() == RecordProblem.Kind.OBSOLETE_TAG
                  || p.kind() == RecordProblem.Kind.OBSOLETE_SIZE_SUFFIX
              : p.kind() == RecordProblem.Kind.RFC9989_ONLY_TAG
                  || p.kind() == RecordProblem.Kind.P_NOT_SECOND;
      if (!otherSpec) {
        out.add(p.detail());
      }
    }
    return out;
  }
}
