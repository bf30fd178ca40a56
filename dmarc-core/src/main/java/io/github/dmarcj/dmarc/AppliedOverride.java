// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Objects;

/**
 * One step that changed the disposition, as reported in {@code policy_evaluated/reason} (RFC 9990
 * §3.1.6).
 *
 * @param reason the override type
 * @param comment free text for the report's {@code comment}, may be empty
 * @param before the disposition before this step
 * @param after the disposition after this step
 */
public record AppliedOverride(
    OverrideReason reason, String comment, DmarcPolicy before, DmarcPolicy after) {
  /**
   * Checks that every component is present.
   *
   * @param reason the override type
   * @param comment free text for the report's {@code comment}, may be empty
   * @param before the disposition before this step
   * @param after the disposition after this step
   */
  public AppliedOverride {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(comment, "comment");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }
}
