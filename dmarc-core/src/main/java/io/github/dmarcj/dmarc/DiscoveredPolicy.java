// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.domain.DiscoveryMethod;
import io.github.dmarcj.domain.DomainName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which DMARC record applies to an author domain, and how it was found (RFC 9989 §4.10.1, RFC 7489
 * §6.6.3): what {@link DmarcEvaluator#discover(DomainName)} found. The search itself is in the
 * package-private {@code PolicyDiscovery} and {@code TreeWalk}; the evaluator and {@link
 * DmarcRecordCheck} both use the result.
 *
 * @param authorDomain the domain asked about
 * @param mode the specification followed
 * @param method tree walk or Public Suffix List
 * @param record the policy record that applies, if one does
 * @param policyDomain the name whose {@code _dmarc} record applies
 * @param source where that name sits relative to the author domain
 * @param organizationalDomain the author domain's Organizational Domain, if determined
 * @param problem why no record applies (no record, several records, DNS failure); empty when a
 *     record was found
 * @param queries every {@code _dmarc} name queried, in order, with what was there
 */
public record DiscoveredPolicy(
    DomainName authorDomain,
    DmarcMode mode,
    DiscoveryMethod method,
    Optional<DmarcRecord> record,
    Optional<DomainName> policyDomain,
    Optional<RecordSource> source,
    Optional<DomainName> organizationalDomain,
    Optional<DmarcReason> problem,
    List<Query> queries) {
  /**
   * Checks that every component is present; copies the queries.
   *
   * @param authorDomain the domain asked about
   * @param mode the specification followed
   * @param method tree walk or Public Suffix List
   * @param record the policy record that applies, if one does
   * @param policyDomain the name whose {@code _dmarc} record applies
   * @param source where that name sits relative to the author domain
   * @param organizationalDomain the author domain's Organizational Domain, if determined
   * @param problem why no record applies (no record, several records, DNS failure); empty when a
   *     record was found
   * @param queries every {@code _dmarc} name queried, in order, with what was there
   */
  public DiscoveredPolicy {
    Objects.requireNonNull(authorDomain, "authorDomain");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    Objects.requireNonNull(problem, "problem");
    queries = List.copyOf(queries);
  }

  /**
   * One {@code _dmarc} query.
   *
   * @param domain the domain whose {@code _dmarc} name was queried
   * @param answer what was there
   * @param dmarcTexts the TXT texts that start with {@code v=DMARC1} and parse as records
   * @param discarded TXT texts that start with {@code v=DMARC1} but are no record, with why (for
   *     instance {@link DmarcRecordParser.NotDmarcReason#TOO_LONG}); they count as absent
   */
  public record Query(
      DomainName domain,
      Answer answer,
      List<String> dmarcTexts,
      List<DmarcRecordParser.NotDmarc> discarded) {
    /**
     * Checks that domain and answer are present; copies the lists.
     *
     * @param domain the domain whose {@code _dmarc} name was queried
     * @param answer what was there
     * @param dmarcTexts the TXT texts that start with {@code v=DMARC1} and parse as records
     * @param discarded TXT texts that start with {@code v=DMARC1} but are no record, with why (for
     *     instance {@link DmarcRecordParser.NotDmarcReason#TOO_LONG}); they count as absent
     */
    public Query {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(answer, "answer");
      dmarcTexts = List.copyOf(dmarcTexts);
      discarded = List.copyOf(discarded);
    }

    /**
     * A query with nothing discarded.
     *
     * @param domain the domain queried (without {@code _dmarc})
     * @param answer what the DNS answered
     * @param dmarcTexts the TXT records that start like a DMARC record
     */
    public Query(DomainName domain, Answer answer, List<String> dmarcTexts) {
      this(domain, answer, dmarcTexts, List.of());
    }
  }

  /** What one {@code _dmarc} query found. */
  public enum Answer {
    /** Exactly one DMARC record. */
    ONE_RECORD,
    /** No TXT record starting with {@code v=DMARC1} (NXDOMAIN, NODATA or other TXT only). */
    NO_RECORD,
    /** Several DMARC records: none counts at this name. */
    MULTIPLE_RECORDS,
    /** The query failed temporarily. */
    TEMPFAIL
  }
}
