// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfReportRequest;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One run of {@code check_host()} (RFC 7208 §4): the initial processing of the identity (§4.3), the
 * TXT lookup and record selection (§4.4, §4.5), the term loop (§4.6) with its {@code include} and
 * {@code redirect} frames ({@link Frame}), and the result (§4.7, §8).
 *
 * <p>Each mechanism has its own class, called from the term loop: {@link IpMechanism} ({@code ip4},
 * {@code ip6}), {@link AMechanism}, {@link MxMechanism}, {@link PtrMechanism}, {@link
 * ExistsMechanism} and {@link IncludeMechanism}; {@code all} (§5.1) always matches and is handled
 * in the loop itself. The modifiers are {@link RedirectModifier} and {@link ExpModifier}. The
 * lookup limits and the time budget (§4.6.4) are in {@link LookupLimits}, macro expansion (§7) in
 * {@link MacroExpansion}, made only for a record that has macros.
 *
 * <p>The run is written in continuation-passing style ({@link #await}). A DNS answer that is
 * already complete is consumed on the calling thread without any future composition; a pending one
 * resumes the evaluation from the resolver's completion. Only one continuation runs at a time, so
 * the mutable state of the run needs no further synchronisation.
 */
final class CheckHost implements Frame.Done {
  /** The local-part for HELO checks and the null sender (§4.3). */
  private static final String POSTMASTER = "postmaster";

  final CompletableFuture<SpfEvaluation> promise = new CompletableFuture<>();

  final SpfChecker checker;
  final DnsResolver resolver;
  final SpfRequest request;
  final ClientAddress client;
  final LookupLimits limits;

  /** {@code <sender>} as checked: {@code local-part@domain} (§4.3). */
  @Nullable String identity;

  /** The local-part of {@code <sender>} (§4.3), cut from MAIL FROM when first asked for. */
  private @Nullable String local;

  /** Where the local-part ends in MAIL FROM; 0 when it is {@link #POSTMASTER}. */
  private int localEnd;

  /** The domain of {@code <sender>} (§4.3). */
  @Nullable String senderDomain;

  private @Nullable MacroExpansion macros;
  private boolean finished;

  /**
   * The first request for failure reports (RFC 6652 §3) met on the way: in the identity's own
   * record or a {@code redirect} target, never an {@code include} target, whose modifiers speak for
   * another domain.
   */
  private @Nullable SpfReportRequest reportRequest;

  CheckHost(SpfChecker checker, SpfRequest request) {
    this.checker = checker;
    this.resolver = checker.resolver;
    this.request = request;
    this.client = new ClientAddress(request.clientIp());
    this.limits = new LookupLimits(checker);
  }

  // ---------------------------------------------------------------- initial processing (§4.3)

  /** Starts the run; {@link #promise} completes when it ends. */
  void start() {
    try {
      String m = request.mailFrom();
      String domainText;
      if (request.scope() == SpfScope.HELO || request.isNullSender()) {
        domainText = request.helo();
      } else {
        int at = m.lastIndexOf('@');
        localEnd = Math.max(at, 0);
        domainText = at < 0 ? m : m.substring(at + 1);
      }
      String domain = SpfDomainNames.normalize(domainText);
      if (domain == null) {
        identity = local() + "@" + domainText;
        senderDomain = domainText;
        finish(
            SpfResult.NONE,
            SpfProblem.INVALID_DOMAIN,
            "not a valid domain: " + domainText,
            null,
            null);
        return;
      }
      senderDomain = domain;
      identity = spellsIdentity(m, domain) ? m : local() + "@" + domain;
      checkHost(domain, Frame.Kind.TOP, this);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /** True if {@code m} is the local-part, "@" and {@code domain}, character for character. */
  private boolean spellsIdentity(String m, String domain) {
    int end = localEnd > 0 ? localEnd : POSTMASTER.length();
    return m.length() == end + 1 + domain.length()
        && (localEnd > 0 || m.startsWith(POSTMASTER))
        && m.charAt(end) == '@'
        && m.endsWith(domain);
  }

  /** The local-part of {@code <sender>} (§4.3). */
  String local() {
    String l = local;
    return l != null ? l : cutLocal();
  }

  private String cutLocal() {
    local = localEnd > 0 ? request.mailFrom().substring(0, localEnd) : POSTMASTER;
    return local;
  }

  // ---------------------------------------------------------------- check_host() (§4.4-§4.7)

  /**
   * {@code check_host()} for {@code domain}: its TXT query, then the SPF record's evaluation in a
   * new frame of kind {@code kind}; {@code k} hears how it ended.
   */
  void checkHost(String domain, Frame.Kind kind, Frame.Done k) {
    if (kind.isNested()
        && (!SpfDomainNames.validTarget(domain) || !SpfDomainNames.multiLabel(domain))) {
      k.done(
          SpfResult.NONE, SpfProblem.INVALID_DOMAIN, "not a valid domain: " + domain, null, null);
      return;
    }
    CompletionStage<DnsLookup<String>> stage = resolver.txt(domain);
    if (finished) {
      return;
    }
    // as await() does, without a continuation object when the answer is already there
    CompletableFuture<DnsLookup<String>> f = future(stage);
    if (f != null && f.isDone()) {
      selectRecord(domain, kind, answer(f), k);
    } else {
      awaitPending(stage, f, l -> selectRecord(domain, kind, l, k));
    }
  }

  /**
   * Record selection (§4.5): exactly one {@code v=spf1} TXT record, which must parse (§4.6), and
   * then its terms are evaluated.
   */
  private void selectRecord(String domain, Frame.Kind kind, DnsLookup<String> l, Frame.Done k) {
    if (l instanceof DnsLookup.TempFail<String> tf) {
      limits.tempFail(k, "TXT " + domain, tf);
      return;
    }
    if (!(l instanceof DnsLookup.Found<String> found)) {
      if (kind.isNested() && !limits.countVoidLookup(k, "TXT " + domain)) {
        return;
      }
      k.done(SpfResult.NONE, SpfProblem.NO_SPF_RECORD, "no SPF record at " + domain, null, null);
      return;
    }
    List<String> records = found.records();
    String spf = null;
    for (int i = 0, n = records.size(); i < n; i++) {
      String t = records.get(i);
      if (SpfRecord.isSpf1(t)) {
        if (spf != null) {
          k.done(
              SpfResult.PERMERROR,
              SpfProblem.MULTIPLE_RECORDS,
              "more than one SPF record at " + domain,
              null,
              null);
          return;
        }
        spf = t;
      }
    }
    if (spf == null) {
      k.done(SpfResult.NONE, SpfProblem.NO_SPF_RECORD, "no SPF record at " + domain, null, null);
      return;
    }
    SpfRecord record = checker.parsedRecord(spf);
    if (record.problem != null) {
      k.done(SpfResult.PERMERROR, record.problem, domain + ": " + record.problemDetail, null, null);
      return;
    }
    SpfRecord.ReportModifiers m = record.report;
    if (m != null && reportRequest == null && kind != Frame.Kind.INCLUDE) {
      reportRequest = new SpfReportRequest(m.local() + "@" + domain, m.percentage(), m.results());
    }
    evalTerms(new Frame(domain, record, k), 0);
  }

  /**
   * The term loop (§4.6.2): evaluates the mechanisms of {@code f}'s record from index {@code start}
   * on, left to right, until one matches; then the redirect or the default (§4.7).
   */
  private void evalTerms(Frame f, int start) {
    Directive[] ds = f.record.directives;
    for (int i = start; i < ds.length; i++) {
      Directive d = ds[i];
      switch (d.kind) {
        case ALL:
          f.matched(d); // all (§5.1) always matches
          return;
        case IP4:
        case IP6:
          if (IpMechanism.matches(client, d)) {
            f.matched(d);
            return;
          }
          break;
        default:
          if (!limits.admitDnsTerm(f.k, d.text)) {
            return;
          }
          if (d.domainSpec != null && needsValidatedNames(d.domainSpec)) {
            final int at = i;
            ValidatedNames.lookUpForMacro(this, () -> dnsTerm(f, d, at));
          } else {
            dnsTerm(f, d, i);
          }
          return;
      }
    }
    noMatch(f);
  }

  /** Expands the target of DNS-querying mechanism {@code d} and hands it to its handler. */
  private void dnsTerm(Frame f, Directive d, int i) {
    String target = d.domainSpec == null ? f.domain : targetName(d.domainSpec, f.domain);
    if (target == null) {
      evalTerms(f, i + 1); // a refused macro value: the term does not match
      return;
    }
    switch (d.kind) {
      case INCLUDE:
        IncludeMechanism.evaluate(this, f, d, i, target);
        return;
      case A:
        AMechanism.evaluate(this, f, d, i, target);
        return;
      case MX:
        MxMechanism.evaluate(this, f, d, i, target);
        return;
      case PTR:
        PtrMechanism.evaluate(this, f, d, i, target);
        return;
      case EXISTS:
        ExistsMechanism.evaluate(this, f, d, i, target);
        return;
      default:
        throw new AssertionError(d.kind);
    }
  }

  /**
   * How the DNS-querying mechanism {@code d}, at index {@code i} of {@code f}'s record, came out: a
   * match ends the frame with its qualifier, otherwise the loop goes on with the next term.
   */
  void termResult(Frame f, Directive d, int i, boolean matched) {
    if (matched) {
      f.matched(d);
    } else {
      evalTerms(f, i + 1);
    }
  }

  /** No mechanism matched (§4.7): the {@code redirect} if there is one and no {@code all}. */
  private void noMatch(Frame f) {
    SpfRecord r = f.record;
    if (r.redirect == null || r.hasAll) {
      f.k.done(SpfResult.NEUTRAL, null, null, null, f);
      return;
    }
    RedirectModifier.follow(this, f);
  }

  /**
   * The end of the top frame, whose continuation this run is: a {@code fail} from a mechanism gets
   * its explanation (§6.2).
   */
  @Override
  public void done(
      SpfResult r,
      @Nullable SpfProblem p,
      @Nullable String detail,
      @Nullable String mechanism,
      @Nullable Frame frame) {
    if (r != SpfResult.FAIL || p != null || frame == null) {
      finish(r, p, detail, mechanism, null);
      return;
    }
    ExpModifier.explain(this, r, mechanism, frame);
  }

  // ---------------------------------------------------------------- macros (§7)

  /** Macro expansion for this run, made on first use: most records have no macros. */
  MacroExpansion macros() {
    if (macros == null) {
      macros = new MacroExpansion(this);
    }
    return macros;
  }

  /** The name a domain-spec designates (§7.3); {@code null} if a macro value was refused. */
  @Nullable String targetName(MacroString m, String domain) {
    String literal = MacroExpansion.literalName(m);
    return literal != null ? literal : macros().expandName(m, domain);
  }

  /** True if expanding {@code m} needs the validated names for {@code %{p}}, not known yet. */
  boolean needsValidatedNames(MacroString m) {
    return m.usesPtr && macros().validatedNames == null;
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * Runs {@code k} with the lookup: at once if the stage is already complete, otherwise when it
   * completes or the time budget runs out. Exceptional completion becomes a TempFail. Nothing runs
   * once the evaluation has finished.
   */
  <T> void await(CompletionStage<DnsLookup<T>> stage, Consumer<DnsLookup<T>> k) {
    if (finished) {
      return;
    }
    CompletableFuture<DnsLookup<T>> f = future(stage);
    if (f != null && f.isDone()) {
      k.accept(answer(f));
      return;
    }
    awaitPending(stage, f, k);
  }

  /** The stage as a {@link CompletableFuture}, or {@code null} if it cannot be one. */
  private static <T> @Nullable CompletableFuture<DnsLookup<T>> future(
      CompletionStage<DnsLookup<T>> stage) {
    try {
      return stage.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  /** The answer of a completed lookup; a failed or null one becomes a TempFail. */
  private static <T> DnsLookup<T> answer(CompletableFuture<DnsLookup<T>> f) {
    DnsLookup<T> v;
    try {
      v = f.getNow(null);
    } catch (CompletionException | CancellationException e) {
      v = DnsLookup.tempFail(TempFailReason.OTHER, "resolver failed: " + e.getCause());
    }
    if (v == null) {
      v = DnsLookup.tempFail(TempFailReason.OTHER, "resolver returned null");
    }
    return v;
  }

  /**
   * The rest of {@link #await} for a lookup that is still pending ({@code f} is the stage as a
   * future, or null): {@code k} runs when it completes or the time budget runs out.
   */
  // FutureReturnValueIgnored: the whenComplete callback handles every outcome, failures included.
  @SuppressWarnings("FutureReturnValueIgnored")
  private <T> void awaitPending(
      CompletionStage<DnsLookup<T>> stage,
      @Nullable CompletableFuture<DnsLookup<T>> f,
      Consumer<DnsLookup<T>> k) {
    long remaining = limits.remainingMillis();
    if (remaining <= 0) {
      k.accept(DnsLookup.tempFail(TempFailReason.BUDGET_EXHAUSTED, "time budget exhausted"));
      return;
    }
    CompletableFuture<DnsLookup<T>> copy;
    if (f != null) {
      copy = f.copy();
    } else {
      copy = new CompletableFuture<>();
      CompletableFuture<DnsLookup<T>> target = copy;
      stage.whenComplete(
          (v, ex) -> {
            if (ex != null) {
              target.completeExceptionally(ex);
            } else {
              target.complete(v);
            }
          });
    }
    copy.orTimeout(remaining, TimeUnit.MILLISECONDS)
        .whenComplete(
            (v, ex) -> {
              DnsLookup<T> value = v;
              if (ex != null) {
                Throwable cause =
                    ex instanceof CompletionException && ex.getCause() != null ? ex.getCause() : ex;
                if (cause instanceof TimeoutException) {
                  // This evaluation's own budget ran out; the clock may still read the deadline
                  // itself.
                  limits.budgetFired();
                  value =
                      DnsLookup.tempFail(TempFailReason.BUDGET_EXHAUSTED, "time budget exhausted");
                } else {
                  value = DnsLookup.tempFail(TempFailReason.OTHER, "resolver failed: " + cause);
                }
              } else if (value == null) {
                value = DnsLookup.tempFail(TempFailReason.OTHER, "resolver returned null");
              }
              synchronized (this) {
                try {
                  if (!finished) {
                    k.accept(value);
                  }
                } catch (RuntimeException e) {
                  internalError(e);
                }
              }
            });
  }

  private void internalError(RuntimeException e) {
    if (identity == null) {
      identity = request.mailFrom();
      senderDomain = "";
    }
    finish(SpfResult.TEMPERROR, SpfProblem.INTERNAL_ERROR, String.valueOf(e), null, null);
  }

  /** Completes {@link #promise} once; later calls are ignored. */
  // NullAway: start() sets identity and senderDomain before anything can finish, and
  // internalError() sets them if start() failed first.
  @SuppressWarnings("NullAway")
  void finish(
      SpfResult r,
      @Nullable SpfProblem p,
      @Nullable String detail,
      @Nullable String mechanism,
      @Nullable String explanation) {
    if (finished) {
      return;
    }
    finished = true;
    promise.complete(
        new SpfEvaluation(
            r,
            request.scope(),
            identity,
            senderDomain,
            client.ip,
            request.helo(),
            request.mailFrom(),
            Optional.ofNullable(p == null ? mechanism : null),
            Optional.ofNullable(p),
            Optional.ofNullable(detail),
            Optional.ofNullable(explanation),
            limits.dnsLookups,
            limits.voidLookups,
            checker.receiverOption,
            Optional.ofNullable(reportRequest)));
  }
}
