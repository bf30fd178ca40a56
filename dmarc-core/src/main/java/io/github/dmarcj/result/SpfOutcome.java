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
 * @param problem why the result is {@code none}, {@code temperror} or {@code permerror}, typed
 * @param mechanism the mechanism that matched, as written in the record ({@code ip4:192.0.2.0/24}),
 *     or {@code default} when none did
 * @param explanation the expanded {@code exp=} text on {@code fail}, if any
 * @param reportRequest the evaluated record's request for failure reports (RFC 6652 {@code ra=},
 *     {@code rp=}, {@code rr=}), if it made one
 */
public record SpfOutcome(
    SpfResult result,
    SpfScope scope,
    String identity,
    String domain,
    Optional<SpfProblem> problem,
    Optional<String> mechanism,
    Optional<String> explanation,
    Optional<SpfReportRequest> reportRequest) {
  /**
   * Checks that every component is present.
   *
   * @param result the RFC 7208 result
   * @param scope the identity that was checked
   * @param identity the checked identity as a mailbox ({@code user@example.com}, or {@code
   *     postmaster@helo.example} for a null sender or a HELO check)
   * @param domain the domain the check started at (the identity's domain), lower case A-labels
   * @param problem why the result is {@code none}, {@code temperror} or {@code permerror}, typed
   * @param mechanism the mechanism that matched, as written in the record ({@code
   *     ip4:192.0.2.0/24}), or {@code default} when none did
   * @param explanation the expanded {@code exp=} text on {@code fail}, if any
   * @param reportRequest the evaluated record's request for failure reports (RFC 6652), if any
   */
  public SpfOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(reportRequest, "reportRequest");
  }

  /**
   * An outcome without a request for failure reports.
   *
   * @param result the RFC 7208 result
   * @param scope the identity that was checked
   * @param identity the checked identity as a mailbox
   * @param domain the domain the check started at, lower case A-labels
   * @param problem why the result is {@code none}, {@code temperror} or {@code permerror}, typed
   * @param mechanism the mechanism that matched, as written in the record
   * @param explanation the expanded {@code exp=} text on {@code fail}, if any
   */
  public SpfOutcome(
      SpfResult result,
      SpfScope scope,
      String identity,
      String domain,
      Optional<SpfProblem> problem,
      Optional<String> mechanism,
      Optional<String> explanation) {
    this(result, scope, identity, domain, problem, mechanism, explanation, Optional.empty());
  }

  /**
   * {@return an outcome with nothing to add: no problem, no mechanism, no explanation}
   *
   * @param result the SPF result
   * @param scope the identity checked, MAIL FROM or HELO
   * @param identity the identity checked, for example {@code postmaster@mail.example.com}
   * @param domain the domain whose record was evaluated
   */
  public static SpfOutcome of(SpfResult result, SpfScope scope, String identity, String domain) {
    return new SpfOutcome(
        result, scope, identity, domain, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * {@return a short keyword saying why: the problem's ({@code too-many-dns-lookups}), else the
   * matched mechanism; what {@code reason=} and the JSON output show}
   */
  public Optional<String> reason() {
    return problem.isPresent() ? problem.map(SpfProblem::keyword) : mechanism;
  }
}
