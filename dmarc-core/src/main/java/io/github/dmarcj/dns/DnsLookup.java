// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one DNS query: records found, NODATA, NXDOMAIN or a temporary failure. Each
 * protocol maps these to its own results.
 *
 * @param <T> the record data type
 */
public sealed interface DnsLookup<T>
    permits DnsLookup.Found, DnsLookup.NoData, DnsLookup.NxDomain, DnsLookup.TempFail {

  /**
   * Records of the requested type exist; {@code ttlSeconds} is the smallest TTL among them.
   *
   * @param records the records, at least one
   * @param ttlSeconds the smallest TTL among them, in seconds
   */
  record Found<T>(List<T> records, long ttlSeconds) implements DnsLookup<T> {
    /**
     * Copies the records; checks that there is at least one and that the TTL is not negative.
     *
     * @param records the records, at least one
     * @param ttlSeconds the smallest TTL among them, in seconds
     */
    public Found {
      records = List.copyOf(records);
      if (records.isEmpty()) {
        throw new IllegalArgumentException("a Found lookup needs at least one record");
      }
      if (ttlSeconds < 0) {
        throw new IllegalArgumentException("ttl must not be negative, was " + ttlSeconds);
      }
    }
  }

  /**
   * The name exists but has no record of the requested type (NOERROR, empty answer). {@code
   * negativeTtlSeconds} comes from the SOA of the authority section (RFC 2308 §5), or 0.
   */
  record NoData<T>(long negativeTtlSeconds) implements DnsLookup<T> {}

  /** The name does not exist (RCODE 3). */
  record NxDomain<T>(long negativeTtlSeconds) implements DnsLookup<T> {}

  /**
   * No answer could be had now; the same query may succeed later.
   *
   * @param reason why no answer could be had
   * @param detail a short description for logs, possibly empty
   */
  record TempFail<T>(TempFailReason reason, String detail) implements DnsLookup<T> {
    /**
     * Checks that reason and detail are present.
     *
     * @param reason why no answer could be had
     * @param detail a short description for logs, possibly empty
     */
    public TempFail {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * {@return true for {@link NoData} and {@link NxDomain}: a "void lookup" in RFC 7208 §4.6.4
   * terms}
   */
  default boolean isVoid() {
    return this instanceof NoData || this instanceof NxDomain;
  }

  /** {@return the records if found, otherwise an empty list} */
  default List<T> recordsOrEmpty() {
    return this instanceof Found<T> f ? f.records() : List.of();
  }

  /**
   * Records found.
   *
   * @param <T> the record data type
   * @param records the records, at least one
   * @param ttlSeconds the smallest TTL among them
   * @return a {@link Found}
   */
  static <T> DnsLookup<T> found(List<T> records, long ttlSeconds) {
    return new Found<>(records, ttlSeconds);
  }

  /**
   * The name exists without records of the type asked (NODATA).
   *
   * @param <T> the record data type
   * @param negativeTtlSeconds the negative TTL from the SOA record, or 0
   * @return a {@link NoData}
   */
  static <T> DnsLookup<T> noData(long negativeTtlSeconds) {
    return new NoData<>(negativeTtlSeconds);
  }

  /**
   * The name does not exist (NXDOMAIN).
   *
   * @param <T> the record data type
   * @param negativeTtlSeconds the negative TTL from the SOA record, or 0
   * @return an {@link NxDomain}
   */
  static <T> DnsLookup<T> nxDomain(long negativeTtlSeconds) {
    return new NxDomain<>(negativeTtlSeconds);
  }

  /**
   * A temporary failure.
   *
   * @param <T> the record data type
   * @param reason why no answer could be had
   * @param detail a short description for logs, possibly empty
   * @return a {@link TempFail}
   */
  static <T> DnsLookup<T> tempFail(TempFailReason reason, String detail) {
    return new TempFail<>(reason, detail);
  }
}
