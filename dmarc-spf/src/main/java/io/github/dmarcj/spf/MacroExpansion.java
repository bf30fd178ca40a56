// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Macro expansion for one evaluation (RFC 7208 §7): the value of each macro letter (§7.2, §7.3) and
 * the two uses of a {@link MacroString}, as a name to query ({@link #expandName}, §7.3) and as
 * explanation text ({@link #expandText}, §6.2). The sender identity of {@code %{s}}, {@code %{l}}
 * and {@code %{o}} is the run's (§4.3); the client's validated names for {@code %{p}} are kept here
 * once {@link ValidatedNames} has looked them up. Made by {@link CheckHost#macros()} when a record
 * first needs it.
 */
final class MacroExpansion implements MacroString.Values {
  private final CheckHost run;

  /** False if the local-part has a non-ASCII character: no {@code %{s}}, {@code %{l}}. */
  private final boolean localAscii;

  /**
   * The client's validated domain names (§5.5) for {@code %{p}}, or {@code null} until they are
   * looked up.
   */
  @Nullable List<String> validatedNames;

  private @Nullable String iValue;
  private @Nullable StringBuilder sb;

  MacroExpansion(CheckHost run) {
    this.run = run;
    this.localAscii = isAscii(run.local());
  }

  /** True if the local-part is ASCII; otherwise a term using it must not match (RFC 8616 §4). */
  private static boolean isAscii(String local) {
    for (int i = 0; i < local.length(); i++) {
      if (local.charAt(i) > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /**
   * The name to query for a domain-spec without macros that needs no shortening (§7.3), or {@code
   * null} if it must be expanded.
   */
  static @Nullable String literalName(MacroString m) {
    return m.literalName != null && m.literalName.length() <= 253 ? m.literalName : null;
  }

  private StringBuilder sb() {
    if (sb == null) {
      sb = new StringBuilder(64);
    }
    sb.setLength(0);
    return sb;
  }

  /**
   * Expands explanation text (§6.2); {@code null} if a macro value was refused or the result is not
   * printable ASCII.
   */
  @Nullable String expandText(MacroString m, String domain) {
    StringBuilder sb = sb();
    if (!m.expandTo(sb, this, domain)) {
      return null;
    }
    for (int i = 0; i < sb.length(); i++) {
      if (sb.charAt(i) > 0x7E || sb.charAt(i) < 0x20) {
        return null;
      }
    }
    return sb.toString();
  }

  /**
   * Expands a domain-spec into the name to query: one trailing dot removed, then labels dropped
   * from the left while it is longer than 253 characters (§7.3). {@code null} if a macro value was
   * refused.
   */
  @Nullable String expandName(MacroString m, String domain) {
    String literal = literalName(m);
    if (literal != null) {
      return literal;
    }
    StringBuilder sb = sb();
    if (!m.expandTo(sb, this, domain)) {
      return null;
    }
    int end = sb.length();
    if (end > 0 && sb.charAt(end - 1) == '.') {
      end--;
    }
    int begin = 0;
    while (end - begin > 253) {
      int dot = sb.indexOf(".", begin);
      if (dot < 0 || dot >= end) {
        break;
      }
      begin = dot + 1;
    }
    return sb.substring(begin, end);
  }

  @Override
  public @Nullable String macroValue(char letter, String domain) {
    switch (letter) {
      case 's':
        return localAscii ? run.identity : null;
      case 'l':
        return localAscii ? run.local() : null;
      case 'o':
        return run.senderDomain;
      case 'd':
        return domain;
      case 'i':
        return iValue();
      case 'p':
        return pValue(domain);
      case 'v':
        return run.client.v6 ? "ip6" : "in-addr";
      case 'h':
        return run.request.helo();
      case 'c':
        return Ip.format(run.client.ip);
      case 'r':
        return run.checker.receiver == null ? "unknown" : run.checker.receiver;
      case 't':
        return Long.toString(run.checker.clock.millis() / 1000);
      default:
        throw new AssertionError(letter);
    }
  }

  /** {@code %{i}} (§7.3): the dotted IPv4 address, or the 32 nibbles of IPv6; made once. */
  private String iValue() {
    if (iValue == null) {
      ClientAddress client = run.client;
      StringBuilder b = new StringBuilder(client.v6 ? 63 : 15);
      if (client.v6) {
        Ip.appendNibbles(b, client.ip6Hi, client.ip6Lo);
      } else {
        Ip.appendDotted(b, client.ip4);
      }
      iValue = b.toString();
    }
    return iValue;
  }

  /**
   * {@code %{p}} (§7.3): a validated name that is {@code domain} or under it, else the first
   * validated name, else "unknown".
   */
  private String pValue(String domain) {
    List<String> names = validatedNames;
    if (names == null || names.isEmpty()) {
      return "unknown";
    }
    for (String n : names) {
      if (SpfDomainNames.sameOrSubdomain(n, domain)) {
        return n;
      }
    }
    return names.get(0);
  }
}
