// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** The temperror outcomes that stand in for a stage that crashed or ran out of time. */
final class Fallbacks {
  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /** A chain whose verifier failed or ran out of time: {@code fail}, never {@code pass}. */
  static io.github.dmarcj.result.ArcOutcome arc(int sets, Throwable error) {
    return io.github.dmarcj.result.ArcOutcome.fail(
        io.github.dmarcj.result.ArcReason.INTERNAL_ERROR, 0, sets, List.of());
  }

  static SpfOutcome spf(SmtpEnvelope envelope, Throwable error) {
    String identity = envelope.mailFrom().orElse("postmaster@" + envelope.helo());
    int at = identity.lastIndexOf('@');
    String domain = at < 0 ? identity : identity.substring(at + 1);
    SpfProblem problem =
        unwrap(error) instanceof TimeoutException ? SpfProblem.TIMEOUT : SpfProblem.INTERNAL_ERROR;
    return new SpfOutcome(
        problem.result(),
        SpfScope.MFROM,
        identity,
        domain.toLowerCase(Locale.ROOT),
        Optional.of(problem),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * One outcome per DKIM-Signature field when the DKIM stage failed: {@code temperror} ({@link
   * DkimReason#TIMEOUT}) if it ran out of time, {@code neutral} ({@link DkimReason#INTERNAL_ERROR})
   * if it broke: never {@code temperror} for a defect, which would let DMARC skip the policy.
   */
  static List<DkimOutcome> dkim(MessageFacts facts, Throwable error) {
    DkimReason why =
        unwrap(error) instanceof TimeoutException ? DkimReason.TIMEOUT : DkimReason.INTERNAL_ERROR;
    List<DkimOutcome> out = new ArrayList<>(facts.signatureCount());
    for (MessageFacts.Signature s : facts.signatures()) {
      out.add(
          new DkimOutcome(
              why.result(),
              s.domain(),
              s.selector(),
              s.algorithm(),
              Optional.empty(),
              "",
              false,
              Optional.of(why)));
    }
    return out;
  }

  static DmarcOutcome dmarc(DmarcMode mode, Throwable error) {
    DmarcReason why =
        unwrap(error) instanceof TimeoutException
            ? DmarcReason.TIMEOUT
            : DmarcReason.INTERNAL_ERROR;
    return DmarcOutcome.unapplied(
        DmarcResult.TEMPERROR, Optional.of(why), mode, Optional.empty(), DmarcPolicy.NONE);
  }
}
