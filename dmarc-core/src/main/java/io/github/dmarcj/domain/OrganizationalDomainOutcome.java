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
   */
  record Found(
      DomainName organizationalDomain,
      DiscoveryMethod method,
      Optional<PublicSuffixListVersion> publicSuffixList)
      implements OrganizationalDomainOutcome {
    public Found {
      Objects.requireNonNull(organizationalDomain, "organizationalDomain");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(publicSuffixList, "publicSuffixList");
    }

    /** A domain found without a Public Suffix List (or by a list that does not say which). */
    public Found(DomainName organizationalDomain, DiscoveryMethod method) {
      this(organizationalDomain, method, Optional.empty());
    }
  }

  /** A DNS query the method needed failed temporarily. */
  record TempFail(String detail) implements OrganizationalDomainOutcome {
    public TempFail {
      Objects.requireNonNull(detail, "detail");
    }
  }
}
