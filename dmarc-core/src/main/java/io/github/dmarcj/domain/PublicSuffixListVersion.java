// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * Which Public Suffix List is in use, so results can say which rules applied (RFC 9989 Appendix
 * C.3: the list changes over time and organizational domains change with it).
 *
 * @param source where the list came from: {@code "bundled"}, a file path or a URL
 * @param version the {@code // VERSION:} header line of the list, if it had one (the copy served by
 *     publicsuffix.org has it; the Git copy does not)
 * @param commit the {@code // COMMIT:} header line, or for the bundled snapshot the Git commit it
 *     was taken from
 * @param sha256 hex SHA-256 of the list's bytes, which identifies any copy
 * @param ruleCount number of rules read
 */
public record PublicSuffixListVersion(
    String source,
    Optional<String> version,
    Optional<String> commit,
    String sha256,
    int ruleCount) {
  /**
   * Checks that every component is present.
   *
   * @param source where the list came from: {@code "bundled"}, a file path or a URL
   * @param version the {@code // VERSION:} header line of the list, if it had one (the copy served
   *     by publicsuffix.org has it; the Git copy does not)
   * @param commit the {@code // COMMIT:} header line, or for the bundled snapshot the Git commit it
   *     was taken from
   * @param sha256 hex SHA-256 of the list's bytes, which identifies any copy
   * @param ruleCount number of rules read
   */
  public PublicSuffixListVersion {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(sha256, "sha256");
  }
}
