// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A parsed DMARC policy record (RFC 9989 §4.7, RFC 7489 §6.3). Made by {@link DmarcRecordParser};
 * every tag of both specifications is kept, with its default where the record did not give it, so
 * the evaluator decides per {@link DmarcMode} which tags count.
 *
 * @param text the record text as published (character-strings already joined)
 * @param p the {@code p} tag if present and valid
 * @param sp the {@code sp} tag if present and valid
 * @param np the {@code np} tag if present and valid (RFC 9989)
 * @param adkim DKIM alignment mode, default relaxed
 * @param aspf SPF alignment mode, default relaxed
 * @param pct {@code pct}, 0..100, default 100 (RFC 7489 only)
 * @param rua aggregate report URIs with a supported scheme, in order
 * @param ruf failure report URIs with a supported scheme, in order
 * @param fo failure reporting options, default {@code {0}}
 * @param rf failure report formats in lower case, default {@code [afrf]} (RFC 7489 only)
 * @param ri aggregate report interval in seconds, default 86400 (RFC 7489 only)
 * @param testing {@code t=y} (RFC 9989 testing mode), default false
 * @param psd {@code psd} tag, default {@link PsdFlag#U}
 * @param tags the names (lower case) of the well-formed tags present, in order, without repeats
 * @param problems everything doubtful the parser saw, in order
 */
public record DmarcRecord(
    String text,
    Optional<DmarcPolicy> p,
    Optional<DmarcPolicy> sp,
    Optional<DmarcPolicy> np,
    AlignmentMode adkim,
    AlignmentMode aspf,
    int pct,
    List<ReportUri> rua,
    List<ReportUri> ruf,
    Set<FailureReportOption> fo,
    List<String> rf,
    long ri,
    boolean testing,
    PsdFlag psd,
    List<String> tags,
    List<RecordProblem> problems) {

  /** Default {@code ri}, one day (RFC 7489 §6.3). */
  public static final long DEFAULT_REPORT_INTERVAL = 86_400;

  /**
   * Checks the components ({@code pct} from 0 to 100); copies the collections.
   *
   * @param text the record text as published (character-strings already joined)
   * @param p the {@code p} tag if present and valid
   * @param sp the {@code sp} tag if present and valid
   * @param np the {@code np} tag if present and valid (RFC 9989)
   * @param adkim DKIM alignment mode, default relaxed
   * @param aspf SPF alignment mode, default relaxed
   * @param pct {@code pct}, 0..100, default 100 (RFC 7489 only)
   * @param rua aggregate report URIs with a supported scheme, in order
   * @param ruf failure report URIs with a supported scheme, in order
   * @param fo failure reporting options, default {@code {0}}
   * @param rf failure report formats in lower case, default {@code [afrf]} (RFC 7489 only)
   * @param ri aggregate report interval in seconds, default 86400 (RFC 7489 only)
   * @param testing {@code t=y} (RFC 9989 testing mode), default false
   * @param psd {@code psd} tag, default {@link PsdFlag#U}
   * @param tags the names (lower case) of the well-formed tags present, in order, without repeats
   * @param problems everything doubtful the parser saw, in order
   */
  public DmarcRecord {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(p, "p");
    Objects.requireNonNull(sp, "sp");
    Objects.requireNonNull(np, "np");
    Objects.requireNonNull(adkim, "adkim");
    Objects.requireNonNull(aspf, "aspf");
    Objects.requireNonNull(psd, "psd");
    if (pct < 0 || pct > 100) {
      throw new IllegalArgumentException("pct must be 0..100, was " + pct);
    }
    rua = List.copyOf(rua);
    ruf = List.copyOf(ruf);
    fo = Set.copyOf(fo);
    rf = List.copyOf(rf);
    tags = List.copyOf(tags);
    problems = List.copyOf(problems);
  }

  /**
   * {@return true if the record had tag {@code name} (lower case) in a well-formed {@code
   * tag=value}}
   *
   * @param name a tag name in lower case
   */
  public boolean hasTag(String name) {
    return tags.contains(name);
  }

  /**
   * {@return true if a problem of {@code kind} was seen}
   *
   * @param kind the kind of problem
   */
  public boolean hasProblem(RecordProblem.Kind kind) {
    return problems.stream().anyMatch(pr -> pr.kind() == kind);
  }

  /**
   * {@return whether this record can be used as a policy record under {@code mode} (RFC 9989 §4.7
   * and §4.10.1; RFC 7489 §6.6.3 step 6)}
   *
   * @param mode the specification followed
   */
  public PolicyStatus policyStatus(DmarcMode mode) {
    boolean invalid =
        hasProblem(RecordProblem.Kind.INVALID_P)
            || hasProblem(RecordProblem.Kind.INVALID_SP)
            || (mode == DmarcMode.RFC9989 && hasProblem(RecordProblem.Kind.INVALID_NP))
            || (mode == DmarcMode.RFC7489 && p.isEmpty());
    if (!invalid) {
      return PolicyStatus.VALID;
    }
    return rua.isEmpty() ? PolicyStatus.UNUSABLE : PolicyStatus.ACT_AS_NONE;
  }

  /**
   * {@return the policy for the domain that published the record, under {@code mode}: {@code p}, or
   * none when the record lacks a usable policy but names a report destination} Empty when the
   * record cannot be used at all.
   *
   * @param mode the specification followed
   */
  public Optional<DmarcPolicy> effectivePolicy(DmarcMode mode) {
    switch (policyStatus(mode)) {
      case VALID:
        return Optional.of(p.orElse(DmarcPolicy.NONE));
      case ACT_AS_NONE:
        return Optional.of(DmarcPolicy.NONE);
      default:
        return Optional.empty();
    }
  }

  /**
   * {@return the policy for existing subdomains under {@code mode}: {@code sp}, else {@code p}}
   *
   * @param mode the specification followed
   */
  public Optional<DmarcPolicy> effectiveSubdomainPolicy(DmarcMode mode) {
    if (policyStatus(mode) != PolicyStatus.VALID) {
      return effectivePolicy(mode);
    }
    return Optional.of(sp.orElse(p.orElse(DmarcPolicy.NONE)));
  }

  /**
   * {@return the policy for non-existent subdomains under {@code mode}: RFC 9989 {@code np}, else
   * {@code sp}, else {@code p}; RFC 7489 has no {@code np} and uses the subdomain policy}
   *
   * @param mode the specification followed
   */
  public Optional<DmarcPolicy> effectiveNonExistentPolicy(DmarcMode mode) {
    if (policyStatus(mode) != PolicyStatus.VALID || mode == DmarcMode.RFC7489) {
      return effectiveSubdomainPolicy(mode);
    }
    return Optional.of(np.orElse(sp.orElse(p.orElse(DmarcPolicy.NONE))));
  }

  /** Whether a record can serve as a policy record (RFC 9989 §4.10.1). */
  public enum PolicyStatus {
    /** The policy tags are valid (RFC 9989: a missing {@code p} counts as {@code none}). */
    VALID,
    /** A policy tag is invalid but {@code rua} names a destination: act as {@code p=none}. */
    ACT_AS_NONE,
    /** A policy tag is invalid and there is no {@code rua}: no DMARC processing. */
    UNUSABLE
  }
}
