// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.util.Objects;

/** The outcome of reading a Public Suffix List from a stream, a file or a URL. */
public sealed interface PublicSuffixListLoad
    permits PublicSuffixListLoad.Loaded, PublicSuffixListLoad.Failed {

  /**
   * The list was read and every rule in it is valid.
   *
   * @param list the list read
   */
  record Loaded(PublicSuffixList list) implements PublicSuffixListLoad {
    /**
     * Checks that the list is present.
     *
     * @param list the list read
     */
    public Loaded {
      Objects.requireNonNull(list, "list");
    }
  }

  /**
   * The list could not be used; a holder keeps the list it had.
   *
   * @param reason why the list could not be used
   * @param detail a short description for logs
   */
  record Failed(Reason reason, String detail) implements PublicSuffixListLoad {
    /**
     * Checks that reason and detail are present.
     *
     * @param reason why the list could not be used
     * @param detail a short description for logs
     */
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Why a list could not be used. */
  enum Reason {
    /** Reading failed (I/O error, connection refused, file missing). */
    IO_ERROR,
    /** The fetch took longer than its timeout. */
    TIMEOUT,
    /** The HTTP server answered with a status other than 200. */
    HTTP_STATUS,
    /** The list is larger than the configured maximum size. */
    TOO_LARGE,
    /** The bytes are not UTF-8 text. */
    NOT_UTF8,
    /** A line is not a valid rule (wrong characters, misplaced wildcard, bad IDN, too long). */
    INVALID_RULE,
    /** The list holds no rule at all (an empty body or an error page). */
    NO_RULES
  }

  /**
   * The list, for callers that treat a failed load as a setup error.
   *
   * @return the list that was loaded
   * @throws IllegalStateException if loading failed
   */
  default PublicSuffixList orElseThrow() {
    if (this instanceof Loaded l) {
      return l.list();
    }
    Failed f = (Failed) this;
    throw new IllegalStateException(
        "public suffix list not loaded (" + f.reason() + "): " + f.detail());
  }
}
