// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import java.util.Objects;
import java.util.Optional;

/**
 * One address from a From field (RFC 5322 §3.4): {@code local-part@domain} with an optional display
 * name. Nothing here is checked beyond RFC 5322 syntax; {@link AuthorDomains} validates the domain.
 *
 * @param displayName the phrase before the angle address, unquoted, words joined by one space; RFC
 *     2047 encoded words are left encoded; empty if there was none
 * @param localPart the local part as written (quotes removed from a quoted string)
 * @param domain the domain as written, 8-bit bytes decoded as UTF-8; for a literal the text between
 *     the brackets
 * @param domainLiteral true if the domain was a literal such as {@code [192.0.2.1]}
 */
public record Mailbox(
    Optional<String> displayName, String localPart, String domain, boolean domainLiteral) {
  /**
   * Checks that every part is present.
   *
   * @param displayName the phrase before the angle address, unquoted, words joined by one space;
   *     RFC 2047 encoded words are left encoded; empty if there was none
   * @param localPart the local part as written (quotes removed from a quoted string)
   * @param domain the domain as written, 8-bit bytes decoded as UTF-8; for a literal the text
   *     between the brackets
   * @param domainLiteral true if the domain was a literal such as {@code [192.0.2.1]}
   */
  public Mailbox {
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(domain, "domain");
  }
}
