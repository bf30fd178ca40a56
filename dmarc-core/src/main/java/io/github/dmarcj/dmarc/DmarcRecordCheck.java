// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A domain owner's view of a DMARC record (RFC 9989 §4.7-4.10, RFC 9990 §4): where receivers find
 * the record that applies to a domain, every problem it has (syntax, weak or partial policies,
 * report destinations that do not accept reports), and in plain words what receivers do with mail
 * that fails DMARC. The {@code dmarc record} command prints it; a control panel or a provisioning
 * tool can show the same.
 *
 * <pre>{@code
 * DmarcRecordCheck c = DmarcRecordCheck.check(evaluator, DomainName.of("example.com"))
 *     .toCompletableFuture().join();
 * for (DmarcRecordCheck.Finding f : c.findings()) {
 *   System.out.println(f.severity().keyword() + " " + f.code() + ": " + f.message());
 * }
 * }</pre>
 *
 * @param discovery where the record was looked for and found
 * @param organizationalDomain the domain's Organizational Domain, if it could be determined
 * @param domainExists whether the domain exists (an answer or NODATA for A, AAAA or MX); empty if
 *     the DNS could not tell
 * @param aggregateDestinations the {@code rua} URIs with their authorization status
 * @param failureDestinations the {@code ruf} URIs with their authorization status
 * @param findings every problem and risk, most serious first within each kind
 * @param explanation what receivers do with mail that fails DMARC, one sentence a line
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: every finding the linter can give sits here with its code,
 *     severity and advice, so a reader sees the whole list, and the wording of one finding next to
 *     the others.)
 */
public record DmarcRecordCheck(
    DiscoveredPolicy discovery,
    Optional<DomainName> organizationalDomain,
    Optional<Boolean> domainExists,
    List<ReportDestination> aggregateDestinations,
    List<ReportDestination> failureDestinations,
    List<Finding> findings,
    List<String> explanation) {

  /**
   * Checks that every component is present; copies the lists.
   *
   * @param discovery where the record was looked for and found
   * @param organizationalDomain the domain's Organizational Domain, if it could be determined
   * @param domainExists whether the domain exists (an answer or NODATA for A, AAAA or MX); empty if
   *     the DNS could not tell
   * @param aggregateDestinations the {@code rua} URIs with their authorization status
   * @param failureDestinations the {@code ruf} URIs with their authorization status
   * @param findings every problem and risk, most serious first within each kind
   * @param explanation what receivers do with mail that fails DMARC, one sentence a line
   */
  public DmarcRecordCheck {
    Objects.requireNonNull(discovery, "discovery");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    Objects.requireNonNull(domainExists, "domainExists");
    aggregateDestinations = List.copyOf(aggregateDestinations);
    failureDestinations = List.copyOf(failureDestinations);
    findings = List.copyOf(findings);
    explanation = List.copyOf(explanation);
  }

  /** How serious a finding is. */
  public enum Severity {
    /** Receivers ignore the record or a part of it, or reports cannot arrive. */
    ERROR,
    /** It works, but weaker or riskier than it looks. */
    WARNING,
    /** Worth knowing. */
    INFO;

    /** {@return {@code error}, {@code warning} or {@code info}} */
    public String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One problem or risk.
   *
   * @param severity how serious
   * @param code a stable keyword, such as {@code rua-not-authorized}
   * @param message what it means and what to do, in plain words
   */
  public record Finding(Severity severity, String code, String message) {
    /**
     * Checks that every component is present.
     *
     * @param severity how serious
     * @param code a stable keyword, such as {@code rua-not-authorized}
     * @param message what it means and what to do, in plain words
     */
    public Finding {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Checks the record that applies to {@code domain} as {@code evaluator} finds it (its mode, its
   * resolver, its Organizational Domain finder). Never completes exceptionally for DNS answers.
   *
   * @param evaluator the evaluator whose mode, resolver and finder are used
   * @param domain the domain to check
   * @return a stage that completes with the check
   */
  public static CompletionStage<DmarcRecordCheck> check(
      DmarcEvaluator evaluator, DomainName domain) {
    Objects.requireNonNull(evaluator, "evaluator");
    Objects.requireNonNull(domain, "domain");
    DnsResolver dns = evaluator.resolver;
    OrganizationalDomainFinder finder =
        evaluator.pslFinder != null ? evaluator.pslFinder : DmarcEvaluator.treeWalkFinder(dns);
    return evaluator
        .discover(domain)
        .toCompletableFuture()
        .thenCompose(
            d -> {
              CompletableFuture<Optional<DomainName>> org =
                  d.organizationalDomain().isPresent()
                          || d.problem().filter(DmarcRecordCheck::isTemp).isPresent()
                      ? CompletableFuture.completedFuture(d.organizationalDomain())
                      : finder.find(domain).toCompletableFuture().handle((o, e) -> found(o));
              CompletableFuture<Optional<Boolean>> exists = exists(dns, domain);
              CompletableFuture<List<ReportDestination>> rua =
                  CompletableFuture.completedFuture(List.of());
              CompletableFuture<List<ReportDestination>> ruf =
                  CompletableFuture.completedFuture(List.of());
              if (d.record().isPresent()) {
                DomainName pd = d.policyDomain().get();
                rua =
                    evaluator
                        .checkReportDestinations(pd, d.record().get().rua(), false)
                        .toCompletableFuture();
                ruf =
                    evaluator
                        .checkReportDestinations(pd, d.record().get().ruf(), true)
                        .toCompletableFuture();
              }
              CompletableFuture<List<ReportDestination>> ruaF = rua;
              CompletableFuture<List<ReportDestination>> rufF = ruf;
              return CompletableFuture.allOf(org, exists, rua, ruf)
                  .thenApply(
                      v -> {
                        List<Finding> findings = new ArrayList<>();
                        List<String> explanation = new ArrayList<>();
                        analyse(
                            d,
                            org.join(),
                            exists.join(),
                            ruaF.join(),
                            rufF.join(),
                            findings,
                            explanation);
                        return new DmarcRecordCheck(
                            d,
                            org.join(),
                            exists.join(),
                            ruaF.join(),
                            rufF.join(),
                            findings,
                            explanation);
                      });
            });
  }

  private static Optional<DomainName> found(OrganizationalDomainOutcome o) {
    return o instanceof OrganizationalDomainOutcome.Found f
        ? Optional.of(f.organizationalDomain())
        : Optional.empty();
  }

  /** {@return true if the DNS failed temporarily, so the check says nothing certain} */
  public boolean dnsFailed() {
    return discovery.problem().filter(DmarcRecordCheck::isTemp).isPresent();
  }

  /** {@return true if a finding is an {@link Severity#ERROR} or no record applies} */
  public boolean hasErrors() {
    return discovery.record().isEmpty()
        || findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }

  /**
   * {@return what a discovery problem means, in plain words}
   *
   * @param r the reason
   */
  public static String explain(DmarcReason r) {
    switch (r) {
      case MULTIPLE_RECORDS:
        return "several DMARC records at one name, so none counts there";
      case DNS_TEMPFAIL_RECORD:
        return "a DNS query failed temporarily; try again";
      case DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN:
        return "finding the organizational domain failed temporarily; try again";
      default:
        return "no DMARC record at the domain, its organizational domain or a public suffix";
    }
  }

  private static boolean isTemp(DmarcReason r) {
    return r == DmarcReason.DNS_TEMPFAIL_RECORD
        || r == DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN;
  }

  /** Whether the domain exists (any answer or NODATA for A, AAAA, MX); empty if unknown. */
  private static CompletableFuture<Optional<Boolean>> exists(DnsResolver dns, DomainName domain) {
    List<CompletableFuture<? extends DnsLookup<?>>> all =
        List.of(
            DmarcLookups.safe(dns.a(domain.name())),
            DmarcLookups.safe(dns.aaaa(domain.name())),
            DmarcLookups.safe(dns.mx(domain.name())));
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(
            v -> {
              boolean nx = false;
              for (CompletableFuture<? extends DnsLookup<?>> f : all) {
                DnsLookup<?> l = f.join();
                if (l instanceof DnsLookup.Found || l instanceof DnsLookup.NoData) {
                  return Optional.of(true);
                }
                nx |= l instanceof DnsLookup.NxDomain;
              }
              return nx ? Optional.of(false) : Optional.<Boolean>empty();
            });
  }

  private static void analyse(
      DiscoveredPolicy d,
      Optional<DomainName> org,
      Optional<Boolean> exists,
      List<ReportDestination> rua,
      List<ReportDestination> ruf,
      List<Finding> out,
      List<String> why) {
    DmarcMode mode = d.mode();
    for (DiscoveredPolicy.Query q : d.queries()) {
      for (io.github.dmarcj.dmarc.DmarcRecordParser.NotDmarc n : q.discarded()) {
        out.add(
            new Finding(
                Severity.ERROR,
                "record-discarded",
                "_dmarc."
                    + q.domain()
                    + " has a v=DMARC1 text that receivers discard ("
                    + n.detail()
                    + (n.reason()
                            == io.github.dmarcj.dmarc.DmarcRecordParser.NotDmarcReason.TOO_LONG
                        ? ", over " + io.github.dmarcj.dmarc.DmarcRecordParser.MAX_RECORD_LENGTH
                        : "")
                    + "); it counts as no record."));
      }
      if (q.answer() == DiscoveredPolicy.Answer.MULTIPLE_RECORDS) {
        out.add(
            new Finding(
                Severity.ERROR,
                "multiple-records",
                "_dmarc."
                    + q.domain()
                    + " has "
                    + q.dmarcTexts().size()
                    + " DMARC records; receivers ignore them all. Keep exactly one."));
      }
    }
    if (d.record().isEmpty()) {
      DmarcReason r = d.problem().orElse(DmarcReason.NO_RECORD);
      if (isTemp(r)) {
        out.add(new Finding(Severity.ERROR, "dns-tempfail", explain(r)));
        why.add(
            "Unknown: the DNS did not answer. Receivers typically deliver (or defer) such mail.");
      } else {
        out.add(
            new Finding(
                Severity.ERROR,
                "no-record",
                "No DMARC record applies to "
                    + d.authorDomain()
                    + ". Publish one at _dmarc."
                    + org.orElse(d.authorDomain())
                    + ", starting with p=none and a rua address."));
        why.add(
            "Nothing: without a DMARC record receivers apply no DMARC policy to mail from "
                + d.authorDomain()
                + ", and anyone can use the name in From.");
      }
      return;
    }
    DmarcRecord r = d.record().get();
    DomainName pd = d.policyDomain().get();
    RecordSource source = d.source().get();

    // syntax and tag-level findings
    for (RecordProblem p : r.problems()) {
      Finding f = finding(p, mode);
      if (f != null) {
        out.add(f);
      }
    }
    DmarcRecord.PolicyStatus status = r.policyStatus(mode);
    if (status == DmarcRecord.PolicyStatus.UNUSABLE) {
      out.add(
          new Finding(
              Severity.ERROR,
              "policy-unusable",
              "The policy tags are invalid and there is no valid rua: receivers apply no DMARC"
                  + " processing at all."));
      why.add("Nothing: the record is unusable, so receivers skip DMARC for this domain.");
      return;
    }
    if (status == DmarcRecord.PolicyStatus.ACT_AS_NONE) {
      out.add(
          new Finding(
              Severity.ERROR,
              "policy-invalid",
              "A policy tag (p, sp"
                  + (mode == DmarcMode.RFC9989 ? " or np" : " or a missing p")
                  + ") is invalid: receivers act as if p=none was published."));
    }

    // which policy applies to the domain asked about
    if (source != RecordSource.AUTHOR_DOMAIN) {
      out.add(
          new Finding(
              source == RecordSource.PUBLIC_SUFFIX_DOMAIN ? Severity.WARNING : Severity.INFO,
              "inherited",
              d.authorDomain()
                  + " has no record of its own; the record of "
                  + pd
                  + (source == RecordSource.PUBLIC_SUFFIX_DOMAIN
                      ? ", a public suffix operator, applies. Publish your own record."
                      : " applies through its sp"
                          + (mode == DmarcMode.RFC9989 ? "/np" : "")
                          + " tag.")));
    }
    DmarcPolicy p = r.effectivePolicy(mode).orElse(DmarcPolicy.NONE);
    DmarcPolicy sp = r.effectiveSubdomainPolicy(mode).orElse(DmarcPolicy.NONE);
    DmarcPolicy np = r.effectiveNonExistentPolicy(mode).orElse(DmarcPolicy.NONE);
    if (source == RecordSource.AUTHOR_DOMAIN) {
      why.add("From " + pd + ": " + action(p) + " (" + tagText("p", r.p(), p) + ")");
      why.add(
          "From subdomains of "
              + pd
              + " without their own record: "
              + action(sp)
              + " ("
              + tagText("sp", r.sp(), sp)
              + ")");
      if (mode == DmarcMode.RFC9989) {
        why.add(
            "From non-existent subdomains of "
                + pd
                + ": "
                + action(np)
                + " ("
                + tagText("np", r.np(), np)
                + ")");
      }
    } else {
      boolean nonExistent = mode == DmarcMode.RFC9989 && exists.equals(Optional.of(false));
      DmarcPolicy applied = nonExistent ? np : sp;
      String tag = nonExistent ? inherited("np", r.np(), np, pd) : inherited("sp", r.sp(), sp, pd);
      why.add(
          "From "
              + d.authorDomain()
              + (nonExistent
                  ? " (which does not exist)"
                  : exists.isEmpty() ? "" : " (which exists)")
              + ": "
              + action(applied)
              + " ("
              + tag
              + ")");
    }
    if (mode == DmarcMode.RFC9989 && r.testing()) {
      why.add(
          "t=y: the owner is testing; receivers apply one level less: reject becomes"
              + " quarantine and quarantine becomes no action.");
      out.add(
          new Finding(
              Severity.WARNING,
              "testing-mode",
              "t=y: receivers do not apply the policy as published. Remove t=y when ready."));
    }
    if (r.hasTag("pct") && r.pct() < 100) {
      if (mode == DmarcMode.RFC7489) {
        why.add(
            "pct="
                + r.pct()
                + ": only "
                + r.pct()
                + "% of failing mail gets the policy; the"
                + " rest is handled one level less strictly.");
      } else {
        why.add(
            "pct="
                + r.pct()
                + ": RFC 9989 receivers ignore pct; older receivers apply the"
                + " policy to "
                + r.pct()
                + "% of failing mail only.");
      }
      if (p != DmarcPolicy.NONE) {
        out.add(
            new Finding(
                Severity.WARNING,
                "partial-enforcement",
                "pct="
                    + r.pct()
                    + " is still in place; raise it to 100 (or drop it) when the rollout"
                    + " is done."));
      }
    }
    why.add(
        "Alignment: DKIM d= must be "
            + alignText(r.adkim(), d, org)
            + "; the SPF MAIL FROM domain must be "
            + alignText(r.aspf(), d, org)
            + ".");

    // policy strength
    if (p == DmarcPolicy.NONE && status == DmarcRecord.PolicyStatus.VALID) {
      out.add(
          new Finding(
              Severity.WARNING,
              "monitoring-only",
              "p=none: failing mail is delivered as usual; the record only asks for reports."
                  + " Move to quarantine or reject once the reports look clean."));
    }
    if (r.sp().isPresent() && p.isStricterThan(r.sp().get())) {
      out.add(
          new Finding(
              Severity.WARNING,
              "sp-weaker",
              "sp="
                  + r.sp().get().keyword()
                  + " is weaker than p="
                  + p.keyword()
                  + ": subdomains are easier to spoof than the domain itself."));
    }
    if (mode == DmarcMode.RFC9989 && r.np().isPresent() && sp.isStricterThan(r.np().get())) {
      out.add(
          new Finding(
              Severity.WARNING,
              "np-weaker",
              "np="
                  + r.np().get().keyword()
                  + " is weaker than the policy for existing subdomains ("
                  + sp.keyword()
                  + "): names that do not even exist are easier to spoof."));
    }

    // reports
    if (r.rua().isEmpty()) {
      out.add(
          new Finding(
              Severity.WARNING,
              "no-rua",
              "No rua: receivers send no aggregate reports, so you cannot see who sends as "
                  + pd
                  + "."));
    }
    destinationFindings(rua, "rua", pd, out);
    destinationFindings(ruf, "ruf", pd, out);
    if (!rua.isEmpty()) {
      why.add("Aggregate reports go to " + deliverable(rua) + ".");
    }
    if (!ruf.isEmpty()) {
      why.add("Failure reports (where receivers send them) go to " + deliverable(ruf) + ".");
    }
  }

  private static String deliverable(List<ReportDestination> list) {
    List<String> out = new ArrayList<>();
    for (ReportDestination d : list) {
      d.sendTo().ifPresent(u -> out.add(u.uri()));
    }
    return out.isEmpty() ? "nowhere (no destination is authorized)" : String.join(", ", out);
  }

  private static void destinationFindings(
      List<ReportDestination> list, String tag, DomainName pd, List<Finding> out) {
    for (ReportDestination d : list) {
      String host = d.uri().host().orElse("?");
      switch (d.status()) {
        case NOT_AUTHORIZED:
          out.add(
              new Finding(
                  Severity.ERROR,
                  tag + "-not-authorized",
                  d.uri().uri()
                      + ": "
                      + host
                      + " does not accept reports for "
                      + pd
                      + " (no v=DMARC1 record at "
                      + pd
                      + "._report._dmarc."
                      + host
                      + ", or its replacement points elsewhere); receivers drop this destination."));
          break;
        case TEMPERROR:
          out.add(
              new Finding(
                  Severity.WARNING,
                  tag + "-unchecked",
                  d.uri().uri()
                      + ": the authorization query for "
                      + host
                      + " failed temporarily."));
          break;
        case OVER_LIMIT:
          out.add(
              new Finding(
                  Severity.WARNING,
                  tag + "-over-limit",
                  d.uri().uri()
                      + ": more "
                      + tag
                      + " URIs than receivers are asked to support (two,"
                      + " RFC 7489 §6.2); dmarcj reports to the first "
                      + io.github.dmarcj.dmarc.DmarcEvaluator.DEFAULT_MAX_REPORT_DESTINATIONS
                      + " only, other receivers may use fewer."));
          break;
        case AUTHORIZED:
          if (!d.sendTo().get().equals(d.uri())) {
            out.add(
                new Finding(
                    Severity.INFO,
                    tag + "-replaced",
                    d.uri().uri()
                        + ": "
                        + host
                        + " asks for reports at "
                        + d.sendTo().get().uri()
                        + " instead."));
          }
          break;
        default:
          break;
      }
    }
  }

  private static @Nullable Finding finding(RecordProblem p, DmarcMode mode) {
    String msg = p.detail();
    switch (p.kind()) {
      case UNKNOWN_TAG:
        return new Finding(Severity.WARNING, "unknown-tag", msg + " (receivers ignore it)");
      case DUPLICATE_TAG:
        return new Finding(Severity.WARNING, "duplicate-tag", msg);
      case INVALID_VALUE:
        return new Finding(Severity.ERROR, "invalid-value", msg + "; the default applies");
      case MISSING_P:
        return mode == DmarcMode.RFC9989
            ? new Finding(Severity.WARNING, "missing-p", "no p tag: treated as p=none")
            : new Finding(Severity.ERROR, "missing-p", "no p tag: RFC 7489 requires one");
      case INVALID_P:
      case INVALID_SP:
        return new Finding(Severity.ERROR, "invalid-policy", msg);
      case INVALID_NP:
        return mode == DmarcMode.RFC9989
            ? new Finding(Severity.ERROR, "invalid-policy", msg)
            : new Finding(Severity.INFO, "invalid-policy", msg + " (np is ignored by RFC 7489)");
      case INVALID_URI:
        return new Finding(Severity.ERROR, "invalid-uri", msg + "; receivers ignore it");
      case UNSUPPORTED_URI_SCHEME:
        return new Finding(Severity.WARNING, "unsupported-uri", msg + "; use mailto:");
      case OBSOLETE_SIZE_SUFFIX:
        return mode == DmarcMode.RFC9989 ? new Finding(Severity.INFO, "size-suffix", msg) : null;
      case OBSOLETE_TAG:
        return mode == DmarcMode.RFC9989
            ? new Finding(
                Severity.WARNING, "obsolete-tag", msg + "; receivers following it ignore it")
            : null;
      case RFC9989_ONLY_TAG:
        return mode == DmarcMode.RFC7489
            ? new Finding(Severity.INFO, "rfc9989-tag", msg + "; RFC 7489 receivers ignore it")
            : null;
      case P_NOT_SECOND:
        return mode == DmarcMode.RFC7489
            ? new Finding(Severity.WARNING, "p-not-second", msg)
            : null;
      default:
        return new Finding(Severity.ERROR, "syntax", msg);
    }
  }

  private static String action(DmarcPolicy p) {
    switch (p) {
      case REJECT:
        return "reject it";
      case QUARANTINE:
        return "quarantine it (usually the spam folder)";
      default:
        return "no special handling, reports only";
    }
  }

  private static String tagText(String tag, Optional<DmarcPolicy> explicit, DmarcPolicy effective) {
    return explicit.isPresent()
        ? tag + "=" + effective.keyword()
        : "no " + tag + ", so " + effective.keyword();
  }

  private static String inherited(
      String tag, Optional<DmarcPolicy> explicit, DmarcPolicy effective, DomainName pd) {
    return explicit.isPresent()
        ? tag + "=" + effective.keyword() + " in the record of " + pd
        : "no " + tag + " in the record of " + pd + ", so " + effective.keyword();
  }

  private static String alignText(AlignmentMode m, DiscoveredPolicy d, Optional<DomainName> org) {
    if (m == AlignmentMode.STRICT) {
      return "exactly " + d.authorDomain() + " (strict)";
    }
    return org.map(o -> o + " or a name under it (relaxed)")
        .orElse("within the same organizational domain (relaxed)");
  }
}
