// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.result.SpfResult;
import org.jspecify.annotations.Nullable;

/** One parsed mechanism with its qualifier (RFC 7208 §4.6.1, §5). Immutable. */
final class Directive {
  enum Kind {
    ALL,
    INCLUDE,
    A,
    MX,
    PTR,
    IP4,
    IP6,
    EXISTS;

    boolean queriesDns() {
      return this != ALL && this != IP4 && this != IP6;
    }
  }

  final SpfResult qualifier;
  final Kind kind;

  /** The target, or {@code null} for the current domain. */
  final @Nullable MacroString domainSpec;

  final int cidr4;
  final int cidr6;

  /** ip4 network (masked). */
  final int net4;

  /** ip6 network (masked). */
  final long net6Hi;

  final long net6Lo;

  /** The term as written, for the outcome and Received-SPF. */
  final String text;

  Directive(
      SpfResult qualifier,
      Kind kind,
      @Nullable MacroString domainSpec,
      int cidr4,
      int cidr6,
      int net4,
      long net6Hi,
      long net6Lo,
      String text) {
    this.qualifier = qualifier;
    this.kind = kind;
    this.domainSpec = domainSpec;
    this.cidr4 = cidr4;
    this.cidr6 = cidr6;
    this.net4 = net4 & Ip.mask4(cidr4);
    this.net6Hi = net6Hi & Ip.maskHi(cidr6);
    this.net6Lo = net6Lo & Ip.maskLo(cidr6);
    this.text = text;
  }

  boolean matches4(int address) {
    return (address & Ip.mask4(cidr4)) == net4;
  }

  boolean matches6(long hi, long lo) {
    return (hi & Ip.maskHi(cidr6)) == net6Hi && (lo & Ip.maskLo(cidr6)) == net6Lo;
  }
}
