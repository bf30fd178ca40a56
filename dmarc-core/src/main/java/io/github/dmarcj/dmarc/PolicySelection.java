// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DmarcResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The decisions of RFC 9989 §5.3 steps 4-6 (RFC 7489 §6.6.2-6.6.4), made synchronously over facts
 * already fetched from the DNS: the DMARC result, the tag that selects the policy, the disposition,
 * then {@code t}/{@code pct} and the local overrides. Every function here is pure (the {@code pct}
 * draw is passed in), so each decision is a row in a table test.
 */
final class PolicySelection {
  private PolicySelection() {}

  /**
   * What the DNS said about one message and the record that applies to it.
   *
   * @param context how the message is evaluated
   * @param found the record that applies and where it was
   * @param status whether the record's policy is valid, unusable or acts as {@code p=none}
   * @param spfAligned SPF passed and its domain is aligned
   * @param alignedDkim the first passing DKIM signature with an aligned {@code d=}
   * @param alignmentUnknown a passing identifier's alignment could not be told (an Organizational
   *     Domain lookup failed temporarily)
   * @param alignedTempError an SPF or DKIM check of an aligned identifier ended in temperror
   * @param existence whether the Author Domain exists (asked only for {@code np}; {@code EXISTS}
   *     when not asked)
   */
  record Facts(
      DmarcOutcome.Context context,
      DmarcOutcome.FoundRecord found,
      DmarcRecord.PolicyStatus status,
      boolean spfAligned,
      Optional<DkimOutcome> alignedDkim,
      boolean alignmentUnknown,
      boolean alignedTempError,
      DmarcLookups.Existence existence) {
    Facts {
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(found, "found");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(alignedDkim, "alignedDkim");
      Objects.requireNonNull(existence, "existence");
    }
  }

  /**
   * The result and the policy (RFC 9989 §4.10.1 for the tag, §5.3.6 for temperror): pass on an
   * aligned pass; temperror when alignment could not be told, when an aligned check failed
   * temporarily (and {@code authTempErrorIsTempError}), or when a failing message's domain may or
   * may not exist for {@code np}; fail otherwise. The disposition is the requested policy for a
   * failure, {@code tempErrorDisposition} (never stricter than requested) for temperror, and {@code
   * none} for a pass.
   */
  static DmarcOutcome.PolicyApplied select(
      Facts f, DmarcPolicy tempErrorDisposition, boolean authTempErrorIsTempError) {
    DmarcRecord record = f.found().record();
    DmarcResult result;
    Optional<DmarcReason> reason = Optional.empty();
    if (f.spfAligned() || f.alignedDkim().isPresent()) {
      result = DmarcResult.PASS;
    } else if (f.alignmentUnknown()) {
      result = DmarcResult.TEMPERROR;
      reason = Optional.of(DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN);
    } else if (f.alignedTempError() && authTempErrorIsTempError) {
      result = DmarcResult.TEMPERROR;
      reason = Optional.of(DmarcReason.AUTH_TEMPERROR);
    } else {
      result = DmarcResult.FAIL;
    }
    PolicyTag tag;
    DmarcPolicy requested;
    RecordSource source = f.found().source();
    if (f.status() == DmarcRecord.PolicyStatus.ACT_AS_NONE) {
      tag = PolicyTag.P;
      requested = DmarcPolicy.NONE;
    } else if (source == RecordSource.AUTHOR_DOMAIN) {
      tag = PolicyTag.P;
      requested = record.p().orElse(DmarcPolicy.NONE);
    } else if (f.existence() == DmarcLookups.Existence.NON_EXISTENT) {
      tag = PolicyTag.NP;
      requested = record.np().get();
    } else if (f.existence() == DmarcLookups.Existence.UNKNOWN) {
      tag = PolicyTag.NP;
      requested = record.np().get();
      if (result == DmarcResult.FAIL) {
        result = DmarcResult.TEMPERROR;
        reason = Optional.of(DmarcReason.DNS_TEMPFAIL_EXISTENCE);
      }
    } else if (record.sp().isPresent()) {
      tag = PolicyTag.SP;
      requested = record.sp().get();
    } else {
      tag = PolicyTag.P;
      requested = record.p().orElse(DmarcPolicy.NONE);
    }
    DmarcPolicy disposition;
    if (result == DmarcResult.FAIL) {
      disposition = requested;
    } else if (result == DmarcResult.TEMPERROR) {
      // Never stricter than what the owner asked for: p=none must not change handling.
      disposition =
          tempErrorDisposition.isStricterThan(requested) ? requested : tempErrorDisposition;
    } else {
      disposition = DmarcPolicy.NONE;
    }
    return new DmarcOutcome.PolicyApplied(
        result,
        reason,
        f.context(),
        new DmarcOutcome.PublishedPolicy(f.found(), tag, requested),
        new DmarcOutcome.Alignment(f.spfAligned(), f.alignedDkim(), record.aspf(), record.adkim()),
        DmarcOutcome.Decision.of(disposition),
        DmarcOutcome.Destinations.NONE,
        false);
  }

  /**
   * {@code t=y} (RFC 9989 §4.7) or else {@code pct} (RFC 7489 §6.3) weakens a failing message's
   * disposition by one step. {@code draw} gives a number in 0..99 and is asked only when {@code
   * pct} is below 100.
   */
  static DmarcOutcome.PolicyApplied modifiers(
      DmarcOutcome.PolicyApplied o, DmarcMode mode, boolean honourPct, IntSupplier draw) {
    DmarcPolicy d = o.disposition();
    if (d == DmarcPolicy.NONE) {
      return o;
    }
    DmarcRecord record = o.policy().found().record();
    if (mode == DmarcMode.RFC9989 && record.testing()) {
      return o.withDecision(
          o.decision()
              .then(new AppliedOverride(OverrideReason.POLICY_TEST_MODE, "t=y", d, d.weaker())));
    }
    if (honourPct && record.pct() < 100 && draw.getAsInt() >= record.pct()) {
      return o.withDecision(
          o.decision()
              .then(
                  new AppliedOverride(
                      OverrideReason.SAMPLED_OUT, "pct=" + record.pct(), d, d.weaker())));
    }
    return o;
  }

  /**
   * The first local override rule that decides (RFC 9990 §3.1.6); a rule that throws is skipped.
   */
  static DmarcOutcome.PolicyApplied overrides(
      DmarcInput input, DmarcOutcome.PolicyApplied o, List<OverrideRule> rules) {
    if (o.disposition() == DmarcPolicy.NONE) {
      return o;
    }
    for (OverrideRule rule : rules) {
      Optional<OverrideRule.Decision> d;
      try {
        d = rule.evaluate(input, o);
      } catch (RuntimeException e) {
        continue;
      }
      if (d != null && d.isPresent()) {
        OverrideRule.Decision dec = d.get();
        return o.withDecision(
            o.decision()
                .then(
                    new AppliedOverride(
                        dec.reason(), dec.comment(), o.disposition(), dec.disposition())));
      }
    }
    return o;
  }
}
