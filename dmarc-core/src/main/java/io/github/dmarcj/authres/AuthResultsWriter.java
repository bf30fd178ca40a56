// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.authres;

import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcResult;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the outcomes of one message into its {@code Authentication-Results} field (RFC 8601 §2.7):
 * {@code spf} with {@code smtp.mailfrom} and {@code smtp.helo}, one {@code dkim} per signature with
 * {@code header.d/i/s/a/b}, and {@code dmarc} with {@code header.from} and {@code policy.dmarc}
 * (RFC 9989 §9.1), and, for a message with ARC fields, {@code arc} with {@code smtp.remote-ip} and
 * {@code header.oldest-pass} (RFC 8617 §10.1). Failures carry {@code reason=}. The verification
 * facade uses it; a mail server that computes its outcomes otherwise can too.
 *
 * @since 0.1.0
 */
public final class AuthResultsWriter {
  /** Characters of {@code b=} written as {@code header.b} (RFC 6008 asks for at least 8). */
  static final int SIGNATURE_PREFIX = 12;

  private AuthResultsWriter() {}

  /**
   * {@return the field for one message}
   *
   * @param authservId this server's authserv-id
   * @param envelope the SMTP envelope (client address, HELO, MAIL FROM)
   * @param spf the SPF outcome of the MAIL FROM identity
   * @param dkim one outcome per DKIM-Signature, in header order
   * @param dmarc the DMARC outcome
   */
  public static AuthenticationResults build(
      String authservId,
      SmtpEnvelope envelope,
      SpfOutcome spf,
      List<DkimOutcome> dkim,
      DmarcOutcome dmarc) {
    return build(authservId, envelope, spf, dkim, ArcOutcome.none(), dmarc);
  }

  /**
   * {@return the field for one message, with its ARC result}: {@code arc=} is written only when the
   * message carried ARC fields (a result other than {@code none}), so a message without them gets
   * the same field as without ARC.
   *
   * @param authservId this server's authserv-id
   * @param envelope the SMTP envelope (client address, HELO, MAIL FROM)
   * @param spf the SPF outcome of the MAIL FROM identity
   * @param dkim one outcome per DKIM-Signature, in header order
   * @param arc the ARC outcome
   * @param dmarc the DMARC outcome
   */
  public static AuthenticationResults build(
      String authservId,
      SmtpEnvelope envelope,
      SpfOutcome spf,
      List<DkimOutcome> dkim,
      ArcOutcome arc,
      DmarcOutcome dmarc) {
    java.util.Objects.requireNonNull(authservId, "authservId");
    java.util.Objects.requireNonNull(arc, "arc");
    java.util.Objects.requireNonNull(envelope, "envelope");
    java.util.Objects.requireNonNull(spf, "spf");
    java.util.Objects.requireNonNull(dkim, "dkim");
    java.util.Objects.requireNonNull(dmarc, "dmarc");
    List<MethodResult> results = new ArrayList<>(dkim.size() + 2);
    results.add(spf(envelope, spf));
    if (dkim.isEmpty()) {
      results.add(MethodResult.of("dkim", DkimResult.NONE.keyword(), List.of()));
    }
    for (DkimOutcome d : dkim) {
      results.add(dkim(d));
    }
    if (arc.result() != ArcResult.NONE) {
      results.add(arc(envelope, arc));
    }
    results.add(dmarc(dmarc));
    return new AuthenticationResults(authservId, results);
  }

  /**
   * {@code arc=} with {@code smtp.remote-ip} (the client this server received the message from)
   * and, for a pass, {@code header.oldest-pass} (RFC 8617 §10.1); the comment names the sealers.
   */
  private static MethodResult arc(SmtpEnvelope envelope, ArcOutcome arc) {
    List<AuthProperty> props = new ArrayList<>(2);
    props.add(AuthProperty.of("smtp", "remote-ip", envelope.clientIp().getHostAddress()));
    arc.oldestPass()
        .ifPresent(n -> props.add(AuthProperty.of("header", "oldest-pass", Integer.toString(n))));
    MethodResult r = MethodResult.of("arc", arc.result().keyword(), props);
    StringBuilder comment = new StringBuilder("i=").append(arc.instanceCount());
    for (String sealer : arc.sealers()) {
      if (!sealer.isEmpty()) {
        comment.append(" as.d=").append(sealer);
      }
    }
    r = r.withComment(comment.toString());
    if (arc.reason().isPresent()) {
      String reason = arc.reason().get().keyword();
      if (arc.failedInstance().isPresent()) {
        reason = reason + " at i=" + arc.failedInstance().getAsInt();
      }
      r = r.withReason(reason);
    }
    return r;
  }

  private static MethodResult spf(SmtpEnvelope envelope, SpfOutcome spf) {
    List<AuthProperty> props = new ArrayList<>(2);
    if (!envelope.isNullSender()) {
      props.add(AuthProperty.of("smtp", "mailfrom", spf.identity()));
    }
    if (!envelope.helo().isBlank()) {
      props.add(AuthProperty.of("smtp", "helo", envelope.helo().strip()));
    }
    MethodResult r =
        MethodResult.of("spf", spf.result().keyword(), props)
            .withComment(
                "client-ip "
                    + envelope.clientIp().getHostAddress()
                    + (envelope.isNullSender()
                        ? ", null sender checked as " + spf.identity()
                        : ""));
    if (spf.result() != SpfResult.PASS && spf.result() != SpfResult.NONE) {
      r = r.withReason(spf.reason().orElse(null));
    }
    return r;
  }

  private static MethodResult dkim(DkimOutcome d) {
    List<AuthProperty> props = new ArrayList<>(5);
    if (!d.domain().isEmpty()) {
      props.add(AuthProperty.of("header", "d", d.domain()));
    }
    d.identity().ifPresent(i -> props.add(AuthProperty.of("header", "i", i)));
    if (!d.selector().isEmpty()) {
      props.add(AuthProperty.of("header", "s", d.selector()));
    }
    if (!d.algorithm().isEmpty()) {
      props.add(AuthProperty.of("header", "a", d.algorithm()));
    }
    if (!d.signaturePrefix().isEmpty()) {
      String b = d.signaturePrefix();
      props.add(
          AuthProperty.of(
              "header", "b", b.length() > SIGNATURE_PREFIX ? b.substring(0, SIGNATURE_PREFIX) : b));
    }
    MethodResult r = MethodResult.of("dkim", d.result().keyword(), props);
    if (d.result() != DkimResult.PASS) {
      r = r.withReason(d.reasonKeyword().orElse(null));
    }
    if (d.testing()) {
      r = r.withComment("key in testing mode");
    }
    return r;
  }

  private static MethodResult dmarc(DmarcOutcome o) {
    List<AuthProperty> props = new ArrayList<>(2);
    o.fromDomain().ifPresent(f -> props.add(AuthProperty.of("header", "from", f.name())));
    if (o.record().isPresent()) {
      props.add(AuthProperty.of("policy", "dmarc", o.disposition().keyword()));
    }
    MethodResult r = MethodResult.of("dmarc", o.result().keyword(), props);
    StringBuilder comment = new StringBuilder();
    o.requestedPolicy()
        .ifPresent(
            p ->
                comment
                    .append(o.policyTag().map(t -> t.keyword()).orElse("p"))
                    .append('=')
                    .append(p.keyword()));
    o.policyDomain()
        .ifPresent(
            d ->
                comment
                    .append(comment.length() > 0 ? " " : "")
                    .append("policy-domain=")
                    .append(d.name()));
    if (!o.overrides().isEmpty()) {
      comment
          .append(comment.length() > 0 ? " " : "")
          .append("override=")
          .append(o.overrides().get(o.overrides().size() - 1).reason().keyword());
    }
    if (o.headerLimitExceeded()) {
      comment.append(comment.length() > 0 ? " " : "").append("header-limit-exceeded");
    }
    r = r.withComment(comment.toString());
    if (o.result() == DmarcResult.FAIL) {
      r = r.withReason("no aligned SPF or DKIM pass");
    } else if (o.result() != DmarcResult.PASS) {
      r =
          r.withReason(
              o.reason()
                  .map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                  .orElse(o.result() == DmarcResult.TEMPERROR ? "internal-error" : null));
    }
    return r;
  }
}
