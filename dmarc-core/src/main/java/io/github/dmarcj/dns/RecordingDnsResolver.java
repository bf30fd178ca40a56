// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link ForwardingDnsResolver} that remembers every query in the order it was made, so tests can
 * check how many lookups an evaluation made and which ones (for example the SPF limits of RFC 7208
 * §4.6.4: ten DNS-querying terms, two void lookups).
 *
 * <pre>{@code
 * RecordingDnsResolver dns = new RecordingDnsResolver(ZoneFileResolver.fromString(zone));
 * // ... evaluate ...
 * assertThat(dns.queries()).startsWith(new RecordingDnsResolver.Query(RecordType.TXT, "example.com"));
 * }</pre>
 *
 * <p>Thread-safe: concurrent queries are recorded in the order their calls arrived.
 *
 * @since 0.1.0
 */
public final class RecordingDnsResolver extends ForwardingDnsResolver {

  /**
   * One query: its type and the name exactly as the caller passed it.
   *
   * @param type the record type asked for
   * @param name the name as the caller passed it
   */
  public record Query(RecordType type, String name) {
    /**
     * Checks that type and name are present.
     *
     * @param type the record type asked for
     * @param name the name as the caller passed it
     */
    public Query {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return type + " " + name;
    }
  }

  private final List<Query> queries = new ArrayList<>();

  /**
   * A resolver that records every query and passes it to {@code delegate}.
   *
   * @param delegate the resolver that answers the queries
   */
  public RecordingDnsResolver(DnsResolver delegate) {
    super(delegate);
  }

  @Override
  protected <T> CompletionStage<DnsLookup<T>> forward(
      RecordType type,
      String name,
      Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
    synchronized (queries) {
      queries.add(new Query(type, name));
    }
    return super.forward(type, name, call);
  }

  /** {@return a snapshot of the queries made so far, oldest first} */
  public List<Query> queries() {
    synchronized (queries) {
      return List.copyOf(queries);
    }
  }

  /** {@return the number of queries made so far} */
  public int count() {
    synchronized (queries) {
      return queries.size();
    }
  }

  /**
   * {@return the number of queries of one type made so far}
   *
   * @param type the record type to count
   */
  public int count(RecordType type) {
    synchronized (queries) {
      return (int) queries.stream().filter(q -> q.type() == type).count();
    }
  }

  /** Forgets the queries made so far. */
  public void clear() {
    synchronized (queries) {
      queries.clear();
    }
  }

  /** {@return the queries, one per line as {@code TYPE name}, for readable assertion messages} */
  public String describe() {
    List<String> lines = new ArrayList<>();
    for (Query q : queries()) {
      lines.add(q.toString());
    }
    return String.join("\n", lines);
  }
}
