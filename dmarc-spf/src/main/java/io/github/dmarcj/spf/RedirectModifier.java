// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;

/**
 * The {@code redirect} modifier (RFC 7208 §6.1): when no mechanism matched and the record has no
 * {@code all}, a nested {@code check_host()} on the target in an {@link Frame.Kind#REDIRECT} frame,
 * whose result becomes this record's. It is a DNS-querying term for the lookup limit (§4.6.4). A
 * target without an SPF record, or one that cannot be expanded, is a {@code permerror}.
 */
final class RedirectModifier {
  private RedirectModifier() {}

  /** Follows the redirect of {@code f}'s record, in which no mechanism matched. */
  // NullAway: CheckHost.noMatch calls this only for a record with a redirect (and redirectText).
  @SuppressWarnings("NullAway")
  static void follow(CheckHost e, Frame f) {
    SpfRecord r = f.record;
    if (!e.limits.admitDnsTerm(f.k, r.redirectText)) {
      return;
    }
    if (e.needsValidatedNames(r.redirect)) {
      ValidatedNames.lookUpForMacro(e, () -> checkTarget(e, f));
    } else {
      checkTarget(e, f);
    }
  }

  // NullAway: as for follow, f's record has a redirect.
  @SuppressWarnings("NullAway")
  private static void checkTarget(CheckHost e, Frame f) {
    String target = e.targetName(f.record.redirect, f.domain);
    if (target == null) {
      f.k.done(
          SpfResult.PERMERROR,
          SpfProblem.REDIRECT_NONE,
          f.record.redirectText + ": target not usable",
          null,
          null);
      return;
    }
    e.checkHost(
        target,
        Frame.Kind.REDIRECT,
        (r, p, detail, mech, frame) -> {
          if (r == SpfResult.NONE) {
            f.k.done(
                SpfResult.PERMERROR,
                SpfProblem.REDIRECT_NONE,
                f.record.redirectText + ": " + (detail == null ? "no SPF record" : detail),
                null,
                null);
          } else {
            f.k.done(r, p, detail, mech, frame);
          }
        });
  }
}
