// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A {@link DnsResolver} that answers from RFC 1035 §5 master files held in memory, with no network.
 * It is meant for tests, for offline checks and for the {@code --zone} option of the command line,
 * and it is as strict as an authoritative server:
 *
 * <ul>
 *   <li>a name with no records and no descendants is {@link DnsLookup.NxDomain NXDOMAIN};
 *   <li>a name that exists but lacks the type asked is {@link DnsLookup.NoData NODATA}. A name
 *       exists when it owns records or when a name below it does (an empty non-terminal, RFC 8020
 *       §2): loading {@code a.b.example.} makes {@code b.example.} exist;
 *   <li>CNAME chains inside the loaded data are followed (at most {@value #MAX_CNAME_CHAIN} links;
 *       a loop or a longer chain gives {@link TempFailReason#SERVFAIL}, as a recursive resolver
 *       would), and the answer's TTL is the smallest TTL along the chain;
 *   <li>wildcards ({@code *.example.}) synthesise answers for names that do not exist, with the
 *       closest-encloser rule of RFC 4592 §3.3.1: a wildcard never covers an existing name or an
 *       empty non-terminal;
 *   <li>the character-strings of one TXT record are joined without a separator (RFC 7208 §3.3, RFC
 *       6376 §3.6.2.2);
 *   <li>NXDOMAIN and NODATA carry the negative TTL of the zone, the smaller of its SOA record's TTL
 *       and MINIMUM field (RFC 2308 §5);
 *   <li><b>a name outside every loaded zone is NXDOMAIN</b> with a negative TTL of 0: the resolver
 *       knows no other data, and never reports a failure it cannot have.
 * </ul>
 *
 * <p>A zone is the tree under an SOA record; a source without an SOA record may name its origin
 * instead, which then serves as the zone apex with a negative TTL of 0. <b>A source with neither (a
 * quick test zone) is one zone at the root</b>, with a negative TTL of 0: its names answer as
 * above, every other name is NXDOMAIN, and the names between its records and the root (such as
 * {@code com} for {@code example.com}) are empty non-terminals, so NODATA. Several zones may be
 * loaded at once, from several sources or from one source with several {@code $ORIGIN} sections; a
 * name belongs to the deepest loaded zone above it. {@code $ORIGIN}, {@code $TTL}, {@code $INCLUDE}
 * (files only) and {@code $GENERATE} are honoured; a record with no TTL and no {@code $TTL} in
 * force gets {@value #DEFAULT_TTL} seconds. Only class IN is accepted. Delegations (NS records
 * below an apex) and DNAME records are kept as plain data and not followed.
 *
 * <p>Names are matched octet for octet, without regard to the case of ASCII letters: a label may
 * hold any printable ASCII character and the space, so an owner written {@code a\032b%c} in a file
 * answers a query for {@code "a b%c"}, as SPF macro expansion produces it. Query names are read as
 * {@link DnsNames#normalizeOrNull(String)} says: no escapes, every dot separates labels, and a name
 * that cannot be asked for (a control or non-ASCII character, an empty or over-long label) is
 * NXDOMAIN with TTL 0 and matches nothing. MX exchanges and PTR targets come back in the same form,
 * so they can be asked for in turn.
 *
 * <p>Instances are immutable and thread-safe; every method completes before it returns. Loading
 * problems (syntax errors, a CNAME beside other data, a record of a source with an SOA record or a
 * given origin that lies outside every zone) are the caller's mistakes and throw {@link
 * IllegalArgumentException}; unreadable files throw {@link UncheckedIOException}.
 *
 * <pre>{@code
 * DnsResolver dns = ZoneFileResolver.fromString("""
 *     $ORIGIN example.com.
 *     $TTL 300
 *     @        SOA ns hostmaster 1 7200 3600 1209600 300
 *     @        TXT "v=spf1 ip4:192.0.2.0/24 " "-all"
 *     _dmarc   TXT "v=DMARC1; p=reject"
 *     """);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class ZoneFileResolver implements DnsResolver {

  /** The longest CNAME chain followed before the answer is SERVFAIL. */
  public static final int MAX_CNAME_CHAIN = 16;

  /** TTL in seconds of a record that has none and no {@code $TTL} in force. */
  public static final long DEFAULT_TTL = 3600;

  private static final Name WILD = Name.fromConstantString("*");

  /** Every existing name (owners and empty non-terminals) to its record sets by type. */
  private final Map<Name, Map<Integer, List<Record>>> nodes;

  /** Zone apex to the negative TTL of the zone. */
  private final Map<Name, Long> zones;

  /**
   * Answers already worked out, by type and normalized name: the zones never change, so an answer
   * never does either. Bounded: past {@link #MEMO_MAX} names, answers are worked out afresh each
   * time.
   */
  private final Map<String, DnsLookup<?>> memo = new ConcurrentHashMap<>();

  /** How many distinct questions keep their answer. */
  static final int MEMO_MAX = 65_536;

  private ZoneFileResolver(Map<Name, Map<Integer, List<Record>>> nodes, Map<Name, Long> zones) {
    this.nodes = nodes;
    this.zones = zones;
  }

  /**
   * {@return a resolver for the zones in one master-file text (see {@link
   * Builder#addZone(String)})}
   *
   * @param masterText the zone data in RFC 1035 master-file format
   */
  public static ZoneFileResolver fromString(String masterText) {
    return builder().addZone(masterText).build();
  }

  /**
   * {@return a resolver for the zones in the given master files (see {@link
   * Builder#addFile(Path)})}
   *
   * @param files the master files to load
   */
  public static ZoneFileResolver fromFiles(Path... files) {
    Builder b = builder();
    for (Path f : files) {
      b.addFile(f);
    }
    return b.build();
  }

  /**
   * A builder for a resolver of several zone texts or files.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@return the apexes of the loaded zones, lower case, without the trailing dot, sorted; the root
   * zone of a source without SOA record and origin is {@code ""}}
   */
  public Set<String> zones() {
    Set<String> out = new TreeSet<>();
    for (Name z : zones.keySet()) {
      out.add(Wire.toText(z));
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public CompletionStage<DnsLookup<String>> txt(String name) {
    return CompletableFuture.completedFuture(lookup(RecordType.TXT, name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet4Address>> a(String name) {
    return CompletableFuture.completedFuture(lookup(RecordType.A, name));
  }

  @Override
  public CompletionStage<DnsLookup<Inet6Address>> aaaa(String name) {
    return CompletableFuture.completedFuture(lookup(RecordType.AAAA, name));
  }

  @Override
  public CompletionStage<DnsLookup<MxRecord>> mx(String name) {
    return CompletableFuture.completedFuture(lookup(RecordType.MX, name));
  }

  @Override
  public CompletionStage<DnsLookup<String>> ptr(String name) {
    return CompletableFuture.completedFuture(lookup(RecordType.PTR, name));
  }

  @SuppressWarnings("unchecked")
  private <T> DnsLookup<T> lookup(RecordType type, String name) {
    Objects.requireNonNull(name, "name");
    String normalized = DnsNames.normalizeOrNull(name);
    if (normalized == null) {
      return DnsLookup.nxDomain(0);
    }
    String key = type.ordinal() + ":" + normalized;
    DnsLookup<?> known = memo.get(key);
    if (known != null) {
      return (DnsLookup<T>) known;
    }
    DnsLookup<T> answer = resolve(type, name);
    if (memo.size() < MEMO_MAX) {
      memo.putIfAbsent(key, answer);
    }
    return answer;
  }

  private <T> DnsLookup<T> resolve(RecordType type, String name) {
    Name current = Wire.toName(name);
    if (current == null) {
      return DnsLookup.nxDomain(0);
    }
    long chainTtl = Long.MAX_VALUE;
    Set<Name> seen = new HashSet<>();
    seen.add(current);
    for (int link = 0; ; link++) {
      Name apex = enclosingZone(current);
      if (apex == null) {
        return DnsLookup.nxDomain(0);
      }
      // NullAway: enclosingZone returns a key of zones.
      @SuppressWarnings("NullAway")
      long negativeTtl = zones.get(apex);
      Map<Integer, List<Record>> node = nodes.get(current);
      if (node == null) {
        node = wildcardFor(current, apex);
        if (node == null) {
          return DnsLookup.nxDomain(negativeTtl);
        }
      }
      List<Record> rrset = node.get(type.code());
      if (rrset != null) {
        List<T> values = new ArrayList<>(rrset.size());
        for (Record r : rrset) {
          values.add(Wire.value(type, r));
        }
        return DnsLookup.found(values, Math.min(chainTtl, Wire.minTtl(rrset)));
      }
      List<Record> cname = node.get(Type.CNAME);
      if (cname == null) {
        return DnsLookup.noData(negativeTtl);
      }
      if (link == MAX_CNAME_CHAIN) {
        return DnsLookup.tempFail(
            TempFailReason.SERVFAIL,
            "CNAME chain from " + name + " longer than " + MAX_CNAME_CHAIN + " links");
      }
      chainTtl = Math.min(chainTtl, cname.get(0).getTTL());
      current = ((CNAMERecord) cname.get(0)).getTarget();
      if (!seen.add(current)) {
        return DnsLookup.tempFail(
            TempFailReason.SERVFAIL, "CNAME loop from " + name + " at " + Wire.toText(current));
      }
    }
  }

  /** The deepest loaded zone apex at or above {@code name}, or {@code null}. */
  private @Nullable Name enclosingZone(Name name) {
    for (Name n = name; ; n = new Name(n, 1)) {
      if (zones.containsKey(n)) {
        return n;
      }
      if (n.labels() <= 1) {
        return null;
      }
    }
  }

  /**
   * The wildcard node that covers a name that does not exist (RFC 4592 §3.3.1): the source of
   * synthesis is {@code *.} followed by the closest encloser, the deepest existing ancestor.
   */
  private @Nullable Map<Integer, List<Record>> wildcardFor(Name name, Name apex) {
    Name closestEncloser = name;
    do {
      closestEncloser = new Name(closestEncloser, 1);
    } while (!nodes.containsKey(closestEncloser) && !closestEncloser.equals(apex));
    try {
      return nodes.get(Name.concatenate(WILD, closestEncloser));
    } catch (NameTooLongException e) {
      return null;
    }
  }

  /**
   * Collects master-file sources. Each {@code add} parses its source at once, so syntax errors are
   * reported where the source is added.
   */
  public static final class Builder {
    /** A record and whether its source has no SOA record and no origin (a zone at the root). */
    private record Loaded(Record record, boolean rootZone) {}

    private final List<Loaded> records = new ArrayList<>();
    private final List<Name> declaredOrigins = new ArrayList<>();
    private boolean rootZone;

    private Builder() {}

    /**
     * Adds the zones of a master-file text whose names are absolute or placed by {@code $ORIGIN}.
     * Each SOA record starts a zone at its owner; a text without SOA record is one zone at the
     * root.
     *
     * @param masterText the zone data in RFC 1035 master-file format
     * @return this builder
     */
    public Builder addZone(String masterText) {
      return addZone(null, masterText);
    }

    /**
     * Adds a master-file text; relative names are relative to {@code origin}, which also serves as
     * the zone apex if the text has no SOA record there.
     *
     * @param origin the origin for relative names
     * @param masterText the zone data in RFC 1035 master-file format
     * @return this builder
     */
    public Builder addZone(@Nullable String origin, String masterText) {
      Objects.requireNonNull(masterText, "masterText");
      Name o = origin == null ? null : parseOrigin(origin);
      try (Master m =
          new Master(
              new ByteArrayInputStream(masterText.getBytes(StandardCharsets.UTF_8)),
              o,
              DEFAULT_TTL)) {
        m.disableIncludes();
        m.expandGenerate(true);
        read(m, o, "zone text" + (origin == null ? "" : " for " + origin));
      }
      return this;
    }

    /**
     * Adds the zones of a master file (see {@link #addZone(String)}).
     *
     * @param file the master file to load
     * @return this builder
     */
    public Builder addFile(Path file) {
      return addFile(file, null);
    }

    /**
     * Adds a master file; {@code origin} as in {@link #addZone(String, String)}.
     *
     * @param file the master file to load
     * @param origin the origin for relative names
     * @return this builder
     */
    public Builder addFile(Path file, @Nullable String origin) {
      Objects.requireNonNull(file, "file");
      Name o = origin == null ? null : parseOrigin(origin);
      if (!Files.isReadable(file)) {
        throw new UncheckedIOException(
            new IOException("zone file " + file + " does not exist or cannot be read"));
      }
      try (Master m = new Master(file.toString(), o, DEFAULT_TTL)) {
        m.expandGenerate(true);
        read(m, o, "zone file " + file);
      } catch (IOException e) {
        throw new UncheckedIOException("zone file " + file + ": " + e.getMessage(), e);
      }
      return this;
    }

    private static Name parseOrigin(String origin) {
      try {
        return Name.fromString(origin.endsWith(".") ? origin : origin + ".");
      } catch (TextParseException e) {
        throw new IllegalArgumentException(
            "invalid zone origin '" + origin + "': " + e.getMessage());
      }
    }

    private void read(Master m, @Nullable Name origin, String what) {
      List<Record> got = new ArrayList<>();
      boolean hasSoa = false;
      try {
        for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
          if (r.getDClass() != DClass.IN) {
            throw new IllegalArgumentException(what + ": only class IN is supported, found " + r);
          }
          hasSoa |= r.getType() == Type.SOA;
          got.add(r);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw e;
      } catch (RuntimeException e) {
        // dnsjava's master-file reader fails on some malformed text with unchecked exceptions
        // (StringIndexOutOfBoundsException on a quoted empty owner name, for one).
        throw new IllegalArgumentException(what + ": unreadable: " + e, e);
      }
      boolean atRoot = origin == null && !hasSoa;
      for (Record r : got) {
        records.add(new Loaded(r, atRoot));
      }
      if (origin != null && !hasSoa) {
        declaredOrigins.add(origin);
      }
      rootZone |= atRoot && !got.isEmpty();
    }

    /**
     * Builds the resolver; throws if the data breaks a rule listed on {@link ZoneFileResolver}.
     *
     * @return a new resolver serving the zones added
     */
    public ZoneFileResolver build() {
      Map<Name, Long> zones = new HashMap<>();
      for (Name o : declaredOrigins) {
        zones.putIfAbsent(o, 0L);
      }
      for (Loaded l : records) {
        if (l.record() instanceof SOARecord soa) {
          zones.put(soa.getName(), Wire.negativeTtl(soa));
        }
      }
      // The root zone made for sources without SOA and origin takes in their records only: a record
      // of any other source must lie in a zone an SOA record or an origin made, as before.
      boolean implicitRoot = rootZone && !zones.containsKey(Name.root);
      if (implicitRoot) {
        zones.put(Name.root, 0L);
      }
      Map<Name, Map<Integer, List<Record>>> nodes = new HashMap<>();
      for (Loaded l : records) {
        Record r = l.record();
        Name apex = deepestApex(zones, r.getName());
        if (apex == null || (implicitRoot && !l.rootZone() && apex.equals(Name.root))) {
          throw new IllegalArgumentException(
              "record outside every zone (add an SOA record at the zone apex, or give the origin):"
                  + " "
                  + r);
        }
        List<Record> rrset =
            nodes
                .computeIfAbsent(r.getName(), n -> new LinkedHashMap<>())
                .computeIfAbsent(r.getType(), t -> new ArrayList<>());
        if (!rrset.contains(r)) {
          rrset.add(r);
        }
        // Empty non-terminals: every name between the owner and the apex exists.
        for (Name n = r.getName(); !n.equals(apex); ) {
          n = new Name(n, 1);
          nodes.computeIfAbsent(n, k -> new LinkedHashMap<>());
        }
      }
      for (Name apex : zones.keySet()) {
        nodes.computeIfAbsent(apex, k -> new LinkedHashMap<>());
      }
      for (Map.Entry<Name, Map<Integer, List<Record>>> e : nodes.entrySet()) {
        List<Record> cname = e.getValue().get(Type.CNAME);
        if (cname == null) {
          continue;
        }
        if (cname.size() > 1) {
          throw new IllegalArgumentException("more than one CNAME record at " + e.getKey());
        }
        if (e.getValue().size() > 1) {
          throw new IllegalArgumentException(
              "CNAME record beside other data at " + e.getKey() + " (RFC 1034 §3.6.2)");
        }
      }
      Map<Name, Map<Integer, List<Record>>> frozen = new HashMap<>();
      for (Map.Entry<Name, Map<Integer, List<Record>>> e : nodes.entrySet()) {
        Map<Integer, List<Record>> types = new HashMap<>();
        e.getValue().forEach((t, l) -> types.put(t, List.copyOf(l)));
        frozen.put(e.getKey(), Map.copyOf(types));
      }
      return new ZoneFileResolver(Map.copyOf(frozen), Map.copyOf(zones));
    }

    private static @Nullable Name deepestApex(Map<Name, Long> zones, Name name) {
      for (Name n = name; ; n = new Name(n, 1)) {
        if (zones.containsKey(n)) {
          return n;
        }
        if (n.labels() <= 1) {
          return null;
        }
      }
    }
  }
}
