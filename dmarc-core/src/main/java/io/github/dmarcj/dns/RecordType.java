// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

/**
 * The record types {@link DnsResolver} can ask for, with their RFC 1035 §3.2.2 / RFC 3596 §2.1 type
 * codes.
 */
public enum RecordType {
  /** Host address, type 1 (RFC 1035 §3.4.1). */
  A(1),
  /** Domain name pointer, type 12 (RFC 1035 §3.3.12). */
  PTR(12),
  /** Mail exchange, type 15 (RFC 1035 §3.3.9). */
  MX(15),
  /** Text strings, type 16 (RFC 1035 §3.3.14). */
  TXT(16),
  /** IPv6 host address, type 28 (RFC 3596 §2.1). */
  AAAA(28);

  private final int code;

  RecordType(int code) {
    this.code = code;
  }

  /** {@return the numeric TYPE of the wire format} */
  public int code() {
    return code;
  }
}
