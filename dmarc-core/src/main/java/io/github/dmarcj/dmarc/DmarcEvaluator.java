// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.domain.OrganizationalDomainFinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Evaluates DMARC for messages (RFC 9989 §4 and §5.3; RFC 7489 §6.6; report destinations by RFC
 * 9990 §4).
 *
 * <p>Build one with {@link #builder(DnsResolver)} and keep it: an evaluator is immutable,
 * thread-safe and holds no per-message state. {@link #evaluate(DmarcInput)} takes the outcome of
 * SPF (MAIL FROM identity) and DKIM, discovers the policy record, checks identifier alignment,
 * selects {@code p}/{@code sp}/{@code np}, applies {@code t} and {@code pct}, then the configured
 * local overrides, and checks external report destinations. It never completes exceptionally for
 * anything a message or a DNS server does.
 *
 * <pre>{@code
 * DmarcEvaluator dmarc = DmarcEvaluator.builder(resolver).build();  // RFC 9989, tree walk
 * DmarcOutcome out = dmarc.evaluate(DmarcInput.of("example.com", spf, dkim))
 *     .toCompletableFuture().join();
 * if (out.disposition() == DmarcPolicy.REJECT) { ... }
 * }</pre>
 *
 * <p>DNS use per evaluation: the {@code _dmarc} tree walk makes at most {@value
 * #MAX_TREE_WALK_QUERIES} TXT queries per starting domain (RFC 9989 §4.10); answers are shared
 * within one evaluation, so the policy walk and the Organizational Domain walks of the author, SPF
 * and DKIM domains do not repeat queries. A caching resolver shares them across messages.
 */
public final class DmarcEvaluator {
  /** Most {@code _dmarc} queries of one tree walk, the starting name included (RFC 9989 §4.10). */
  public static final int MAX_TREE_WALK_QUERIES = 8;

  /** Default of {@link Builder#headerLimitDisposition}. */
  public static final DmarcPolicy DEFAULT_HEADER_LIMIT_DISPOSITION = DmarcPolicy.QUARANTINE;

  /**
   * Default of {@link Builder#maxReportDestinations}: most {@code rua} (and, separately, {@code
   * ruf}) URIs of one record that are checked and reported to. RFC 7489 §6.2 lets a receiver limit
   * the URIs it sends to, and asks for at least two.
   */
  public static final int DEFAULT_MAX_REPORT_DESTINATIONS = 4;

  /** Default cap on author domains in the strictest-policy mode for several From domains. */
  public static final int DEFAULT_MAX_AUTHOR_DOMAINS = 5;

  final DnsResolver resolver;

  /** Record texts seen before, parsed once: receivers see the same few records over and over. */
  private final Cache<String, DmarcRecordParser.Result> parsed =
      Caffeine.newBuilder().maximumSize(PARSED_RECORDS).build();

  /** How many distinct record texts keep their parse result. */
  static final int PARSED_RECORDS = 4096;

  final DmarcMode mode;
  final @Nullable OrganizationalDomainFinder pslFinder;
  final boolean honourPct;
  final @Nullable RandomGenerator random;
  final DmarcPolicy tempErrorDisposition;
  final boolean authTempErrorIsTempError;
  final List<OverrideRule> overrides;
  final int maxAuthorDomains;
  final boolean checkReportDestinations;
  final DmarcPolicy headerLimitDisposition;
  final int maxReportDestinations;

  private DmarcEvaluator(Builder b) {
    this.resolver = b.resolver;
    this.mode = b.mode;
    this.pslFinder = b.finder;
    this.honourPct = b.honourPct;
    this.random = b.random;
    this.tempErrorDisposition = b.tempErrorDisposition;
    this.authTempErrorIsTempError = b.authTempErrorIsTempError;
    this.overrides = List.copyOf(b.overrides);
    this.maxAuthorDomains = b.maxAuthorDomains;
    this.checkReportDestinations = b.checkReportDestinations;
    this.headerLimitDisposition = b.headerLimitDisposition;
    this.maxReportDestinations = b.maxReportDestinations;
  }

  /** The parse of a DMARC record text, shared by every evaluation of this evaluator. */
  DmarcRecordParser.Result parse(String text) {
    return parsed.get(text, DmarcRecordParser::parse);
  }

  /**
   * {@return a builder; {@code resolver} answers every DNS query the evaluator makes}
   *
   * @param resolver the resolver for every DNS query
   */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /**
   * {@return an {@link OrganizationalDomainFinder} by the RFC 9989 §4.10 DNS tree walk, with the
   * rules of §4.10.2: it walks {@code _dmarc} records from the domain itself upward, at most
   * {@value #MAX_TREE_WALK_QUERIES} queries, and reports {@link
   * io.github.dmarcj.domain.DiscoveryMethod#TREEWALK}} Thread-safe; it caches nothing itself.
   *
   * @param resolver the resolver for the {@code _dmarc} queries
   */
  public static OrganizationalDomainFinder treeWalkFinder(DnsResolver resolver) {
    Objects.requireNonNull(resolver, "resolver");
    return domain -> new Evaluation(resolver).organizationalDomain(domain);
  }

  /**
   * {@return the least disposition for a message whose header a limit cut ({@link
   * Builder#headerLimitDisposition})}
   */
  public DmarcPolicy headerLimitDisposition() {
    return headerLimitDisposition;
  }

  /** {@return the specification this evaluator follows} */
  public DmarcMode mode() {
    return mode;
  }

  /**
   * Evaluates one message. Never completes exceptionally for message or DNS content.
   *
   * @param input the message's From domain(s) and SPF and DKIM outcomes
   * @return a stage that completes with the outcome
   */
  public CompletionStage<DmarcOutcome> evaluate(DmarcInput input) {
    Objects.requireNonNull(input, "input");
    return new Evaluation(this).evaluate(input);
  }

  /**
   * Finds the policy record that applies to {@code authorDomain} (RFC 9989 §4.10.1 or RFC 7489
   * §6.6.3), without evaluating a message: what a receiver would use, and every {@code _dmarc}
   * query made on the way.
   *
   * @param authorDomain the Author Domain
   * @return a stage that completes with the policy found, or why none applies
   */
  public CompletionStage<DiscoveredPolicy> discover(DomainName authorDomain) {
    Objects.requireNonNull(authorDomain, "authorDomain");
    return new Evaluation(this).discover(authorDomain);
  }

  /**
   * Checks report destinations for {@code policyDomain} (RFC 9990 §4): a URI whose host lies
   * outside the policy domain's Organizational Domain needs a {@code v=DMARC1} record at {@code
   * <policy-domain>._report._dmarc.<host>}. The first {@link Builder#maxReportDestinations} URIs
   * are checked; the rest get {@link ReportDestination.Status#OVER_LIMIT} without any query.
   *
   * @param policyDomain the domain whose record lists the URIs
   * @param uris the {@code rua} or {@code ruf} URIs of that record
   * @param failureReports true to take a replacement from the authorizing record's {@code ruf},
   *     false for its {@code rua}
   * @return a stage that completes with one destination per URI, in order
   */
  public CompletionStage<List<ReportDestination>> checkReportDestinations(
      DomainName policyDomain, List<ReportUri> uris, boolean failureReports) {
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(uris, "uris");
    return new Evaluation(this).destinations(policyDomain, uris, failureReports);
  }

  /**
   * Builder of {@link DmarcEvaluator}. Defaults: RFC 9989 mode, {@code pct} honoured with {@link
   * java.util.concurrent.ThreadLocalRandom}, temperror recommends disposition {@code none}, SPF or
   * DKIM temperror without an aligned pass gives temperror, no overrides, several From domains are
   * not evaluated, report destinations are left for the report sender to check, a cut header is
   * quarantined at least.
   */
  public static final class Builder {
    private final DnsResolver resolver;
    private DmarcMode mode = DmarcMode.RFC9989;
    private @Nullable OrganizationalDomainFinder finder;
    private boolean honourPct = true;
    private @Nullable RandomGenerator random;
    private DmarcPolicy tempErrorDisposition = DmarcPolicy.NONE;
    private boolean authTempErrorIsTempError = true;
    private final List<OverrideRule> overrides = new ArrayList<>();
    private int maxAuthorDomains = 0;
    private boolean checkReportDestinations = false;
    private DmarcPolicy headerLimitDisposition = DEFAULT_HEADER_LIMIT_DISPOSITION;
    private int maxReportDestinations = DEFAULT_MAX_REPORT_DESTINATIONS;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * RFC 9989 (default) or RFC 7489.
     *
     * @param mode the DMARC specification to follow
     * @return this builder
     */
    public Builder mode(DmarcMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The Organizational Domain finder: required in RFC 7489 mode (the Public Suffix List finder);
     * in RFC 9989 mode it replaces the built-in tree walk for alignment.
     *
     * @param finder the Organizational Domain finder
     * @return this builder
     */
    public Builder organizationalDomainFinder(OrganizationalDomainFinder finder) {
      this.finder = Objects.requireNonNull(finder, "finder");
      return this;
    }

    /**
     * Whether {@code pct} sampling is applied (RFC 7489 §6.6.4); default true in both modes, since
     * domain owners still publish {@code pct} to roll out gradually. Switch off for strict RFC
     * 9989, which removed the tag.
     *
     * @param honour whether {@code pct} sampling is applied
     * @return this builder
     */
    public Builder honourPct(boolean honour) {
      this.honourPct = honour;
      return this;
    }

    /**
     * The random source for {@code pct} sampling; calls are serialised on it. Default: {@link
     * java.util.concurrent.ThreadLocalRandom}.
     *
     * @param random the random source for {@code pct} sampling
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The disposition recommended for a {@code temperror} result (RFC 9989 §4.10.1, §5.3.6);
     * default {@code none}: no policy is applied.
     *
     * @param disposition the disposition for {@code temperror}
     * @return this builder
     */
    public Builder tempErrorDisposition(DmarcPolicy disposition) {
      this.tempErrorDisposition = Objects.requireNonNull(disposition, "disposition");
      return this;
    }

    /**
     * Whether an SPF or DKIM temperror on an aligned identifier, with no aligned pass, gives {@code
     * temperror} (true, the default; RFC 9989 §5.3.6) rather than {@code fail}.
     *
     * @param value true for {@code temperror}, false for {@code fail}
     * @return this builder
     */
    public Builder authTempErrorIsTempError(boolean value) {
      this.authTempErrorIsTempError = value;
      return this;
    }

    /**
     * Adds a local override rule; rules are tried in the order added (RFC 9990 §3.1.6).
     *
     * @param rule the rule to add
     * @return this builder
     */
    public Builder addOverride(OverrideRule rule) {
      overrides.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Evaluates messages with several From domains (up to {@code maxDomains} distinct domains)
     * domain by domain and reports the strictest failing outcome (RFC 9989 §11.5, RFC 7489 §6.6.1).
     * Off by default (0): such messages get result {@code none}. A suggested cap is {@value
     * #DEFAULT_MAX_AUTHOR_DOMAINS}.
     *
     * @param maxDomains the most From domains evaluated, 0 for off
     * @return this builder
     * @throws IllegalArgumentException if {@code maxDomains} is negative or above 20
     */
    public Builder strictestPolicyForMultipleAuthors(int maxDomains) {
      if (maxDomains < 0 || maxDomains > 20) {
        throw new IllegalArgumentException("author domain cap must be 0..20, was " + maxDomains);
      }
      this.maxAuthorDomains = maxDomains;
      return this;
    }

    /**
     * Most {@code rua} URIs, and separately {@code ruf} URIs, of one record that are checked and
     * used; default {@value DmarcEvaluator#DEFAULT_MAX_REPORT_DESTINATIONS}. Those past it get
     * {@link ReportDestination.Status#OVER_LIMIT} without any DNS query.
     *
     * @param n the most URIs per tag
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is not between 2 (RFC 7489 §6.2) and 64
     */
    public Builder maxReportDestinations(int n) {
      if (n < 2 || n > 64) {
        throw new IllegalArgumentException("report destinations per tag must be 2..64, was " + n);
      }
      this.maxReportDestinations = n;
      return this;
    }

    /**
     * The least disposition for a message whose header a limit cut ({@link
     * DmarcReason#HEADER_LIMIT_EXCEEDED}); default {@link #DEFAULT_HEADER_LIMIT_DISPOSITION
     * quarantine}. Such a message never gets result {@code none}, and its disposition is the
     * stricter of this and what its policy asks. {@code none} keeps only the policy's own.
     *
     * @param disposition the least disposition for a cut header
     * @return this builder
     */
    public Builder headerLimitDisposition(DmarcPolicy disposition) {
      this.headerLimitDisposition = Objects.requireNonNull(disposition, "disposition");
      return this;
    }

    /**
     * Whether each evaluation also checks its record's external {@code rua}/{@code ruf}
     * destinations; default false. The verdict never needs them, and a record may list many hosts,
     * each costing a tree walk and an authorization query, so by default the outcome lists the URIs
     * as {@link ReportDestination.Status#NOT_CHECKED} and a report sender checks them when it
     * sends, with {@link DmarcEvaluator#checkReportDestinations} (the record may have changed by
     * then anyway). When on, at most {@link #maxReportDestinations} URIs per tag are checked.
     *
     * @param check whether to check destinations during each evaluation
     * @return this builder
     */
    public Builder checkReportDestinations(boolean check) {
      this.checkReportDestinations = check;
      return this;
    }

    /**
     * {@return the evaluator}
     *
     * @throws IllegalStateException in RFC 7489 mode without an Organizational Domain finder
     */
    public DmarcEvaluator build() {
      if (mode == DmarcMode.RFC7489 && finder == null) {
        throw new IllegalStateException(
            "RFC 7489 mode needs an organizationalDomainFinder (the Public Suffix List)");
      }
      return new DmarcEvaluator(this);
    }
  }
}
