// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcDiscovery;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.RecordProblem;
import io.github.dmarcj.dmarc.RecordSource;
import io.github.dmarcj.dmarc.ReportDestination;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import io.github.dmarcj.domain.OrganizationalDomainOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The checks behind {@code dmarc record}: discovery, the record's problems, report destinations
 * and an explanation of what receivers do with failing mail.
 */
record RecordCheck(
    DmarcDiscovery discovery,
    Optional<DomainName> organizationalDomain,
    Optional<Boolean> domainExists,
    List<ReportDestination> aggregateDestinations,
    List<ReportDestination> failureDestinations,
    List<Finding> findings,
    List<String> explanation) {

  enum Severity {
    ERROR,
    WARNING,
    INFO;

    String keyword() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  record Finding(Severity severity, String code, String message) {}

  static RecordCheck run(
      DmarcEvaluator evaluator, OrganizationalDomainFinder finder, DnsResolver dns, DomainName domain) {
    DmarcDiscovery d = evaluator.discover(domain).toCompletableFuture().join();
    Optional<DomainName> org = d.organizationalDomain();
    if (org.isEmpty() && d.problem().filter(RecordCheck::isTemp).isEmpty()) {
      OrganizationalDomainOutcome o = finder.find(domain).toCompletableFuture().join();
      org = RecordCommand.found(o);
    }
    Optional<Boolean> exists = exists(dns, domain);
    List<ReportDestination> rua = List.of();
    List<ReportDestination> ruf = List.of();
    if (d.record().isPresent()) {
      DomainName pd = d.policyDomain().get();
      rua = evaluator.checkReportDestinations(pd, d.record().get().rua(), false).toCompletableFuture().join();
      ruf = evaluator.checkReportDestinations(pd, d.record().get().ruf(), true).toCompletableFuture().join();
    }
    List<Finding> findings = new ArrayList<>();
    List<String> explanation = new ArrayList<>();
    analyse(d, org, exists, rua, ruf, findings, explanation);
    return new RecordCheck(d, org, exists, rua, ruf, List.copyOf(findings), List.copyOf(explanation));
  }

  private static boolean isTemp(DmarcReason r) {
    return r == DmarcReason.DNS_TEMPFAIL_RECORD || r == DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN;
  }

  /** Whether the domain exists (any answer or NODATA for A, AAAA, MX); empty if unknown. */
  private static Optional<Boolean> exists(DnsResolver dns, DomainName domain) {
    CompletableFuture<? extends DnsLookup<?>> a = dns.a(domain.name()).toCompletableFuture();
    CompletableFuture<? extends DnsLookup<?>> aaaa = dns.aaaa(domain.name()).toCompletableFuture();
    CompletableFuture<? extends DnsLookup<?>> mx = dns.mx(domain.name()).toCompletableFuture();
    boolean nx = false;
    for (CompletableFuture<? extends DnsLookup<?>> f : List.of(a, aaaa, mx)) {
      DnsLookup<?> l = f.join();
      if (l instanceof DnsLookup.Found || l instanceof DnsLookup.NoData) {
        return Optional.of(true);
      }
      nx |= l instanceof DnsLookup.NxDomain;
    }
    return nx ? Optional.of(false) : Optional.empty();
  }

  int exitCode() {
    if (discovery.problem().filter(RecordCheck::isTemp).isPresent()) {
      return 3;
    }
    if (discovery.record().isEmpty()) {
      return 1;
    }
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR) ? 1 : 0;
  }

  private static void analyse(
      DmarcDiscovery d,
      Optional<DomainName> org,
      Optional<Boolean> exists,
      List<ReportDestination> rua,
      List<ReportDestination> ruf,
      List<Finding> out,
      List<String> why) {
    DmarcMode mode = d.mode();
    for (DmarcDiscovery.Query q : d.queries()) {
      for (io.github.dmarcj.dmarc.DmarcRecordParser.NotDmarc n : q.discarded()) {
        out.add(new Finding(Severity.ERROR, "record-discarded",
            "_dmarc." + q.domain() + " has a v=DMARC1 text that receivers discard ("
                + n.detail()
                + (n.reason() == io.github.dmarcj.dmarc.DmarcRecordParser.NotDmarcReason.TOO_LONG
                    ? ", over " + io.github.dmarcj.dmarc.DmarcRecordParser.MAX_RECORD_LENGTH
                    : "")
                + "); it counts as no record."));
      }
      if (q.answer() == DmarcDiscovery.Answer.MULTIPLE_RECORDS) {
        out.add(new Finding(Severity.ERROR, "multiple-records",
            "_dmarc." + q.domain() + " has " + q.dmarcTexts().size()
                + " DMARC records; receivers ignore them all. Keep exactly one."));
      }
    }
    if (d.record().isEmpty()) {
      DmarcReason r = d.problem().orElse(DmarcReason.NO_RECORD);
      if (isTemp(r)) {
        out.add(new Finding(Severity.ERROR, "dns-tempfail", RecordCommand.reasonText(r)));
        why.add("Unknown: the DNS did not answer. Receivers typically deliver (or defer) such mail.");
      } else {
        out.add(new Finding(Severity.ERROR, "no-record",
            "No DMARC record applies to " + d.authorDomain() + ". Publish one at _dmarc."
                + org.orElse(d.authorDomain()) + ", starting with p=none and a rua address."));
        why.add("Nothing: without a DMARC record receivers apply no DMARC policy to mail from "
            + d.authorDomain() + ", and anyone can use the name in From.");
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
      out.add(new Finding(Severity.ERROR, "policy-unusable",
          "The policy tags are invalid and there is no valid rua: receivers apply no DMARC"
              + " processing at all."));
      why.add("Nothing: the record is unusable, so receivers skip DMARC for this domain.");
      return;
    }
    if (status == DmarcRecord.PolicyStatus.ACT_AS_NONE) {
      out.add(new Finding(Severity.ERROR, "policy-invalid",
          "A policy tag (p, sp" + (mode == DmarcMode.RFC9989 ? " or np" : " or a missing p")
              + ") is invalid: receivers act as if p=none was published."));
    }

    // which policy applies to the domain asked about
    if (source != RecordSource.AUTHOR_DOMAIN) {
      out.add(new Finding(
          source == RecordSource.PUBLIC_SUFFIX_DOMAIN ? Severity.WARNING : Severity.INFO,
          "inherited",
          d.authorDomain() + " has no record of its own; the record of " + pd
              + (source == RecordSource.PUBLIC_SUFFIX_DOMAIN
                  ? ", a public suffix operator, applies. Publish your own record."
                  : " applies through its sp" + (mode == DmarcMode.RFC9989 ? "/np" : "")
                      + " tag.")));
    }
    DmarcPolicy p = r.effectivePolicy(mode).orElse(DmarcPolicy.NONE);
    DmarcPolicy sp = r.effectiveSubdomainPolicy(mode).orElse(DmarcPolicy.NONE);
    DmarcPolicy np = r.effectiveNonExistentPolicy(mode).orElse(DmarcPolicy.NONE);
    if (source == RecordSource.AUTHOR_DOMAIN) {
      why.add("From " + pd + ": " + action(p) + " (" + tagText("p", r.p(), p) + ")");
      why.add("From subdomains of " + pd + " without their own record: " + action(sp)
          + " (" + tagText("sp", r.sp(), sp) + ")");
      if (mode == DmarcMode.RFC9989) {
        why.add("From non-existent subdomains of " + pd + ": " + action(np)
            + " (" + tagText("np", r.np(), np) + ")");
      }
    } else {
      boolean nonExistent = mode == DmarcMode.RFC9989 && exists.equals(Optional.of(false));
      DmarcPolicy applied = nonExistent ? np : sp;
      String tag = nonExistent ? inherited("np", r.np(), np, pd) : inherited("sp", r.sp(), sp, pd);
      why.add("From " + d.authorDomain()
          + (nonExistent ? " (which does not exist)" : exists.isEmpty() ? "" : " (which exists)")
          + ": " + action(applied) + " (" + tag + ")");
    }
    if (mode == DmarcMode.RFC9989 && r.testing()) {
      why.add("t=y: the owner is testing; receivers apply one level less: reject becomes"
          + " quarantine and quarantine becomes no action.");
      out.add(new Finding(Severity.WARNING, "testing-mode",
          "t=y: receivers do not apply the policy as published. Remove t=y when ready."));
    }
    if (r.hasTag("pct") && r.pct() < 100) {
      if (mode == DmarcMode.RFC7489) {
        why.add("pct=" + r.pct() + ": only " + r.pct() + "% of failing mail gets the policy; the"
            + " rest is handled one level less strictly.");
      } else {
        why.add("pct=" + r.pct() + ": RFC 9989 receivers ignore pct; older receivers apply the"
            + " policy to " + r.pct() + "% of failing mail only.");
      }
      if (p != DmarcPolicy.NONE) {
        out.add(new Finding(Severity.WARNING, "partial-enforcement",
            "pct=" + r.pct() + " is still in place; raise it to 100 (or drop it) when the rollout"
                + " is done."));
      }
    }
    why.add("Alignment: DKIM d= must be " + alignText(r.adkim(), d, org)
        + "; the SPF MAIL FROM domain must be " + alignText(r.aspf(), d, org) + ".");

    // policy strength
    if (p == DmarcPolicy.NONE && status == DmarcRecord.PolicyStatus.VALID) {
      out.add(new Finding(Severity.WARNING, "monitoring-only",
          "p=none: failing mail is delivered as usual; the record only asks for reports."
              + " Move to quarantine or reject once the reports look clean."));
    }
    if (r.sp().isPresent() && p.isStricterThan(r.sp().get())) {
      out.add(new Finding(Severity.WARNING, "sp-weaker",
          "sp=" + r.sp().get().keyword() + " is weaker than p=" + p.keyword()
              + ": subdomains are easier to spoof than the domain itself."));
    }
    if (mode == DmarcMode.RFC9989 && r.np().isPresent() && sp.isStricterThan(r.np().get())) {
      out.add(new Finding(Severity.WARNING, "np-weaker",
          "np=" + r.np().get().keyword() + " is weaker than the policy for existing subdomains ("
              + sp.keyword() + "): names that do not even exist are easier to spoof."));
    }

    // reports
    if (r.rua().isEmpty()) {
      out.add(new Finding(Severity.WARNING, "no-rua",
          "No rua: receivers send no aggregate reports, so you cannot see who sends as "
              + pd + "."));
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
          out.add(new Finding(Severity.ERROR, tag + "-not-authorized",
              d.uri().uri() + ": " + host + " does not accept reports for " + pd
                  + " (no v=DMARC1 record at " + pd + "._report._dmarc." + host
                  + ", or its replacement points elsewhere); receivers drop this destination."));
          break;
        case TEMPERROR:
          out.add(new Finding(Severity.WARNING, tag + "-unchecked",
              d.uri().uri() + ": the authorization query for " + host + " failed temporarily."));
          break;
        case OVER_LIMIT:
          out.add(new Finding(Severity.WARNING, tag + "-over-limit",
              d.uri().uri() + ": more " + tag + " URIs than receivers are asked to support (two,"
                  + " RFC 7489 §6.2); dmarcj reports to the first "
                  + io.github.dmarcj.dmarc.DmarcEvaluator.DEFAULT_MAX_REPORT_DESTINATIONS
                  + " only, other receivers may use fewer."));
          break;
        case AUTHORIZED:
          if (!d.sendTo().get().equals(d.uri())) {
            out.add(new Finding(Severity.INFO, tag + "-replaced",
                d.uri().uri() + ": " + host + " asks for reports at " + d.sendTo().get().uri()
                    + " instead."));
          }
          break;
        default:
          break;
      }
    }
  }

  private static Finding finding(RecordProblem p, DmarcMode mode) {
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
        return mode == DmarcMode.RFC9989
            ? new Finding(Severity.INFO, "size-suffix", msg)
            : null;
      case OBSOLETE_TAG:
        return mode == DmarcMode.RFC9989
            ? new Finding(Severity.WARNING, "obsolete-tag", msg + "; receivers following it ignore it")
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

  private static String alignText(AlignmentMode m, DmarcDiscovery d, Optional<DomainName> org) {
    if (m == AlignmentMode.STRICT) {
      return "exactly " + d.authorDomain() + " (strict)";
    }
    return org.map(o -> o + " or a name under it (relaxed)")
        .orElse("within the same organizational domain (relaxed)");
  }
}
