// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.report.mail.FailureMailComposer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Turns the reports a {@link FailureIncidentStore} kept into ARF mails with a {@link
 * FailureReportMail}. {@code SPF-DNS} (RFC 6591 §3.2), which RFC 9991 §4 requires when SPF failed
 * for an aligned identifier, is the SPF record of the MAIL FROM domain (the HELO name for the null
 * sender) as DNS gives it when the report is built; when DNS has none, the field says so.
 *
 * @since 0.1.0
 */
public final class StoredReportComposer implements FailureMailComposer {
  private final FailureReportMail mail;
  private final DnsResolver resolver;
  private final Duration dnsTimeout;

  /**
   * A composer.
   *
   * @param mail builds the mail (From, redaction, signing)
   * @param resolver looks up the SPF record for {@code SPF-DNS}
   * @param dnsTimeout the longest wait for that lookup
   */
  public StoredReportComposer(FailureReportMail mail, DnsResolver resolver, Duration dnsTimeout) {
    this.mail = Objects.requireNonNull(mail, "mail");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.dnsTimeout = Objects.requireNonNull(dnsTimeout, "dnsTimeout");
  }

  @Override
  public byte[] compose(FailureIncidentStore.Stored report, String reportId, String to) {
    return mail.compose(toReport(report), to);
  }

  /**
   * {@return the report model of a stored report}
   *
   * @param r the stored report
   */
  public FailureReport toReport(FailureIncidentStore.Stored r) {
    InetAddress ip;
    try {
      ip = InetAddress.getByName(r.sourceIp()); // an address literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalStateException("stored source address is not a literal: " + r.sourceIp(), e);
    }
    FailureReport.Builder b =
        FailureReport.builder()
            .arrivalDate(r.created())
            .sourceIp(ip)
            .reportedDomain(r.reportedDomain())
            .policyDomain(r.policyDomain())
            .authenticationResults(r.authResults())
            .authFailure(r.authFailure())
            .deliveryResult(DeliveryResult.valueOf(r.deliveryResult().toUpperCase(Locale.ROOT)))
            .incidents(r.incidents())
            .originalHeader(r.header());
    r.mailFrom().ifPresent(b::originalMailFrom);
    for (String m : r.identityAlignment().split(",")) {
      switch (m) {
        case "dkim" -> b.failedAligned(DmarcMethod.DKIM);
        case "spf" -> b.failedAligned(DmarcMethod.SPF);
        default -> {}
      }
    }
    if (r.dkimDomain().isPresent()) {
      String d = r.dkimDomain().get();
      b.dkim(
          new FailureReport.DkimFields(
              d, r.dkimSelector().orElse(""), r.dkimIdentity().orElse("@" + d)));
    }
    if (r.authFailure() == AuthFailure.SPF || r.identityAlignment().contains("spf")) {
      String domain =
          r.mailFrom()
              .map(m -> m.substring(m.lastIndexOf('@') + 1))
              .filter(s -> !s.isEmpty())
              .orElse(r.helo());
      b.spfDns(new FailureReport.SpfDns(domain, spfRecord(domain)));
    }
    r.message().flatMap(StoredReportComposer::body).ifPresent(b::originalBody);
    return b.build();
  }

  /** The v=spf1 record at {@code domain}, or a note why there is none. */
  private String spfRecord(String domain) {
    try {
      DnsLookup<String> l =
          resolver
              .txt(domain)
              .toCompletableFuture()
              .get(dnsTimeout.toMillis(), TimeUnit.MILLISECONDS);
      if (l instanceof DnsLookup.Found<String> f) {
        for (String t : f.records()) {
          String lower = t.toLowerCase(Locale.ROOT);
          if (lower.equals("v=spf1") || lower.startsWith("v=spf1 ")) {
            return t;
          }
        }
      }
      return "(no SPF record found when this report was made)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(no answer from DNS when this report was made)";
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | RuntimeException e) {
      return "(no answer from DNS when this report was made)";
    }
  }

  /** The body of a whole message: what follows the first empty line. */
  static Optional<byte[]> body(byte[] message) {
    for (int i = 0; i + 1 < message.length; i++) {
      if (message[i] == '\n') {
        if (message[i + 1] == '\n') {
          return Optional.of(Arrays.copyOfRange(message, i + 2, message.length));
        }
        if (message[i + 1] == '\r' && i + 2 < message.length && message[i + 2] == '\n') {
          return Optional.of(Arrays.copyOfRange(message, i + 3, message.length));
        }
      }
    }
    return Optional.empty();
  }
}
