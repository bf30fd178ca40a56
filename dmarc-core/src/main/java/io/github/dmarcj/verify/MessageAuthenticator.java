// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.authres.AuthResultsWriter;
import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.dmarc.ArcTrust;
import io.github.dmarcj.dmarc.DmarcEvaluator;
import io.github.dmarcj.dmarc.DmarcInput;
import io.github.dmarcj.dmarc.DmarcMode;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.domain.PublicSuffixList;
import io.github.dmarcj.message.HeaderLimits;
import io.github.dmarcj.message.MessageHeaderParser;
import io.github.dmarcj.message.ParsedHeader;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.spi.ArcVerifier;
import io.github.dmarcj.spi.ArcVerifierProvider;
import io.github.dmarcj.spi.DkimVerifier;
import io.github.dmarcj.spi.DkimVerifierProvider;
import io.github.dmarcj.spi.SpfVerifier;
import io.github.dmarcj.spi.SpfVerifierProvider;
import io.github.dmarcj.spi.VerifierContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Checks SPF, DKIM and DMARC for received messages: the library's entry point for a mail server.
 *
 * <p>Build one per configuration and keep it for the life of the server; it is immutable and
 * thread-safe. For each message it starts the SPF check of the MAIL FROM identity (RFC 7208) and
 * the verification of every DKIM-Signature (RFC 6376) at the same time, then evaluates DMARC (RFC
 * 9989 by default, RFC 7489 on request), and returns one {@link VerificationResult} with the {@code
 * Authentication-Results} field (RFC 8601) to add and, when a policy applied, the aggregate-report
 * row, which it also hands to the {@link ReportRecordSink} if one was set.
 *
 * <p><b>It never throws, and its stages never complete exceptionally, for anything a message or a
 * DNS server can do.</b> A verifier that throws, completes exceptionally or overruns the
 * {@linkplain Builder#timeout timeout} is recorded as {@code temperror} with reason {@code
 * internal-error} or {@code timeout}; the other checks go on. Exceptions are left only for the
 * caller's own mistakes, such as a {@code null} argument.
 *
 * <p>SPF and DKIM come from dmarc-spf and dmarc-dkim: pass verifiers to the builder, or put those
 * modules on the class or module path and the builder finds them with {@link ServiceLoader} ({@link
 * SpfVerifierProvider}, {@link DkimVerifierProvider}).
 *
 * <pre>{@code
 * MessageAuthenticator authenticator =
 *     MessageAuthenticator.builder(resolver).authservId("mx.example.org").build();
 * VerificationResult result =
 *     authenticator.verify(SmtpEnvelope.of(clientIp, helo, mailFrom), messageBytes);
 * String field = result.authenticationResultsField();
 * DmarcPolicy disposition = result.disposition();
 * }</pre>
 *
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: the facade's builder documents every option the embedding
 *     server can set; about a third of the file is that documentation, and the verification itself
 *     is the stages SPF, DKIM and DMARC in one pipeline.)
 */
public final class MessageAuthenticator {
  /** Default limit on one verification, after which unfinished checks become temperror. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final System.Logger LOG = System.getLogger("io.github.dmarcj.verify");

  private final String authservId;
  private final Clock clock;
  private final Executor executor;
  private final Duration timeout;
  private final SpfVerifier spf;
  private final DkimVerifier dkim;
  private final @Nullable ArcVerifier arc;
  private final ArcTrust arcTrust;
  private final DmarcEvaluator dmarc;
  private final Optional<ReportRecordSink> sink;
  private final Optional<FailureReportSink> failureSink;
  private final boolean failureReportMessage;
  private final @Nullable RandomGenerator failureSampling;
  private final MessageHeaderParser headerParser;

  // NullAway: build() checks that authservId is set before it calls this.
  @SuppressWarnings("NullAway")
  private MessageAuthenticator(
      Builder b,
      SpfVerifier spf,
      DkimVerifier dkim,
      @Nullable ArcVerifier arc,
      DmarcEvaluator dmarc) {
    this.authservId = b.authservId;
    this.clock = b.clock;
    this.executor = b.executor;
    this.timeout = b.timeout;
    this.spf = spf;
    this.dkim = dkim;
    this.arc = arc;
    this.arcTrust = b.arcTrust;
    this.dmarc = dmarc;
    this.sink = Optional.ofNullable(b.sink);
    this.failureSink = Optional.ofNullable(b.failureSink);
    this.failureReportMessage = b.failureReportMessage;
    this.failureSampling = b.failureSampling;
    this.headerParser = MessageHeaderParser.withLimits(b.headerLimits);
  }

  /**
   * {@return a builder; {@code resolver} answers every DNS query of SPF, DKIM and DMARC} Give it a
   * caching resolver: the facade does not cache by itself.
   *
   * @param resolver the resolver for every DNS query
   */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /** {@return the authserv-id written into {@code Authentication-Results}} */
  public String authservId() {
    return authservId;
  }

  /** {@return the DMARC specification followed} */
  public DmarcMode dmarcMode() {
    return dmarc.mode();
  }

  /**
   * Verifies {@code message}, received with {@code envelope}; never completes exceptionally.
   *
   * @param envelope the SMTP envelope
   * @param message the message as received
   * @return a stage that completes with the result
   */
  public CompletionStage<VerificationResult> verifyAsync(SmtpEnvelope envelope, byte[] message) {
    return verifyAsync(VerificationRequest.of(envelope, message));
  }

  /**
   * Verifies one request; never completes exceptionally.
   *
   * @param request the envelope, the message and the options of one message
   * @return a stage that completes with the result
   */
  public CompletionStage<VerificationResult> verifyAsync(VerificationRequest request) {
    Objects.requireNonNull(request, "request");
    MessageFacts facts = MessageFacts.of(request.message(), headerParser);
    CompletableFuture<SpfOutcome> spfStage = spfStage(request);
    CompletableFuture<List<DkimOutcome>> dkimStage =
        facts.signatureCount() == 0
            ? CompletableFuture.completedFuture(List.of())
            : guardAsync(() -> dkim.verify(request.message()), e -> Fallbacks.dkim(facts, e));
    ArcVerifier a = arc;
    CompletableFuture<ArcOutcome> arcStage =
        a == null || facts.arcFieldCount() == 0
            ? CompletableFuture.completedFuture(ArcOutcome.none())
            : guardAsync(
                () -> a.verify(request.message()), e -> Fallbacks.arc(facts.arcFieldCount(), e));
    return combine(request, facts, spfStage, dkimStage, arcStage);
  }

  /**
   * Verifies a message read from {@code message}, holding only its header (within the {@linkplain
   * Builder#headerLimits header limits}) and one 64 KiB chunk of its body at a time: the body is
   * canonicalized and hashed for DKIM as it is read (with dmarc-dkim; another {@link DkimVerifier}
   * that does not override {@link DkimVerifier#start} gets the body whole). The SPF check and the
   * DKIM key lookups start before the body is read. The stream is read on the calling thread up to
   * its end (or to the end of the header when a limit cut it) and is not closed.
   *
   * <p>The envelope, a precomputed SPF outcome and the RCPT TO domain come from {@code request},
   * whose message must be empty ({@link VerificationRequest#of(SmtpEnvelope)}).
   *
   * @param request the envelope and options, without message bytes
   * @param message the stream the message is read from
   * @return a stage that completes with the result
   * @throws IOException if reading {@code message} fails; no result is produced then
   * @throws IllegalArgumentException if {@code request} carries message bytes
   */
  public CompletionStage<VerificationResult> verifyAsync(
      VerificationRequest request, InputStream message) throws IOException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(message, "message");
    if (request.message().length != 0) {
      throw new IllegalArgumentException(
          "the request carries "
              + request.message().length
              + " message bytes; use VerificationRequest.of(envelope) with a stream");
    }
    InputStream in = message.markSupported() ? message : new BufferedInputStream(message, 1 << 16);
    ParsedHeader header;
    MessageFacts facts;
    try {
      header = headerParser.parse(in);
      facts = MessageFacts.of(header);
    } catch (RuntimeException e) { // the parser promises not to throw; stay safe if it does
      LOG.log(System.Logger.Level.WARNING, "header parser failed", e);
      header = null;
      facts = MessageFacts.unreadable();
    }
    CompletableFuture<SpfOutcome> spfStage = spfStage(request);
    CompletableFuture<List<DkimOutcome>> dkimStage;
    CompletableFuture<ArcOutcome> arcStage;
    if (header == null || (facts.signatureCount() == 0 && facts.arcFieldCount() == 0)) {
      dkimStage = CompletableFuture.completedFuture(List.of());
      arcStage = CompletableFuture.completedFuture(ArcOutcome.none());
    } else {
      BodySessions sessions = new BodySessions(header, facts);
      sessions.read(header, in);
      dkimStage = sessions.dkim();
      arcStage = sessions.arc();
    }
    return combine(request, facts, spfStage, dkimStage, arcStage);
  }

  /**
   * The DKIM session and the ARC session that one streamed body feeds (each only when the header
   * gives it work); a session that fails is contained to its own stage.
   */
  private final class BodySessions {
    private final MessageFacts facts;
    private DkimVerifier.@Nullable Session dkimSession;
    private ArcVerifier.@Nullable Session arcSession;
    private @Nullable RuntimeException dkimFailure;
    private @Nullable RuntimeException arcFailure;

    BodySessions(ParsedHeader header, MessageFacts facts) {
      this.facts = facts;
      if (facts.signatureCount() > 0) {
        try {
          dkimSession =
              Objects.requireNonNull(dkim.start(header), "DKIM verifier returned no session");
        } catch (RuntimeException e) {
          dkimFailure = e;
        }
      }
      ArcVerifier a = arc;
      if (a != null && facts.arcFieldCount() > 0) {
        try {
          arcSession = Objects.requireNonNull(a.start(header), "ARC verifier returned no session");
        } catch (RuntimeException e) {
          arcFailure = e;
        }
      }
    }

    /** Reads the body to the end of {@code in}, feeding each live session. */
    void read(ParsedHeader header, InputStream in) throws IOException {
      if (header.isTruncated()) {
        return;
      }
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf, 0, buf.length)) >= 0) {
        if (n == 0) {
          continue; // keep reading: the caller expects the stream consumed
        }
        DkimVerifier.Session d = dkimSession;
        if (d != null && dkimFailure == null) {
          try {
            d.body(buf, 0, n);
          } catch (RuntimeException e) {
            dkimFailure = e;
          }
        }
        ArcVerifier.Session a = arcSession;
        if (a != null && arcFailure == null) {
          try {
            a.body(buf, 0, n);
          } catch (RuntimeException e) {
            arcFailure = e;
          }
        }
      }
    }

    CompletableFuture<List<DkimOutcome>> dkim() {
      RuntimeException failure = dkimFailure;
      if (failure != null) {
        return contain(CompletableFuture.failedFuture(failure), err -> Fallbacks.dkim(facts, err));
      }
      DkimVerifier.Session d = dkimSession;
      return d == null
          ? CompletableFuture.completedFuture(List.of())
          : guard(d::finish, e -> Fallbacks.dkim(facts, e));
    }

    CompletableFuture<ArcOutcome> arc() {
      int sets = facts.arcFieldCount();
      RuntimeException failure = arcFailure;
      if (failure != null) {
        return contain(CompletableFuture.failedFuture(failure), err -> Fallbacks.arc(sets, err));
      }
      ArcVerifier.Session a = arcSession;
      return a == null
          ? CompletableFuture.completedFuture(ArcOutcome.none())
          : guard(a::finish, e -> Fallbacks.arc(sets, e));
    }
  }

  /**
   * Verifies a message read from a stream; see {@link #verifyAsync(VerificationRequest,
   * InputStream)}.
   *
   * @param envelope the SMTP envelope
   * @param message the stream the message is read from
   * @return the result
   * @throws IOException if reading {@code message} fails
   */
  public VerificationResult verify(SmtpEnvelope envelope, InputStream message) throws IOException {
    return verifyAsync(VerificationRequest.of(envelope), message).toCompletableFuture().join();
  }

  /**
   * Verifies a message read from a stream; see {@link #verifyAsync(VerificationRequest,
   * InputStream)}.
   *
   * @param request the envelope and options, without message bytes
   * @param message the stream the message is read from
   * @return the result
   * @throws IOException if reading {@code message} fails
   */
  public VerificationResult verify(VerificationRequest request, InputStream message)
      throws IOException {
    return verifyAsync(request, message).toCompletableFuture().join();
  }

  private CompletableFuture<SpfOutcome> spfStage(VerificationRequest request) {
    return request.spf().isPresent()
        ? CompletableFuture.completedFuture(request.spf().get())
        : guard(
            () -> spf.checkMailFrom(request.envelope()), e -> Fallbacks.spf(request.envelope(), e));
  }

  private CompletionStage<VerificationResult> combine(
      VerificationRequest request,
      MessageFacts facts,
      CompletableFuture<SpfOutcome> spfStage,
      CompletableFuture<List<DkimOutcome>> dkimStage,
      CompletableFuture<ArcOutcome> arcStage) {
    return spfStage
        .thenCombine(dkimStage, (s, d) -> new Object[] {s, d})
        .thenCombine(arcStage, (sd, a) -> new Object[] {sd[0], sd[1], a})
        .thenCompose(
            sda -> {
              SpfOutcome s = (SpfOutcome) sda[0];
              @SuppressWarnings("unchecked")
              List<DkimOutcome> d = (List<DkimOutcome>) sda[1];
              ArcOutcome a = (ArcOutcome) sda[2];
              DmarcInput input = facts.dmarcInput(request.envelope(), s, d);
              return guard(() -> dmarc.evaluate(input), e -> Fallbacks.dmarc(dmarc.mode(), e))
                  .thenApply(
                      outcome ->
                          finish(request, facts, s, d, a, limited(facts, trusted(outcome, a))));
            })
        .handle(
            (result, error) -> {
              if (error == null) {
                return result;
              }
              // Only reachable through a defect in this class; still never fail the caller.
              LOG.log(System.Logger.Level.ERROR, "verification failed unexpectedly", error);
              SpfOutcome s =
                  request.spf().orElseGet(() -> Fallbacks.spf(request.envelope(), error));
              return finish(
                  request,
                  facts,
                  s,
                  List.of(),
                  Fallbacks.arc(facts.arcFieldCount(), error),
                  limited(facts, Fallbacks.dmarc(dmarc.mode(), error)));
            });
  }

  /**
   * The outcome after the {@linkplain Builder#trustedArcSealers trusted ARC sealers} had their say;
   * a policy that throws leaves the outcome as it was.
   */
  private DmarcOutcome trusted(DmarcOutcome outcome, ArcOutcome a) {
    try {
      return arcTrust.apply(outcome, a);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "ARC trust policy failed; outcome unchanged", e);
      return outcome;
    }
  }

  /**
   * The outcome, with the header-limit floor applied if the header was cut and the evaluator did
   * not apply it (a DMARC stage that failed or timed out): a limit never leaves a message better
   * off.
   */
  private DmarcOutcome limited(MessageFacts facts, DmarcOutcome outcome) {
    if (facts.headerTruncated() && !outcome.headerLimitExceeded()) {
      return outcome.withHeaderLimitExceeded(dmarc.headerLimitDisposition());
    }
    return outcome;
  }

  /**
   * Verifies {@code message} and waits for the result.
   *
   * @param envelope the SMTP envelope
   * @param message the message as received
   * @return the result
   */
  public VerificationResult verify(SmtpEnvelope envelope, byte[] message) {
    return verify(VerificationRequest.of(envelope, message));
  }

  /**
   * Verifies the remaining bytes of {@code message} (its position is not changed).
   *
   * @param envelope the SMTP envelope
   * @param message the message as received, from the buffer's position to its limit
   * @return the result
   */
  public VerificationResult verify(SmtpEnvelope envelope, ByteBuffer message) {
    ByteBuffer view = message.duplicate();
    byte[] bytes = new byte[view.remaining()];
    view.get(bytes);
    return verify(envelope, bytes);
  }

  /**
   * Verifies one request and waits for the result.
   *
   * @param request the envelope, the message and the options of one message
   * @return the result
   */
  public VerificationResult verify(VerificationRequest request) {
    return verifyAsync(request).toCompletableFuture().join();
  }

  private VerificationResult finish(
      VerificationRequest request,
      MessageFacts facts,
      SpfOutcome s,
      List<DkimOutcome> d,
      ArcOutcome a,
      DmarcOutcome outcome) {
    AuthenticationResults ar =
        AuthResultsWriter.build(authservId, request.envelope(), s, d, a, outcome);
    Optional<ReportRecord> record = ReportRecords.of(clock.instant(), request, s, d, outcome);
    VerificationResult result =
        new VerificationResult(request.envelope(), s, d, outcome, ar, record, a);
    if (record.isPresent() && sink.isPresent()) {
      try {
        sink.get().accept(record.get());
      } catch (RuntimeException | Error e) {
        if (e instanceof VirtualMachineError) {
          throw (VirtualMachineError) e;
        }
        LOG.log(System.Logger.Level.WARNING, "report record sink failed; result unaffected", e);
      }
    }
    if (failureSink.isPresent()) {
      reportFailure(failureSink.get(), request, facts, result);
    }
    return result;
  }

  private void reportFailure(
      FailureReportSink fs, VerificationRequest request, MessageFacts facts, VerificationResult r) {
    try {
      Set<FailureIncident.Trigger> triggers = EnumSet.noneOf(FailureIncident.Trigger.class);
      triggers.addAll(FailureIncident.triggers(r.dmarc(), r.spf(), r.dkim()));
      if (FailureIncident.spfRecordRequests(r.spf(), this::samplePercent)) {
        triggers.add(FailureIncident.Trigger.SPF_RECORD);
      }
      if (triggers.isEmpty()) {
        return;
      }
      boolean whole = failureReportMessage && request.message().length > 0;
      fs.accept(
          new FailureIncident(
              clock.instant(),
              request.envelope(),
              request.envelopeTo(),
              facts.headerBytes(),
              whole ? Optional.of(request.message()) : Optional.empty(),
              r.spf(),
              r.dkim(),
              r.dmarc(),
              r.authenticationResults(),
              triggers));
    } catch (RuntimeException | Error e) {
      if (e instanceof VirtualMachineError) {
        throw (VirtualMachineError) e;
      }
      LOG.log(System.Logger.Level.WARNING, "failure report sink failed; result unaffected", e);
    }
  }

  /** A uniform draw from 0 to 99 for the SPF record's {@code rp=} share. */
  private int samplePercent() {
    RandomGenerator g = failureSampling;
    if (g == null) {
      return ThreadLocalRandom.current().nextInt(100);
    }
    synchronized (g) {
      return g.nextInt(100);
    }
  }

  /** Runs {@code call} here, turning a throw, a failed stage or a timeout into {@code fallback}. */
  private <T> CompletableFuture<T> guard(
      java.util.function.Supplier<CompletionStage<T>> call,
      java.util.function.Function<Throwable, T> fallback) {
    CompletableFuture<T> f;
    try {
      CompletionStage<T> stage = call.get();
      f =
          stage == null
              ? CompletableFuture.failedFuture(new NullPointerException("verifier returned null"))
              : stage.toCompletableFuture().copy();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return contain(f, fallback);
  }

  /** Like {@link #guard} but starts {@code call} through the executor. */
  private <T> CompletableFuture<T> guardAsync(
      java.util.function.Supplier<CompletionStage<T>> call,
      java.util.function.Function<Throwable, T> fallback) {
    CompletableFuture<T> f;
    try {
      f = CompletableFuture.supplyAsync(call, executor).thenCompose(s -> s);
    } catch (RuntimeException e) { // a rejected execution
      f = CompletableFuture.failedFuture(e);
    }
    return contain(f, fallback);
  }

  private <T> CompletableFuture<T> contain(
      CompletableFuture<T> f, java.util.function.Function<Throwable, T> fallback) {
    CompletableFuture<T> bounded =
        f.isDone() ? f : f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return bounded.handle(
        (value, error) -> {
          if (error == null && value != null) {
            return value;
          }
          Throwable cause = error == null ? new NullPointerException("null outcome") : error;
          if (!(Fallbacks.unwrap(cause) instanceof java.util.concurrent.TimeoutException)) {
            LOG.log(System.Logger.Level.WARNING, "verifier stage failed", cause);
          }
          return fallback.apply(cause);
        });
  }

  /**
   * Builder of {@link MessageAuthenticator}. Only the resolver and the {@linkplain #authservId
   * authserv-id} are required. Defaults: system UTC clock, DKIM started on the calling thread, a
   * {@link #DEFAULT_TIMEOUT} of 30 s, RFC 9989 DMARC with the evaluator's own defaults, SPF and
   * DKIM verifiers found with {@link ServiceLoader}, no report sink.
   */
  public static final class Builder {
    private final DnsResolver resolver;
    private @Nullable String authservId;
    private Clock clock = Clock.systemUTC();
    private Executor executor = Runnable::run;
    private Duration timeout = DEFAULT_TIMEOUT;
    private DmarcMode mode = DmarcMode.RFC9989;
    private Consumer<DmarcEvaluator.Builder> dmarcOptions = b -> {};
    private @Nullable SpfVerifier spf;
    private @Nullable DkimVerifier dkim;
    private @Nullable ArcVerifier arc;
    private boolean arcValidation = true;
    private ArcTrust arcTrust = ArcTrust.nobody();
    private @Nullable ReportRecordSink sink;
    private @Nullable FailureReportSink failureSink;
    private boolean failureReportMessage;
    private @Nullable RandomGenerator failureSampling;
    private HeaderLimits headerLimits = HeaderLimits.defaults();

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * The authserv-id of {@code Authentication-Results}, usually this server's host name.
     *
     * @param authservId the authserv-id of {@code Authentication-Results}, usually this server's
     *     host name
     * @return this builder
     */
    public Builder authservId(String authservId) {
      Objects.requireNonNull(authservId, "authservId");
      if (authservId.isBlank() || authservId.chars().anyMatch(c -> c <= ' ' || c == ';')) {
        throw new IllegalArgumentException(
            "authserv-id must be a non-empty word without spaces or ';', was '" + authservId + "'");
      }
      this.authservId = authservId;
      return this;
    }

    /**
     * The clock for DKIM {@code t=}/{@code x=} checks and report timestamps.
     *
     * @param clock the clock for DKIM {@code t=}/{@code x=} checks and report timestamps
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Where DKIM verification starts. By default it starts on the calling thread right after the
     * SPF check has been started; as both wait for DNS asynchronously they still overlap. Give an
     * executor when the DKIM verifier may block, or to take its CPU work (hashing, RSA) off the
     * calling thread.
     *
     * @param executor the executor for DKIM verification
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Longest time one stage may take before it is recorded as {@code temperror}.
     *
     * @param timeout the longest time per stage
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * RFC 9989 (default, DNS tree walk) or RFC 7489 (Public Suffix List, {@code pct}). RFC 7489
     * uses the bundled {@link PublicSuffixList}; give another finder through {@link #dmarcOptions}
     * ({@code b -> b.organizationalDomainFinder(...)}).
     *
     * @param mode the DMARC specification to follow
     * @return this builder
     */
    public Builder dmarcMode(DmarcMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Further DMARC options (overrides, {@code pct} handling, temperror disposition ...), applied
     * to the evaluator builder after the resolver and mode are set.
     *
     * @param options a callback that sets options on the evaluator builder
     * @return this builder
     */
    public Builder dmarcOptions(Consumer<DmarcEvaluator.Builder> options) {
      this.dmarcOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * The SPF verifier; without one, a {@link SpfVerifierProvider} is looked up.
     *
     * @param verifier the SPF verifier
     * @return this builder
     */
    public Builder spfVerifier(SpfVerifier verifier) {
      this.spf = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * The DKIM verifier; without one, a {@link DkimVerifierProvider} is looked up.
     *
     * @param verifier the DKIM verifier
     * @return this builder
     */
    public Builder dkimVerifier(DkimVerifier verifier) {
      this.dkim = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * The ARC verifier; without one, an {@link ArcVerifierProvider} is looked up (dmarc-dkim has
     * one). ARC runs only for messages that carry ARC fields.
     *
     * @param verifier the ARC verifier
     * @return this builder
     */
    public Builder arcVerifier(ArcVerifier verifier) {
      this.arc = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Whether ARC chains are validated (RFC 8617; default true when an ARC verifier is given or
     * found). Off, every result has {@code arc=none} and no {@code arc} entry in
     * Authentication-Results. A message without ARC fields costs nothing either way.
     *
     * @param validate whether to validate ARC chains
     * @return this builder
     */
    public Builder arcValidation(boolean validate) {
      this.arcValidation = validate;
      return this;
    }

    /**
     * The sealers whose word the receiver takes (RFC 8617 §7.2; none by default): a DMARC {@code
     * fail} whose chain passes and whose set sealed by one of {@code domains} (or a subdomain)
     * recorded an aligned pass gets disposition {@code none}, reported as {@code local_policy} with
     * a comment naming the sealer ({@link ArcTrust}). An empty collection turns this off.
     *
     * @param domains the trusted sealing domains
     * @return this builder
     * @throws IllegalArgumentException if one is not a domain name
     */
    public Builder trustedArcSealers(java.util.Collection<String> domains) {
      this.arcTrust = ArcTrust.sealers(domains);
      return this;
    }

    /**
     * Receives the report record of every message evaluated against a policy.
     *
     * @param sink the sink for report records
     * @return this builder
     */
    public Builder reportRecordSink(ReportRecordSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Turns failure reporting on (RFC 9991; off by default): {@code sink} receives each message
     * whose DMARC record asks for a failure report ({@code ruf}, and {@code fo} matching what
     * failed: {@link FailureIncident#triggers}) or whose SPF record asks for a report of its result
     * (RFC 6652 {@code ra=}: {@link FailureIncident#spfRecordRequests}), with its header section.
     * Other messages cost nothing more.
     *
     * @param sink the sink for failure incidents
     * @return this builder
     */
    public Builder failureReportSink(FailureReportSink sink) {
      this.failureSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * Hands the whole message to the failure report sink, not only its header (default false; only
     * for messages given as bytes, not streamed). Failure reports carry other people's mail: keep
     * this off unless the reports are redacted or go to a party allowed to see the content.
     *
     * @param whole true to hand over the whole message
     * @return this builder
     */
    public Builder failureReportMessage(boolean whole) {
      this.failureReportMessage = whole;
      return this;
    }

    /**
     * The random source for the SPF record's {@code rp=} share (RFC 6652 §3); calls are serialised
     * on it. Default: {@link java.util.concurrent.ThreadLocalRandom}. Sampling decides only whether
     * a failure report is made, never a result.
     *
     * @param random the random source
     * @return this builder
     */
    public Builder failureReportSampling(RandomGenerator random) {
      this.failureSampling = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Bounds on reading the header for From, DKIM-Signature and List-Id (default {@link
     * HeaderLimits#defaults()}); a header beyond them is read up to the bound.
     *
     * @param limits the header limits
     * @return this builder
     */
    public Builder headerLimits(HeaderLimits limits) {
      this.headerLimits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * {@return the authenticator}
     *
     * @throws IllegalStateException if no authserv-id was set, or no SPF or DKIM verifier was given
     *     and none can be found with {@link ServiceLoader}
     */
    public MessageAuthenticator build() {
      if (authservId == null) {
        throw new IllegalStateException("authserv-id was not set (authservId(\"mx.example.org\"))");
      }
      VerifierContext context = new VerifierContext(resolver, clock, executor, timeout);
      SpfVerifier s =
          spf != null ? spf : load(SpfVerifierProvider.class, "dmarc-spf").create(context);
      DkimVerifier d =
          dkim != null ? dkim : load(DkimVerifierProvider.class, "dmarc-dkim").create(context);
      ArcVerifier a = null;
      if (arcValidation) {
        a =
            arc != null
                ? arc
                : find(ArcVerifierProvider.class).map(p -> p.create(context)).orElse(null);
      }
      DmarcEvaluator.Builder eb = DmarcEvaluator.builder(resolver).mode(mode);
      if (mode == DmarcMode.RFC7489) {
        eb.organizationalDomainFinder(PublicSuffixList.bundled().organizationalDomainFinder());
      }
      dmarcOptions.accept(eb);
      return new MessageAuthenticator(this, s, d, a, eb.build());
    }

    /**
     * Providers found on this library's own class loader, looked up once per process: a scan of the
     * class path for every authenticator built is what a server building many (one per tenant, one
     * per zone set) would otherwise pay each time. Providers are stateless factories.
     */
    private static final ConcurrentHashMap<Class<?>, Optional<?>> PROVIDERS =
        new ConcurrentHashMap<>();

    private static <P> Optional<P> find(Class<P> type) {
      @SuppressWarnings("unchecked")
      Optional<P> own =
          (Optional<P>)
              PROVIDERS.computeIfAbsent(
                  type,
                  t ->
                      ServiceLoader.load(t, MessageAuthenticator.class.getClassLoader())
                          .findFirst());
      return own.or(() -> ServiceLoader.load(type).findFirst());
    }

    private static <P> P load(Class<P> type, String module) {
      return find(type)
          .orElseThrow(
              () ->
                  new IllegalStateException(
                      "no "
                          + type.getSimpleName()
                          + " found: add "
                          + module
                          + " to the class path or pass a verifier to the builder"));
    }
  }
}
