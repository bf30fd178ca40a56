// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.mail;

import io.github.dmarcj.report.failure.FailureIncidentStore;

/**
 * Builds the failure report mail (RFC 9991; RFC 5965 ARF) for one stored report and destination.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface FailureMailComposer {
  /**
   * Builds the mail.
   *
   * @param report the stored report
   * @param reportId its id, for the Message-ID (a resend gives the same mail)
   * @param to the destination address
   * @return the mail, CRLF line ends
   * @throws IllegalArgumentException if {@code to} is not a usable address
   */
  byte[] compose(FailureIncidentStore.Stored report, String reportId, String to);
}
