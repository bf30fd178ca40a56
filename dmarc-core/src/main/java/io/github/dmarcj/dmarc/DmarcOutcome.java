// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.PublicSuffixListVersion;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DmarcResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one DMARC evaluation (RFC 9989 §5.3), immutable. Either a policy record was applied
 * to the message ({@link PolicyApplied}: {@code pass} or {@code fail}, or {@code temperror} when an
 * aligned check failed temporarily) or none was ({@link NoPolicyApplied}: no usable From domain, no
 * record, a DNS failure ...).
 *
 * <p>The parts are grouped: {@link #context()} says how the message was evaluated (mode, From
 * domain, Organizational Domain), {@link PolicyApplied#policy()} which record applied and what it
 * asks, {@link PolicyApplied#alignment()} what aligned, and {@link #decision()} what the library
 * recommends after {@code pct}, {@code t} and local overrides. The flat accessors ({@link
 * #disposition()}, {@link #policyDomain()}, {@link #spfAligned()} ...) read the same facts for
 * callers that want one value.
 *
 * <p>The embedder decides what to do: RFC 9989 §5.4 forbids changing handling for {@code p=none},
 * and §7.4 advises not to reject on {@code p=reject} alone.
 *
 * <pre>{@code
 * if (outcome instanceof DmarcOutcome.PolicyApplied p) {
 *   log(p.policy().requested(), p.decision().disposition(), p.alignment().dkimAligned());
 * } else {
 *   log(outcome.result(), outcome.reason());
 * }
 * }</pre>
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: the sealed outcome and its grouped records (the published
 *     policy, the alignment facts, the decision) are one public shape, documented together; the
 *     code is small.)
 */
public sealed interface DmarcOutcome
    permits DmarcOutcome.PolicyApplied, DmarcOutcome.NoPolicyApplied {

  /** {@return the DMARC result ({@code dmarc=} in Authentication-Results)} */
  DmarcResult result();

  /**
   * {@return why the result is {@code none}, {@code temperror} or {@code permerror}; for {@code
   * pass} and {@code fail} empty, or {@link DmarcReason#HEADER_LIMIT_EXCEEDED} when a header limit
   * cut the message}
   */
  Optional<DmarcReason> reason();

  /** {@return how the message was evaluated} */
  Context context();

  /** {@return the recommended handling and the steps that led to it} */
  Decision decision();

  /**
   * {@return true if a header limit cut the message's header: DKIM could not check it whole, the
   * result is never {@code none} and the disposition is at least the evaluator's {@linkplain
   * DmarcEvaluator.Builder#headerLimitDisposition header-limit disposition}}
   */
  boolean headerLimitExceeded();

  // ------------------------------------------------------------------ the parts

  /**
   * How the message was evaluated.
   *
   * @param mode the specification followed
   * @param discoveryMethod how Organizational Domains were found ({@code psl} or {@code treewalk})
   * @param fromDomain the Author Domain evaluated, if there was a usable one
   * @param organizationalDomain its Organizational Domain, if it was determined
   * @param publicSuffixList in RFC 7489 mode, the Public Suffix List that gave that Organizational
   *     Domain (its version can change results, RFC 9989 App. C.3); empty otherwise
   */
  record Context(
      DmarcMode mode,
      DiscoveryMethod discoveryMethod,
      Optional<DomainName> fromDomain,
      Optional<DomainName> organizationalDomain,
      Optional<PublicSuffixListVersion> publicSuffixList) {
    /**
     * Checks that every component is present.
     *
     * @param mode the specification followed
     * @param discoveryMethod how Organizational Domains were found ({@code psl} or {@code
     *     treewalk})
     * @param fromDomain the Author Domain evaluated, if there was a usable one
     * @param organizationalDomain its Organizational Domain, if it was determined
     * @param publicSuffixList in RFC 7489 mode, the Public Suffix List that gave that
     *     Organizational Domain (its version can change results, RFC 9989 App. C.3); empty
     *     otherwise
     */
    public Context {
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(discoveryMethod, "discoveryMethod");
      Objects.requireNonNull(fromDomain, "fromDomain");
      Objects.requireNonNull(organizationalDomain, "organizationalDomain");
      Objects.requireNonNull(publicSuffixList, "publicSuffixList");
    }

    /**
     * {@return a context for {@code mode}, its discovery method, and the given From domain only}
     *
     * @param mode the specification followed
     * @param fromDomain the Author Domain, if there is one
     */
    public static Context of(DmarcMode mode, Optional<DomainName> fromDomain) {
      return new Context(
          mode,
          mode == DmarcMode.RFC7489 ? DiscoveryMethod.PSL : DiscoveryMethod.TREEWALK,
          fromDomain,
          Optional.empty(),
          Optional.empty());
    }

    Context withOrganizationalDomain(Optional<DomainName> org) {
      return new Context(mode, discoveryMethod, fromDomain, org, publicSuffixList);
    }

    Context withPublicSuffixList(Optional<PublicSuffixListVersion> list) {
      return new Context(mode, discoveryMethod, fromDomain, organizationalDomain, list);
    }
  }

  /**
   * A policy record found for the Author Domain (RFC 9989 §4.10).
   *
   * @param policyDomain the domain whose {@code _dmarc} record it is
   * @param source where that domain sits relative to the Author Domain
   * @param record the parsed record
   */
  record FoundRecord(DomainName policyDomain, RecordSource source, DmarcRecord record) {
    /**
     * Checks that every component is present.
     *
     * @param policyDomain the domain whose {@code _dmarc} record it is
     * @param source where that domain sits relative to the Author Domain
     * @param record the parsed record
     */
    public FoundRecord {
      Objects.requireNonNull(policyDomain, "policyDomain");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * The policy that applied: the record, and which of its tags selected what policy.
   *
   * @param found the record and where it was
   * @param tag the tag that selected the policy ({@code p}, {@code sp} or {@code np})
   * @param requested the value of that tag, after the invalid-policy fallback (RFC 9989 §4.7)
   */
  record PublishedPolicy(FoundRecord found, PolicyTag tag, DmarcPolicy requested) {
    /**
     * Checks that every component is present.
     *
     * @param found the record and where it was
     * @param tag the tag that selected the policy ({@code p}, {@code sp} or {@code np})
     * @param requested the value of that tag, after the invalid-policy fallback (RFC 9989 §4.7)
     */
    public PublishedPolicy {
      Objects.requireNonNull(found, "found");
      Objects.requireNonNull(tag, "tag");
      Objects.requireNonNull(requested, "requested");
    }
  }

  /**
   * What aligned with the Author Domain (RFC 9989 §4.4).
   *
   * @param spfAligned SPF passed for the MAIL FROM identity and its domain is aligned
   * @param alignedDkim the first passing DKIM signature whose {@code d=} is aligned, if any
   * @param spfMode the {@code aspf} mode applied
   * @param dkimMode the {@code adkim} mode applied
   */
  record Alignment(
      boolean spfAligned,
      Optional<DkimOutcome> alignedDkim,
      AlignmentMode spfMode,
      AlignmentMode dkimMode) {
    /**
     * Checks that every component is present.
     *
     * @param spfAligned SPF passed for the MAIL FROM identity and its domain is aligned
     * @param alignedDkim the first passing DKIM signature whose {@code d=} is aligned, if any
     * @param spfMode the {@code aspf} mode applied
     * @param dkimMode the {@code adkim} mode applied
     */
    public Alignment {
      Objects.requireNonNull(alignedDkim, "alignedDkim");
      Objects.requireNonNull(spfMode, "spfMode");
      Objects.requireNonNull(dkimMode, "dkimMode");
    }

    /** {@return true if some DKIM signature passed with an aligned {@code d=}} */
    public boolean dkimAligned() {
      return alignedDkim.isPresent();
    }
  }

  /**
   * What the library recommends, and why it differs from what the policy asked for.
   *
   * @param disposition {@code none}, {@code quarantine} or {@code reject}: for a failing message
   *     the requested policy after {@code t}, {@code pct} and local overrides; {@code none} for a
   *     pass and (by default) for {@code none} and {@code temperror}
   * @param overrides the steps that changed the disposition, in order (RFC 9990 §3.1.6: reason and
   *     comment for the aggregate report)
   */
  record Decision(DmarcPolicy disposition, List<AppliedOverride> overrides) {
    /**
     * Checks that the disposition is present; copies the steps.
     *
     * @param disposition {@code none}, {@code quarantine} or {@code reject}: for a failing message
     *     the requested policy after {@code t}, {@code pct} and local overrides; {@code none} for a
     *     pass and (by default) for {@code none} and {@code temperror}
     * @param overrides the steps that changed the disposition, in order (RFC 9990 §3.1.6: reason
     *     and comment for the aggregate report)
     */
    public Decision {
      Objects.requireNonNull(disposition, "disposition");
      overrides = List.copyOf(overrides);
    }

    /**
     * {@return a decision with no override step}
     *
     * @param disposition the recommended handling
     */
    public static Decision of(DmarcPolicy disposition) {
      return new Decision(disposition, List.of());
    }

    /**
     * {@return this decision with one more step, whose outcome becomes the disposition}
     *
     * @param step the override step
     */
    public Decision then(AppliedOverride step) {
      Objects.requireNonNull(step, "step");
      List<AppliedOverride> steps = new ArrayList<>(overrides.size() + 1);
      steps.addAll(overrides);
      steps.add(step);
      return new Decision(step.after(), steps);
    }
  }

  /**
   * Where reports about the policy domain go, with each destination's authorization (RFC 9990 §4,
   * RFC 9991 §5). Not checked during evaluation by default ({@link
   * ReportDestination.Status#NOT_CHECKED}); see {@link DmarcEvaluator#checkReportDestinations}.
   *
   * @param aggregate the {@code rua} URIs
   * @param failure the {@code ruf} URIs
   */
  record Destinations(List<ReportDestination> aggregate, List<ReportDestination> failure) {
    /** No destinations. */
    public static final Destinations NONE = new Destinations(List.of(), List.of());

    /**
     * Copies the lists.
     *
     * @param aggregate the {@code rua} URIs
     * @param failure the {@code ruf} URIs
     */
    public Destinations {
      aggregate = List.copyOf(aggregate);
      failure = List.copyOf(failure);
    }
  }

  // ------------------------------------------------------------------ the two shapes

  /**
   * A policy record applied to the message.
   *
   * @param result {@code pass}, {@code fail}, or {@code temperror} (an aligned check failed
   *     temporarily, or whether the Author Domain exists could not be told)
   * @param reason see {@link DmarcOutcome#reason()}
   * @param context how the message was evaluated
   * @param policy the record and the policy it asks for
   * @param alignment what aligned
   * @param decision the recommended handling
   * @param destinations the record's report destinations
   * @param headerLimitExceeded see {@link DmarcOutcome#headerLimitExceeded()}
   */
  record PolicyApplied(
      DmarcResult result,
      Optional<DmarcReason> reason,
      Context context,
      PublishedPolicy policy,
      Alignment alignment,
      Decision decision,
      Destinations destinations,
      boolean headerLimitExceeded)
      implements DmarcOutcome {
    /**
     * Checks that every component is present.
     *
     * @param result {@code pass}, {@code fail}, or {@code temperror} (an aligned check failed
     *     temporarily, or whether the Author Domain exists could not be told)
     * @param reason see {@link DmarcOutcome#reason()}
     * @param context how the message was evaluated
     * @param policy the record and the policy it asks for
     * @param alignment what aligned
     * @param decision the recommended handling
     * @param destinations the record's report destinations
     * @param headerLimitExceeded see {@link DmarcOutcome#headerLimitExceeded()}
     */
    public PolicyApplied {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(alignment, "alignment");
      Objects.requireNonNull(decision, "decision");
      Objects.requireNonNull(destinations, "destinations");
    }

    PolicyApplied withDecision(Decision d) {
      return new PolicyApplied(
          result, reason, context, policy, alignment, d, destinations, headerLimitExceeded);
    }

    PolicyApplied withDestinations(Destinations d) {
      return new PolicyApplied(
          result, reason, context, policy, alignment, decision, d, headerLimitExceeded);
    }

    @Override
    public PolicyApplied withContext(Context c) {
      return new PolicyApplied(
          result, reason, c, policy, alignment, decision, destinations, headerLimitExceeded);
    }

    @Override
    public PolicyApplied withHeaderLimitExceeded(DmarcPolicy floor) {
      Objects.requireNonNull(floor, "floor");
      return new PolicyApplied(
          result,
          reason.isPresent() ? reason : Optional.of(DmarcReason.HEADER_LIMIT_EXCEEDED),
          context,
          policy,
          alignment,
          DmarcOutcome.raisedTo(decision, floor),
          destinations,
          true);
    }
  }

  /**
   * No policy record applied: no single usable From domain, no record, an unusable record, a
   * temporary DNS failure, or a stage that failed.
   *
   * @param result {@code none}, {@code temperror} or {@code permerror}
   * @param reason why
   * @param context how the message was evaluated
   * @param unusableRecord a record that was found but could not be used ({@link
   *     DmarcReason#UNUSABLE_RECORD}); empty otherwise
   * @param decision the recommended handling: {@code none}, or the configured disposition for
   *     {@code temperror} or a cut header
   * @param headerLimitExceeded see {@link DmarcOutcome#headerLimitExceeded()}
   */
  record NoPolicyApplied(
      DmarcResult result,
      Optional<DmarcReason> reason,
      Context context,
      Optional<FoundRecord> unusableRecord,
      Decision decision,
      boolean headerLimitExceeded)
      implements DmarcOutcome {
    /**
     * Checks that every component is present.
     *
     * @param result {@code none}, {@code temperror} or {@code permerror}
     * @param reason why
     * @param context how the message was evaluated
     * @param unusableRecord a record that was found but could not be used ({@link
     *     DmarcReason#UNUSABLE_RECORD}); empty otherwise
     * @param decision the recommended handling: {@code none}, or the configured disposition for
     *     {@code temperror} or a cut header
     * @param headerLimitExceeded see {@link DmarcOutcome#headerLimitExceeded()}
     */
    public NoPolicyApplied {
      Objects.requireNonNull(result, "result");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(context, "context");
      Objects.requireNonNull(unusableRecord, "unusableRecord");
      Objects.requireNonNull(decision, "decision");
    }

    @Override
    public NoPolicyApplied withContext(Context c) {
      return new NoPolicyApplied(result, reason, c, unusableRecord, decision, headerLimitExceeded);
    }

    @Override
    public NoPolicyApplied withHeaderLimitExceeded(DmarcPolicy floor) {
      Objects.requireNonNull(floor, "floor");
      boolean none = result == DmarcResult.NONE;
      return new NoPolicyApplied(
          none ? DmarcResult.PERMERROR : result,
          none || reason.isEmpty() ? Optional.of(DmarcReason.HEADER_LIMIT_EXCEEDED) : reason,
          context,
          unusableRecord,
          DmarcOutcome.raisedTo(decision, floor),
          true);
    }
  }

  /**
   * {@return an outcome reached before any policy record applied}
   *
   * @param result {@code none}, {@code temperror} or {@code permerror}
   * @param reason why, if known
   * @param mode the DMARC specification followed
   * @param fromDomain the Author Domain, if one was found
   * @param disposition what the receiver should do
   */
  static NoPolicyApplied unapplied(
      DmarcResult result,
      Optional<DmarcReason> reason,
      DmarcMode mode,
      Optional<DomainName> fromDomain,
      DmarcPolicy disposition) {
    return new NoPolicyApplied(
        result,
        reason,
        Context.of(mode, fromDomain),
        Optional.empty(),
        Decision.of(disposition),
        false);
  }

  /**
   * {@return a copy with another context}
   *
   * @param context the new context
   */
  DmarcOutcome withContext(Context context);

  /**
   * {@return a copy for a message whose header a limit cut: {@code none} becomes {@code permerror}
   * with {@link DmarcReason#HEADER_LIMIT_EXCEEDED}, pass and fail carry that reason, and the
   * disposition is raised to {@code floor} when that is stricter (a {@link
   * OverrideReason#LOCAL_POLICY} step, so the aggregate report says why)}
   *
   * @param floor the least disposition
   */
  DmarcOutcome withHeaderLimitExceeded(DmarcPolicy floor);

  private static Decision raisedTo(Decision d, DmarcPolicy floor) {
    if (!floor.isStricterThan(d.disposition())) {
      return d;
    }
    return d.then(
        new AppliedOverride(
            OverrideReason.LOCAL_POLICY, "header limit exceeded", d.disposition(), floor));
  }

  // ------------------------------------------------------------------ flat views

  /** {@return the specification followed ({@link Context#mode()})} */
  default DmarcMode mode() {
    return context().mode();
  }

  /** {@return how Organizational Domains were found ({@link Context#discoveryMethod()})} */
  default DiscoveryMethod discoveryMethod() {
    return context().discoveryMethod();
  }

  /** {@return the Author Domain evaluated ({@link Context#fromDomain()})} */
  default Optional<DomainName> fromDomain() {
    return context().fromDomain();
  }

  /**
   * {@return the Author Domain's Organizational Domain ({@link Context#organizationalDomain()})}
   */
  default Optional<DomainName> organizationalDomain() {
    return context().organizationalDomain();
  }

  /** {@return the Public Suffix List behind the Organizational Domain in RFC 7489 mode} */
  default Optional<PublicSuffixListVersion> publicSuffixList() {
    return context().publicSuffixList();
  }

  /** {@return the recommended handling ({@link Decision#disposition()})} */
  default DmarcPolicy disposition() {
    return decision().disposition();
  }

  /** {@return the steps that changed the disposition ({@link Decision#overrides()})} */
  default List<AppliedOverride> overrides() {
    return decision().overrides();
  }

  /** {@return the policy that applied, if one did ({@link PolicyApplied#policy()})} */
  default Optional<PublishedPolicy> publishedPolicy() {
    return this instanceof PolicyApplied p ? Optional.of(p.policy()) : Optional.empty();
  }

  /** {@return the record found: the one applied, or an unusable one} */
  default Optional<FoundRecord> foundRecord() {
    if (this instanceof PolicyApplied p) {
      return Optional.of(p.policy().found());
    }
    return ((NoPolicyApplied) this).unusableRecord();
  }

  /** {@return the domain whose {@code _dmarc} record was found} */
  default Optional<DomainName> policyDomain() {
    return foundRecord().map(FoundRecord::policyDomain);
  }

  /** {@return where that record sat relative to the Author Domain} */
  default Optional<RecordSource> recordSource() {
    return foundRecord().map(FoundRecord::source);
  }

  /** {@return the record found} */
  default Optional<DmarcRecord> record() {
    return foundRecord().map(FoundRecord::record);
  }

  /** {@return the tag that selected the policy, if a policy applied} */
  default Optional<PolicyTag> policyTag() {
    return publishedPolicy().map(PublishedPolicy::tag);
  }

  /** {@return the policy the record asks for, if a policy applied} */
  default Optional<DmarcPolicy> requestedPolicy() {
    return publishedPolicy().map(PublishedPolicy::requested);
  }

  /** {@return what aligned, if a policy applied ({@link PolicyApplied#alignment()})} */
  default Optional<Alignment> alignmentFacts() {
    return this instanceof PolicyApplied p ? Optional.of(p.alignment()) : Optional.empty();
  }

  /** {@return true if SPF passed with an aligned MAIL FROM domain} */
  default boolean spfAligned() {
    return alignmentFacts().map(Alignment::spfAligned).orElse(false);
  }

  /** {@return true if some DKIM signature passed with an aligned {@code d=}} */
  default boolean dkimAligned() {
    return alignmentFacts().map(Alignment::dkimAligned).orElse(false);
  }

  /** {@return the first passing aligned DKIM signature} */
  default Optional<DkimOutcome> alignedDkim() {
    return alignmentFacts().flatMap(Alignment::alignedDkim);
  }

  /** {@return the DKIM domain that aligned, if any} */
  default Optional<String> alignedDkimDomain() {
    return alignedDkim().map(DkimOutcome::domain);
  }

  /** {@return the {@code aspf} mode applied (relaxed when no record applied)} */
  default AlignmentMode spfAlignment() {
    return alignmentFacts()
        .map(Alignment::spfMode)
        .orElseGet(() -> record().map(DmarcRecord::aspf).orElse(AlignmentMode.RELAXED));
  }

  /** {@return the {@code adkim} mode applied (relaxed when no record applied)} */
  default AlignmentMode dkimAlignment() {
    return alignmentFacts()
        .map(Alignment::dkimMode)
        .orElseGet(() -> record().map(DmarcRecord::adkim).orElse(AlignmentMode.RELAXED));
  }

  /** {@return the record's report destinations, if a policy applied} */
  default Destinations destinations() {
    return this instanceof PolicyApplied p ? p.destinations() : Destinations.NONE;
  }

  /** {@return the {@code rua} URIs with their authorization status} */
  default List<ReportDestination> aggregateDestinations() {
    return destinations().aggregate();
  }

  /** {@return the {@code ruf} URIs with their authorization status} */
  default List<ReportDestination> failureDestinations() {
    return destinations().failure();
  }

  /** {@return true if {@code pct} sampling left this message out (RFC 7489 §6.3)} */
  default boolean sampledOut() {
    return overrides().stream().anyMatch(o -> o.reason() == OverrideReason.SAMPLED_OUT);
  }

  /** {@return true if {@code t=y} weakened the policy (RFC 9989 §4.7)} */
  default boolean testMode() {
    return overrides().stream().anyMatch(o -> o.reason() == OverrideReason.POLICY_TEST_MODE);
  }
}
