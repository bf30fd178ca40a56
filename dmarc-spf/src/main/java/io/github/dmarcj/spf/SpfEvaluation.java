// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfReportRequest;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one {@code check_host()} evaluation (RFC 7208 §2.6, §4) with what a mail server
 * records about it: the {@code Received-SPF} header field (§9.1) and the {@code spf=} part of
 * Authentication-Results (RFC 8601 §2.7.2, RFC 7208 §9.2).
 *
 * <p>Compute it at MAIL FROM time and keep it with the transaction; {@link #toOutcome()} is what
 * the DMARC evaluation needs later.
 *
 * @param result the SPF result
 * @param scope the identity checked
 * @param identity the checked identity as a mailbox ({@code postmaster@<helo>} for HELO checks and
 *     the null sender)
 * @param domain the domain check_host() started at
 * @param clientIp the SMTP client address
 * @param helo the HELO/EHLO argument
 * @param mailFrom the reverse-path, {@code ""} for the null sender
 * @param mechanism the term that decided the result ({@code ip4:192.0.2.0/24}, {@code
 *     include:_spf.example.com}, {@code redirect=...} is never reported, its target's term is);
 *     empty when nothing matched or on an error
 * @param problem why the result is none, temperror or permerror; empty otherwise
 * @param problemDetail a human-readable detail of the problem (the term, the name queried)
 * @param explanation the explanation on {@code fail}: the expanded {@code exp=} text or the
 *     configured default (§6.2)
 * @param dnsLookups DNS-querying terms evaluated, towards the limit of §4.6.4
 * @param voidLookups void lookups counted, towards the limit of §4.6.4
 * @param receiver the receiver host name, for Received-SPF and {@code %{r}}
 * @param reportRequest the request for failure reports (RFC 6652 §3) of the identity's record or a
 *     {@code redirect} target, if one had a usable {@code ra=}; it never affects the result
 */
public record SpfEvaluation(
    SpfResult result,
    SpfScope scope,
    String identity,
    String domain,
    InetAddress clientIp,
    String helo,
    String mailFrom,
    Optional<String> mechanism,
    Optional<SpfProblem> problem,
    Optional<String> problemDetail,
    Optional<String> explanation,
    int dnsLookups,
    int voidLookups,
    Optional<String> receiver,
    Optional<SpfReportRequest> reportRequest) {

  /**
   * Checks that every component is present.
   *
   * @param result the SPF result
   * @param scope the identity checked
   * @param identity the checked identity as a mailbox ({@code postmaster@<helo>} for HELO checks
   *     and the null sender)
   * @param domain the domain check_host() started at
   * @param clientIp the SMTP client address
   * @param helo the HELO/EHLO argument
   * @param mailFrom the reverse-path, {@code ""} for the null sender
   * @param mechanism the term that decided the result ({@code ip4:192.0.2.0/24}, {@code
   *     include:_spf.example.com}, {@code redirect=...} is never reported, its target's term is);
   *     empty when nothing matched or on an error
   * @param problem why the result is none, temperror or permerror; empty otherwise
   * @param problemDetail a human-readable detail of the problem (the term, the name queried)
   * @param explanation the explanation on {@code fail}: the expanded {@code exp=} text or the
   *     configured default (§6.2)
   * @param dnsLookups DNS-querying terms evaluated, towards the limit of §4.6.4
   * @param voidLookups void lookups counted, towards the limit of §4.6.4
   * @param receiver the receiver host name, for Received-SPF and {@code %{r}}
   * @param reportRequest the request for failure reports (RFC 6652 §3), if any
   */
  public SpfEvaluation {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(helo, "helo");
    Objects.requireNonNull(mailFrom, "mailFrom");
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(problem, "problem");
    Objects.requireNonNull(problemDetail, "problemDetail");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(receiver, "receiver");
    Objects.requireNonNull(reportRequest, "reportRequest");
  }

  /**
   * An evaluation without a request for failure reports.
   *
   * @param result the SPF result
   * @param scope the identity checked
   * @param identity the checked identity as a mailbox
   * @param domain the domain check_host() started at
   * @param clientIp the SMTP client address
   * @param helo the HELO/EHLO argument
   * @param mailFrom the reverse-path, {@code ""} for the null sender
   * @param mechanism the term that decided the result
   * @param problem why the result is none, temperror or permerror; empty otherwise
   * @param problemDetail a human-readable detail of the problem
   * @param explanation the explanation on {@code fail}
   * @param dnsLookups DNS-querying terms evaluated
   * @param voidLookups void lookups counted
   * @param receiver the receiver host name
   */
  public SpfEvaluation(
      SpfResult result,
      SpfScope scope,
      String identity,
      String domain,
      InetAddress clientIp,
      String helo,
      String mailFrom,
      Optional<String> mechanism,
      Optional<SpfProblem> problem,
      Optional<String> problemDetail,
      Optional<String> explanation,
      int dnsLookups,
      int voidLookups,
      Optional<String> receiver) {
    this(
        result,
        scope,
        identity,
        domain,
        clientIp,
        helo,
        mailFrom,
        mechanism,
        problem,
        problemDetail,
        explanation,
        dnsLookups,
        voidLookups,
        receiver,
        Optional.empty());
  }

  /** {@return the outcome in core's vocabulary, for the DMARC evaluation} */
  public SpfOutcome toOutcome() {
    return new SpfOutcome(
        result,
        scope,
        identity,
        domain,
        problem,
        problem.isPresent() ? Optional.empty() : mechanism,
        explanation,
        reportRequest);
  }

  /**
   * {@return the value of a {@code Received-SPF} header field (RFC 7208 §9.1), without the field
   * name and without folding: the result, a comment, then the key-value pairs {@code client-ip},
   * {@code envelope-from}, {@code helo}, {@code receiver}, {@code identity}, and {@code mechanism}
   * or {@code problem}}
   */
  public String receivedSpf() {
    return String.join(" ", receivedSpfWords());
  }

  /** The words of {@link #receivedSpf()}: the result, the comment, then one per key-value pair. */
  private java.util.List<String> receivedSpfWords() {
    java.util.List<String> words = new java.util.ArrayList<>(9);
    words.add(result.keyword());
    StringBuilder c = new StringBuilder(160).append('(');
    receiver.ifPresent(r -> c.append(commentText(r)).append(": "));
    c.append(commentText(comment())).append(')');
    words.add(c.toString());
    words.add(pair("client-ip", Ip.format(clientIp)));
    words.add(pair("envelope-from", mailFrom));
    words.add(pair("helo", helo));
    receiver.ifPresent(r -> words.add(pair("receiver", r)));
    words.add(pair("identity", scope == SpfScope.MFROM ? "mailfrom" : "helo"));
    if (problem.isPresent()) {
      words.add(pair("problem", problemDetail.orElse(problem.get().keyword())));
    } else {
      // §9.1: "default" when no mechanism matched
      words.add(pair("mechanism", mechanism.orElse("default")));
    }
    return words;
  }

  /**
   * {@return the whole header field, {@code Received-SPF: } followed by {@link #receivedSpf()},
   * without a final CRLF} No line exceeds 998 characters (RFC 5322 §2.1.1): values the sender or a
   * record chose (MAIL FROM, HELO, a mechanism) are cut to {@value #MAX_VALUE_LENGTH} characters,
   * and the field is folded (CRLF and a tab between words) only where a line would pass that limit.
   */
  public String receivedSpfHeader() {
    StringBuilder sb = new StringBuilder(256).append("Received-SPF:");
    int line = sb.length();
    for (String w : receivedSpfWords()) {
      if (line + 1 + w.length() > 998 && line > 1) {
        sb.append("\r\n\t");
        line = 1;
      } else {
        sb.append(' ');
        line++;
      }
      sb.append(w);
      line += w.length();
    }
    return sb.toString();
  }

  /** Longest value written into a Received-SPF key-value pair or comment; longer ones are cut. */
  public static final int MAX_VALUE_LENGTH = 256;

  /**
   * {@return the SPF part of an Authentication-Results header (RFC 8601 §2.7.2): {@code spf=pass
   * smtp.mailfrom=user@example.com}, or {@code smtp.helo=...} for a HELO check, with a {@code
   * reason} on temperror and permerror}
   */
  public String authResultsFragment() {
    String v = scope == SpfScope.MFROM ? identity : helo;
    io.github.dmarcj.authres.MethodResult r =
        io.github.dmarcj.authres.MethodResult.of(
            "spf",
            result.keyword(),
            java.util.List.of(
                io.github.dmarcj.authres.AuthProperty.of(
                    "smtp", scope == SpfScope.MFROM ? "mailfrom" : "helo", v)));
    if (problem.isPresent() && (result == SpfResult.PERMERROR || result == SpfResult.TEMPERROR)) {
      r = r.withReason(problem.get().keyword());
    }
    // The same renderer as the Authentication-Results field: same quoting, same bounds.
    return r.text();
  }

  private String comment() {
    String ip = Ip.format(clientIp);
    String who = scope == SpfScope.HELO ? "host name " + helo : "domain of " + identity;
    switch (result) {
      case PASS:
        return who + " designates " + ip + " as permitted sender";
      case FAIL:
        return who + " does not designate " + ip + " as permitted sender";
      case SOFTFAIL:
        return who + " is transitioning and does not designate " + ip + " as permitted sender";
      case NEUTRAL:
        return ip + " is neither permitted nor denied by " + who;
      case NONE:
        return who + " does not designate permitted sender hosts";
      case TEMPERROR:
        return "temporary error evaluating " + who + ": " + problemKeyword();
      case PERMERROR:
      default:
        return "permanent error in the SPF record of " + who + ": " + problemKeyword();
    }
  }

  private String problemKeyword() {
    return problem.map(SpfProblem::keyword).orElse("unknown");
  }

  private static String cut(String s) {
    return s.length() <= MAX_VALUE_LENGTH ? s : s.substring(0, MAX_VALUE_LENGTH - 3) + "...";
  }

  private static String commentText(String raw) {
    String s =
        raw.length() <= 2 * MAX_VALUE_LENGTH
            ? raw
            : raw.substring(0, 2 * MAX_VALUE_LENGTH - 3) + "...";
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        sb.append(' ');
      } else {
        if (c == '(' || c == ')' || c == '\\') {
          sb.append('\\');
        }
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static String pair(String key, String value) {
    return key + "=" + dotAtomOrQuoted(cut(value)) + ";";
  }

  private static boolean isAtext(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
  }

  /** RFC 5322 dot-atom if the value is one, otherwise a quoted-string. */
  static String dotAtomOrQuoted(String v) {
    boolean atom = !v.isEmpty() && v.charAt(0) != '.' && v.charAt(v.length() - 1) != '.';
    for (int i = 0; atom && i < v.length(); i++) {
      char c = v.charAt(i);
      atom = isAtext(c) || (c == '.' && v.charAt(i - 1) != '.');
    }
    return atom ? v : quote(v);
  }

  private static String quote(String v) {
    StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        continue;
      }
      if (c == '"' || c == '\\') {
        sb.append('\\');
      }
      sb.append(c);
    }
    return sb.append('"').toString();
  }
}
