// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.message.FromStatus;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.SpfOutcome;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What DMARC evaluates for one message (RFC 9989 §5.3).
 *
 * @param fromStatus what the From field(s) gave; anything but {@link FromStatus#OK} means DMARC
 *     cannot be evaluated normally (RFC 9989 §5.3.1 and §11.5)
 * @param authorDomains the From domains as written (U-labels allowed): exactly one when {@code
 *     fromStatus} is OK; for {@link FromStatus#MULTIPLE_FIELDS} or {@link
 *     FromStatus#MULTIPLE_ADDRESSES}, every domain seen, used only by the optional "strictest
 *     policy" mode; otherwise empty
 * @param spf the SPF outcome; only the {@link io.github.dmarcj.result.SpfScope#MFROM} scope is used
 *     (for a null sender that is {@code postmaster@HELO}, RFC 7208 §2.4); empty if SPF was not run
 * @param dkim one outcome per DKIM-Signature
 * @param clientIp the SMTP client address, for override rules
 * @param listId the {@code List-Id} field value, for mailing-list override rules
 * @param headerLimitExceeded a header limit cut the message's header, so DKIM could not check it
 *     whole; the evaluator then never returns {@code none} and applies at least its {@linkplain
 *     DmarcEvaluator.Builder#headerLimitDisposition header-limit disposition}
 */
public record DmarcInput(
    FromStatus fromStatus,
    List<String> authorDomains,
    Optional<SpfOutcome> spf,
    List<DkimOutcome> dkim,
    Optional<InetAddress> clientIp,
    Optional<String> listId,
    boolean headerLimitExceeded) {
  /**
   * Checks the components (status {@code OK} needs exactly one Author Domain); copies the lists.
   *
   * @param fromStatus what the From field(s) gave; anything but {@link FromStatus#OK} means DMARC
   *     cannot be evaluated normally (RFC 9989 §5.3.1 and §11.5)
   * @param authorDomains the From domains as written (U-labels allowed): exactly one when {@code
   *     fromStatus} is OK; for {@link FromStatus#MULTIPLE_FIELDS} or {@link
   *     FromStatus#MULTIPLE_ADDRESSES}, every domain seen, used only by the optional "strictest
   *     policy" mode; otherwise empty
   * @param spf the SPF outcome; only the {@link io.github.dmarcj.result.SpfScope#MFROM} scope is
   *     used (for a null sender that is {@code postmaster@HELO}, RFC 7208 §2.4); empty if SPF was
   *     not run
   * @param dkim one outcome per DKIM-Signature
   * @param clientIp the SMTP client address, for override rules
   * @param listId the {@code List-Id} field value, for mailing-list override rules
   * @param headerLimitExceeded a header limit cut the message's header, so DKIM could not check it
   *     whole; the evaluator then never returns {@code none} and applies at least its {@linkplain
   *     DmarcEvaluator.Builder#headerLimitDisposition header-limit disposition}
   */
  public DmarcInput {
    Objects.requireNonNull(fromStatus, "fromStatus");
    authorDomains = List.copyOf(authorDomains);
    Objects.requireNonNull(spf, "spf");
    dkim = List.copyOf(dkim);
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(listId, "listId");
    if (fromStatus == FromStatus.OK && authorDomains.size() != 1) {
      throw new IllegalArgumentException(
          "status OK needs exactly one author domain, got " + authorDomains);
    }
  }

  /**
   * {@return a message with one From domain (as written; U-labels allowed) and the given SPF and
   * DKIM outcomes; {@code spf} may be {@code null} when SPF was not run}
   *
   * @param authorDomain the From domain
   * @param spf the SPF outcome of the MAIL FROM identity, or {@code null}
   * @param dkim one outcome per DKIM-Signature
   */
  public static DmarcInput of(String authorDomain, SpfOutcome spf, List<DkimOutcome> dkim) {
    Objects.requireNonNull(authorDomain, "authorDomain");
    Objects.requireNonNull(dkim, "dkim");
    return new DmarcInput(
        FromStatus.OK,
        List.of(authorDomain),
        Optional.ofNullable(spf),
        dkim,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /**
   * {@return a message whose From field(s) were read by {@link
   * io.github.dmarcj.message.AuthorDomains}: its status and domains are carried over unchanged}
   *
   * @param from the From reading of the message
   * @param spf the SPF outcome of the MAIL FROM identity, or {@code null}
   * @param dkim one outcome per DKIM-Signature
   */
  public static DmarcInput of(
      io.github.dmarcj.message.AuthorDomains from, SpfOutcome spf, List<DkimOutcome> dkim) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(dkim, "dkim");
    List<String> domains = new java.util.ArrayList<>();
    for (io.github.dmarcj.domain.DomainName d : from.domains()) {
      domains.add(d.name());
    }
    return new DmarcInput(
        from.status(),
        domains,
        Optional.ofNullable(spf),
        dkim,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  /**
   * {@return a message whose From field(s) did not give one domain}
   *
   * @param status what the From field(s) gave
   * @param domains every From domain seen
   * @param spf the SPF outcome of the MAIL FROM identity, or {@code null}
   * @param dkim one outcome per DKIM-Signature
   */
  public static DmarcInput withFromProblem(
      FromStatus status, List<String> domains, SpfOutcome spf, List<DkimOutcome> dkim) {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(domains, "domains");
    Objects.requireNonNull(dkim, "dkim");
    if (status == FromStatus.OK) {
      throw new IllegalArgumentException("use of(...) for a From status of OK");
    }
    return new DmarcInput(
        status, domains, Optional.ofNullable(spf), dkim, Optional.empty(), Optional.empty(), false);
  }

  /**
   * {@return this input with the client address set}
   *
   * @param ip the SMTP client's address
   */
  public DmarcInput withClientIp(InetAddress ip) {
    return new DmarcInput(
        fromStatus, authorDomains, spf, dkim, Optional.of(ip), listId, headerLimitExceeded);
  }

  /**
   * {@return this input with the {@code List-Id} value set}
   *
   * @param id the {@code List-Id} field value
   */
  public DmarcInput withListId(String id) {
    return new DmarcInput(
        fromStatus, authorDomains, spf, dkim, clientIp, Optional.of(id), headerLimitExceeded);
  }

  /** {@return this input marked as cut by a header limit (see {@link #headerLimitExceeded()})} */
  public DmarcInput withHeaderLimitExceeded() {
    return new DmarcInput(fromStatus, authorDomains, spf, dkim, clientIp, listId, true);
  }
}
