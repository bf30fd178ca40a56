// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.util.Objects;
import java.util.Optional;

/** The answer of an {@link OrganizationalDomainFinder}. */
public sealed interface OrganizationalDomainOutcome
    permits OrganizationalDomainOutcome.Found, OrganizationalDomainOutcome.TempFail {

  /**
   * The Organizational Domain, the method that found it and, for {@link DiscoveryMethod#PSL}, the
   * list that was used (RFC 9989 Appendix C.3: the answer changes as the list changes).
   *
   * @param organizationalDomain the Organizational Domain
   * @param method how it was found
   * @param publicSuffixList the list used, for {@link DiscoveryMethod#PSL}
   */
  record Found(
      DomainName organizationalDomain,
      DiscoveryMethod method,
      Optional<PublicSuffixListVersion> publicSuffixList)
      implements OrganizationalDomainOutcome {
    /**
     * Checks that every component is present.
     *
     * @param organizationalDomain the Organizational Domain
     * @param method how it was found
     * @param publicSuffixList the list used, for {@link DiscoveryMethod#PSL}
     */
    public Found {
      Objects.requireNonNull(organizationalDomain, "organizationalDomain");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(publicSuffixList, "publicSuffixList");
    }

    /**
     * A domain found without a Public Suffix List (or by a list that does not say which).
     *
     * @param organizationalDomain the Organizational Domain
     * @param method how it was found
     */
    public Found(DomainName organizationalDomain, DiscoveryMethod method) {
      this(organizationalDomain, method, Optional.empty());
    }
  }

  /**
   * A DNS query the method needed failed temporarily.
   *
   * @param detail which query failed, for logs
   */
  record TempFail(String detail) implements OrganizationalDomainOutcome {
    /**
     * Checks that the detail is present.
     *
     * @param detail which query failed, for logs
     */
    public TempFail {
      Objects.requireNonNull(detail, "detail");
    }
  }
}
