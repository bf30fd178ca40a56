// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.util.Objects;

/** The answer of an {@link OrganizationalDomainFinder}. */
public sealed interface OrganizationalDomainOutcome
    permits OrganizationalDomainOutcome.Found, OrganizationalDomainOutcome.TempFail {

  /** The Organizational Domain and the method that found it. */
  record Found(DomainName organizationalDomain, DiscoveryMethod method)
      implements OrganizationalDomainOutcome {
    public Found {
      Objects.requireNonNull(organizationalDomain, "organizationalDomain");
      Objects.requireNonNull(method, "method");
    }
  }

  /** A DNS query the method needed failed temporarily. */
  record TempFail(String detail) implements OrganizationalDomainOutcome {
    public TempFail {
      Objects.requireNonNull(detail, "detail");
    }
  }
}
