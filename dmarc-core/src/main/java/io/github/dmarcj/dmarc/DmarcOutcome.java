// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.PublicSuffixListVersion;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DmarcResult;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one DMARC evaluation (RFC 9989 §5.3; SPEC DMARC-21..27), immutable.
 *
 * <p>{@link #disposition()} is what the library recommends after {@code pct}, {@code t} and local
 * overrides; {@link #requestedPolicy()} is what the domain owner asked for. The embedder decides
 * what to do: RFC 9989 §5.4 forbids changing handling for {@code p=none}, and §7.4 advises not to
 * reject on {@code p=reject} alone.
 *
 * @param result the DMARC result ({@code dmarc=} in Authentication-Results)
 * @param reason why the result is none/temperror/permerror; for pass and fail empty, or {@link
 *     DmarcReason#HEADER_LIMIT_EXCEEDED} when a header limit cut the message
 * @param mode the specification followed
 * @param discoveryMethod how Organizational Domains were found ({@code psl} or {@code treewalk})
 * @param fromDomain the author domain evaluated, if there was a usable one
 * @param policyDomain the domain whose {@code _dmarc} record applied
 * @param recordSource where that record sat relative to the author domain
 * @param record the policy record applied
 * @param organizationalDomain the author domain's Organizational Domain, if it was determined
 * @param policyTag which tag of the record selected the policy ({@code p}, {@code sp}, {@code np})
 * @param requestedPolicy the value of that tag (after the invalid-policy fallback of DMARC-06)
 * @param disposition the recommended handling after {@code pct}, {@code t} and overrides; {@code
 *     none} for pass, none, and (by default) temperror
 * @param spfAligned SPF passed for the MAIL FROM identity and that domain is aligned
 * @param dkimAligned some DKIM signature passed with an aligned {@code d=}
 * @param alignedDkim the first passing aligned DKIM signature
 * @param spfAlignment the {@code aspf} mode applied
 * @param dkimAlignment the {@code adkim} mode applied
 * @param overrides the steps that changed the disposition, in order (reason and comment for the
 *     aggregate report)
 * @param aggregateDestinations the {@code rua} URIs with their authorization status
 * @param failureDestinations the {@code ruf} URIs with their authorization status
 * @param publicSuffixList in RFC 7489 mode, the Public Suffix List that gave the author domain's
 *     Organizational Domain (SPEC PIT-17); empty for the tree walk or when none was determined
 * @param headerLimitExceeded a header limit cut the message's header: DKIM could not check it
 *     whole, the result is never {@code none} and the disposition is at least the evaluator's
 *     {@linkplain DmarcEvaluator.Builder#headerLimitDisposition header-limit disposition}
 */
public record DmarcOutcome(
    DmarcResult result,
    Optional<DmarcReason> reason,
    DmarcMode mode,
    DiscoveryMethod discoveryMethod,
    Optional<DomainName> fromDomain,
    Optional<DomainName> policyDomain,
    Optional<RecordSource> recordSource,
    Optional<DmarcRecord> record,
    Optional<DomainName> organizationalDomain,
    Optional<PolicyTag> policyTag,
    Optional<DmarcPolicy> requestedPolicy,
    DmarcPolicy disposition,
    boolean spfAligned,
    boolean dkimAligned,
    Optional<DkimOutcome> alignedDkim,
    AlignmentMode spfAlignment,
    AlignmentMode dkimAlignment,
    List<AppliedOverride> overrides,
    List<ReportDestination> aggregateDestinations,
    List<ReportDestination> failureDestinations,
    Optional<PublicSuffixListVersion> publicSuffixList,
    boolean headerLimitExceeded) {
  public DmarcOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(discoveryMethod, "discoveryMethod");
    Objects.requireNonNull(fromDomain, "fromDomain");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(recordSource, "recordSource");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    Objects.requireNonNull(policyTag, "policyTag");
    Objects.requireNonNull(requestedPolicy, "requestedPolicy");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(alignedDkim, "alignedDkim");
    Objects.requireNonNull(spfAlignment, "spfAlignment");
    Objects.requireNonNull(dkimAlignment, "dkimAlignment");
    overrides = List.copyOf(overrides);
    aggregateDestinations = List.copyOf(aggregateDestinations);
    failureDestinations = List.copyOf(failureDestinations);
    Objects.requireNonNull(publicSuffixList, "publicSuffixList");
  }

  /** True if {@code pct} sampling left this message out (SPEC DMARC-22, RFC 7489 only). */
  public boolean sampledOut() {
    return overrides.stream().anyMatch(o -> o.reason() == OverrideReason.SAMPLED_OUT);
  }

  /** True if {@code t=y} weakened the policy (SPEC DMARC-23). */
  public boolean testMode() {
    return overrides.stream().anyMatch(o -> o.reason() == OverrideReason.POLICY_TEST_MODE);
  }

  /** The DKIM domain that aligned, if any. */
  public Optional<String> alignedDkimDomain() {
    return alignedDkim.map(DkimOutcome::domain);
  }

  /**
   * An outcome reached before any policy record was applied: no From domain to check, no record,
   * a DNS failure, or a verification stage that failed. Everything but the given values is empty,
   * not aligned and relaxed.
   *
   * @param result the result ({@code none}, {@code temperror} or {@code permerror})
   * @param reason why, if known
   * @param mode the DMARC specification followed
   * @param fromDomain the author domain, if one was found
   * @param disposition what the receiver should do
   */
  public static DmarcOutcome unapplied(
      DmarcResult result,
      Optional<DmarcReason> reason,
      DmarcMode mode,
      Optional<DomainName> fromDomain,
      DmarcPolicy disposition) {
    return new DmarcOutcome(
        result,
        reason,
        mode,
        mode == DmarcMode.RFC7489 ? DiscoveryMethod.PSL : DiscoveryMethod.TREEWALK,
        fromDomain,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        disposition,
        false,
        false,
        Optional.empty(),
        AlignmentMode.RELAXED,
        AlignmentMode.RELAXED,
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        false);
  }

  /** A copy with {@code disposition} and one more override step. */
  DmarcOutcome withOverride(AppliedOverride step) {
    List<AppliedOverride> steps = new java.util.ArrayList<>(overrides);
    steps.add(step);
    return new DmarcOutcome(
        result, reason, mode, discoveryMethod, fromDomain, policyDomain, recordSource, record,
        organizationalDomain, policyTag, requestedPolicy, step.after(), spfAligned, dkimAligned,
        alignedDkim, spfAlignment, dkimAlignment, steps, aggregateDestinations,
        failureDestinations, publicSuffixList, headerLimitExceeded);
  }

  /** A copy with the report destinations set. */
  DmarcOutcome withDestinations(List<ReportDestination> rua, List<ReportDestination> ruf) {
    return new DmarcOutcome(
        result, reason, mode, discoveryMethod, fromDomain, policyDomain, recordSource, record,
        organizationalDomain, policyTag, requestedPolicy, disposition, spfAligned, dkimAligned,
        alignedDkim, spfAlignment, dkimAlignment, overrides, rua, ruf, publicSuffixList,
        headerLimitExceeded);
  }

  /**
   * A copy for a message whose header a limit cut: {@code none} becomes {@code permerror} with
   * {@link DmarcReason#HEADER_LIMIT_EXCEEDED}, pass and fail carry that reason, and the
   * disposition is raised to {@code floor} when that is stricter (a {@link
   * OverrideReason#LOCAL_POLICY} step, so the aggregate report says why).
   */
  public DmarcOutcome withHeaderLimitExceeded(DmarcPolicy floor) {
    Objects.requireNonNull(floor, "floor");
    DmarcResult r = result == DmarcResult.NONE ? DmarcResult.PERMERROR : result;
    Optional<DmarcReason> why =
        reason.isEmpty() || result == DmarcResult.NONE
            ? Optional.of(DmarcReason.HEADER_LIMIT_EXCEEDED)
            : reason;
    DmarcPolicy d = disposition;
    List<AppliedOverride> steps = overrides;
    if (floor.isStricterThan(disposition)) {
      steps = new java.util.ArrayList<>(overrides);
      steps.add(
          new AppliedOverride(
              OverrideReason.LOCAL_POLICY, "header limit exceeded", disposition, floor));
      d = floor;
    }
    return new DmarcOutcome(
        r, why, mode, discoveryMethod, fromDomain, policyDomain, recordSource, record,
        organizationalDomain, policyTag, requestedPolicy, d, spfAligned, dkimAligned,
        alignedDkim, spfAlignment, dkimAlignment, steps, aggregateDestinations,
        failureDestinations, publicSuffixList, true);
  }

  /** A copy that names the Public Suffix List used. */
  DmarcOutcome withPublicSuffixList(Optional<PublicSuffixListVersion> list) {
    return new DmarcOutcome(
        result, reason, mode, discoveryMethod, fromDomain, policyDomain, recordSource, record,
        organizationalDomain, policyTag, requestedPolicy, disposition, spfAligned, dkimAligned,
        alignedDkim, spfAlignment, dkimAlignment, overrides, aggregateDestinations,
        failureDestinations, list, headerLimitExceeded);
  }
}
