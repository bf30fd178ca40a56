// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.spi.SpfVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * RFC 7208 {@code check_host()} for the MAIL FROM and HELO identities, asynchronous, on dmarcj's
 * {@link DnsResolver}. Build one per configuration and share it: it is immutable and thread-safe,
 * and it keeps a bounded cache of parsed records keyed on their TXT text.
 *
 * <pre>{@code
 * SpfChecker spf = SpfChecker.builder(resolver).receiver("mx.example.org").build();
 * // at MAIL FROM time:
 * spf.check(SpfRequest.mailFrom(clientIp, "user@example.com", "mail.example.com"))
 *    .thenAccept(e -> {
 *      headers.add(e.receivedSpfHeader());
 *      transaction.put(SpfOutcome.class, e.toOutcome()); // handed to DMARC later
 *    });
 * }</pre>
 *
 * <p>Limits (RFC 7208 §4.6.4, §11.1), all configurable: {@value #DEFAULT_MAX_DNS_LOOKUPS}
 * DNS-querying terms across the whole evaluation including nested {@code include} and {@code
 * redirect}, {@value #DEFAULT_MAX_VOID_LOOKUPS} void lookups, {@value #DEFAULT_MAX_MX_NAMES} MX
 * names per {@code mx} term, {@value #DEFAULT_MAX_PTR_NAMES} PTR names per {@code ptr} term or
 * {@code %{p}} macro, and a time budget ({@link #DEFAULT_TIME_BUDGET}, 20 seconds). A DNS or void
 * lookup overrun ends in {@code permerror}, the time budget in {@code temperror}; the outcome says
 * which with an {@link SpfProblem}.
 *
 * <p>As a {@link SpfVerifier} it checks the MAIL FROM identity for the DMARC evaluation. A mail
 * server that already checked SPF at MAIL FROM time passes {@link SpfEvaluation#toOutcome()} to the
 * DMARC evaluation instead of checking again.
 *
 * <p>The returned stages never complete exceptionally: DNS failures, malformed records and resolver
 * misbehaviour all become outcomes.
 */
public final class SpfChecker implements SpfVerifier {
  /** DNS-querying terms per evaluation (RFC 7208 §4.6.4). */
  public static final int DEFAULT_MAX_DNS_LOOKUPS = 10;

  /** Void lookups per evaluation (RFC 7208 §4.6.4). */
  public static final int DEFAULT_MAX_VOID_LOOKUPS = 2;

  /** MX names resolved per {@code mx} term; more is a permerror (RFC 7208 §4.6.4). */
  public static final int DEFAULT_MAX_MX_NAMES = 10;

  /** PTR names resolved per {@code ptr} term or {@code %{p}}; the rest are ignored (§4.6.4). */
  public static final int DEFAULT_MAX_PTR_NAMES = 10;

  /** Elapsed time per evaluation (RFC 7208 §4.6.4 asks for at least 20 seconds). */
  public static final Duration DEFAULT_TIME_BUDGET = Duration.ofSeconds(20);

  /** Parsed records kept, keyed on their TXT text. */
  public static final int DEFAULT_RECORD_CACHE_SIZE = 10_000;

  /** Explanation on {@code fail} when the domain publishes none (§6.2), a macro string. */
  public static final String DEFAULT_EXPLANATION =
      "%{i} is not one of %{o}'s designated mail servers";

  final DnsResolver resolver;
  final int maxDnsLookups;
  final int maxVoidLookups;
  final int maxMxNames;
  final int maxPtrNames;
  final long timeBudgetMillis;
  final @Nullable String receiver;
  final Optional<String> receiverOption;
  final Clock clock;
  final @Nullable MacroString defaultExplanation;

  /**
   * Parsed records keyed on their exact TXT text, which fully determines the parse; {@code null}
   * when the cache is disabled. A resolver that returns the same {@link String} instance makes a
   * hit an identity comparison with a cached hash.
   */
  final @Nullable Cache<String, SpfRecord> recordCache;

  private SpfChecker(Builder b) {
    this.resolver = b.resolver;
    this.maxDnsLookups = b.maxDnsLookups;
    this.maxVoidLookups = b.maxVoidLookups;
    this.maxMxNames = b.maxMxNames;
    this.maxPtrNames = b.maxPtrNames;
    this.timeBudgetMillis = b.timeBudget.toMillis();
    this.receiver = b.receiver;
    this.receiverOption = Optional.ofNullable(b.receiver);
    this.clock = b.clock;
    this.defaultExplanation = b.defaultExplanationParsed;
    this.recordCache =
        b.recordCacheSize == 0
            ? null
            : Caffeine.newBuilder().maximumSize(b.recordCacheSize).<String, SpfRecord>build();
  }

  /**
   * {@return a builder with every limit at its default}
   *
   * @param resolver the resolver for every DNS query
   */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /**
   * Runs {@code check_host()} for the request's identity (RFC 7208 §4). Never completes
   * exceptionally.
   *
   * @param request the identity to check and the SMTP facts
   * @return a stage that completes with the evaluation
   */
  public CompletionStage<SpfEvaluation> check(SpfRequest request) {
    Objects.requireNonNull(request, "request");
    CheckHost run = new CheckHost(this, request);
    run.start();
    return run.promise;
  }

  /** The parsed record for an SPF record text: from the cache, or parsed (and cached) now. */
  SpfRecord parsedRecord(String text) {
    return recordCache == null
        ? SpfRecord.parseOrInvalid(text)
        : recordCache.get(text, SpfRecord::parseOrInvalid);
  }

  /** Checks the MAIL FROM identity of {@code envelope} ({@code postmaster@HELO} if null). */
  @Override
  public CompletionStage<SpfOutcome> checkMailFrom(SmtpEnvelope envelope) {
    return check(SpfRequest.mailFrom(envelope)).thenApply(SpfEvaluation::toOutcome);
  }

  /** Configures and builds an {@link SpfChecker}; not thread-safe, build once. */
  public static final class Builder {
    private final DnsResolver resolver;
    private int maxDnsLookups = DEFAULT_MAX_DNS_LOOKUPS;
    private int maxVoidLookups = DEFAULT_MAX_VOID_LOOKUPS;
    private int maxMxNames = DEFAULT_MAX_MX_NAMES;
    private int maxPtrNames = DEFAULT_MAX_PTR_NAMES;
    private Duration timeBudget = DEFAULT_TIME_BUDGET;
    private @Nullable String receiver;
    private Clock clock = Clock.systemUTC();
    private @Nullable MacroString defaultExplanationParsed = parseExplanation(DEFAULT_EXPLANATION);
    private int recordCacheSize = DEFAULT_RECORD_CACHE_SIZE;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * DNS-querying terms allowed per evaluation, default {@value
     * SpfChecker#DEFAULT_MAX_DNS_LOOKUPS}.
     *
     * @param max the most DNS-querying terms
     * @return this builder
     */
    public Builder maxDnsLookups(int max) {
      this.maxDnsLookups = requireAtLeast(max, 0, "maximum DNS lookups");
      return this;
    }

    /**
     * Void lookups allowed per evaluation, default {@value SpfChecker#DEFAULT_MAX_VOID_LOOKUPS}.
     *
     * @param max the most void lookups
     * @return this builder
     */
    public Builder maxVoidLookups(int max) {
      this.maxVoidLookups = requireAtLeast(max, 0, "maximum void lookups");
      return this;
    }

    /**
     * MX names per {@code mx} term, default {@value SpfChecker#DEFAULT_MAX_MX_NAMES}.
     *
     * @param max the most MX names
     * @return this builder
     */
    public Builder maxMxNames(int max) {
      this.maxMxNames = requireAtLeast(max, 1, "maximum MX names");
      return this;
    }

    /**
     * PTR names per {@code ptr} term or {@code %{p}}, default {@value
     * SpfChecker#DEFAULT_MAX_PTR_NAMES}.
     *
     * @param max the most PTR names
     * @return this builder
     */
    public Builder maxPtrNames(int max) {
      this.maxPtrNames = requireAtLeast(max, 1, "maximum PTR names");
      return this;
    }

    /**
     * Elapsed time allowed per evaluation, default {@link SpfChecker#DEFAULT_TIME_BUDGET} (20 s).
     *
     * @param budget the time allowed
     * @return this builder
     */
    public Builder timeBudget(Duration budget) {
      Objects.requireNonNull(budget, "budget");
      if (budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("time budget must be positive, was " + budget);
      }
      this.timeBudget = budget;
      return this;
    }

    /**
     * This receiver's host name: {@code %{r}} and the Received-SPF {@code receiver}.
     *
     * @param hostName this receiver's host name
     * @return this builder
     */
    public Builder receiver(String hostName) {
      this.receiver = Objects.requireNonNull(hostName, "hostName");
      return this;
    }

    /**
     * The clock for {@code %{t}} and the time budget, default {@link Clock#systemUTC()}.
     *
     * @param clock the clock for {@code %{t}} and the time budget
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The explanation macro string used on {@code fail} when the domain publishes no usable {@code
     * exp=} (§6.2), default {@value SpfChecker#DEFAULT_EXPLANATION}; {@code null} for none.
     *
     * @param text the macro string, or {@code null}
     * @return this builder
     * @throws IllegalArgumentException if the text is not a valid macro string
     */
    public Builder defaultExplanation(@Nullable String text) {
      this.defaultExplanationParsed = text == null ? null : parseExplanation(text);
      return this;
    }

    /**
     * Parsed records kept, default {@value SpfChecker#DEFAULT_RECORD_CACHE_SIZE}; 0 disables. Past
     * this size the records least likely to be used again are evicted.
     *
     * @param size the number of parsed records kept
     * @return this builder
     */
    public Builder recordCacheSize(int size) {
      this.recordCacheSize = requireAtLeast(size, 0, "record cache size");
      return this;
    }

    /**
     * Builds the checker.
     *
     * @return a new checker with these settings
     */
    public SpfChecker build() {
      return new SpfChecker(this);
    }

    private static MacroString parseExplanation(String text) {
      try {
        return MacroString.parse(text, MacroString.Context.EXPLANATION);
      } catch (SpfSyntaxException e) {
        throw new IllegalArgumentException(
            "default explanation is not a valid macro string: " + e.getMessage(), e);
      }
    }

    private static int requireAtLeast(int v, int min, String what) {
      if (v < min) {
        throw new IllegalArgumentException(what + " must be at least " + min + ", was " + v);
      }
      return v;
    }
  }
}
