// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.Locale;

/**
 * Why an SPF check ended in {@code none}, {@code temperror} or {@code permerror} rather than in a
 * mechanism match or the default {@code neutral} (RFC 7208 §2.6, §4, §4.6.4, §5, §6).
 */
public enum SpfProblem {
  /** The identity's domain is malformed, a single label or an address literal (§4.3). */
  INVALID_DOMAIN(SpfResult.NONE),
  /** The domain has no {@code v=spf1} TXT record or does not exist (§4.5). */
  NO_SPF_RECORD(SpfResult.NONE),
  /** More than one {@code v=spf1} record at one name (§4.5). */
  MULTIPLE_RECORDS(SpfResult.PERMERROR),
  /** The record, a term or a macro string does not follow the grammar (§4.6, §7.1, §12). */
  SYNTAX_ERROR(SpfResult.PERMERROR),
  /** {@code redirect} or {@code exp} appears more than once in a record (§6). */
  DUPLICATE_MODIFIER(SpfResult.PERMERROR),
  /** More DNS-querying terms than allowed across the whole evaluation (§4.6.4). */
  TOO_MANY_DNS_LOOKUPS(SpfResult.PERMERROR),
  /** More void lookups (NXDOMAIN or no answer) than allowed (§4.6.4). */
  TOO_MANY_VOID_LOOKUPS(SpfResult.PERMERROR),
  /** An {@code mx} term found more MX names than allowed (§4.6.4). */
  TOO_MANY_MX_NAMES(SpfResult.PERMERROR),
  /** An {@code include} target has no SPF record (§5.2). */
  INCLUDE_NONE(SpfResult.PERMERROR),
  /** A {@code redirect} target has no SPF record or is malformed (§6.1). */
  REDIRECT_NONE(SpfResult.PERMERROR),
  /** A DNS query failed (SERVFAIL, timeout, ...) (§4.4, §5). */
  DNS_TEMPFAIL(SpfResult.TEMPERROR),
  /** The evaluation ran out of its time budget (§4.6.4, §11.1). */
  TIME_BUDGET(SpfResult.TEMPERROR),
  /** The resolver or this library misbehaved (threw or completed exceptionally). */
  INTERNAL_ERROR(SpfResult.TEMPERROR),
  /**
   * The verification facade stopped waiting for the SPF verifier ({@code
   * MessageAuthenticator.Builder#timeout}); dmarc-spf ends sooner on its own budget ({@link
   * #TIME_BUDGET}), so this comes only from a verifier without one.
   */
  TIMEOUT(SpfResult.TEMPERROR);

  private final SpfResult result;

  SpfProblem(SpfResult result) {
    this.result = result;
  }

  /** {@return the SPF result this problem leads to} */
  public SpfResult result() {
    return result;
  }

  /** {@return a lower-case keyword for logs and headers: {@code too-many-dns-lookups}} */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
