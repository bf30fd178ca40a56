// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
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
  /** Reason keyword for a stage that threw or completed exceptionally. */
  static final String INTERNAL_ERROR = "internal-error";
  /** Reason keyword for a stage that did not finish within the timeout. */
  static final String TIMEOUT = "timeout";

  private Fallbacks() {}

  static String reason(Throwable error) {
    return unwrap(error) instanceof TimeoutException ? TIMEOUT : INTERNAL_ERROR;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  static SpfOutcome spf(SmtpEnvelope envelope, Throwable error) {
    String identity = envelope.mailFrom().orElse("postmaster@" + envelope.helo());
    int at = identity.lastIndexOf('@');
    String domain = at < 0 ? identity : identity.substring(at + 1);
    return new SpfOutcome(
        SpfResult.TEMPERROR,
        SpfScope.MFROM,
        identity,
        domain.toLowerCase(Locale.ROOT),
        Optional.of(reason(error)),
        Optional.empty());
  }

  static List<DkimOutcome> dkim(MessageFacts facts, Throwable error) {
    List<DkimOutcome> out = new ArrayList<>(facts.signatureCount());
    for (MessageFacts.Signature s : facts.signatures()) {
      out.add(
          new DkimOutcome(
              DkimResult.TEMPERROR,
              s.domain(),
              s.selector(),
              s.algorithm(),
              Optional.empty(),
              "",
              false,
              Optional.of(reason(error))));
    }
    return out;
  }

  static DmarcOutcome dmarc(DmarcMode mode, Throwable error) {
    DmarcReason why =
        unwrap(error) instanceof TimeoutException ? DmarcReason.TIMEOUT : DmarcReason.INTERNAL_ERROR;
    return DmarcOutcome.unapplied(
        DmarcResult.TEMPERROR, Optional.of(why), mode, Optional.empty(), DmarcPolicy.NONE);
  }
}
