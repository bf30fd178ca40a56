// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

/** Why a DNS query gave no answer. */
public enum TempFailReason {
  /** No response within the configured time, after all retries. */
  TIMEOUT,
  /** RCODE 2, SERVFAIL. */
  SERVFAIL,
  /** RCODE 5, REFUSED. */
  REFUSED,
  /** Any other RCODE that is neither NOERROR nor NXDOMAIN. */
  OTHER_RCODE,
  /** The response could not be parsed, or did not match the question. */
  MALFORMED_RESPONSE,
  /** A socket or HTTP error talking to the server. */
  NETWORK_ERROR,
  /** The caller's budget of time or queries for this evaluation ran out. */
  BUDGET_EXHAUSTED,
  /** Injected by a test resolver or any other reason not listed. */
  OTHER
}
