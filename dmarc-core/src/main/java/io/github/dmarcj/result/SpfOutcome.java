// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one SPF check as DMARC and Authentication-Results need it.
 *
 * @param result the RFC 7208 result
 * @param scope the identity that was checked
 * @param identity the checked identity as a mailbox ({@code user@example.com}, or {@code
 *     postmaster@helo.example} for a null sender or a HELO check)
 * @param domain the domain the check started at (the identity's domain), lower case A-labels
 * @param reason a short machine-readable keyword saying why (the matched mechanism, or the error
 *     such as {@code too-many-dns-lookups}); empty when there is nothing to add
 * @param explanation the expanded {@code exp=} text on {@code fail}, if any
 */
public record SpfOutcome(
    SpfResult result,
    SpfScope scope,
    String identity,
    String domain,
    Optional<String> reason,
    Optional<String> explanation) {
  public SpfOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(explanation, "explanation");
  }
}
