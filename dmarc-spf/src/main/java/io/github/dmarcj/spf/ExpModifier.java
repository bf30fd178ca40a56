// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.result.SpfResult;
import org.jspecify.annotations.Nullable;

/**
 * The {@code exp} modifier (RFC 7208 §6.2): on a {@code fail} from a mechanism match, the TXT
 * record at the expanded target is the explanation, itself a macro string. The modifier of the
 * record whose mechanism matched is used (a {@code redirect} target's, never an included record's).
 * Its TXT query counts towards neither lookup limit. A target that cannot be expanded, a DNS error,
 * no record, several records or a bad explanation string all fall back to the checker's default
 * explanation.
 */
final class ExpModifier {
  private ExpModifier() {}

  /**
   * Ends the evaluation with {@code result} ({@code fail}) from {@code mechanism} in {@code frame},
   * with its explanation.
   */
  static void explain(CheckHost e, SpfResult result, @Nullable String mechanism, Frame frame) {
    MacroString exp = frame.record.exp;
    if (exp == null) {
      e.finish(result, null, null, mechanism, defaultExplanation(e, frame.domain));
      return;
    }
    if (e.needsValidatedNames(exp)) {
      ValidatedNames.lookUpForMacro(e, () -> fetch(e, result, mechanism, frame, exp));
    } else {
      fetch(e, result, mechanism, frame, exp);
    }
  }

  private static void fetch(
      CheckHost e, SpfResult result, @Nullable String mechanism, Frame frame, MacroString exp) {
    String target = e.targetName(exp, frame.domain);
    if (target == null || !SpfDomainNames.validTarget(target)) {
      e.finish(result, null, null, mechanism, defaultExplanation(e, frame.domain));
      return;
    }
    e.await(
        e.resolver.txt(target),
        l -> {
          MacroString text = null;
          if (l instanceof DnsLookup.Found<String> found && found.records().size() == 1) {
            try {
              text = MacroString.parse(found.records().get(0), MacroString.Context.EXPLANATION);
            } catch (SpfSyntaxException ex) {
              text = null;
            }
          }
          MacroString explanation = text;
          Runnable expand =
              () -> {
                String x =
                    explanation == null ? null : e.macros().expandText(explanation, frame.domain);
                e.finish(
                    result,
                    null,
                    null,
                    mechanism,
                    x != null ? x : defaultExplanation(e, frame.domain));
              };
          if (explanation != null && e.needsValidatedNames(explanation)) {
            ValidatedNames.lookUpForMacro(e, expand);
          } else {
            expand.run();
          }
        });
  }

  /** The checker's default explanation expanded for {@code domain}, or null if there is none. */
  private static @Nullable String defaultExplanation(CheckHost e, String domain) {
    MacroString m = e.checker.defaultExplanation;
    return m == null ? null : e.macros().expandText(m, domain);
  }
}
