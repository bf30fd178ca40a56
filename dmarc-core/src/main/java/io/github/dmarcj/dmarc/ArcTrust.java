// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.authres.MethodResult;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.result.ArcInstance;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.DmarcResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The receiver's local policy for ARC (RFC 8617 §7.2): which sealers it trusts to say how a message
 * authenticated before they forwarded it. A DMARC {@code fail} becomes disposition {@code none}
 * only when all of these hold:
 *
 * <ul>
 *   <li>a policy applied, the result is {@code fail} and the disposition is not already {@code
 *       none};
 *   <li>the chain is {@code arc=pass} (every seal and the newest ARC-Message-Signature verified, no
 *       limit hit);
 *   <li>a set sealed by a trusted domain (its {@code d=} is one of {@link #sealers()} or below one)
 *       recorded in its ARC-Authentication-Results a {@code dmarc=pass} for this message's Author
 *       Domain, or an SPF or DKIM {@code pass} aligned with it under the record's {@code aspf} /
 *       {@code adkim}.
 * </ul>
 *
 * <p>The override is reported as {@code local_policy} (RFC 9990 §3.1.6; RFC 8617 §7.2.2), with a
 * comment naming the sealer and the chain ({@code arc=pass as[2].d=... as[2].s=...}). Nothing else
 * changes: without trusted sealers this never applies, and it never makes a disposition stricter or
 * a result better than {@code fail}.
 *
 * @since 0.1.0
 */
public final class ArcTrust {
  private static final ArcTrust NOBODY = new ArcTrust(List.of());

  private final List<DomainName> sealers;

  private ArcTrust(List<DomainName> sealers) {
    this.sealers = sealers;
  }

  /**
   * {@return a policy that trusts the sealers {@code domains} (and their subdomains)}
   *
   * @param domains the trusted sealing domains
   * @throws IllegalArgumentException if one is not a domain name
   */
  public static ArcTrust sealers(Collection<String> domains) {
    Objects.requireNonNull(domains, "domains");
    List<DomainName> names = new ArrayList<>(domains.size());
    for (String d : domains) {
      names.add(DomainName.of(Objects.requireNonNull(d, "domain")));
    }
    return names.isEmpty() ? NOBODY : new ArcTrust(List.copyOf(names));
  }

  /** {@return the policy that trusts no sealer: ARC never changes a disposition} */
  public static ArcTrust nobody() {
    return NOBODY;
  }

  /** {@return the trusted sealing domains} */
  public List<DomainName> sealers() {
    return sealers;
  }

  /**
   * {@return {@code outcome}, with its disposition set to {@code none} by a {@code local_policy}
   * step when {@code arc} passes and a trusted sealer vouches for the message (see the class
   * description); otherwise {@code outcome} itself}
   *
   * @param outcome the DMARC outcome of the message
   * @param arc the ARC outcome of the same message
   */
  public DmarcOutcome apply(DmarcOutcome outcome, ArcOutcome arc) {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(arc, "arc");
    if (sealers.isEmpty()
        || !arc.isPass()
        || !(outcome instanceof DmarcOutcome.PolicyApplied p)
        || p.result() != DmarcResult.FAIL
        || p.disposition() == DmarcPolicy.NONE
        || p.context().fromDomain().isEmpty()) {
      return outcome;
    }
    List<ArcInstance> sets = arc.instances();
    for (int k = sets.size() - 1; k >= 0; k--) {
      ArcInstance set = sets.get(k);
      Optional<DomainName> sealer = DomainName.parse(set.sealDomain());
      if (sealer.isEmpty() || sealers.stream().noneMatch(t -> sealer.get().isSubdomainOf(t))) {
        continue;
      }
      Optional<String> evidence = evidence(set.authenticationResults(), p);
      if (evidence.isPresent()) {
        String comment =
            arc.chainSummary()
                + " trusted-sealer="
                + sealer.get().name()
                + " i="
                + set.instance()
                + " saw "
                + evidence.get();
        return p.withDecision(
            p.decision()
                .then(
                    new AppliedOverride(
                        OverrideReason.LOCAL_POLICY, comment, p.disposition(), DmarcPolicy.NONE)));
      }
    }
    return outcome;
  }

  /** What in a sealer's AAR shows the message authenticated on arrival, or empty. */
  private static Optional<String> evidence(String aar, DmarcOutcome.PolicyApplied p) {
    Optional<AuthenticationResults> parsed = AuthenticationResults.parse(aar);
    if (parsed.isEmpty()) {
      return Optional.empty();
    }
    // NullAway-free: apply() checked that the From domain is present.
    DomainName from = p.context().fromDomain().orElseThrow();
    Optional<DomainName> org = p.context().organizationalDomain();
    for (MethodResult m : parsed.get().resultsFor("dmarc")) {
      if (isPass(m)
          && m.property("header", "from")
              .flatMap(DomainName::parse)
              .filter(from::equals)
              .isPresent()) {
        return Optional.of("dmarc=pass header.from=" + from.name());
      }
    }
    for (MethodResult m : parsed.get().resultsFor("dkim")) {
      Optional<DomainName> d = m.property("header", "d").flatMap(DomainName::parse);
      if (isPass(m) && d.isPresent() && aligned(d.get(), from, org, p.alignment().dkimMode())) {
        return Optional.of("dkim=pass header.d=" + d.get().name());
      }
    }
    for (MethodResult m : parsed.get().resultsFor("spf")) {
      Optional<DomainName> d =
          m.property("smtp", "mailfrom").map(ArcTrust::domainOf).flatMap(DomainName::parse);
      if (isPass(m) && d.isPresent() && aligned(d.get(), from, org, p.alignment().spfMode())) {
        return Optional.of("spf=pass smtp.mailfrom=" + d.get().name());
      }
    }
    return Optional.empty();
  }

  private static boolean isPass(MethodResult m) {
    return m.result().toLowerCase(Locale.ROOT).equals("pass");
  }

  private static String domainOf(String mailbox) {
    return mailbox.substring(mailbox.lastIndexOf('@') + 1);
  }

  /**
   * Identifier alignment as the applied record asks (RFC 9989 §4.4): strict is the same name,
   * relaxed is within the Author Domain's Organizational Domain.
   */
  private static boolean aligned(
      DomainName id, DomainName from, Optional<DomainName> org, AlignmentMode mode) {
    if (id.equals(from)) {
      return true;
    }
    return mode == AlignmentMode.RELAXED && org.isPresent() && id.isSubdomainOf(org.get());
  }
}
