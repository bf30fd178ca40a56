// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsNames;
import io.github.dmarcj.dns.MxRecord;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.domain.DomainName;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run of {@code check_host()} (RFC 7208 §4) in continuation-passing style. A DNS answer that
 * is already complete is consumed on the calling thread without any future composition; a
 * pending one resumes the evaluation from the resolver's completion. Only one continuation runs
 * at a time, so the mutable counters need no synchronisation.
 */
final class Evaluation implements MacroString.Values {

  /** How a check_host() invocation ended, handed to its caller's continuation. */
  interface Done {
    /**
     * @param frame the frame whose mechanism matched (for {@code exp}), or null
     */
    void done(SpfResult result, SpfProblem problem, String detail, String mechanism, Frame frame);
  }

  /** One record being evaluated: its domain, the parsed record and who to tell. */
  static final class Frame {
    final String domain;
    final SpfRecord record;
    final Done k;

    Frame(String domain, SpfRecord record, Done k) {
      this.domain = domain;
      this.record = record;
      this.k = k;
    }
  }

  private static final int TOP = 0;
  private static final int INCLUDE = 1;
  private static final int REDIRECT = 2;

  final CompletableFuture<SpfEvaluation> promise = new CompletableFuture<>();

  private final SpfChecker c;
  private final SpfRequest request;
  private final InetAddress ip;
  private final boolean v6;
  private final int ip4;
  private final long ip6Hi;
  private final long ip6Lo;
  private final long deadline;
  /** Set when a lookup was cut short by this evaluation's time budget. */
  private volatile boolean budgetFired;

  private String identity;
  private String local;
  private String senderDomain;
  private boolean localAscii = true;
  private int dnsLookups;
  private int voidLookups;
  private boolean finished;
  private StringBuilder sb;
  private List<String> validatedNames;
  private String reverseName;
  private String iValue;

  Evaluation(SpfChecker c, SpfRequest request) {
    this.c = c;
    this.request = request;
    this.ip = request.clientIp();
    if (ip instanceof Inet4Address a) {
      v6 = false;
      ip4 = Ip.v4(a);
      ip6Hi = 0;
      ip6Lo = 0;
    } else {
      byte[] b = ip.getAddress();
      v6 = true;
      ip4 = 0;
      ip6Hi = Ip.hi(b);
      ip6Lo = Ip.lo(b);
    }
    this.deadline = c.clock.millis() + c.timeBudgetMillis;
  }

  // ---------------------------------------------------------------- initial processing (§4.3)

  void start() {
    try {
      String helo = request.helo();
      String domainText;
      if (request.scope() == SpfScope.HELO || request.isNullSender()) {
        local = "postmaster";
        domainText = helo;
      } else {
        String m = request.mailFrom();
        int at = m.lastIndexOf('@');
        local = at <= 0 ? "postmaster" : m.substring(0, at);
        domainText = at < 0 ? m : m.substring(at + 1);
      }
      for (int i = 0; i < local.length(); i++) {
        if (local.charAt(i) > 0x7E) {
          localAscii = false;
          break;
        }
      }
      String domain = normalizeDomain(domainText);
      if (domain == null) {
        identity = local + "@" + domainText;
        senderDomain = domainText;
        finish(SpfResult.NONE, SpfProblem.INVALID_DOMAIN, "not a valid domain: " + domainText,
            null, null, null);
        return;
      }
      senderDomain = domain;
      String m = request.mailFrom();
      identity = m.length() == local.length() + 1 + domain.length()
              && m.startsWith(local) && m.charAt(local.length()) == '@' && m.endsWith(domain)
          ? m
          : local + "@" + domain;
      checkHost(domain, TOP, this::topDone);
    } catch (RuntimeException e) {
      internalError(e);
    }
  }

  /**
   * The identity's domain as queried: lower case, A-labels, no trailing dot; {@code null} if it
   * is malformed, an address literal or a single label (§4.3).
   */
  static String normalizeDomain(String d) {
    if (d.isEmpty() || d.charAt(0) == '[') {
      return null;
    }
    boolean upper = false;
    for (int i = 0; i < d.length(); i++) {
      char ch = d.charAt(i);
      if (ch > 0x7E) {
        return DomainName.parse(d).map(DomainName::name).filter(Evaluation::multiLabel)
            .orElse(null);
      }
      upper |= ch >= 'A' && ch <= 'Z';
    }
    String n = d.charAt(d.length() - 1) == '.' ? d.substring(0, d.length() - 1) : d;
    if (!validName(n) || !multiLabel(n)) {
      return null;
    }
    return upper ? n.toLowerCase(Locale.ROOT) : n;
  }

  private static boolean multiLabel(String n) {
    return n.indexOf('.') > 0;
  }

  /** Labels of 1..63 printable characters, at most 253 in all. */
  private static boolean validName(String n) {
    return labelsFit(n, true);
  }

  /**
   * Labels of 1..63 characters, at most 253 in all; with {@code printableOnly}, no control,
   * space or non-ASCII character either.
   */
  private static boolean labelsFit(String n, boolean printableOnly) {
    if (n.isEmpty() || n.length() > 253) {
      return false;
    }
    int labelStart = 0;
    for (int i = 0; i <= n.length(); i++) {
      if (i == n.length() || n.charAt(i) == '.') {
        int len = i - labelStart;
        if (len == 0 || len > 63) {
          return false;
        }
        labelStart = i + 1;
      } else if (printableOnly && (n.charAt(i) <= 0x20 || n.charAt(i) >= 0x7F)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- check_host() (§4.4-§4.7)

  private void checkHost(String domain, int kind, Done k) {
    if (kind != TOP && (!validTarget(domain) || !multiLabel(domain))) {
      k.done(SpfResult.NONE, SpfProblem.INVALID_DOMAIN, "not a valid domain: " + domain, null,
          null);
      return;
    }
    await(c.resolver.txt(domain), l -> onTxt(domain, kind, l, k));
  }

  /** A name from a macro expansion: labels of 1..63 octets, any characters. */
  private static boolean validTarget(String n) {
    return labelsFit(n, false);
  }

  private void onTxt(String domain, int kind, DnsLookup<String> l, Done k) {
    if (l instanceof DnsLookup.TempFail<String> tf) {
      tempFail(k, "TXT " + domain, tf);
      return;
    }
    if (!(l instanceof DnsLookup.Found<String> found)) {
      if (kind != TOP && !countVoid(k, "TXT " + domain)) {
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
          k.done(SpfResult.PERMERROR, SpfProblem.MULTIPLE_RECORDS,
              "more than one SPF record at " + domain, null, null);
          return;
        }
        spf = t;
      }
    }
    if (spf == null) {
      k.done(SpfResult.NONE, SpfProblem.NO_SPF_RECORD, "no SPF record at " + domain, null, null);
      return;
    }
    SpfRecord record = c.parsedRecord(spf);
    if (record.problem != null) {
      k.done(SpfResult.PERMERROR, record.problem, domain + ": " + record.problemDetail, null,
          null);
      return;
    }
    evalTerms(new Frame(domain, record, k), 0);
  }

  private void evalTerms(Frame f, int start) {
    Directive[] ds = f.record.directives;
    for (int i = start; i < ds.length; i++) {
      Directive d = ds[i];
      switch (d.kind) {
        case ALL:
          f.k.done(d.qualifier, null, null, d.text, f);
          return;
        case IP4:
          if (!v6 && d.matches4(ip4)) {
            f.k.done(d.qualifier, null, null, d.text, f);
            return;
          }
          break;
        case IP6:
          if (v6 && d.matches6(ip6Hi, ip6Lo)) {
            f.k.done(d.qualifier, null, null, d.text, f);
            return;
          }
          break;
        default:
          if (!admitDnsTerm(f.k, d.text)) {
            return;
          }
          if (d.domainSpec != null && d.domainSpec.usesPtr && validatedNames == null) {
            final int at = i;
            resolvePtrMacro(() -> dnsTerm(f, d, at));
          } else {
            dnsTerm(f, d, i);
          }
          return;
      }
    }
    noMatch(f);
  }

  /** Counts a DNS-querying term and checks the time budget (§4.6.4). */
  private boolean admitDnsTerm(Done k, String term) {
    if (timeUp()) {
      k.done(SpfResult.TEMPERROR, SpfProblem.TIME_BUDGET, "time budget exhausted before " + term,
          null, null);
      return false;
    }
    if (++dnsLookups > c.maxDnsLookups) {
      dnsLookups = c.maxDnsLookups;
      k.done(SpfResult.PERMERROR, SpfProblem.TOO_MANY_DNS_LOOKUPS,
          "more than " + c.maxDnsLookups + " DNS-querying terms at " + term, null, null);
      return false;
    }
    return true;
  }

  private boolean countVoid(Done k, String what) {
    if (++voidLookups > c.maxVoidLookups) {
      k.done(SpfResult.PERMERROR, SpfProblem.TOO_MANY_VOID_LOOKUPS,
          "more than " + c.maxVoidLookups + " void lookups at " + what, null, null);
      return false;
    }
    return true;
  }

  private boolean timeUp() {
    return c.clock.millis() > deadline;
  }

  private void tempFail(Done k, String what, DnsLookup.TempFail<?> tf) {
    if (tf.reason() == TempFailReason.BUDGET_EXHAUSTED && (budgetFired || timeUp())) {
      k.done(SpfResult.TEMPERROR, SpfProblem.TIME_BUDGET, "time budget exhausted at " + what,
          null, null);
    } else {
      k.done(SpfResult.TEMPERROR, SpfProblem.DNS_TEMPFAIL,
          what + ": " + tf.reason().name().toLowerCase(Locale.ROOT), null, null);
    }
  }

  private void termResult(Frame f, Directive d, int i, boolean matched) {
    if (matched) {
      f.k.done(d.qualifier, null, null, d.text, f);
    } else {
      evalTerms(f, i + 1);
    }
  }

  private void dnsTerm(Frame f, Directive d, int i) {
    String target = d.domainSpec == null ? f.domain : expandName(d.domainSpec, f.domain);
    if (target == null) {
      evalTerms(f, i + 1);
      return;
    }
    switch (d.kind) {
      case INCLUDE:
        checkHost(target, INCLUDE, (r, p, detail, mech, frame) -> {
          switch (r) {
            case PASS:
              termResult(f, d, i, true);
              break;
            case FAIL:
            case SOFTFAIL:
            case NEUTRAL:
              termResult(f, d, i, false);
              break;
            case NONE:
              f.k.done(SpfResult.PERMERROR, SpfProblem.INCLUDE_NONE,
                  d.text + ": " + (detail == null ? "no SPF record" : detail), null, null);
              break;
            default:
              f.k.done(r, p, detail, null, null);
              break;
          }
        });
        return;
      case A:
        addressTerm(f, d, i, target);
        return;
      case EXISTS:
        await(c.resolver.a(target), l -> {
          if (l instanceof DnsLookup.TempFail<Inet4Address> tf) {
            tempFail(f.k, "A " + target, tf);
          } else if (l.isVoid()) {
            if (countVoid(f.k, d.text)) {
              termResult(f, d, i, false);
            }
          } else {
            termResult(f, d, i, true);
          }
        });
        return;
      case MX:
        mxTerm(f, d, i, target);
        return;
      case PTR:
        ptrTerm(f, d, i, target);
        return;
      default:
        throw new AssertionError(d.kind);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void addressTerm(Frame f, Directive d, int i, String target) {
    CompletionStage<? extends DnsLookup<? extends InetAddress>> query =
        v6 ? c.resolver.aaaa(target) : c.resolver.a(target);
    Consumer<DnsLookup<?>> k = l -> {
      if (l instanceof DnsLookup.TempFail<?> tf) {
        tempFail(f.k, (v6 ? "AAAA " : "A ") + target, tf);
      } else if (l.isVoid()) {
        if (countVoid(f.k, d.text)) {
          termResult(f, d, i, false);
        }
      } else {
        termResult(f, d, i, anyMatch(l, d));
      }
    };
    await((CompletionStage) query, (Consumer) k);
  }

  /** True if an address of a found A (or, for an IPv6 client, AAAA) answer matches the client. */
  @SuppressWarnings("unchecked")
  private boolean anyMatch(DnsLookup<?> l, Directive d) {
    return v6 ? anyMatch6((DnsLookup<Inet6Address>) l, d) : anyMatch4((DnsLookup<Inet4Address>) l, d);
  }

  private boolean anyMatch4(DnsLookup<Inet4Address> l, Directive d) {
    List<Inet4Address> as = ((DnsLookup.Found<Inet4Address>) l).records();
    int mask = Ip.mask4(d.cidr4);
    int mine = ip4 & mask;
    for (int k = 0, n = as.size(); k < n; k++) {
      if ((Ip.v4(as.get(k)) & mask) == mine) {
        return true;
      }
    }
    return false;
  }

  private boolean anyMatch6(DnsLookup<Inet6Address> l, Directive d) {
    List<Inet6Address> as = ((DnsLookup.Found<Inet6Address>) l).records();
    for (int k = 0, n = as.size(); k < n; k++) {
      byte[] b = as.get(k).getAddress();
      if (Ip.matches6(ip6Hi, ip6Lo, Ip.hi(b), Ip.lo(b), d.cidr6)) {
        return true;
      }
    }
    return false;
  }

  private void mxTerm(Frame f, Directive d, int i, String target) {
    await(c.resolver.mx(target), l -> {
      if (l instanceof DnsLookup.TempFail<MxRecord> tf) {
        tempFail(f.k, "MX " + target, tf);
        return;
      }
      if (l.isVoid()) {
        if (countVoid(f.k, d.text)) {
          termResult(f, d, i, false);
        }
        return;
      }
      List<MxRecord> mxs = ((DnsLookup.Found<MxRecord>) l).records();
      if (mxs.size() > c.maxMxNames) {
        f.k.done(SpfResult.PERMERROR, SpfProblem.TOO_MANY_MX_NAMES,
            d.text + ": " + mxs.size() + " MX names at " + target + ", more than "
                + c.maxMxNames, null, null);
        return;
      }
      // start every address lookup at once, then look at the answers in order
      List<CompletionStage<? extends DnsLookup<? extends InetAddress>>> stages =
          new ArrayList<>(mxs.size());
      List<String> names = new ArrayList<>(mxs.size());
      for (MxRecord mx : mxs) {
        String ex = stripDot(mx.exchange());
        if (ex.isEmpty()) {
          continue; // null MX (RFC 7505)
        }
        names.add(ex);
        stages.add(v6 ? c.resolver.aaaa(ex) : c.resolver.a(ex));
      }
      mxStep(f, d, i, names, stages, 0);
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void mxStep(
      Frame f,
      Directive d,
      int i,
      List<String> names,
      List<CompletionStage<? extends DnsLookup<? extends InetAddress>>> stages,
      int at) {
    if (at == stages.size()) {
      termResult(f, d, i, false);
      return;
    }
    Consumer<DnsLookup<?>> next = l -> {
      if (l instanceof DnsLookup.TempFail<?> tf) {
        tempFail(f.k, (v6 ? "AAAA " : "A ") + names.get(at), tf);
      } else if (l.isVoid()) {
        mxStep(f, d, i, names, stages, at + 1);
      } else if (anyMatch(l, d)) {
        termResult(f, d, i, true);
      } else {
        mxStep(f, d, i, names, stages, at + 1);
      }
    };
    await((CompletionStage) stages.get(at), (Consumer) next);
  }

  private String reverseName() {
    if (reverseName == null) {
      reverseName = DnsNames.reverseName(ip);
    }
    return reverseName;
  }

  private static String stripDot(String n) {
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static boolean sameOrSubdomain(String name, String domain) {
    int nl = name.length();
    int dl = domain.length();
    if (nl == dl) {
      return name.equalsIgnoreCase(domain);
    }
    return nl > dl
        && name.charAt(nl - dl - 1) == '.'
        && name.regionMatches(true, nl - dl, domain, 0, dl);
  }

  /** ptr (§5.5): validated names of the client that are the target or under it. */
  private void ptrTerm(Frame f, Directive d, int i, String target) {
    await(c.resolver.ptr(reverseName()), l -> {
      if (l instanceof DnsLookup.TempFail<String>) {
        termResult(f, d, i, false);
        return;
      }
      if (l.isVoid()) {
        if (countVoid(f.k, d.text)) {
          termResult(f, d, i, false);
        }
        return;
      }
      List<String> ptrs = ((DnsLookup.Found<String>) l).records();
      List<String> candidates = new ArrayList<>();
      for (int k = 0; k < ptrs.size() && k < c.maxPtrNames; k++) {
        String name = stripDot(ptrs.get(k));
        if (sameOrSubdomain(name, target)) {
          candidates.add(name);
        }
      }
      validate(candidates, 0, new ArrayList<>(), true, validated ->
          termResult(f, d, i, !validated.isEmpty()));
    });
  }

  /**
   * Forward-confirms {@code names} in order (§5.5): a name is validated if one of its addresses
   * is the client's. Lookup errors skip the name. With {@code firstOnly} it stops at the first.
   */
  private void validate(
      List<String> names, int at, List<String> out, boolean firstOnly, Consumer<List<String>> k) {
    if (at == names.size() || (firstOnly && !out.isEmpty())) {
      k.accept(out);
      return;
    }
    String name = names.get(at);
    if (!v6) {
      await(c.resolver.a(name), l -> {
        if (l instanceof DnsLookup.Found<Inet4Address> found) {
          for (Inet4Address a : found.records()) {
            if (Ip.v4(a) == ip4) {
              out.add(name);
              break;
            }
          }
        }
        validate(names, at + 1, out, firstOnly, k);
      });
    } else {
      await(c.resolver.aaaa(name), l -> {
        if (l instanceof DnsLookup.Found<Inet6Address> found) {
          for (Inet6Address a : found.records()) {
            byte[] b = a.getAddress();
            if (Ip.hi(b) == ip6Hi && Ip.lo(b) == ip6Lo) {
              out.add(name);
              break;
            }
          }
        }
        validate(names, at + 1, out, firstOnly, k);
      });
    }
  }

  /** Looks up the validated names for {@code %{p}} once per evaluation (§7.3). */
  private void resolvePtrMacro(Runnable k) {
    await(c.resolver.ptr(reverseName()), l -> {
      if (!(l instanceof DnsLookup.Found<String> found)) {
        validatedNames = List.of();
        k.run();
        return;
      }
      List<String> names = new ArrayList<>();
      List<String> ptrs = found.records();
      for (int n = 0; n < ptrs.size() && n < c.maxPtrNames; n++) {
        names.add(stripDot(ptrs.get(n)));
      }
      validate(names, 0, new ArrayList<>(), false, validated -> {
        validatedNames = validated;
        k.run();
      });
    });
  }

  private String pValue(String domain) {
    List<String> names = validatedNames;
    if (names == null || names.isEmpty()) {
      return "unknown";
    }
    for (String n : names) {
      if (sameOrSubdomain(n, domain)) {
        return n;
      }
    }
    return names.get(0);
  }

  private void noMatch(Frame f) {
    SpfRecord r = f.record;
    if (r.redirect == null || r.hasAll) {
      f.k.done(SpfResult.NEUTRAL, null, null, null, f);
      return;
    }
    if (!admitDnsTerm(f.k, r.redirectText)) {
      return;
    }
    if (r.redirect.usesPtr && validatedNames == null) {
      resolvePtrMacro(() -> redirect(f));
    } else {
      redirect(f);
    }
  }

  private void redirect(Frame f) {
    String target = expandName(f.record.redirect, f.domain);
    if (target == null) {
      f.k.done(SpfResult.PERMERROR, SpfProblem.REDIRECT_NONE,
          f.record.redirectText + ": target not usable", null, null);
      return;
    }
    checkHost(target, REDIRECT, (r, p, detail, mech, frame) -> {
      if (r == SpfResult.NONE) {
        f.k.done(SpfResult.PERMERROR, SpfProblem.REDIRECT_NONE,
            f.record.redirectText + ": " + (detail == null ? "no SPF record" : detail), null,
            null);
      } else {
        f.k.done(r, p, detail, mech, frame);
      }
    });
  }

  // ---------------------------------------------------------------- result and exp= (§6.2)

  private void topDone(
      SpfResult r, SpfProblem p, String detail, String mechanism, Frame frame) {
    if (r != SpfResult.FAIL || p != null || frame == null) {
      finish(r, p, detail, mechanism, null, null);
      return;
    }
    MacroString exp = frame.record.exp;
    if (exp == null) {
      finish(r, null, null, mechanism, defaultExplanation(frame.domain), null);
      return;
    }
    Runnable fetch = () -> {
      String target = expandName(exp, frame.domain);
      if (target == null || !validTarget(target)) {
        finish(r, null, null, mechanism, defaultExplanation(frame.domain), null);
        return;
      }
      await(c.resolver.txt(target), l -> {
        MacroString m = null;
        if (l instanceof DnsLookup.Found<String> found && found.records().size() == 1) {
          try {
            m = MacroString.parse(found.records().get(0), MacroString.Context.EXPLANATION);
          } catch (SpfSyntaxException e) {
            m = null;
          }
        }
        MacroString text = m;
        Runnable expand = () -> {
          String x = text == null ? null : expandText(text, frame.domain);
          finish(r, null, null, mechanism, x != null ? x : defaultExplanation(frame.domain),
              null);
        };
        if (text != null && text.usesPtr && validatedNames == null) {
          resolvePtrMacro(expand);
        } else {
          expand.run();
        }
      });
    };
    if (exp.usesPtr && validatedNames == null) {
      resolvePtrMacro(fetch);
    } else {
      fetch.run();
    }
  }

  private String defaultExplanation(String domain) {
    return c.defaultExplanation == null ? null : expandText(c.defaultExplanation, domain);
  }

  private StringBuilder sb() {
    if (sb == null) {
      sb = new StringBuilder(64);
    }
    sb.setLength(0);
    return sb;
  }

  private String expandText(MacroString m, String domain) {
    StringBuilder sb = sb();
    if (!m.expandTo(sb, this, domain)) {
      return null;
    }
    for (int i = 0; i < sb.length(); i++) {
      if (sb.charAt(i) > 0x7E || sb.charAt(i) < 0x20) {
        return null;
      }
    }
    return sb.toString();
  }

  /**
   * Expands a domain-spec into the name to query: one trailing dot removed, then labels dropped
   * from the left while it is longer than 253 characters (§7.3). {@code null} if a macro value
   * was refused.
   */
  String expandName(MacroString m, String domain) {
    if (m.literalName != null && m.literalName.length() <= 253) {
      return m.literalName;
    }
    StringBuilder sb = sb();
    if (!m.expandTo(sb, this, domain)) {
      return null;
    }
    int end = sb.length();
    if (end > 0 && sb.charAt(end - 1) == '.') {
      end--;
    }
    int begin = 0;
    while (end - begin > 253) {
      int dot = sb.indexOf(".", begin);
      if (dot < 0 || dot >= end) {
        break;
      }
      begin = dot + 1;
    }
    return sb.substring(begin, end);
  }

  @Override
  public String macroValue(char letter, String domain) {
    switch (letter) {
      case 's':
        return localAscii ? identity : null;
      case 'l':
        return localAscii ? local : null;
      case 'o':
        return senderDomain;
      case 'd':
        return domain;
      case 'i':
        if (iValue == null) {
          StringBuilder b = new StringBuilder(v6 ? 63 : 15);
          if (v6) {
            Ip.appendNibbles(b, ip6Hi, ip6Lo);
          } else {
            Ip.appendDotted(b, ip4);
          }
          iValue = b.toString();
        }
        return iValue;
      case 'p':
        return pValue(domain);
      case 'v':
        return v6 ? "ip6" : "in-addr";
      case 'h':
        return request.helo();
      case 'c':
        return Ip.format(ip);
      case 'r':
        return c.receiver == null ? "unknown" : c.receiver;
      case 't':
        return Long.toString(c.clock.millis() / 1000);
      default:
        throw new AssertionError(letter);
    }
  }

  // ---------------------------------------------------------------- plumbing

  /**
   * Runs {@code k} with the lookup: at once if the stage is already complete, otherwise when it
   * completes or the time budget runs out. Exceptional completion becomes a TempFail.
   */
  private <T> void await(CompletionStage<DnsLookup<T>> stage, Consumer<DnsLookup<T>> k) {
    if (finished) {
      return;
    }
    CompletableFuture<DnsLookup<T>> f = null;
    try {
      f = stage.toCompletableFuture();
    } catch (UnsupportedOperationException e) {
      f = null;
    }
    if (f != null && f.isDone()) {
      DnsLookup<T> v;
      try {
        v = f.getNow(null);
      } catch (CompletionException | java.util.concurrent.CancellationException e) {
        v = DnsLookup.tempFail(TempFailReason.OTHER, "resolver failed: " + e.getCause());
      }
      if (v == null) {
        v = DnsLookup.tempFail(TempFailReason.OTHER, "resolver returned null");
      }
      k.accept(v);
      return;
    }
    long remaining = deadline - c.clock.millis();
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
      stage.whenComplete((v, ex) -> {
        if (ex != null) {
          target.completeExceptionally(ex);
        } else {
          target.complete(v);
        }
      });
    }
    copy.orTimeout(remaining, TimeUnit.MILLISECONDS).whenComplete((v, ex) -> {
      DnsLookup<T> value = v;
      if (ex != null) {
        Throwable cause = ex instanceof CompletionException && ex.getCause() != null
            ? ex.getCause() : ex;
        if (cause instanceof TimeoutException) {
          // This evaluation's own budget ran out; the clock may still read the deadline itself.
          budgetFired = true;
          value = DnsLookup.tempFail(TempFailReason.BUDGET_EXHAUSTED, "time budget exhausted");
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
    finish(SpfResult.TEMPERROR, SpfProblem.INTERNAL_ERROR, String.valueOf(e), null, null, null);
  }

  private void finish(
      SpfResult r,
      SpfProblem p,
      String detail,
      String mechanism,
      String explanation,
      Object unused) {
    if (finished) {
      return;
    }
    finished = true;
    promise.complete(new SpfEvaluation(
        r,
        request.scope(),
        identity,
        senderDomain,
        ip,
        request.helo(),
        request.mailFrom(),
        Optional.ofNullable(p == null ? mechanism : null),
        Optional.ofNullable(p),
        Optional.ofNullable(detail),
        Optional.ofNullable(explanation),
        dnsLookups,
        voidLookups,
        c.receiverOption));
  }
}
