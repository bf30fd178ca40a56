// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.util.concurrent.CompletionStage;

/**
 * Finds the Organizational Domain of a domain name: by the RFC 9989 §4.10 DNS tree walk, or by the
 * Public Suffix List as RFC 7489 §3.2 describes. Never completes exceptionally for anything the DNS
 * does; a DNS failure that leaves the answer undecided is {@link
 * OrganizationalDomainOutcome.TempFail}.
 */
@FunctionalInterface
public interface OrganizationalDomainFinder {
  /**
   * {@return the Organizational Domain of {@code domain}}
   *
   * @param domain the domain whose Organizational Domain is wanted
   */
  CompletionStage<OrganizationalDomainOutcome> find(DomainName domain);
}
