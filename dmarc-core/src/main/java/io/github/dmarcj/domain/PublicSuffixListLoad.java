// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.util.Objects;

/** The outcome of reading a Public Suffix List from a stream, a file or a URL. */
public sealed interface PublicSuffixListLoad
    permits PublicSuffixListLoad.Loaded, PublicSuffixListLoad.Failed {

  /** The list was read and every rule in it is valid. */
  record Loaded(PublicSuffixList list) implements PublicSuffixListLoad {
    public Loaded {
      Objects.requireNonNull(list, "list");
    }
  }

  /** The list could not be used; a holder keeps the list it had. */
  record Failed(Reason reason, String detail) implements PublicSuffixListLoad {
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

  /** The list, or throw if loading failed; for callers that treat failure as a setup error. */
  default PublicSuffixList orElseThrow() {
    if (this instanceof Loaded l) {
      return l.list();
    }
    Failed f = (Failed) this;
    throw new IllegalStateException("public suffix list not loaded (" + f.reason() + "): " + f.detail());
  }
}
