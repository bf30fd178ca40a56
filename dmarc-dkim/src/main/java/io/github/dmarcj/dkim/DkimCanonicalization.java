// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.util.Optional;

/** Canonicalization algorithms, tag {@code c=} (RFC 6376 §3.4). */
public enum DkimCanonicalization {
  /** {@code simple}: headers unchanged, body without trailing empty lines (§3.4.1, §3.4.3). */
  SIMPLE("simple"),
  /** {@code relaxed}: whitespace folded and collapsed (§3.4.2, §3.4.4). */
  RELAXED("relaxed");

  private final String keyword;

  DkimCanonicalization(String keyword) {
    this.keyword = keyword;
  }

  /** {@return the {@code c=} token} */
  public String keyword() {
    return keyword;
  }

  /**
   * {@return the canonicalization named {@code keyword} (exact, lower case)}
   *
   * @param keyword {@code simple} or {@code relaxed}
   */
  public static Optional<DkimCanonicalization> fromKeyword(String keyword) {
    java.util.Objects.requireNonNull(keyword, "keyword");
    for (DkimCanonicalization c : values()) {
      if (c.keyword.equals(keyword)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
