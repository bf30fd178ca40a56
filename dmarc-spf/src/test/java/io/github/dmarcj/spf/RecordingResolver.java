// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import io.github.dmarcj.dns.DnsResolver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Records every query made through it as {@code "TYPE name"}. */
final class RecordingResolver extends ForwardingResolver {
  final List<String> queries = Collections.synchronizedList(new ArrayList<>());

  RecordingResolver(DnsResolver delegate) {
    super(delegate);
  }

  @Override
  void onQuery(String type, String name) {
    queries.add(type + " " + ZoneResolver.key(name));
  }

  long count(String type) {
    synchronized (queries) {
      return queries.stream().filter(q -> q.startsWith(type + " ")).count();
    }
  }
}
