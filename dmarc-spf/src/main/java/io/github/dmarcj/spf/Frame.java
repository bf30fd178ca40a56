// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfProblem;
import io.github.dmarcj.result.SpfResult;
import org.jspecify.annotations.Nullable;

/**
 * One SPF record being evaluated by {@code check_host()} (RFC 7208 §4.6): its domain, the parsed
 * record and the continuation that hears how it ended. The identity's own record, the target of an
 * {@code include} (§5.2) and the target of a {@code redirect} (§6.1) each get a frame; {@link Kind}
 * says which. Immutable.
 */
final class Frame {

  /** Why a record is evaluated (RFC 7208 §4.3, §5.2, §6.1). */
  enum Kind {
    /** The identity's own domain, already checked by the initial processing (§4.3). */
    TOP,
    /** The target of an {@code include} mechanism (§5.2). */
    INCLUDE,
    /** The target of a {@code redirect} modifier (§6.1). */
    REDIRECT;

    /**
     * True for a domain named inside a record: it is checked before its TXT query, and a TXT query
     * that finds nothing counts as a void lookup (§4.6.4).
     */
    boolean isNested() {
      return this != TOP;
    }
  }

  /** How a {@code check_host()} invocation ended, handed to its caller. */
  interface Done {
    /**
     * Receives how the invocation ended.
     *
     * @param mechanism the matching term as written, or null
     * @param frame the frame whose mechanism matched (for {@code exp}, §6.2), or null
     */
    void done(
        SpfResult result,
        @Nullable SpfProblem problem,
        @Nullable String detail,
        @Nullable String mechanism,
        @Nullable Frame frame);
  }

  final String domain;
  final SpfRecord record;
  final Done k;

  Frame(String domain, SpfRecord record, Done k) {
    this.domain = domain;
    this.record = record;
    this.k = k;
  }

  /** Ends this frame with the qualifier of the term {@code d}, which matched (§4.6.2). */
  void matched(Directive d) {
    k.done(d.qualifier, null, null, d.text, this);
  }
}
