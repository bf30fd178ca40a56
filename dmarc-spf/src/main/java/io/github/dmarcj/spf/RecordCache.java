// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed records keyed on the TXT text they came from, so a record served again by the
 * resolver's cache is never parsed twice. A resolver that returns the same {@link String}
 * instance makes the lookup an identity comparison with a cached hash. Bounded: when it holds
 * more than its capacity it is emptied, which keeps memory bounded whatever senders publish.
 */
final class RecordCache {
  private final ConcurrentHashMap<String, Object> map;
  private final int capacity;

  RecordCache(int capacity) {
    this.capacity = capacity;
    this.map = new ConcurrentHashMap<>(Math.min(capacity, 1024));
  }

  /** The {@link SpfRecord} or {@link SpfRecord.Invalid} for an SPF record text. */
  Object get(String txt) {
    Object v = map.get(txt);
    if (v != null) {
      return v;
    }
    v = SpfRecord.parseOrInvalid(txt);
    if (capacity > 0) {
      if (map.size() >= capacity) {
        map.clear();
      }
      map.put(txt, v);
    }
    return v;
  }
}
