// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;
import java.time.Clock;
import java.util.Locale;

/**
 * The processing limits of one {@code check_host()} run (RFC 7208 §4.6.4): the count of
 * DNS-querying terms across the whole evaluation (nested {@code include} and {@code redirect}
 * included), the void-lookup count, and the time budget. The per-term limits on MX and PTR names
 * are applied where those names are read ({@link MxMechanism}, {@link PtrMechanism}, {@link
 * ValidatedNames}).
 *
 * <p>Each check that fails ends the frame through its {@link Frame.Done} and returns false. The
 * counters are only touched by the one continuation that runs at a time (see {@link CheckHost}).
 */
final class LookupLimits {
  private final Clock clock;
  private final int maxDnsLookups;
  private final int maxVoidLookups;

  /** When the time budget runs out, in {@link Clock#millis()}. */
  private final long deadline;

  /** Set when a lookup was cut short by this evaluation's time budget. */
  private volatile boolean budgetFired;

  /** DNS-querying terms evaluated so far (at most the limit). */
  int dnsLookups;

  /** Void lookups (NXDOMAIN or no answer) counted so far. */
  int voidLookups;

  LookupLimits(SpfChecker checker) {
    this.clock = checker.clock;
    this.maxDnsLookups = checker.maxDnsLookups;
    this.maxVoidLookups = checker.maxVoidLookups;
    this.deadline = clock.millis() + checker.timeBudgetMillis;
  }

  /**
   * Counts a DNS-querying term ({@code include a mx ptr exists redirect}) before its query, and
   * checks the time budget: {@code temperror} when the budget is spent, {@code permerror} past the
   * DNS-lookup limit.
   */
  boolean admitDnsTerm(Frame.Done k, String term) {
    if (timeUp()) {
      k.done(
          SpfResult.TEMPERROR,
          SpfProblem.TIME_BUDGET,
          "time budget exhausted before " + term,
          null,
          null);
      return false;
    }
    if (++dnsLookups > maxDnsLookups) {
      dnsLookups = maxDnsLookups;
      k.done(
          SpfResult.PERMERROR,
          SpfProblem.TOO_MANY_DNS_LOOKUPS,
          "more than " + maxDnsLookups + " DNS-querying terms at " + term,
          null,
          null);
      return false;
    }
    return true;
  }

  /** Counts a void lookup; {@code permerror} past the void-lookup limit. */
  boolean countVoidLookup(Frame.Done k, String what) {
    if (++voidLookups > maxVoidLookups) {
      k.done(
          SpfResult.PERMERROR,
          SpfProblem.TOO_MANY_VOID_LOOKUPS,
          "more than " + maxVoidLookups + " void lookups at " + what,
          null,
          null);
      return false;
    }
    return true;
  }

  /** True once the time budget is spent. */
  boolean timeUp() {
    return clock.millis() > deadline;
  }

  /** Milliseconds left of the time budget; zero or less when it is spent. */
  long remainingMillis() {
    return deadline - clock.millis();
  }

  /** Notes that a pending lookup was abandoned because the time budget ran out. */
  void budgetFired() {
    budgetFired = true;
  }

  /**
   * Ends the frame with {@code temperror} for a failed lookup: {@link SpfProblem#TIME_BUDGET} when
   * it was this evaluation's budget that cut it short, {@link SpfProblem#DNS_TEMPFAIL} otherwise.
   */
  void tempFail(Frame.Done k, String what, DnsLookup.TempFail<?> tf) {
    if (tf.reason() == TempFailReason.BUDGET_EXHAUSTED && (budgetFired || timeUp())) {
      k.done(
          SpfResult.TEMPERROR,
          SpfProblem.TIME_BUDGET,
          "time budget exhausted at " + what,
          null,
          null);
    } else {
      k.done(
          SpfResult.TEMPERROR,
          SpfProblem.DNS_TEMPFAIL,
          what + ": " + tf.reason().name().toLowerCase(Locale.ROOT),
          null,
          null);
    }
  }
}
