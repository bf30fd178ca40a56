// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.verify;

/**
 * Receives the messages a failure report is due for (RFC 9991), from {@link MessageAuthenticator}
 * when one is configured ({@link MessageAuthenticator.Builder#failureReportSink}). Failure
 * reporting is off unless a sink is set; messages that need no report cost nothing more.
 *
 * <p>Called on the verifying thread after the result is known; a sink that throws is logged and
 * does not change the result. Implementations must be thread-safe and should return quickly (queue
 * the work).
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface FailureReportSink {
  /**
   * Takes one incident.
   *
   * @param incident what the report needs
   */
  void accept(FailureIncident incident);
}
