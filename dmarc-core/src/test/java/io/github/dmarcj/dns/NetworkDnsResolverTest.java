// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;

final class NetworkDnsResolverTest {

  private static NetworkDnsResolver resolverFor(Duration timeout, int retries, int... ports) {
    NetworkDnsResolver.Builder b = NetworkDnsResolver.builder().timeout(timeout).retries(retries);
    for (int p : ports) {
      b.addServer("127.0.0.1", p);
    }
    return b.build();
  }

  /** A reply to {@code query} with the given RCODE and answer records. */
  static byte[] reply(Message query, int rcode, Record... answers) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    for (Record r : answers) {
      m.addRecord(r, Section.ANSWER);
    }
    return m.toWire();
  }

  private static TempFailReason reason(DnsLookup<?> l) {
    assertThat(l).isInstanceOf(DnsLookup.TempFail.class);
    return ((DnsLookup.TempFail<?>) l).reason();
  }

  @Test
  @DisplayName("a server that never answers gives TIMEOUT within the configured time")
  void silentServer_timeoutWithinBound() throws Exception {
    Duration timeout = Duration.ofMillis(300);
    try (FakeUdpDnsServer silent = FakeUdpDnsServer.silent()) {
      NetworkDnsResolver dns = resolverFor(timeout, 0, silent.port());
      long start = System.nanoTime();
      DnsLookup<String> r = join(dns.txt("example.com"));
      long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(reason(r)).isEqualTo(TempFailReason.TIMEOUT);
      assertThat(elapsedMillis)
          .isGreaterThanOrEqualTo(timeout.toMillis() / 2)
          .isLessThan(5 * timeout.toMillis());
      assertThat(silent.received()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("retries ask the servers again, each attempt bounded by the timeout")
  void silentServer_retries_askedAgain() throws Exception {
    try (FakeUdpDnsServer silent = FakeUdpDnsServer.silent()) {
      NetworkDnsResolver dns = resolverFor(Duration.ofMillis(150), 2, silent.port());
      long start = System.nanoTime();
      assertThat(reason(join(dns.a("example.com")))).isEqualTo(TempFailReason.TIMEOUT);
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5 * 3 * 150);
      assertThat(silent.received()).isEqualTo(3);
    }
  }

  @Test
  @DisplayName("a failing server is skipped for the next one")
  void servfailThenGoodServer_found() throws Exception {
    try (FakeUdpDnsServer bad = new FakeUdpDnsServer(q -> reply(q, Rcode.SERVFAIL));
        FakeUdpDnsServer good =
            new FakeUdpDnsServer(
                q ->
                    reply(
                        q,
                        Rcode.NOERROR,
                        new TXTRecord(
                            q.getQuestion().getName(),
                            DClass.IN,
                            42,
                            List.of("v=spf1 ", "-all"))))) {
      NetworkDnsResolver dns = resolverFor(Duration.ofSeconds(2), 0, bad.port(), good.port());
      assertThat(dns.servers())
          .containsExactly("127.0.0.1:" + bad.port(), "127.0.0.1:" + good.port());
      assertThat(join(dns.txt("example.com")))
          .isEqualTo(DnsLookup.found(List.of("v=spf1 -all"), 42));
      assertThat(bad.received()).isEqualTo(1);
      assertThat(good.received()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("RCODEs other than NOERROR and NXDOMAIN are temporary failures")
  void rcodes_mapToTempFailReasons() throws Exception {
    int[][] cases = {
      {Rcode.SERVFAIL, TempFailReason.SERVFAIL.ordinal()},
      {Rcode.REFUSED, TempFailReason.REFUSED.ordinal()},
      {Rcode.NOTIMP, TempFailReason.OTHER_RCODE.ordinal()},
      {Rcode.FORMERR, TempFailReason.OTHER_RCODE.ordinal()},
    };
    for (int[] c : cases) {
      try (FakeUdpDnsServer s = new FakeUdpDnsServer(q -> reply(q, c[0]))) {
        DnsLookup<String> r =
            join(resolverFor(Duration.ofSeconds(15), 0, s.port()).txt("example.com"));
        assertThat(reason(r)).as(Rcode.string(c[0])).isEqualTo(TempFailReason.values()[c[1]]);
        assertThat(((DnsLookup.TempFail<String>) r).detail()).contains(Rcode.string(c[0]));
      }
    }
  }

  @Test
  @DisplayName("a reply that does not parse is a temporary failure, never an exception")
  void garbageReply_tempFail() throws Exception {
    Function<Message, byte[]> cutShort =
        q -> {
          byte[] full =
              reply(q, Rcode.NOERROR, aRecord(q.getQuestion().getName(), "192.0.2.1", 60));
          return java.util.Arrays.copyOf(full, full.length - 3);
        };
    try (FakeUdpDnsServer s = new FakeUdpDnsServer(cutShort)) {
      DnsLookup<?> r = join(resolverFor(Duration.ofMillis(500), 0, s.port()).a("example.com"));
      assertThat(reason(r)).isEqualTo(TempFailReason.MALFORMED_RESPONSE);
    }
  }

  @Test
  @DisplayName("a name that cannot exist is NXDOMAIN without a query")
  void impossibleName_noQuery() throws Exception {
    try (FakeUdpDnsServer silent = FakeUdpDnsServer.silent()) {
      NetworkDnsResolver dns = resolverFor(Duration.ofMillis(200), 0, silent.port());
      assertThat(join(dns.txt("a..example.com"))).isEqualTo(DnsLookup.nxDomain(0));
      assertThat(join(dns.mx("x".repeat(64) + ".com"))).isEqualTo(DnsLookup.nxDomain(0));
      Thread.sleep(50);
      assertThat(silent.received()).isZero();
    }
  }

  @Test
  @DisplayName("CNAME chains in the answer are followed; smallest TTL wins")
  void fromResponse_cnameChain() throws Exception {
    Name q = Name.fromString("www.example.com.");
    Name mid = Name.fromString("mid.example.net.");
    Name host = Name.fromString("host.example.org.");
    Message m = response(q, Type.A, Rcode.NOERROR);
    m.addRecord(new CNAMERecord(q, DClass.IN, 300, mid), Section.ANSWER);
    m.addRecord(new CNAMERecord(mid, DClass.IN, 30, host), Section.ANSWER);
    m.addRecord(aRecord(host, "192.0.2.5", 600), Section.ANSWER);
    m.addRecord(aRecord(Name.fromString("other.example."), "192.0.2.6", 1), Section.ANSWER);
    assertThat(NetworkDnsResolver.<InetAddress>fromResponse(RecordType.A, q, m))
        .isEqualTo(DnsLookup.found(List.of(InetAddress.getByName("192.0.2.5")), 30));
  }

  @Test
  @DisplayName("negative answers take the SOA's TTL or MINIMUM, whichever is smaller")
  void fromResponse_negativeTtlFromSoa() throws Exception {
    Name q = Name.fromString("nope.example.com.");
    Message nx = response(q, Type.TXT, Rcode.NXDOMAIN);
    nx.addRecord(soa(900, 300), Section.AUTHORITY);
    assertThat(NetworkDnsResolver.fromResponse(RecordType.TXT, q, nx))
        .isEqualTo(DnsLookup.nxDomain(300));
    Message nodata = response(q, Type.TXT, Rcode.NOERROR);
    nodata.addRecord(soa(60, 300), Section.AUTHORITY);
    assertThat(NetworkDnsResolver.fromResponse(RecordType.TXT, q, nodata))
        .isEqualTo(DnsLookup.noData(60));
    Message bare = response(q, Type.TXT, Rcode.NOERROR);
    assertThat(NetworkDnsResolver.fromResponse(RecordType.TXT, q, bare))
        .isEqualTo(DnsLookup.noData(0));
  }

  @Test
  @DisplayName("an answer to another question, or a truncated one, is not trusted")
  void fromResponse_mismatchOrTruncated_tempFail() throws Exception {
    Name q = Name.fromString("example.com.");
    Message other = response(Name.fromString("example.net."), Type.TXT, Rcode.NOERROR);
    assertThat(reason(NetworkDnsResolver.fromResponse(RecordType.TXT, q, other)))
        .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
    Message otherType = response(q, Type.A, Rcode.NOERROR);
    assertThat(reason(NetworkDnsResolver.fromResponse(RecordType.TXT, q, otherType)))
        .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
    Message truncated = response(q, Type.TXT, Rcode.NOERROR);
    truncated.getHeader().setFlag(Flags.TC);
    assertThat(reason(NetworkDnsResolver.fromResponse(RecordType.TXT, q, truncated)))
        .isEqualTo(TempFailReason.NETWORK_ERROR);
  }

  @Test
  @DisplayName("a CNAME loop in an answer is a temporary failure")
  void fromResponse_cnameLoop_tempFail() throws Exception {
    Name a = Name.fromString("a.example.");
    Name b = Name.fromString("b.example.");
    Message m = response(a, Type.TXT, Rcode.NOERROR);
    m.addRecord(new CNAMERecord(a, DClass.IN, 60, b), Section.ANSWER);
    m.addRecord(new CNAMERecord(b, DClass.IN, 60, a), Section.ANSWER);
    assertThat(reason(NetworkDnsResolver.fromResponse(RecordType.TXT, a, m)))
        .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
  }

  @Test
  @DisplayName("library and network errors map to reasons")
  void fromError_mapsReasons() {
    assertThat(
            reason(
                NetworkDnsResolver.fromError(
                    new CompletionException(new SocketTimeoutException("Query timed out")))))
        .isEqualTo(TempFailReason.TIMEOUT);
    assertThat(reason(NetworkDnsResolver.fromError(new IOException("Got status code 500"))))
        .isEqualTo(TempFailReason.NETWORK_ERROR);
    assertThat(reason(NetworkDnsResolver.fromError(new WireParseException("end of input"))))
        .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
    assertThat(reason(NetworkDnsResolver.fromError(new IllegalStateException("bug"))))
        .isEqualTo(TempFailReason.OTHER);
  }

  @Test
  void builder_misuse_rejected() {
    assertThatThrownBy(
            () ->
                NetworkDnsResolver.builder()
                    .addServer("127.0.0.1", 53)
                    .dnsOverHttps(URI.create("https://dns.example/dns-query"))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> NetworkDnsResolver.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkDnsResolver.builder().retries(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkDnsResolver.builder().addServer("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NetworkDnsResolver.builder().dnsOverHttps(URI.create("ftp://x/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(NetworkDnsResolver.builder().addServer("[::1]", 5353).build().servers())
        .containsExactly("[0:0:0:0:0:0:0:1]:5353");
  }

  @Test
  void systemDefault_hasServers() {
    assertThat(NetworkDnsResolver.systemDefault().servers()).isNotEmpty();
  }

  private static Message response(Name name, int type, int rcode) {
    Message m = new Message();
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(name, type, DClass.IN), Section.QUESTION);
    return m;
  }

  private static SOARecord soa(long ttl, long minimum) throws Exception {
    return new SOARecord(
        Name.fromString("example.com."),
        DClass.IN,
        ttl,
        Name.fromString("ns.example.com."),
        Name.fromString("h.example.com."),
        1,
        7200,
        3600,
        1209600,
        minimum);
  }

  private static ARecord aRecord(Name name, String ip, long ttl) {
    try {
      return new ARecord(name, DClass.IN, ttl, InetAddress.getByName(ip));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  @DisplayName("an UPDATE message with an empty PTR record is a malformed answer, not a cast error")
  void fromResponse_updateOpcodeWithEmptyRecord_malformedResponse() throws Exception {
    // What DnsWireFuzzTest found: opcode UPDATE, so dnsjava reads the rdata-less PTR record as an
    // EmptyRecord of type PTR.
    byte[] wire =
        java.util.HexFormat.of()
            .parseHex(
                "1234288000010001000000000131013201300331393207696e2d61646472046172706100000c0001"
                    + "0131013201300331393207696e2d61646472046172706100000c00010000012c0000000000010003"
                    + "636f6d00");
    Message m = new Message(wire);
    DnsLookup<String> lookup =
        NetworkDnsResolver.fromResponse(RecordType.PTR, m.getQuestion().getName(), m);
    assertThat(lookup).isInstanceOf(DnsLookup.TempFail.class);
    assertThat(((DnsLookup.TempFail<String>) lookup).reason())
        .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
  }
}
