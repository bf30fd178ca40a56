// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dmarc;

import io.github.dmarcj.dns.FaultInjectingDnsResolver;
import io.github.dmarcj.dns.RecordingDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DNS for the DMARC tests, put together from the shipped resolvers: a master-file text served by
 * {@link ZoneFileResolver} (names absolute, the trailing dot optional, no SOA record needed: the
 * text is one zone at the root), names that fail every query with SERVFAIL through {@link
 * FaultInjectingDnsResolver}, and every query recorded by {@link RecordingDnsResolver}.
 */
final class Zones {
  private Zones() {}

  /** The zone of {@code masterText}; every query for a name of {@code servfail} fails. */
  static RecordingDnsResolver of(String masterText, String... servfail) {
    return of(masterText, List.of(servfail));
  }

  /** The zone of {@code masterText}; every query for a name of {@code servfail} fails. */
  static RecordingDnsResolver of(String masterText, List<String> servfail) {
    FaultInjectingDnsResolver.Builder dns =
        FaultInjectingDnsResolver.builder(ZoneFileResolver.fromString("$ORIGIN .\n" + masterText));
    for (String name : servfail) {
      dns.servfail(null, name);
    }
    return new RecordingDnsResolver(dns.build());
  }

  /** Every query made, as {@code TYPE name} with the name lower case and without trailing dot. */
  static List<String> queries(RecordingDnsResolver dns) {
    List<String> out = new ArrayList<>();
    for (RecordingDnsResolver.Query q : dns.queries()) {
      String n = q.name().toLowerCase(Locale.ROOT);
      out.add(q.type() + " " + (n.endsWith(".") ? n.substring(0, n.length() - 1) : n));
    }
    return out;
  }

  /**
   * The names of the queries of one type, as {@link #queries(RecordingDnsResolver)} writes them.
   */
  static List<String> queries(RecordingDnsResolver dns, String type) {
    List<String> out = new ArrayList<>();
    for (String q : queries(dns)) {
      if (q.startsWith(type + " ")) {
        out.add(q.substring(type.length() + 1));
      }
    }
    return out;
  }
}
