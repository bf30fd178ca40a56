// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

/**
 * Receives the {@link ReportRecord} of each message the {@link MessageAuthenticator} evaluated
 * against a DMARC policy, for aggregate reporting (RFC 9990). Messages without an applicable policy
 * (result {@code none}) and messages whose evaluation ended in {@code temperror} produce no record.
 *
 * <p><b>A sink can never fail a verification.</b> The authenticator calls {@link #accept} after the
 * result is complete; an exception thrown by the sink is caught and logged (through {@link
 * System.Logger}, name {@code io.github.dmarcj.verify}) and the result is returned unchanged.
 * {@code accept} runs on the thread that completed the verification, so it should only hand the
 * record over (to a queue, a batch writer) rather than block on I/O. It may be called from many
 * threads at once and must be thread-safe.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ReportRecordSink {
  /**
   * Takes one record; must be thread-safe and should return quickly.
   *
   * @param record the record of one message
   */
  void accept(ReportRecord record);
}
