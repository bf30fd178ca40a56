// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.result;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A domain's request for SPF failure reports (RFC 6652 §3), read from the {@code ra=}, {@code rp=}
 * and {@code rr=} modifiers of the SPF record that was evaluated. RFC 7208 treats these as unknown
 * modifiers, so they never change the SPF result; a receiver that sends failure reports uses them
 * to decide whether and where to report one.
 *
 * @param address where reports go: the {@code ra=} local-part, {@code @}, and the domain whose
 *     record carried it
 * @param percentage {@code rp=}: the share of failures to report, 0 to 100 (100 when absent)
 * @param results {@code rr=}: the results to report, from {@link SpfResult#FAIL}, {@link
 *     SpfResult#SOFTFAIL}, {@link SpfResult#NEUTRAL} and {@link SpfResult#PERMERROR} ({@link
 *     #ALL_RESULTS} when absent)
 * @since 0.1.0
 */
public record SpfReportRequest(String address, int percentage, Set<SpfResult> results) {
  /** What {@code rr=all}, or no {@code rr=}, asks for. */
  public static final Set<SpfResult> ALL_RESULTS =
      Set.copyOf(
          EnumSet.of(SpfResult.FAIL, SpfResult.SOFTFAIL, SpfResult.NEUTRAL, SpfResult.PERMERROR));

  /**
   * Checks the components and copies the set.
   *
   * @param address where reports go, {@code local-part@domain}
   * @param percentage the share of failures to report, 0 to 100
   * @param results the results to report, a subset of {@link #ALL_RESULTS}
   */
  public SpfReportRequest {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(results, "results");
    int at = address.lastIndexOf('@');
    if (at < 1 || at == address.length() - 1) {
      throw new IllegalArgumentException("not a mail address: " + address);
    }
    if (percentage < 0 || percentage > 100) {
      throw new IllegalArgumentException("percentage must be 0 to 100, was " + percentage);
    }
    if (!ALL_RESULTS.containsAll(results)) {
      throw new IllegalArgumentException("only failure results can be requested: " + results);
    }
    results = Set.copyOf(results);
  }

  /**
   * {@return true if the domain asks for reports of this result ({@code rr=}); the {@code rp=}
   * sampling is the caller's}
   *
   * @param result an SPF result
   */
  public boolean wants(SpfResult result) {
    return results.contains(result);
  }
}
