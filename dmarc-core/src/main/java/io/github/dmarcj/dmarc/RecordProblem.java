// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import java.util.Objects;

/**
 * Something wrong or doubtful in a DMARC record that did not prevent parsing (RFC 9989 §4.8: errors
 * in single tags are ignored). The linter shows them; the evaluator acts on the few that matter
 * (invalid policy tags, RFC 9989 §4.10.1).
 *
 * @param kind what is wrong
 * @param tag the tag name in lower case, or {@code ""} if the problem is not tied to a tag
 * @param detail a short human-readable explanation, quoting the offending text
 */
public record RecordProblem(Kind kind, String tag, String detail) {
  /**
   * Checks that every component is present.
   *
   * @param kind what is wrong
   * @param tag the tag name in lower case, or {@code ""} if the problem is not tied to a tag
   * @param detail a short human-readable explanation, quoting the offending text
   */
  public RecordProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(detail, "detail");
  }

  /** Kinds of record problems. */
  public enum Kind {
    /** A tag name that no DMARC specification defines; ignored (RFC 9989 §4.8). */
    UNKNOWN_TAG,
    /** A tag given more than once; the first one counts. */
    DUPLICATE_TAG,
    /** A tag whose value does not match its grammar; the default applies. */
    INVALID_VALUE,
    /** No {@code p} tag (RFC 9989: treated as {@code none}; RFC 7489: invalid policy). */
    MISSING_P,
    /** The {@code p} value is not none/quarantine/reject (RFC 9989 §4.10.1). */
    INVALID_P,
    /** The {@code sp} value is not none/quarantine/reject (RFC 9989 §4.10.1). */
    INVALID_SP,
    /** The {@code np} value is not none/quarantine/reject (RFC 9989 §4.10.1, RFC 9989 only). */
    INVALID_NP,
    /** A {@code rua}/{@code ruf} entry that is not a URI; ignored (RFC 9989 §4.7). */
    INVALID_URI,
    /** A {@code rua}/{@code ruf} URI with a scheme other than mailto/https/http; ignored. */
    UNSUPPORTED_URI_SCHEME,
    /** A URI with an RFC 7489 {@code !size} suffix, which RFC 9989 ignores. */
    OBSOLETE_SIZE_SUFFIX,
    /** {@code pct}, {@code rf} or {@code ri}: defined by RFC 7489, removed by RFC 9989. */
    OBSOLETE_TAG,
    /** A tag defined only by RFC 9989 ({@code np}, {@code psd}, {@code t}) and ignored by 7489. */
    RFC9989_ONLY_TAG,
    /** RFC 7489 §6.4 requires {@code p} right after {@code v}. */
    P_NOT_SECOND,
    /** Text that is not a {@code tag=value} pair. */
    MALFORMED_TAG
  }
}
