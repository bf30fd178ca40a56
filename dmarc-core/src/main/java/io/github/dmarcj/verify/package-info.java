// SPDX-License-Identifier: Apache-2.0
/**
 * The verification facade: {@link io.github.dmarcj.verify.MessageAuthenticator} runs SPF (RFC 7208)
 * and DKIM (RFC 6376) concurrently, then DMARC (RFC 9989 / RFC 7489), and returns a {@link
 * io.github.dmarcj.verify.VerificationResult} with the {@code Authentication-Results} field (RFC
 * 8601) and the aggregate-report row ({@link io.github.dmarcj.verify.ReportRecord}, RFC 9990
 * §3.1.1) that a {@link io.github.dmarcj.verify.ReportRecordSink} can collect.
 */
@NullMarked
package io.github.dmarcj.verify;

import org.jspecify.annotations.NullMarked;
