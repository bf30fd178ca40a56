// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

/** Why a DNS query gave no answer. */
public enum TempFailReason {
  /** No response within the configured time, after all retries (nothing at all arrived). */
  TIMEOUT,
  /** RCODE 2, SERVFAIL. */
  SERVFAIL,
  /** RCODE 5, REFUSED. */
  REFUSED,
  /** Any other RCODE that is neither NOERROR nor NXDOMAIN. */
  OTHER_RCODE,
  /**
   * No acceptable response: what came from the server could not be parsed or did not match the
   * query (ID, QR bit, opcode, question, size; RFC 5452 §9.1), and the genuine answer did not
   * follow within the time.
   */
  MALFORMED_RESPONSE,
  /** A socket or HTTP error talking to the server. */
  NETWORK_ERROR,
  /** The caller's budget of time or queries for this evaluation ran out. */
  BUDGET_EXHAUSTED,
  /** Injected by a test resolver or any other reason not listed. */
  OTHER
}
