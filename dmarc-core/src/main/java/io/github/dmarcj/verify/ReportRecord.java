// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.dmarc.AlignmentMode;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.OverrideReason;
import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The data of one row of a DMARC aggregate report for one message (RFC 9990 §3.1.1, RFC 7489
 * Appendix C): who sent it, which policy applied, what was done and the authentication results
 * behind it. A report generator groups rows by policy domain and reporting period and counts
 * identical rows.
 *
 * @param evaluatedAt when the message was evaluated (the facade's clock), for the report period
 * @param mode the DMARC specification followed
 * @param sourceIp the SMTP client address ({@code row/source_ip})
 * @param headerFrom the RFC5322.From domain ({@code identifiers/header_from})
 * @param envelopeFrom the RFC5321.MailFrom domain, empty for the null sender ({@code
 *     identifiers/envelope_from})
 * @param envelopeTo the RFC5321.RcptTo domain if the caller gave it ({@code
 *     identifiers/envelope_to})
 * @param policyPublished the record that applied ({@code policy_published})
 * @param disposition what the receiver was advised to do after {@code pct}, {@code t} and overrides
 *     ({@code policy_evaluated/disposition})
 * @param dkimAligned {@code pass} if a DKIM signature passed with an aligned domain, else {@code
 *     fail} ({@code policy_evaluated/dkim})
 * @param spfAligned {@code pass} if SPF passed with an aligned domain, else {@code fail} ({@code
 *     policy_evaluated/spf})
 * @param overrides why the disposition differs from the requested policy ({@code
 *     policy_evaluated/reason})
 * @param dkim one result per DKIM signature ({@code auth_results/dkim})
 * @param spf the SPF result ({@code auth_results/spf})
 * @since 0.1.0
 */
public record ReportRecord(
    Instant evaluatedAt,
    DmarcMode mode,
    InetAddress sourceIp,
    String headerFrom,
    Optional<String> envelopeFrom,
    Optional<String> envelopeTo,
    PublishedPolicy policyPublished,
    DmarcPolicy disposition,
    DmarcResult dkimAligned,
    DmarcResult spfAligned,
    List<Override> overrides,
    List<DkimAuth> dkim,
    SpfAuth spf) {
  /**
   * Checks that every component is present; copies the lists.
   *
   * @param evaluatedAt when the message was evaluated (the facade's clock), for the report period
   * @param mode the DMARC specification followed
   * @param sourceIp the SMTP client address ({@code row/source_ip})
   * @param headerFrom the RFC5322.From domain ({@code identifiers/header_from})
   * @param envelopeFrom the RFC5321.MailFrom domain, empty for the null sender ({@code
   *     identifiers/envelope_from})
   * @param envelopeTo the RFC5321.RcptTo domain if the caller gave it ({@code
   *     identifiers/envelope_to})
   * @param policyPublished the record that applied ({@code policy_published})
   * @param disposition what the receiver was advised to do after {@code pct}, {@code t} and
   *     overrides ({@code policy_evaluated/disposition})
   * @param dkimAligned {@code pass} if a DKIM signature passed with an aligned domain, else {@code
   *     fail} ({@code policy_evaluated/dkim})
   * @param spfAligned {@code pass} if SPF passed with an aligned domain, else {@code fail} ({@code
   *     policy_evaluated/spf})
   * @param overrides why the disposition differs from the requested policy ({@code
   *     policy_evaluated/reason})
   * @param dkim one result per DKIM signature ({@code auth_results/dkim})
   * @param spf the SPF result ({@code auth_results/spf})
   */
  public ReportRecord {
    Objects.requireNonNull(evaluatedAt, "evaluatedAt");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(headerFrom, "headerFrom");
    Objects.requireNonNull(envelopeFrom, "envelopeFrom");
    Objects.requireNonNull(envelopeTo, "envelopeTo");
    Objects.requireNonNull(policyPublished, "policyPublished");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(dkimAligned, "dkimAligned");
    Objects.requireNonNull(spfAligned, "spfAligned");
    overrides = List.copyOf(overrides);
    dkim = List.copyOf(dkim);
    Objects.requireNonNull(spf, "spf");
  }

  /**
   * The policy as published ({@code policy_published}, RFC 9990 §3.1.1.5).
   *
   * @param domain the domain whose {@code _dmarc} record applied
   * @param discoveryMethod how the record and Organizational Domains were found
   * @param p the requested policy for the domain ({@code none} if the record acted as {@code
   *     p=none})
   * @param sp the subdomain policy if published
   * @param np the non-existent subdomain policy if published (RFC 9989)
   * @param adkim DKIM alignment mode
   * @param aspf SPF alignment mode
   * @param pct the {@code pct} value under RFC 7489; empty under RFC 9989, which removed it
   * @param fo the failure reporting options
   * @param testing {@code t=y} (RFC 9989)
   */
  public record PublishedPolicy(
      String domain,
      DiscoveryMethod discoveryMethod,
      DmarcPolicy p,
      Optional<DmarcPolicy> sp,
      Optional<DmarcPolicy> np,
      AlignmentMode adkim,
      AlignmentMode aspf,
      Optional<Integer> pct,
      Set<FailureReportOption> fo,
      boolean testing,
      List<String> errors) {
    /** Most {@link #errors} kept per record. */
    public static final int MAX_ERRORS = 10;

    /** Longest {@link #errors} entry kept, in characters. */
    public static final int MAX_ERROR_LENGTH = 200;

    /**
     * Checks that every component is present; copies {@code fo} and {@code errors}, keeping at most
     * {@value #MAX_ERRORS} entries of at most {@value #MAX_ERROR_LENGTH} characters.
     *
     * @param domain the domain whose {@code _dmarc} record applied
     * @param discoveryMethod how the record and Organizational Domains were found
     * @param p the requested policy for the domain ({@code none} if the record acted as {@code
     *     p=none})
     * @param sp the subdomain policy if published
     * @param np the non-existent subdomain policy if published (RFC 9989)
     * @param adkim DKIM alignment mode
     * @param aspf SPF alignment mode
     * @param pct the {@code pct} value under RFC 7489; empty under RFC 9989, which removed it
     * @param fo the failure reporting options
     * @param testing {@code t=y} (RFC 9989)
     * @param errors the problems of the record that applied, for the error elements (RFC 9990
     *     §3.1.5, RFC 7489 Appendix C), in the parser's order
     */
    public PublishedPolicy {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(discoveryMethod, "discoveryMethod");
      Objects.requireNonNull(p, "p");
      Objects.requireNonNull(sp, "sp");
      Objects.requireNonNull(np, "np");
      Objects.requireNonNull(adkim, "adkim");
      Objects.requireNonNull(aspf, "aspf");
      Objects.requireNonNull(pct, "pct");
      fo = Set.copyOf(fo);
      List<String> kept = new ArrayList<>(Math.min(errors.size(), MAX_ERRORS));
      for (String e : errors) {
        if (kept.size() == MAX_ERRORS) {
          break;
        }
        kept.add(shorten(e));
      }
      errors = List.copyOf(kept);
    }

    /**
     * A published policy whose record had no problems.
     *
     * @param domain the domain whose {@code _dmarc} record applied
     * @param discoveryMethod how the record and Organizational Domains were found
     * @param p the requested policy for the domain ({@code none} if the record acted as {@code
     *     p=none})
     * @param sp the subdomain policy if published
     * @param np the non-existent subdomain policy if published (RFC 9989)
     * @param adkim DKIM alignment mode
     * @param aspf SPF alignment mode
     * @param pct the {@code pct} value under RFC 7489; empty under RFC 9989, which removed it
     * @param fo the failure reporting options
     * @param testing {@code t=y} (RFC 9989)
     */
    public PublishedPolicy(
        String domain,
        DiscoveryMethod discoveryMethod,
        DmarcPolicy p,
        Optional<DmarcPolicy> sp,
        Optional<DmarcPolicy> np,
        AlignmentMode adkim,
        AlignmentMode aspf,
        Optional<Integer> pct,
        Set<FailureReportOption> fo,
        boolean testing) {
      this(domain, discoveryMethod, p, sp, np, adkim, aspf, pct, fo, testing, List.of());
    }

    private static String shorten(String e) {
      if (e.length() <= MAX_ERROR_LENGTH) {
        return e;
      }
      int end = MAX_ERROR_LENGTH - 1;
      if (Character.isHighSurrogate(e.charAt(end - 1))) {
        end--;
      }
      return e.substring(0, end) + "\u2026";
    }
  }

  /**
   * One reason the disposition differs from the requested policy ({@code reason}, RFC 9990 §3.1.6).
   *
   * @param type the override type
   * @param comment free text, may be empty
   */
  @SuppressWarnings("JavaLangClash") // named after RFC 9990's override element; public API
  public record Override(OverrideReason type, String comment) {
    /**
     * Checks that every component is present.
     *
     * @param type the override type
     * @param comment free text, may be empty
     */
    public Override {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(comment, "comment");
    }
  }

  /**
   * One DKIM result ({@code auth_results/dkim}).
   *
   * @param domain the {@code d=} domain
   * @param selector the {@code s=} selector
   * @param result the result
   */
  public record DkimAuth(String domain, String selector, DkimResult result) {
    /**
     * Checks that every component is present.
     *
     * @param domain the {@code d=} domain
     * @param selector the {@code s=} selector
     * @param result the result
     */
    public DkimAuth {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(selector, "selector");
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * The SPF result ({@code auth_results/spf}).
   *
   * @param domain the domain checked
   * @param scope the identity checked
   * @param result the result
   */
  public record SpfAuth(String domain, SpfScope scope, SpfResult result) {
    /**
     * Checks that every component is present.
     *
     * @param domain the domain checked
     * @param scope the identity checked
     * @param result the result
     */
    public SpfAuth {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(result, "result");
    }
  }
}
