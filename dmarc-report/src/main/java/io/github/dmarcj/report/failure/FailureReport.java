// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One failure report: what a receiver tells a domain owner about a message (or a group of similar
 * messages) that failed authentication (RFC 9991 §2; fields of RFC 5965 §3, RFC 6591 §3 and RFC
 * 9991 §4). Built from plain values, so it does not depend on how the incident was captured; {@link
 * FailureReportMail} turns it into the mail, after the {@link Redactor} has removed what the policy
 * says must not leave the receiver.
 *
 * <p>Values that come from the message, its SMTP envelope or the DNS (addresses, the
 * Authentication-Results text, DKIM tags, the SPF record, the original header) are taken as they
 * are, whatever they contain: the mail writer makes them safe. Only the structure is checked here:
 * no null, at least one incident, and the fields RFC 9991 §4 and RFC 6591 §3.2 require for the
 * failure reported.
 *
 * <p>The byte arrays are copied in and out, and {@link #equals(Object)} compares them by content.
 *
 * @param arrivalDate when the message arrived, field {@code Arrival-Date} (RFC 5965 §3.2)
 * @param sourceIp the IP address of the SMTP client, field {@code Source-IP} (RFC 5965 §3.2)
 * @param originalMailFrom the SMTP {@code MAIL FROM} address without angle brackets, field {@code
 *     Original-Mail-From} (RFC 5965 §3.2); the empty string is the null sender ({@code <>}); empty
 *     when unknown, and the field is left out
 * @param originalRcptTo the SMTP {@code RCPT TO} addresses without angle brackets, one {@code
 *     Original-Rcpt-To} field each (RFC 5965 §3.2)
 * @param reportedDomain the RFC5322.From domain, field {@code Reported-Domain} (RFC 5965 §3.2)
 * @param policyDomain the domain whose record asked for the report: its DMARC record (RFC 9989 §4.7
 *     {@code ruf}) or its SPF record (RFC 6652 §3 {@code ra=}); named in the human-readable part
 * @param authenticationResults the value of the receiver's {@code Authentication-Results} field for
 *     the message (RFC 8601), field {@code Authentication-Results} (RFC 5965 §3.2; RFC 6591 §3.1)
 * @param authFailure the kind of failure, field {@code Auth-Failure} (RFC 6591 §3.1; RFC 9991 §4)
 * @param identityAlignment the mechanisms that failed to authenticate an aligned identity, field
 *     {@code Identity-Alignment} of a DMARC report (RFC 9991 §4): empty is {@code none}
 * @param dkim the DKIM signature the report is about, fields {@code DKIM-Domain}, {@code
 *     DKIM-Identity} and {@code DKIM-Selector} (RFC 6591 §3.2): required for a DKIM failure and, in
 *     a DMARC report, when DKIM failed to authenticate an aligned identity (RFC 9991 §4)
 * @param spfDns the SPF record used, field {@code SPF-DNS} (RFC 6591 §3.2): required for an SPF
 *     failure and, in a DMARC report, when SPF failed to authenticate an aligned identity (RFC 9991
 *     §4)
 * @param deliveryResult what the receiver did with the message, field {@code Delivery-Result} (RFC
 *     6591 §3.2); optional
 * @param incidents how many similar incidents the report stands for, at least 1; field {@code
 *     Incidents} (RFC 5965 §3.2), written when above 1 (RFC 9991 §8.1)
 * @param originalHeader the header section of the message as received, the bytes of its fields (RFC
 *     5322 §2.2), with or without the empty line that ends it
 * @param originalBody the body of the message as received, when the caller kept it; only a policy
 *     that includes bodies sends it ({@link Redactor#withBody()})
 * @since 0.1.0
 *     <p>(Over 500 lines on purpose: a record of fifteen components with its checks, content-based
 *     equality for its byte arrays, and the builder, each documented.)
 */
public record FailureReport(
    Instant arrivalDate,
    InetAddress sourceIp,
    Optional<String> originalMailFrom,
    List<String> originalRcptTo,
    String reportedDomain,
    String policyDomain,
    String authenticationResults,
    AuthFailure authFailure,
    Set<DmarcMethod> identityAlignment,
    Optional<DkimFields> dkim,
    Optional<SpfDns> spfDns,
    Optional<DeliveryResult> deliveryResult,
    int incidents,
    byte[] originalHeader,
    Optional<byte[]> originalBody) {

  /**
   * Checks and copies the components.
   *
   * @param arrivalDate when the message arrived
   * @param sourceIp the SMTP client's address
   * @param originalMailFrom the {@code MAIL FROM} address; empty string for the null sender
   * @param originalRcptTo the {@code RCPT TO} addresses
   * @param reportedDomain the RFC5322.From domain
   * @param policyDomain the domain whose DMARC record asked for the report
   * @param authenticationResults the receiver's Authentication-Results value
   * @param authFailure the kind of failure
   * @param identityAlignment the mechanisms that failed to authenticate an aligned identity
   * @param dkim the DKIM signature the report is about
   * @param spfDns the SPF record used
   * @param deliveryResult what the receiver did with the message
   * @param incidents how many similar incidents, at least 1
   * @param originalHeader the original header section
   * @param originalBody the original body, if kept
   * @throws NullPointerException if a component is null or a list holds null
   * @throws IllegalArgumentException if {@code incidents} is below 1, or a field that RFC 9991 §4
   *     or RFC 6591 §3.2 requires for this failure is missing
   */
  public FailureReport {
    Objects.requireNonNull(arrivalDate, "arrivalDate");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(originalMailFrom, "originalMailFrom");
    originalRcptTo = List.copyOf(Objects.requireNonNull(originalRcptTo, "originalRcptTo"));
    Objects.requireNonNull(reportedDomain, "reportedDomain");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
    Objects.requireNonNull(authFailure, "authFailure");
    EnumSet<DmarcMethod> methods = EnumSet.noneOf(DmarcMethod.class);
    for (DmarcMethod m : Objects.requireNonNull(identityAlignment, "identityAlignment")) {
      methods.add(Objects.requireNonNull(m, "identityAlignment element"));
    }
    identityAlignment = Collections.unmodifiableSet(methods);
    Objects.requireNonNull(dkim, "dkim");
    Objects.requireNonNull(spfDns, "spfDns");
    Objects.requireNonNull(deliveryResult, "deliveryResult");
    if (incidents < 1) {
      throw new IllegalArgumentException("incidents must be at least 1, was " + incidents);
    }
    originalHeader = Objects.requireNonNull(originalHeader, "originalHeader").clone();
    originalBody = Objects.requireNonNull(originalBody, "originalBody").map(byte[]::clone);
    boolean dmarc = authFailure == AuthFailure.DMARC;
    // A DMARC report about a message with no DKIM signature at all has no signature to name: the
    // DKIM fields are required only when a signature failed (RFC 9991 §4, RFC 6591 §3.2).
    if (dkim.isEmpty() && authFailure.isDkim()) {
      throw new IllegalArgumentException(
          "DKIM-Domain, DKIM-Identity and DKIM-Selector are required for Auth-Failure: "
              + authFailure.keyword()
              + " (RFC 6591 §3.2)");
    }
    if (spfDns.isEmpty()
        && (authFailure == AuthFailure.SPF || dmarc && methods.contains(DmarcMethod.SPF))) {
      throw new IllegalArgumentException(
          "SPF-DNS is required for "
              + (dmarc
                  ? "an SPF failure of an aligned identifier (RFC 9991 §4)"
                  : "Auth-Failure: spf (RFC 6591 §3.2)"));
    }
  }

  /** {@return a copy of the original header section} */
  @Override
  public byte[] originalHeader() {
    return originalHeader.clone();
  }

  /** {@return a copy of the original body, if the report holds one} */
  @Override
  public Optional<byte[]> originalBody() {
    return originalBody.map(byte[]::clone);
  }

  /** {@return whether the report stands for the null sender ({@code MAIL FROM:<>})} */
  public boolean isNullSender() {
    return originalMailFrom.isPresent() && originalMailFrom.get().isEmpty();
  }

  /** {@return a builder, for the required values and then the optional ones} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return this report with another original message: {@code header} and, if present, {@code
   * body}}
   *
   * @param header the header section
   * @param body the body, if kept
   */
  FailureReport withOriginal(byte[] header, Optional<byte[]> body) {
    return new FailureReport(
        arrivalDate,
        sourceIp,
        originalMailFrom,
        originalRcptTo,
        reportedDomain,
        policyDomain,
        authenticationResults,
        authFailure,
        identityAlignment,
        dkim,
        spfDns,
        deliveryResult,
        incidents,
        header,
        body);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof FailureReport)) {
      return false;
    }
    FailureReport r = (FailureReport) o;
    return arrivalDate.equals(r.arrivalDate)
        && sourceIp.equals(r.sourceIp)
        && originalMailFrom.equals(r.originalMailFrom)
        && originalRcptTo.equals(r.originalRcptTo)
        && reportedDomain.equals(r.reportedDomain)
        && policyDomain.equals(r.policyDomain)
        && authenticationResults.equals(r.authenticationResults)
        && authFailure == r.authFailure
        && identityAlignment.equals(r.identityAlignment)
        && dkim.equals(r.dkim)
        && spfDns.equals(r.spfDns)
        && deliveryResult.equals(r.deliveryResult)
        && incidents == r.incidents
        && Arrays.equals(originalHeader, r.originalHeader)
        && originalBody.isPresent() == r.originalBody.isPresent()
        && (originalBody.isEmpty() || Arrays.equals(originalBody.get(), r.originalBody.get()));
  }

  @Override
  public int hashCode() {
    return Objects.hash(
                arrivalDate,
                sourceIp,
                originalMailFrom,
                originalRcptTo,
                reportedDomain,
                policyDomain,
                authenticationResults,
                authFailure,
                identityAlignment,
                dkim,
                spfDns,
                deliveryResult,
                incidents)
            * 31
        + Arrays.hashCode(originalHeader);
  }

  @Override
  public String toString() {
    return "FailureReport[arrivalDate="
        + arrivalDate
        + ", sourceIp="
        + sourceIp.getHostAddress()
        + ", reportedDomain="
        + reportedDomain
        + ", policyDomain="
        + policyDomain
        + ", authFailure="
        + authFailure.keyword()
        + ", identityAlignment="
        + identityAlignment
        + ", incidents="
        + incidents
        + ", originalHeader="
        + originalHeader.length
        + " bytes"
        + originalBody.map(b -> ", originalBody=" + b.length + " bytes").orElse("")
        + "]";
  }

  /**
   * The DKIM signature a report is about (RFC 6591 §3.2): its {@code d=}, {@code s=} and {@code i=}
   * tags as the signature carries them. A {@link Redactor} replaces the local part of the identity
   * and keeps the domain and the selector exact.
   *
   * @param domain the signing domain ({@code d=}), field {@code DKIM-Domain}
   * @param selector the selector ({@code s=}), field {@code DKIM-Selector}
   * @param identity the agent or user identifier ({@code i=}, {@code [local-part] "@" domain}),
   *     field {@code DKIM-Identity}
   * @since 0.1.0
   */
  public record DkimFields(String domain, String selector, String identity) {
    /**
     * Checks the components.
     *
     * @param domain the signing domain ({@code d=})
     * @param selector the selector ({@code s=})
     * @param identity the identity ({@code i=})
     * @throws NullPointerException if a component is null
     */
    public DkimFields {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(selector, "selector");
      Objects.requireNonNull(identity, "identity");
    }

    /**
     * {@return the fields of a signature without an {@code i=} tag, whose identity is then {@code
     * "@" d} (RFC 6376 §3.5)}
     *
     * @param domain the signing domain
     * @param selector the selector
     */
    public static DkimFields of(String domain, String selector) {
      return new DkimFields(domain, selector, "@" + domain);
    }
  }

  /**
   * The DNS data SPF was evaluated with, field {@code SPF-DNS} (RFC 6591 §3.2): the record type,
   * the name and the record text, written {@code txt : <domain> : <record>}. The SPF RR type is no
   * longer used (RFC 7208 §3.1), so the type is always {@code txt}.
   *
   * @param domain the name the record was found at
   * @param record the record text, its strings joined (RFC 7208 §3.3)
   * @since 0.1.0
   */
  public record SpfDns(String domain, String record) {
    /**
     * Checks the components.
     *
     * @param domain the name the record was found at
     * @param record the record text
     * @throws NullPointerException if a component is null
     */
    public SpfDns {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(record, "record");
    }

    /** {@return the field value, {@code txt : example.com : v=spf1 -all}} */
    public String value() {
      return "txt : " + domain + " : " + record;
    }
  }

  /**
   * Collects the values of a {@link FailureReport}. {@link #build()} needs the arrival date, the
   * source IP, the reported domain, the failure type, the Authentication-Results value and the
   * original header; the policy domain defaults to the reported domain and the incident count to 1.
   */
  public static final class Builder {
    private @Nullable Instant arrivalDate;
    private @Nullable InetAddress sourceIp;
    private Optional<String> originalMailFrom = Optional.empty();
    private final List<String> originalRcptTo = new ArrayList<>();
    private @Nullable String reportedDomain;
    private @Nullable String policyDomain;
    private @Nullable String authenticationResults;
    private @Nullable AuthFailure authFailure;
    private final EnumSet<DmarcMethod> identityAlignment = EnumSet.noneOf(DmarcMethod.class);
    private Optional<DkimFields> dkim = Optional.empty();
    private Optional<SpfDns> spfDns = Optional.empty();
    private Optional<DeliveryResult> deliveryResult = Optional.empty();
    private int incidents = 1;
    private byte @Nullable [] originalHeader;
    private Optional<byte[]> originalBody = Optional.empty();

    private Builder() {}

    /**
     * Sets when the message arrived.
     *
     * @param arrivalDate the arrival time
     * @return this builder
     */
    public Builder arrivalDate(Instant arrivalDate) {
      this.arrivalDate = Objects.requireNonNull(arrivalDate, "arrivalDate");
      return this;
    }

    /**
     * Sets the SMTP client's address.
     *
     * @param sourceIp the address
     * @return this builder
     */
    public Builder sourceIp(InetAddress sourceIp) {
      this.sourceIp = Objects.requireNonNull(sourceIp, "sourceIp");
      return this;
    }

    /**
     * Sets the SMTP {@code MAIL FROM} address (without angle brackets; the empty string for the
     * null sender).
     *
     * @param address the reverse-path address
     * @return this builder
     */
    public Builder originalMailFrom(String address) {
      this.originalMailFrom = Optional.of(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * Adds an SMTP {@code RCPT TO} address (without angle brackets).
     *
     * @param address the forward-path address
     * @return this builder
     */
    public Builder addOriginalRcptTo(String address) {
      originalRcptTo.add(Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * Sets the RFC5322.From domain.
     *
     * @param domain the domain
     * @return this builder
     */
    public Builder reportedDomain(String domain) {
      this.reportedDomain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets the domain whose DMARC record asked for the report (default: the reported domain).
     *
     * @param domain the policy domain
     * @return this builder
     */
    public Builder policyDomain(String domain) {
      this.policyDomain = Objects.requireNonNull(domain, "domain");
      return this;
    }

    /**
     * Sets the value of the receiver's Authentication-Results field.
     *
     * @param value the field value (after the colon)
     * @return this builder
     */
    public Builder authenticationResults(String value) {
      this.authenticationResults = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Sets the kind of failure.
     *
     * @param authFailure the failure
     * @return this builder
     */
    public Builder authFailure(AuthFailure authFailure) {
      this.authFailure = Objects.requireNonNull(authFailure, "authFailure");
      return this;
    }

    /**
     * Adds a mechanism that failed to authenticate an aligned identity (RFC 9991 §4).
     *
     * @param method the mechanism
     * @return this builder
     */
    public Builder failedAligned(DmarcMethod method) {
      identityAlignment.add(Objects.requireNonNull(method, "method"));
      return this;
    }

    /**
     * Sets the DKIM signature the report is about.
     *
     * @param fields the signature's domain, selector and identity
     * @return this builder
     */
    public Builder dkim(DkimFields fields) {
      this.dkim = Optional.of(Objects.requireNonNull(fields, "fields"));
      return this;
    }

    /**
     * Sets the SPF record used.
     *
     * @param spfDns the record and where it was found
     * @return this builder
     */
    public Builder spfDns(SpfDns spfDns) {
      this.spfDns = Optional.of(Objects.requireNonNull(spfDns, "spfDns"));
      return this;
    }

    /**
     * Sets what the receiver did with the message.
     *
     * @param result the delivery result
     * @return this builder
     */
    public Builder deliveryResult(DeliveryResult result) {
      this.deliveryResult = Optional.of(Objects.requireNonNull(result, "result"));
      return this;
    }

    /**
     * Sets how many similar incidents the report stands for (default 1).
     *
     * @param incidents the count, at least 1
     * @return this builder
     */
    public Builder incidents(int incidents) {
      this.incidents = incidents;
      return this;
    }

    /**
     * Sets the header section of the original message.
     *
     * @param header the header bytes as received
     * @return this builder
     */
    public Builder originalHeader(byte[] header) {
      this.originalHeader = Objects.requireNonNull(header, "header").clone();
      return this;
    }

    /**
     * Sets the body of the original message (sent only if the policy includes bodies).
     *
     * @param body the body bytes as received
     * @return this builder
     */
    public Builder originalBody(byte[] body) {
      this.originalBody = Optional.of(Objects.requireNonNull(body, "body").clone());
      return this;
    }

    /**
     * {@return the report}
     *
     * @throws IllegalStateException if a required value was not set
     * @throws IllegalArgumentException if the values do not make a valid report (see the record's
     *     constructor)
     */
    public FailureReport build() {
      return new FailureReport(
          required(arrivalDate, "arrivalDate"),
          required(sourceIp, "sourceIp"),
          originalMailFrom,
          originalRcptTo,
          required(reportedDomain, "reportedDomain"),
          policyDomain != null ? policyDomain : required(reportedDomain, "reportedDomain"),
          required(authenticationResults, "authenticationResults"),
          required(authFailure, "authFailure"),
          identityAlignment,
          dkim,
          spfDns,
          deliveryResult,
          incidents,
          required(originalHeader, "originalHeader"),
          originalBody);
    }

    private static <T> T required(@Nullable T value, String what) {
      if (value == null) {
        throw new IllegalStateException(what + " was not set");
      }
      return value;
    }
  }
}
