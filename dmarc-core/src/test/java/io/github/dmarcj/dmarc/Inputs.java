// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.util.List;
import java.util.Optional;

/** Small factories for SPF and DKIM outcomes in tests. */
final class Inputs {
  private Inputs() {}

  static SpfOutcome spf(SpfResult result, String mailFromDomain) {
    return SpfOutcome.of(result, SpfScope.MFROM, "bounce@" + mailFromDomain, mailFromDomain);
  }

  static SpfOutcome helo(SpfResult result, String heloDomain) {
    return SpfOutcome.of(result, SpfScope.HELO, "postmaster@" + heloDomain, heloDomain);
  }

  static DkimOutcome dkim(DkimResult result, String domain) {
    return new DkimOutcome(
        result, domain, "sel", "rsa-sha256", Optional.empty(), "abc", false, Optional.empty());
  }

  static DmarcInput input(String from, SpfOutcome spf, DkimOutcome... dkim) {
    return DmarcInput.of(from, spf, List.of(dkim));
  }

  static DmarcOutcome run(DmarcEvaluator e, DmarcInput in) {
    return e.evaluate(in).toCompletableFuture().join();
  }
}
