// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * A local policy override configured by the embedder (RFC 9989 §5.3 and §5.4, RFC 9990 §3.1.6).
 * Rules are consulted in the order they were added to the builder, only for messages whose DMARC
 * result is {@code fail} and whose disposition is not already {@code none}; the first rule that
 * returns a decision wins.
 *
 * <p>Implementations must be thread-safe and must not block. Standard rules come from the static
 * factories: {@link #trustedForwarderNetworks}, {@link #trustedForwarderDomains} and {@link
 * #mailingLists}.
 */
@FunctionalInterface
public interface OverrideRule {

  /**
   * Decides whether to override.
   *
   * @param input the message
   * @param preliminary the outcome so far: result {@code fail}, the disposition after {@code
   *     pct}/{@code t}
   * @return the decision, or empty to leave the disposition alone
   */
  Optional<Decision> evaluate(DmarcInput input, DmarcOutcome preliminary);

  /**
   * The new disposition and the reason reported for it.
   *
   * @param disposition the new disposition
   * @param reason the override reason reported
   * @param comment a comment for the report, possibly empty
   */
  record Decision(DmarcPolicy disposition, OverrideReason reason, String comment) {
    /**
     * Checks that every component is present.
     *
     * @param disposition the new disposition
     * @param reason the override reason reported
     * @param comment a comment for the report, possibly empty
     */
    public Decision {
      Objects.requireNonNull(disposition, "disposition");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(comment, "comment");
    }
  }

  /**
   * Messages from a client address within one of {@code cidrs} (for example {@code "192.0.2.0/24"},
   * {@code "2001:db8::/32"}, or a single address) get disposition {@code none} with reason {@code
   * trusted_forwarder}.
   *
   * @param cidrs addresses and CIDR blocks
   * @return the rule
   * @throws IllegalArgumentException if a range is not an address or CIDR block
   */
  static OverrideRule trustedForwarderNetworks(Collection<String> cidrs) {
    return OverrideRules.networks(cidrs);
  }

  /**
   * Messages carrying a passing DKIM signature whose {@code d=} is one of {@code domains} (or a
   * subdomain of one), or an SPF {@code pass} for a MAIL FROM in one of them, get disposition
   * {@code none} with reason {@code trusted_forwarder}: the forwarder authenticated itself.
   *
   * @param domains the forwarders' domains
   * @return the rule
   */
  static OverrideRule trustedForwarderDomains(Collection<String> domains) {
    return OverrideRules.forwarderDomains(domains);
  }

  /**
   * Messages whose {@code List-Id} names one of {@code listIdDomains} (the list-id, or a domain it
   * ends in) get disposition {@code none} with reason {@code mailing_list}.
   *
   * @param listIdDomains the list domains
   * @return the rule
   */
  static OverrideRule mailingLists(Collection<String> listIdDomains) {
    return OverrideRules.mailingLists(listIdDomains);
  }
}
