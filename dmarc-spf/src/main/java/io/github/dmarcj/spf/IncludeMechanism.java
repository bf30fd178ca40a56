// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;

/**
 * The {@code include} mechanism (RFC 7208 §5.2): a nested {@code check_host()} on the target in an
 * {@link Frame.Kind#INCLUDE} frame. It matches on {@code pass}, does not match on {@code fail},
 * {@code softfail} or {@code neutral}, and passes {@code temperror} and {@code permerror} up; a
 * target without an SPF record ({@code none}) is a {@code permerror}.
 */
final class IncludeMechanism {
  private IncludeMechanism() {}

  static void evaluate(CheckHost e, Frame f, Directive d, int i, String target) {
    e.checkHost(
        target,
        Frame.Kind.INCLUDE,
        (r, p, detail, mech, frame) -> {
          switch (r) {
            case PASS:
              e.termResult(f, d, i, true);
              break;
            case FAIL:
            case SOFTFAIL:
            case NEUTRAL:
              e.termResult(f, d, i, false);
              break;
            case NONE:
              f.k.done(
                  SpfResult.PERMERROR,
                  SpfProblem.INCLUDE_NONE,
                  d.text + ": " + (detail == null ? "no SPF record" : detail),
                  null,
                  null);
              break;
            default:
              f.k.done(r, p, detail, null, null);
              break;
          }
        });
  }
}
