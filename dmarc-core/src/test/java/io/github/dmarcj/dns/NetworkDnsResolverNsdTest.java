// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * {@link NetworkDnsResolver} against NSD serving the test zones must give exactly the outcomes
 * {@link ZoneFileResolver} gives for the same zones.
 */
final class NetworkDnsResolverNsdTest {

  private static final int BIG_RECORDS = 40;

  @TempDir static Path dir;

  private static NsdServer nsd;
  private static ZoneFileResolver zones;
  private static NetworkDnsResolver network;

  @BeforeAll
  static void startNsd() throws Exception {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String origin : TestZones.ORIGINS) {
      texts.put(origin, TestZones.text(origin));
    }
    texts.put("big.test", bigZone());
    ZoneFileResolver.Builder b = ZoneFileResolver.builder();
    texts.values().forEach(b::addZone);
    zones = b.build();
    nsd = NsdServer.start(dir, texts, "example.com");
    network =
        NetworkDnsResolver.builder()
            .addServer("127.0.0.1", nsd.port())
            .timeout(Duration.ofSeconds(15))
            .build();
  }

  @AfterAll
  static void stopNsd() throws Exception {
    if (nsd != null) {
      nsd.close();
    }
  }

  /** A TXT RRset of about 8 KB: too big for UDP, so the answer must come over TCP. */
  private static String bigZone() {
    StringBuilder z = new StringBuilder("$ORIGIN big.test.\n$TTL 600\n");
    z.append("@ SOA ns1 hostmaster 1 7200 3600 1209600 120\n@ NS ns1\nns1 A 127.0.0.1\n");
    for (int i = 0; i < BIG_RECORDS; i++) {
      z.append("@ TXT \"record ")
          .append(String.format("%02d ", i))
          .append("x".repeat(180))
          .append("\" \"tail ")
          .append(i)
          .append("\"\n");
    }
    return z.toString();
  }

  private record Query(String label, Function<DnsResolver, DnsLookup<?>> run) {}

  private static Query txt(String name) {
    return new Query("TXT " + name, r -> join(r.txt(name)));
  }

  private static Query a(String name) {
    return new Query("A " + name, r -> join(r.a(name)));
  }

  private static Query aaaa(String name) {
    return new Query("AAAA " + name, r -> join(r.aaaa(name)));
  }

  private static Query mx(String name) {
    return new Query("MX " + name, r -> join(r.mx(name)));
  }

  private static Query ptr(String ip) {
    try {
      String name = DnsNames.reverseName(InetAddress.getByName(ip));
      return new Query("PTR " + ip, r -> join(r.ptr(name)));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @TestFactory
  @DisplayName(
      "RFC 7208 §3.3, RFC 6376 §3.6.2.2: network answers from NSD equal the zone-file answers")
  Stream<DynamicTest> network_sameOutcomesAsZoneFile() {
    List<Query> table = new ArrayList<>();
    // found, multi-string TXT joined, several records
    table.add(txt("example.com"));
    table.add(txt("two-txt.example.com"));
    table.add(txt("_dmarc.example.com"));
    table.add(txt("a.b.example.com"));
    // NODATA, empty non-terminal, NXDOMAIN
    table.add(txt("mx1.example.com"));
    table.add(txt("b.example.com"));
    table.add(a("b.example.com"));
    table.add(txt("nope.example.com"));
    table.add(txt("c.b.example.com"));
    table.add(mx("nope.example.com"));
    // address records
    table.add(a("example.com"));
    table.add(a("mx1.example.com"));
    table.add(aaaa("example.com"));
    table.add(aaaa("mapped.example.com"));
    table.add(aaaa("mx1.example.com"));
    // MX, null MX
    table.add(mx("example.com"));
    table.add(mx("nullmx.example.com"));
    table.add(mx("mx1.example.com"));
    // CNAME chains inside the zone
    table.add(a("www.example.com"));
    table.add(txt("chain1.example.com"));
    table.add(mx("www.example.com"));
    table.add(txt("dangling.example.com"));
    // wildcards
    table.add(txt("anything.wild.example.com"));
    table.add(txt("a.b.anything.wild.example.com"));
    table.add(a("anything.wild.example.com"));
    table.add(txt("real.wild.example.com"));
    table.add(txt("sub.wild.example.com"));
    table.add(txt("y.sub.wild.example.com"));
    // octets beyond letters, digits and hyphens: sent and matched as they are, targets as asked
    table.add(txt("macro%percent  space%20url-space.example.com"));
    table.add(txt("MACRO%PERCENT  SPACE%20URL-SPACE.example.com"));
    table.add(txt("macro%percent space%20url-space.example.com"));
    table.add(mx("odd-mx.example.com"));
    // PTR in IPv4 and IPv6 reverse zones
    table.add(ptr("192.0.2.1"));
    table.add(ptr("192.0.2.10"));
    table.add(ptr("192.0.2.99"));
    table.add(ptr("2001:db8::1"));
    table.add(ptr("2001:db8::2"));
    // case and trailing dot
    table.add(txt("_DMARC.Example.COM."));
    // names that cannot exist: no query at all, NXDOMAIN
    table.add(txt("a..example.com"));
    return table.stream()
        .map(
            q ->
                DynamicTest.dynamicTest(
                    q.label(),
                    () -> {
                      DnsLookup<?> expected = q.run().apply(zones);
                      DnsLookup<?> actual = q.run().apply(network);
                      assertThat(actual).as(q.label()).isEqualTo(expected);
                      if (expected instanceof DnsLookup.Found<?> f) {
                        assertThat(f.records()).isNotEmpty();
                      }
                    }));
  }

  @Test
  @DisplayName("a TXT RRset too big for UDP arrives complete over TCP")
  void txt_truncatedOverUdp_completeOverTcp() throws Exception {
    // Over UDP alone the answer is truncated (TC bit), so only the TCP retry can complete it.
    SimpleResolver udpOnly = new SimpleResolver(new InetSocketAddress("127.0.0.1", nsd.port()));
    udpOnly.setIgnoreTruncation(true);
    udpOnly.setTimeout(Duration.ofSeconds(15));
    Message udp =
        udpOnly
            .sendAsync(
                Message.newQuery(
                    org.xbill.DNS.Record.newRecord(
                        Name.fromString("big.test."), Type.TXT, DClass.IN)))
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();

    DnsLookup<String> r = join(network.txt("big.test"));
    assertThat(r).isInstanceOf(DnsLookup.Found.class);
    assertThat(r.recordsOrEmpty())
        .hasSize(BIG_RECORDS)
        .allSatisfy(s -> assertThat(s).startsWith("record ").contains("tail "));
    assertThat(String.join("", r.recordsOrEmpty()).length()).isGreaterThan(4096);
    assertThat(r).isEqualTo(join(zones.txt("big.test")));
  }

  @Test
  @DisplayName("random names built from the zone's labels get the same outcome from both")
  void randomNames_sameOutcomes() {
    String[] labels = {
      "a",
      "b",
      "c",
      "www",
      "host",
      "wild",
      "sub",
      "real",
      "x",
      "y",
      "*",
      "mx1",
      "chain1",
      "dangling",
      "two-txt",
      "_dmarc",
      "nullmx",
      "mapped"
    };
    java.util.Random random = new java.util.Random(20261127L);
    java.util.Set<Class<?>> kinds = new java.util.HashSet<>();
    for (int i = 0; i < 300; i++) {
      StringBuilder name = new StringBuilder();
      int depth = random.nextInt(4);
      for (int d = 0; d < depth; d++) {
        name.append(labels[random.nextInt(labels.length)]).append('.');
      }
      name.append("example.com");
      String n = name.toString();
      Query q;
      switch (random.nextInt(4)) {
        case 0:
          q = txt(n);
          break;
        case 1:
          q = a(n);
          break;
        case 2:
          q = aaaa(n);
          break;
        default:
          q = mx(n);
      }
      DnsLookup<?> expected = q.run().apply(zones);
      assertThat(q.run().apply(network)).as(q.label()).isEqualTo(expected);
      kinds.add(expected.getClass());
    }
    // the sample covers every outcome a zone can give
    assertThat(kinds)
        .contains(DnsLookup.Found.class, DnsLookup.NoData.class, DnsLookup.NxDomain.class);
  }

  @Test
  @DisplayName("hundreds of queries in flight at once, started from one thread, all answered")
  void manyConcurrentQueries_allAnswered() {
    List<java.util.concurrent.CompletableFuture<DnsLookup<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String name =
          i % 3 == 0
              ? "_dmarc.example.com"
              : i % 3 == 1 ? "n" + i + ".example.com" : "b.example.com";
      inFlight.add(network.txt(name).toCompletableFuture());
    }
    for (int i = 0; i < inFlight.size(); i++) {
      DnsLookup<String> r = inFlight.get(i).join();
      if (i % 3 == 0) {
        assertThat(r.recordsOrEmpty())
            .containsExactly("v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
      } else if (i % 3 == 1) {
        assertThat(r).isEqualTo(DnsLookup.nxDomain(300));
      } else {
        assertThat(r).isEqualTo(DnsLookup.noData(300));
      }
    }
  }

  @Test
  @DisplayName("a cache in front of the network resolver answers repeats itself")
  void cache_overNetwork_oneUpstreamQuery() {
    CachingDnsResolver cache = CachingDnsResolver.of(network);
    DnsLookup<String> first = join(cache.txt("_dmarc.example.com"));
    DnsLookup<String> second = join(cache.txt("_dmarc.example.com"));
    assertThat(second.recordsOrEmpty()).isEqualTo(first.recordsOrEmpty()).isNotEmpty();
    assertThat(cache.stats().upstreamQueries()).isEqualTo(1);
  }
}
