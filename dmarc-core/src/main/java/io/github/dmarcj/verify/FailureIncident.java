// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

import io.github.dmarcj.authres.AuthenticationResults;
import io.github.dmarcj.dmarc.DmarcOutcome;
import io.github.dmarcj.dmarc.DmarcRecord;
import io.github.dmarcj.dmarc.FailureReportOption;
import io.github.dmarcj.dmarc.PsdFlag;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a failure report (RFC 9991; RFC 7489 §7.3) about one message needs, handed to a {@link
 * FailureReportSink} only when the domain's DMARC record asks for one ({@code ruf} and {@code fo})
 * or the SPF record that was evaluated does ({@code ra=}, RFC 6652), and the embedding server
 * turned failure reporting on.
 *
 * @param arrival when the message was evaluated
 * @param envelope the client address, HELO name and MAIL FROM
 * @param envelopeTo the RCPT TO domain if the caller gave it
 * @param header the message's header section as received (every field's bytes, in order)
 * @param message the whole message as received, when the facade was told to keep it and had it (not
 *     for streamed messages)
 * @param spf the SPF outcome
 * @param dkim the DKIM outcomes, in header order
 * @param dmarc the DMARC outcome
 * @param authenticationResults the receiver's Authentication-Results
 * @param triggers why reports are due ({@link #triggers(DmarcOutcome, SpfOutcome, List)})
 * @since 0.1.0
 */
public record FailureIncident(
    Instant arrival,
    SmtpEnvelope envelope,
    Optional<String> envelopeTo,
    byte[] header,
    Optional<byte[]> message,
    SpfOutcome spf,
    List<DkimOutcome> dkim,
    DmarcOutcome dmarc,
    AuthenticationResults authenticationResults,
    Set<Trigger> triggers) {

  /**
   * Checks that every component is present and at least one trigger is given; copies the lists.
   *
   * @param arrival when the message was evaluated
   * @param envelope the client address, HELO name and MAIL FROM
   * @param envelopeTo the RCPT TO domain if the caller gave it
   * @param header the message's header section as received
   * @param message the whole message, when kept
   * @param spf the SPF outcome
   * @param dkim the DKIM outcomes, in header order
   * @param dmarc the DMARC outcome
   * @param authenticationResults the receiver's Authentication-Results
   * @param triggers why reports are due
   */
  public FailureIncident {
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(envelopeTo, "envelopeTo");
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(dmarc, "dmarc");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
    dkim = List.copyOf(dkim);
    if (triggers.isEmpty()) {
      throw new IllegalArgumentException("an incident needs at least one trigger");
    }
    triggers = Set.copyOf(triggers);
  }

  /** Why a failure report is due (RFC 9989 §4.7 {@code fo}; RFC 7489 §6.3). */
  public enum Trigger {
    /**
     * DMARC: {@code fo=0} and no mechanism produced an aligned pass, or {@code fo=1} and at least
     * one did not.
     */
    DMARC,
    /** {@code fo=d}: a DKIM signature failed verification, aligned or not (RFC 6651 format). */
    DKIM,
    /** {@code fo=s}: SPF failed, aligned or not (RFC 6652 format). */
    SPF,
    /**
     * The SPF record itself asked for a report of this result ({@code ra=}, {@code rr=}, {@code
     * rp=}; RFC 6652 §3), sent to {@link SpfOutcome#reportRequest()}'s address, whatever DMARC
     * says.
     */
    SPF_RECORD
  }

  /** An authentication mechanism that DMARC uses, for {@code Identity-Alignment} (RFC 9991 §4). */
  public enum Mechanism {
    /** DKIM. */
    DKIM,
    /** SPF. */
    SPF
  }

  /**
   * {@return why failure reports are due for a message, per the {@code fo} of the record that
   * applied; empty when none is: no record, no {@code ruf}, a PSD record ({@code psd=y}, whose
   * failure reports are not sent), or a result other than pass or fail}
   *
   * @param dmarc the DMARC outcome
   * @param spf the SPF outcome
   * @param dkim the DKIM outcomes
   */
  public static Set<Trigger> triggers(DmarcOutcome dmarc, SpfOutcome spf, List<DkimOutcome> dkim) {
    Optional<DmarcRecord> r = dmarc.record();
    if (r.isEmpty()
        || r.get().ruf().isEmpty()
        || r.get().psd() == PsdFlag.Y
        || (dmarc.result() != DmarcResult.PASS && dmarc.result() != DmarcResult.FAIL)) {
      return Set.of();
    }
    Set<FailureReportOption> fo = r.get().fo();
    Set<Trigger> out = EnumSet.noneOf(Trigger.class);
    boolean dkimAligned = dmarc.dkimAligned();
    boolean spfAligned = dmarc.spfAligned();
    if (fo.contains(FailureReportOption.ANY_FAIL)
        ? !dkimAligned || !spfAligned
        : fo.contains(FailureReportOption.ALL_FAIL) && !dkimAligned && !spfAligned) {
      out.add(Trigger.DMARC);
    }
    if (fo.contains(FailureReportOption.DKIM) && dkim.stream().anyMatch(FailureIncident::failed)) {
      out.add(Trigger.DKIM);
    }
    if (fo.contains(FailureReportOption.SPF) && spf.result() == SpfResult.FAIL) {
      out.add(Trigger.SPF);
    }
    return out;
  }

  /**
   * {@return true if the SPF record that was evaluated asks for a report of this result (RFC 6652
   * §3): it has a usable {@code ra=}, {@code rr=} names the result, and the message falls within
   * the {@code rp=} share ({@code sample} is drawn only when the share is between 0 and 100)}
   *
   * @param spf the SPF outcome
   * @param sample a uniform draw from 0 (inclusive) to 100 (exclusive)
   */
  public static boolean spfRecordRequests(SpfOutcome spf, java.util.function.IntSupplier sample) {
    Objects.requireNonNull(sample, "sample");
    if (spf.reportRequest().isEmpty() || !spf.reportRequest().get().wants(spf.result())) {
      return false;
    }
    int share = spf.reportRequest().get().percentage();
    return share >= 100 || (share > 0 && sample.getAsInt() < share);
  }

  /**
   * {@return true if the signature failed verification: a wrong signature or body hash, or a key
   * that is revoked or unusable ({@code fail} and {@code permerror} with a key or signature at
   * fault)}
   *
   * @param d a DKIM outcome
   */
  public static boolean failed(DkimOutcome d) {
    return d.result() == DkimResult.FAIL || d.result() == DkimResult.PERMERROR;
  }

  /** {@return the signatures that failed verification, for {@link Trigger#DKIM} reports} */
  public List<DkimOutcome> failedSignatures() {
    List<DkimOutcome> out = new ArrayList<>();
    for (DkimOutcome d : dkim) {
      if (failed(d)) {
        out.add(d);
      }
    }
    return out;
  }

  /**
   * {@return the mechanisms that did not produce an aligned pass ({@code Identity-Alignment}, RFC
   * 9991 §4); empty means both did}
   */
  public Set<Mechanism> unaligned() {
    Set<Mechanism> out = EnumSet.noneOf(Mechanism.class);
    if (!dmarc.dkimAligned()) {
      out.add(Mechanism.DKIM);
    }
    if (!dmarc.spfAligned()) {
      out.add(Mechanism.SPF);
    }
    return out;
  }
}
