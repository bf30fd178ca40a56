// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A {@link DnsResolver} over records given in code, for tests, examples and benchmarks. It answers
 * like an authoritative server for everything it holds:
 *
 * <ul>
 *   <li>a name with no records, no name below it with records and no {@link Builder#exists(String)
 *       declaration} is {@link DnsLookup.NxDomain NXDOMAIN};
 *   <li>a name that exists but lacks the type asked is {@link DnsLookup.NoData NODATA}. A name
 *       exists when it owns records or when a name below it does (an empty non-terminal, RFC 8020
 *       §2): adding {@code a.b.example} makes {@code b.example} and {@code example} exist;
 *   <li>the character-strings given for one TXT record are joined without a separator (RFC 7208
 *       §3.3, RFC 6376 §3.6.2.2);
 *   <li>a {@link Builder#cname(String, String) CNAME} record answers every query for its name from
 *       its target, as a recursive resolver does: chains are followed (at most {@value
 *       ZoneFileResolver#MAX_CNAME_CHAIN} links; a loop or a longer chain is {@link
 *       TempFailReason#SERVFAIL}), a chain that ends at a missing name is NXDOMAIN (RFC 6604 §2),
 *       at an existing name without the type NODATA; a CNAME beside other data is refused (RFC 1034
 *       §3.6.2);
 *   <li>names are compared without regard to ASCII case and one trailing dot; a label may hold any
 *       printable ASCII character and the space; a name that cannot exist in the DNS (see {@link
 *       DnsNames#normalizeOrNull(String)}) is NXDOMAIN;
 *   <li>a name given to {@link Builder#tempFail(String)} fails every query with {@link
 *       DnsLookup.TempFail} (RFC 7208 §5 temperror, RFC 9989 §4.10), without making the names above
 *       it exist.
 * </ul>
 *
 * <p>There are no wildcards or zones here; use {@link ZoneFileResolver} for those.
 *
 * <p>Every answer is built once, when the resolver is built, and handed out as the same completed
 * {@link CompletionStage} each time: a query allocates nothing, and the same record is always the
 * same {@code String} instance, which callers may use to cache parsed records by identity. The
 * stages are not {@link CompletableFuture}s that a caller could complete or obtrude. Instances are
 * immutable and thread-safe.
 *
 * <pre>{@code
 * DnsResolver dns = InMemoryDnsResolver.builder()
 *     .txt("example.com", "v=spf1 ip4:192.0.2.0/24 ", "-all")
 *     .txt("_dmarc.example.com", "v=DMARC1; p=reject")
 *     .a("mail.example.com", "192.0.2.25")
 *     .mx("example.com", 10, "mail.example.com")
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class InMemoryDnsResolver implements DnsResolver {

  /** TTL in seconds of answers with records, unless {@link Builder#ttl(long)} says otherwise. */
  public static final long DEFAULT_TTL = 300;

  /** One existing name: its answer for each record type. */
  private static final class Node {
    final EnumMap<RecordType, CompletionStage<?>> answers = new EnumMap<>(RecordType.class);
  }

  private final Map<String, Node> nodes;
  private final CompletionStage<?> nxDomain;

  private InMemoryDnsResolver(Map<String, Node> nodes, CompletionStage<?> nxDomain) {
    this.nodes = nodes;
    this.nxDomain = nxDomain;
  }

  /**
   * A builder for a resolver with no records yet.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return answer(RecordType.TXT, name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return answer(RecordType.A, name);
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return answer(RecordType.AAAA, name);
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return answer(RecordType.MX, name);
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return answer(RecordType.PTR, name);
  }

  // NullAway: every Node holds an answer for every RecordType (Builder.build fills them all).
  @SuppressWarnings({"unchecked", "NullAway"})
  private <T> CompletionStage<DnsLookup<T>> answer(RecordType type, String name) {
    Objects.requireNonNull(name, "name");
    // Keys are normalized names, so a name already in normal form needs no copy.
    Node node = nodes.get(name);
    if (node == null) {
      String n = DnsNames.normalizeOrNull(name);
      node = n == null ? null : nodes.get(n);
      if (node == null) {
        return (CompletionStage<DnsLookup<T>>) nxDomain;
      }
    }
    return (CompletionStage<DnsLookup<T>>) node.answers.get(type);
  }

  @Override
  public String toString() {
    return "InMemoryDnsResolver[" + nodes.size() + " names]";
  }

  /** Collects records; names are checked and normalized as they are added. */
  public static final class Builder {
    private final Map<String, Map<RecordType, List<Object>>> records = new LinkedHashMap<>();
    private final Map<String, String> cnames = new LinkedHashMap<>();
    private final Map<String, TempFailReason> failures = new HashMap<>();
    private long ttl = DEFAULT_TTL;
    private long negativeTtl = DEFAULT_TTL;

    private Builder() {}

    /**
     * One TXT record at {@code name}, made of the given character-strings joined in order.
     *
     * @param name the owner name
     * @param strings the character-strings of the record
     * @return this builder
     */
    public Builder txt(String name, String... strings) {
      Objects.requireNonNull(strings, "strings");
      StringBuilder sb = new StringBuilder();
      for (String s : strings) {
        sb.append(Objects.requireNonNull(s, "string"));
      }
      return add(name, RecordType.TXT, sb.toString());
    }

    /**
     * A records at {@code name}, one per IPv4 literal.
     *
     * @param name the owner name
     * @param addresses IPv4 literals
     * @return this builder
     */
    public Builder a(String name, String... addresses) {
      for (String a : addresses) {
        if (!(literal(a) instanceof Inet4Address v4)) {
          throw new IllegalArgumentException("not an IPv4 address: '" + a + "'");
        }
        add(name, RecordType.A, v4);
      }
      return this;
    }

    /**
     * AAAA records at {@code name}, one per IPv6 literal.
     *
     * @param name the owner name
     * @param addresses IPv6 literals
     * @return this builder
     */
    public Builder aaaa(String name, String... addresses) {
      for (String a : addresses) {
        if (!(literal(a) instanceof Inet6Address v6)) {
          throw new IllegalArgumentException("not an IPv6 address: '" + a + "'");
        }
        add(name, RecordType.AAAA, v6);
      }
      return this;
    }

    /**
     * One MX record at {@code name}; {@code exchange} loses one trailing dot, and {@code ""} or
     * {@code "."} is the null MX of RFC 7505.
     *
     * @param name the owner name
     * @param preference the MX preference, 0 to 65535
     * @param exchange the exchange host name
     * @return this builder
     */
    public Builder mx(String name, int preference, String exchange) {
      Objects.requireNonNull(exchange, "exchange");
      String x = exchange.endsWith(".") ? exchange.substring(0, exchange.length() - 1) : exchange;
      return add(name, RecordType.MX, new MxRecord(preference, x));
    }

    /**
     * PTR records at {@code name} (a reverse name, see {@link DnsNames#reverseName}).
     *
     * @param name the reverse name
     * @param targets the PTR targets
     * @return this builder
     */
    public Builder ptr(String name, String... targets) {
      for (String t : targets) {
        Objects.requireNonNull(t, "target");
        add(name, RecordType.PTR, t.endsWith(".") ? t.substring(0, t.length() - 1) : t);
      }
      return this;
    }

    /**
     * A CNAME record: every query for {@code name} is answered from {@code target} (one trailing
     * dot is ignored), following further CNAME records. A name has at most one CNAME record and, if
     * it has one, no other records; {@link #build()} refuses anything else (RFC 1034 §3.6.2).
     *
     * @param name the alias
     * @param target the canonical name
     * @return this builder
     */
    public Builder cname(String name, String target) {
      String owner = normalize(name);
      String t = normalize(Objects.requireNonNull(target, "target"));
      String before = cnames.putIfAbsent(owner, t);
      if (before != null && !before.equals(t)) {
        throw new IllegalArgumentException(
            "more than one CNAME record at " + owner + ": " + before + " and " + t);
      }
      return this;
    }

    /**
     * Makes {@code name} (and the names above it) exist without records: NODATA, not NXDOMAIN.
     *
     * @param name the name that exists
     * @return this builder
     */
    public Builder exists(String name) {
      records.computeIfAbsent(normalize(name), k -> new EnumMap<>(RecordType.class));
      return this;
    }

    /**
     * Every query for {@code name}, of any type, completes with {@link TempFailReason#SERVFAIL},
     * whatever records it has. The failure says nothing about the names above it: they exist only
     * if records or {@link #exists(String)} make them exist.
     *
     * @param name the name whose queries fail
     * @return this builder
     */
    public Builder tempFail(String name) {
      return tempFail(name, TempFailReason.SERVFAIL);
    }

    /**
     * Every query for {@code name}, of any type, fails temporarily for {@code reason}.
     *
     * @param name the name whose queries fail
     * @param reason the reason the failures carry
     * @return this builder
     */
    public Builder tempFail(String name, TempFailReason reason) {
      Objects.requireNonNull(reason, "reason");
      String n = normalize(name);
      failures.put(n, reason);
      return this;
    }

    /**
     * TTL of answers with records, default {@value InMemoryDnsResolver#DEFAULT_TTL} seconds.
     *
     * @param seconds the TTL in seconds
     * @return this builder
     */
    public Builder ttl(long seconds) {
      this.ttl = checkTtl(seconds);
      return this;
    }

    /**
     * Negative TTL carried by NODATA and NXDOMAIN, default {@value InMemoryDnsResolver#DEFAULT_TTL}
     * seconds.
     *
     * @param seconds the negative TTL in seconds
     * @return this builder
     */
    public Builder negativeTtl(long seconds) {
      this.negativeTtl = checkTtl(seconds);
      return this;
    }

    /**
     * Builds the resolver; throws {@link IllegalArgumentException} if a name has a CNAME record
     * beside other records.
     *
     * @return a new resolver holding the records added
     */
    public InMemoryDnsResolver build() {
      for (String owner : cnames.keySet()) {
        Map<RecordType, List<Object>> other = records.get(owner);
        if (other != null && !other.isEmpty()) {
          throw new IllegalArgumentException(
              "CNAME record beside other data at " + owner + " (RFC 1034 §3.6.2)");
        }
      }
      Map<String, Node> nodes = new HashMap<>();
      CompletionStage<DnsLookup<Object>> noData =
          CompletableFuture.completedStage(DnsLookup.noData(negativeTtl));
      CompletionStage<DnsLookup<Object>> nx =
          CompletableFuture.completedStage(DnsLookup.nxDomain(negativeTtl));
      for (Map.Entry<String, Map<RecordType, List<Object>>> e : records.entrySet()) {
        Node node = new Node();
        for (RecordType type : RecordType.values()) {
          List<Object> values = e.getValue().get(type);
          node.answers.put(
              type,
              values == null
                  ? noData
                  : CompletableFuture.completedStage(DnsLookup.found(values, ttl)));
        }
        nodes.put(e.getKey(), node);
      }
      // Empty non-terminals: every name above one that exists exists too.
      List<String> owners = new ArrayList<>(records.keySet());
      owners.addAll(cnames.keySet());
      for (String name : owners) {
        for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
          nodes.computeIfAbsent(name.substring(dot + 1), k -> uniform(noData));
        }
      }
      Map<String, Node> failing = new HashMap<>();
      for (Map.Entry<String, TempFailReason> e : failures.entrySet()) {
        failing.put(
            e.getKey(),
            uniform(
                CompletableFuture.completedStage(
                    DnsLookup.tempFail(
                        e.getValue(), "injected " + e.getValue() + " for " + e.getKey()))));
      }
      // CNAME owners answer from the end of their chain, worked out once here.
      Map<String, Node> aliases = new HashMap<>();
      for (String owner : cnames.keySet()) {
        Node node = new Node();
        for (RecordType type : RecordType.values()) {
          node.answers.put(type, follow(owner, type, nodes, failing, nx));
        }
        aliases.put(owner, node);
      }
      nodes.putAll(aliases);
      nodes.putAll(failing);
      return new InMemoryDnsResolver(Map.copyOf(nodes), nx);
    }

    /** The answer for {@code type} at the CNAME owner {@code owner}, from the end of its chain. */
    // NullAway: current is always a CNAME owner here, and every Node answers every RecordType.
    @SuppressWarnings("NullAway")
    private CompletionStage<?> follow(
        String owner,
        RecordType type,
        Map<String, Node> plain,
        Map<String, Node> failing,
        CompletionStage<?> nx) {
      Set<String> seen = new HashSet<>();
      seen.add(owner);
      String current = owner;
      for (int link = 0; ; link++) {
        if (link == ZoneFileResolver.MAX_CNAME_CHAIN) {
          return CompletableFuture.completedStage(
              DnsLookup.tempFail(
                  TempFailReason.SERVFAIL,
                  "CNAME chain from "
                      + owner
                      + " longer than "
                      + ZoneFileResolver.MAX_CNAME_CHAIN
                      + " links"));
        }
        String target = cnames.get(current);
        if (!seen.add(target)) {
          return CompletableFuture.completedStage(
              DnsLookup.tempFail(
                  TempFailReason.SERVFAIL, "CNAME loop from " + owner + " at " + target));
        }
        Node failure = failing.get(target);
        if (failure != null) {
          return failure.answers.get(type);
        }
        if (!cnames.containsKey(target)) {
          Node node = plain.get(target);
          return node == null ? nx : node.answers.get(type);
        }
        current = target;
      }
    }

    private static Node uniform(CompletionStage<?> answer) {
      Node n = new Node();
      for (RecordType type : RecordType.values()) {
        n.answers.put(type, answer);
      }
      return n;
    }

    private Builder add(String name, RecordType type, Object value) {
      List<Object> values =
          records
              .computeIfAbsent(normalize(name), k -> new EnumMap<>(RecordType.class))
              .computeIfAbsent(type, t -> new ArrayList<>());
      if (!values.contains(value)) {
        values.add(value);
      }
      return this;
    }

    private static long checkTtl(long seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException("TTL must not be negative, was " + seconds);
      }
      return seconds;
    }

    private static String normalize(String name) {
      Objects.requireNonNull(name, "name");
      String n = DnsNames.normalizeOrNull(name);
      if (n == null) {
        throw new IllegalArgumentException("not a valid DNS name: '" + name + "'");
      }
      return n;
    }

    /** Parses an address literal; never queries the DNS, since only literals are let through. */
    private static InetAddress literal(String text) {
      Objects.requireNonNull(text, "address");
      return IpLiteral.parse(text)
          .orElseThrow(
              () -> new IllegalArgumentException("not an IP address literal: '" + text + "'"));
    }
  }
}
