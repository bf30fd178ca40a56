// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * What a failure report may carry of the original message: the redaction policy (RFC 6590; RFC 9991
 * §7). Immutable and thread-safe.
 *
 * <p>The default policy, {@link #hmacSha256(byte[])}, sends the header section only and replaces
 * the local part of every mail address with a keyed token, {@code redacted-} followed by 16 base32
 * characters: the first 10 bytes of HMAC-SHA256 under the receiver's secret key of the local part
 * (unquoted, in lower case). The token cannot be turned back into the local part without the key,
 * and equal local parts give equal tokens, so a consumer can still tell that two reports concern
 * the same mailbox (RFC 6590 §3). Domains are kept: the domain owner needs them.
 *
 * <p>Local parts are replaced everywhere the report carries them:
 *
 * <ul>
 *   <li>every field of the original header: addresses in From, To, Cc, Reply-To, Sender,
 *       Return-Path, {@code Received: ... for <...>}, Delivered-To, Message-ID and any other field,
 *       quoted local parts, local parts with a folded line or spaces before the {@code @},
 *       addresses inside display names and comments, after a {@code %40} in a URI (the local part
 *       then starts after the URI's last delimiter), and addresses hidden in RFC 2047 encoded-words
 *       (such a field is then written decoded, in UTF-8 as RFC 6532 allows);
 *   <li>a local part that stands alone elsewhere in the original (a {@code Delivered-To: john}, a
 *       Subject) once it was seen in an address, if it has 3 characters or more;
 *   <li>{@code Original-Mail-From}, {@code Original-Rcpt-To}, the local part of {@code
 *       DKIM-Identity} (its domain, {@code DKIM-Domain} and {@code DKIM-Selector} stay exact), and
 *       the {@code Authentication-Results} value ({@code smtp.mailfrom=}, {@code header.i=}).
 * </ul>
 *
 * <p>The human-readable part names no address. Replacing local parts breaks the DKIM signatures of
 * the original for the consumer: the report says so.
 *
 * <p>The body is left out unless the policy includes it: {@link #withBody()} on a policy that does
 * not redact, {@link #withRedactedBody()} on one that does, which replaces what it sees in the
 * body's text but cannot see into base64 or quoted-printable parts. {@link #withDefangedUris()}
 * writes {@code http://} as {@code hxxp://} (RFC 9991 §7.3) in the original's header and body.
 *
 * @since 0.1.0
 */
public final class Redactor {
  /** Shortest key accepted: 128 bits. */
  public static final int MIN_KEY_BYTES = 16;

  private final byte @Nullable [] key;
  private final boolean body;
  private final boolean defang;

  private Redactor(byte @Nullable [] key, boolean body, boolean defang) {
    this.key = key;
    this.body = body;
    this.defang = defang;
  }

  /**
   * {@return the default policy: the header only, local parts replaced by tokens keyed with {@code
   * key}}
   *
   * @param key the secret key, at least {@value #MIN_KEY_BYTES} bytes; the same key gives the same
   *     tokens, in every report and on every run
   * @throws IllegalArgumentException if the key is shorter than {@value #MIN_KEY_BYTES} bytes
   */
  public static Redactor hmacSha256(byte[] key) {
    Objects.requireNonNull(key, "key");
    if (key.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the key must have at least " + MIN_KEY_BYTES + " bytes, had " + key.length);
    }
    return new Redactor(key.clone(), false, false);
  }

  /** {@return a policy that replaces nothing and sends the header only} */
  public static Redactor unredacted() {
    return new Redactor(null, false, false);
  }

  /**
   * {@return this policy, sending the whole original message ({@code message/rfc822})}
   *
   * @throws IllegalStateException if this policy redacts: use {@link #withRedactedBody()}
   */
  public Redactor withBody() {
    if (key != null) {
      throw new IllegalStateException(
          "a redacting policy sends the body only through withRedactedBody(): redaction cannot see"
              + " addresses in encoded body parts");
    }
    return new Redactor(null, true, defang);
  }

  /**
   * {@return this redacting policy, sending the whole original message with the local parts
   * replaced in the body's text as well; addresses inside base64 or quoted-printable body parts are
   * not seen}
   *
   * @throws IllegalStateException if this policy does not redact: use {@link #withBody()}
   */
  public Redactor withRedactedBody() {
    if (key == null) {
      throw new IllegalStateException("this policy does not redact: use withBody()");
    }
    return new Redactor(key, true, defang);
  }

  /** {@return this policy, sending the header section only ({@code text/rfc822-headers})} */
  public Redactor withoutBody() {
    return new Redactor(key, false, defang);
  }

  /**
   * {@return this policy, writing {@code http://} and {@code https://} in the original's header and
   * body as {@code hxxp://} and {@code hxxps://} (RFC 9991 §7.3)}
   */
  public Redactor withDefangedUris() {
    return new Redactor(key, body, true);
  }

  /** {@return whether local parts are replaced by tokens} */
  public boolean redactsLocalParts() {
    return key != null;
  }

  /** {@return whether the body of the original goes into the report} */
  public boolean includesBody() {
    return body;
  }

  /** {@return whether URIs in the original are defanged} */
  public boolean defangsUris() {
    return defang;
  }

  /**
   * {@return the token that replaces {@code localPart}}
   *
   * @param localPart a local part, quoted or not; case does not matter
   * @throws IllegalStateException if this policy does not redact
   */
  public String token(String localPart) {
    Objects.requireNonNull(localPart, "localPart");
    return Redaction.token(mac(), localPart);
  }

  /**
   * {@return {@code report} as this policy lets it go out: local parts replaced (if redacting), the
   * body dropped (unless included), URIs defanged (if asked); the failure, the domains, the DKIM
   * domain and selector and the SPF record unchanged}
   *
   * @param report the report
   */
  public FailureReport apply(FailureReport report) {
    Objects.requireNonNull(report, "report");
    Optional<byte[]> originalBody = body ? report.originalBody() : Optional.empty();
    if (key == null && !defang) {
      return body || report.originalBody().isEmpty()
          ? report
          : report.withOriginal(report.originalHeader(), Optional.empty());
    }
    Redaction r = new Redaction(key == null ? null : mac(), defang);
    // First round: every local part in the report is seen, so that the second can also replace
    // those that stand alone before the address that names them.
    run(r, report, originalBody);
    return run(r, report, originalBody);
  }

  private static FailureReport run(Redaction r, FailureReport report, Optional<byte[]> body) {
    List<String> rcpt = new ArrayList<>(report.originalRcptTo().size());
    for (String a : report.originalRcptTo()) {
      rcpt.add(r.envelopeAddress(a));
    }
    Optional<FailureReport.DkimFields> dkim =
        report
            .dkim()
            .map(
                d ->
                    new FailureReport.DkimFields(
                        d.domain(), d.selector(), r.addresses(d.identity())));
    return new FailureReport(
        report.arrivalDate(),
        report.sourceIp(),
        report.originalMailFrom().map(r::envelopeAddress),
        rcpt,
        report.reportedDomain(),
        report.policyDomain(),
        r.addresses(report.authenticationResults()),
        report.authFailure(),
        report.identityAlignment(),
        dkim,
        report.spfDns(),
        report.deliveryResult(),
        report.incidents(),
        r.header(report.originalHeader()),
        body.map(r::body));
  }

  private Mac mac() {
    if (key == null) {
      throw new IllegalStateException("this policy does not redact");
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "Redactor["
        + (key != null ? "local parts replaced" : "unredacted")
        + (body ? ", with body" : ", header only")
        + (defang ? ", URIs defanged" : "")
        + "]";
  }
}
