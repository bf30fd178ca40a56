// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfProblem;

/**
 * A syntax error in an SPF record or macro string, found while parsing (RFC 7208 §4.6, §7.1).
 * Internal: it never leaves this package; the checker turns it into a {@code permerror} outcome
 * with {@link SpfProblem#SYNTAX_ERROR}.
 */
final class SpfSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  SpfSyntaxException(String message) {
    super(message, null, false, false);
  }
}
