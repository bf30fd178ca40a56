// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

/** Where the DMARC policy record that applied was found (RFC 9989 §4.10.1, RFC 7489 §6.6.3). */
public enum RecordSource {
  /** At {@code _dmarc.<author domain>}. */
  AUTHOR_DOMAIN,
  /** At the Organizational Domain of the author domain (or above it, by tree walk). */
  ORGANIZATIONAL_DOMAIN,
  /** At a Public Suffix Domain, a record with {@code psd=y} (RFC 9989 only). */
  PUBLIC_SUFFIX_DOMAIN
}
