// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.FaultyDnsServer.Datagram;
import static io.github.dmarcj.dns.FaultyDnsServer.reply;
import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * What a UDP/TCP answer must match before {@link NetworkDnsResolver} takes it (RFC 5452 §9.1, RFC
 * 1035 §4.1.1, §7.3): the server's address and port, the query's ID, QR set, opcode QUERY, the
 * question echoed, no more octets than advertised (RFC 6891 §6.2.5). Anything else is ignored and
 * the client keeps waiting for the genuine answer until the attempt's timeout; a forged datagram
 * never ends an attempt.
 */
final class NetworkDnsResolverMatchingTest {

  private static final String GENUINE = "v=spf1 ip4:192.0.2.0/24 -all";
  private static final String FORGED = "v=spf1 +all";

  private static NetworkDnsResolver resolver(FaultyDnsServer s, Duration timeout, int retries) {
    return NetworkDnsResolver.builder()
        .addServer("127.0.0.1", s.port())
        .timeout(timeout)
        .retries(retries)
        .build();
  }

  private static TXTRecord txt(Message q, String text) {
    return new TXTRecord(q.getQuestion().getName(), DClass.IN, 300, text);
  }

  private static byte[] genuine(Message q) {
    return reply(q, Rcode.NOERROR, txt(q, GENUINE));
  }

  private static byte[] forged(Message q) {
    return reply(q, Rcode.NOERROR, txt(q, FORGED));
  }

  private static TempFailReason reason(DnsLookup<?> l) {
    assertThat(l).isInstanceOf(DnsLookup.TempFail.class);
    return ((DnsLookup.TempFail<?>) l).reason();
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Runs one TXT query against a server that sends {@code forgery} and then the genuine answer. */
  private static void assertForgeryIgnored(java.util.function.Function<Message, Datagram> forgery)
      throws Exception {
    Duration timeout = Duration.ofSeconds(5);
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(q -> List.of(forgery.apply(q), Datagram.of(genuine(q))))) {
      long start = System.nanoTime();
      DnsLookup<String> r = join(resolver(s, timeout, 0).txt("example.com"));
      assertThat(r).isEqualTo(DnsLookup.found(List.of(GENUINE), 300));
      // taken as soon as it came, not after the attempt timed out
      assertThat(millisSince(start)).isLessThan(timeout.toMillis() / 2);
      assertThat(s.udpQueries()).isEqualTo(1);
    }
  }

  /** Runs one TXT query against a server whose only reply is {@code forgery}. */
  private static DnsLookup<String> onlyForgery(
      java.util.function.Function<Message, Datagram> forgery, Duration timeout) throws Exception {
    try (FaultyDnsServer s = FaultyDnsServer.udp(q -> List.of(forgery.apply(q)))) {
      long start = System.nanoTime();
      DnsLookup<String> r = join(resolver(s, timeout, 0).txt("example.com"));
      long elapsed = millisSince(start);
      // the attempt waited for a genuine answer until its timeout, and not much longer
      assertThat(elapsed).isGreaterThanOrEqualTo(timeout.toMillis() - 20);
      assertThat(elapsed).isLessThan(timeout.toMillis() + 1500);
      return r;
    }
  }

  @Test
  @DisplayName("a datagram with the QR bit clear is a query, never an answer")
  void qrClear_notTakenAsAnswer() throws Exception {
    DnsLookup<String> r =
        onlyForgery(
            q -> Datagram.of(FaultyDnsServer.withQrClear(forged(q))), Duration.ofMillis(300));
    assertThat(reason(r)).isEqualTo(TempFailReason.MALFORMED_RESPONSE);
    assertThat(((DnsLookup.TempFail<String>) r).detail()).contains("QR");
  }

  @Test
  @DisplayName("a QR=0 datagram before the answer is ignored; the answer is taken")
  void qrClearThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(q -> Datagram.of(FaultyDnsServer.withQrClear(forged(q))));
  }

  @Test
  @DisplayName("a datagram with a wrong ID does not end the attempt (RFC 5452 §9.1)")
  void wrongIdThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(q -> Datagram.of(FaultyDnsServer.withOtherId(forged(q))));
  }

  @Test
  @DisplayName("many wrong IDs before the answer are all ignored")
  void manyWrongIdsThenAnswer_genuineAnswer() throws Exception {
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(
            q -> {
              List<Datagram> d = new ArrayList<>();
              for (int i = 0; i < 50; i++) {
                d.add(Datagram.of(FaultyDnsServer.withOtherId(forged(q))));
              }
              d.add(Datagram.of(genuine(q)));
              return d;
            })) {
      assertThat(join(resolver(s, Duration.ofSeconds(5), 0).txt("example.com")).recordsOrEmpty())
          .containsExactly(GENUINE);
    }
  }

  @Test
  @DisplayName("only wrong IDs: the attempt waits out its timeout, then MALFORMED_RESPONSE")
  void wrongIdOnly_waitsThenMalformed() throws Exception {
    DnsLookup<String> r =
        onlyForgery(
            q -> Datagram.of(FaultyDnsServer.withOtherId(forged(q))), Duration.ofMillis(300));
    assertThat(reason(r)).isEqualTo(TempFailReason.MALFORMED_RESPONSE);
    assertThat(((DnsLookup.TempFail<String>) r).detail()).contains("ID");
  }

  @Test
  @DisplayName("the right ID and question from another port is ignored (RFC 5452 §9.1)")
  void otherSourcePortThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(q -> Datagram.fromOtherPort(forged(q)));
  }

  @Test
  @DisplayName("only datagrams from another port: TIMEOUT, they say nothing about the server")
  void otherSourcePortOnly_timeout() throws Exception {
    DnsLookup<String> r =
        onlyForgery(q -> Datagram.fromOtherPort(forged(q)), Duration.ofMillis(300));
    assertThat(reason(r)).isEqualTo(TempFailReason.TIMEOUT);
  }

  @Test
  @DisplayName("an answer to another name, carrying records for ours, is ignored")
  void otherQuestionThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(
        q ->
            Datagram.of(
                FaultyDnsServer.forOtherQuestion(
                    q, Name.fromConstantString("attacker.example."), txt(q, FORGED))));
  }

  @Test
  @DisplayName("an answer to another type or class of the same name is ignored")
  void otherTypeOrClassThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(
        q -> {
          Message m = FaultyDnsServer.response(q, Rcode.NOERROR, txt(q, FORGED));
          m.removeAllRecords(Section.QUESTION);
          m.addRecord(
              Record.newRecord(q.getQuestion().getName(), org.xbill.DNS.Type.A, DClass.IN),
              Section.QUESTION);
          return Datagram.of(m.toWire());
        });
    assertForgeryIgnored(
        q -> {
          Message m = FaultyDnsServer.response(q, Rcode.NOERROR, txt(q, FORGED));
          m.removeAllRecords(Section.QUESTION);
          m.addRecord(
              Record.newRecord(q.getQuestion().getName(), q.getQuestion().getType(), DClass.CH),
              Section.QUESTION);
          return Datagram.of(m.toWire());
        });
  }

  @Test
  @DisplayName("a response without the question, or with two, is ignored")
  void questionCountNotOne_ignored() throws Exception {
    assertForgeryIgnored(
        q -> {
          Message m = FaultyDnsServer.response(q, Rcode.NOERROR, txt(q, FORGED));
          m.removeAllRecords(Section.QUESTION);
          return Datagram.of(m.toWire());
        });
    assertForgeryIgnored(
        q -> {
          Message m = FaultyDnsServer.response(q, Rcode.NOERROR, txt(q, FORGED));
          m.addRecord(q.getQuestion(), Section.QUESTION);
          return Datagram.of(m.toWire());
        });
  }

  @Test
  @DisplayName("a response with another opcode is ignored")
  void otherOpcodeThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(q -> Datagram.of(FaultyDnsServer.withOpcode(forged(q), Opcode.NOTIFY)));
  }

  @Test
  @DisplayName("bytes that do not parse, with the right ID, are ignored")
  void garbageThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(q -> Datagram.of(FaultyDnsServer.garbage(q, 7)));
    assertForgeryIgnored(q -> Datagram.of(new byte[] {1, 2, 3}));
    assertForgeryIgnored(q -> Datagram.of(new byte[0]));
  }

  @Test
  @DisplayName("only garbage: the attempt waits out its timeout, then MALFORMED_RESPONSE")
  void garbageOnly_waitsThenMalformed() throws Exception {
    DnsLookup<String> r =
        onlyForgery(q -> Datagram.of(FaultyDnsServer.garbage(q, 11)), Duration.ofMillis(300));
    assertThat(reason(r)).isEqualTo(TempFailReason.MALFORMED_RESPONSE);
  }

  @Test
  @DisplayName("a UDP answer larger than the advertised EDNS size is ignored (RFC 6891 §6.2.5)")
  void oversizedThenAnswer_genuineAnswer() throws Exception {
    assertForgeryIgnored(
        q -> {
          List<Record> big = new ArrayList<>();
          for (int i = 0; i < 12; i++) {
            big.add(txt(q, FORGED + " " + "x".repeat(200)));
          }
          byte[] wire = reply(q, Rcode.NOERROR, big.toArray(Record[]::new));
          assertThat(wire.length).isGreaterThan(NetworkDnsResolver.EDNS_UDP_PAYLOAD_SIZE);
          return Datagram.of(wire);
        });
  }

  @Test
  @DisplayName("the query advertises an EDNS(0) UDP size of 1232 octets and asks for recursion")
  void query_hasEdnsAndRd() throws Exception {
    List<Message> queries = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(
            q -> {
              queries.add(q);
              return List.of(Datagram.of(genuine(q)));
            })) {
      join(resolver(s, Duration.ofSeconds(5), 0).txt("example.com"));
    }
    assertThat(queries).hasSize(1);
    Message q = queries.get(0);
    OPTRecord opt = q.getOPT();
    assertThat(opt).isNotNull();
    assertThat(opt.getPayloadSize()).isEqualTo(NetworkDnsResolver.EDNS_UDP_PAYLOAD_SIZE);
    assertThat(q.getHeader().getFlag(Flags.RD)).isTrue();
    assertThat(q.getHeader().getFlag(Flags.QR)).isFalse();
    assertThat(q.getHeader().getOpcode()).isEqualTo(Opcode.QUERY);
  }

  @Test
  @DisplayName("a truncated UDP answer is asked again over TCP (RFC 7766 §5)")
  void truncated_tcpAnswer_found() throws Exception {
    try (FaultyDnsServer s =
        new FaultyDnsServer(
            q -> List.of(Datagram.of(FaultyDnsServer.truncated(forged(q)))),
            NetworkDnsResolverMatchingTest::genuine)) {
      DnsLookup<String> r = join(resolver(s, Duration.ofSeconds(5), 0).txt("example.com"));
      assertThat(r).isEqualTo(DnsLookup.found(List.of(GENUINE), 300));
      assertThat(s.udpQueries()).isEqualTo(1);
      assertThat(s.tcpQueries()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "truncated over UDP and no TCP answer: a temporary failure, never the partial answer")
  void truncated_tcpClosed_tempFail() throws Exception {
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(q -> List.of(Datagram.of(FaultyDnsServer.truncated(forged(q)))))) {
      long start = System.nanoTime();
      DnsLookup<String> r = join(resolver(s, Duration.ofSeconds(5), 0).txt("example.com"));
      assertThat(reason(r)).isEqualTo(TempFailReason.NETWORK_ERROR);
      assertThat(millisSince(start)).isLessThan(2500);
      assertThat(s.tcpQueries()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a truncated answer with the wrong ID triggers no TCP query")
  void truncatedWrongId_ignored() throws Exception {
    try (FaultyDnsServer s =
        new FaultyDnsServer(
            q ->
                List.of(
                    Datagram.of(FaultyDnsServer.withOtherId(FaultyDnsServer.truncated(forged(q)))),
                    Datagram.of(genuine(q))),
            q -> forged(q))) {
      assertThat(join(resolver(s, Duration.ofSeconds(5), 0).txt("example.com")).recordsOrEmpty())
          .containsExactly(GENUINE);
      assertThat(s.tcpQueries()).isZero();
    }
  }

  @Test
  @DisplayName("over TCP too, a response with the wrong ID or QR=0 is not the answer")
  void tcpMismatch_tempFail() throws Exception {
    for (java.util.function.Function<Message, byte[]> bad :
        List.<java.util.function.Function<Message, byte[]>>of(
            q -> FaultyDnsServer.withOtherId(forged(q)),
            q -> FaultyDnsServer.withQrClear(forged(q)),
            q ->
                FaultyDnsServer.forOtherQuestion(
                    q, Name.fromConstantString("x.example."), txt(q, FORGED)))) {
      try (FaultyDnsServer s =
          new FaultyDnsServer(
              q -> List.of(Datagram.of(FaultyDnsServer.truncated(genuine(q)))), bad)) {
        DnsLookup<String> r = join(resolver(s, Duration.ofMillis(800), 0).txt("example.com"));
        assertThat(r).isInstanceOf(DnsLookup.TempFail.class);
        assertThat(r.recordsOrEmpty()).isEmpty();
      }
    }
  }

  @Test
  @DisplayName("SERVFAIL from the server itself ends the attempt at once")
  void servfail_endsAttemptAtOnce() throws Exception {
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(q -> List.of(Datagram.of(FaultyDnsServer.rcode(q, Rcode.SERVFAIL))))) {
      long start = System.nanoTime();
      DnsLookup<String> r = join(resolver(s, Duration.ofSeconds(5), 1).txt("example.com"));
      assertThat(reason(r)).isEqualTo(TempFailReason.SERVFAIL);
      assertThat(millisSince(start)).isLessThan(2500);
      assertThat(s.udpQueries()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("each query has a random ID and a random source port (RFC 5452 §9.2, §4.5)")
  void idsAndSourcePorts_random() throws Exception {
    try (FaultyDnsServer s = FaultyDnsServer.udp(q -> List.of(Datagram.of(genuine(q))))) {
      NetworkDnsResolver dns = resolver(s, Duration.ofSeconds(5), 0);
      for (int i = 0; i < 60; i++) {
        // one at a time: a counter or a reused socket would show as neighbours
        assertThat(join(dns.txt("n" + i + ".example.com")).recordsOrEmpty())
            .containsExactly(GENUINE);
      }
      List<FaultyDnsServer.Seen> seen = s.seen();
      assertThat(seen).hasSize(60);
      Set<Integer> ids = new HashSet<>();
      Set<Integer> ports = new HashSet<>();
      int neighbours = 0;
      for (int i = 0; i < seen.size(); i++) {
        ids.add(seen.get(i).id());
        ports.add(seen.get(i).sourcePort());
        if (i > 0) {
          int dId = Math.abs(seen.get(i).id() - seen.get(i - 1).id());
          int dPort = Math.abs(seen.get(i).sourcePort() - seen.get(i - 1).sourcePort());
          if (dId <= 2 || dPort <= 2) {
            neighbours++;
          }
        }
      }
      assertThat(ids).hasSizeGreaterThanOrEqualTo(57);
      assertThat(ports).hasSizeGreaterThanOrEqualTo(57);
      assertThat(neighbours).isLessThanOrEqualTo(2);
      // ports spread over the unprivileged range, not one narrow window
      int min = seen.stream().mapToInt(FaultyDnsServer.Seen::sourcePort).min().orElseThrow();
      int max = seen.stream().mapToInt(FaultyDnsServer.Seen::sourcePort).max().orElseThrow();
      assertThat(min).isGreaterThanOrEqualTo(1024);
      assertThat(max - min).isGreaterThan(10_000);
    }
  }

  @Test
  @DisplayName("a retry is a new query with a new ID: a late answer to the first is not taken")
  void retry_newId_lateAnswerIgnored() throws Exception {
    List<Integer> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<byte[]> firstAnswer = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(
            q -> {
              ids.add(q.getHeader().getID());
              if (ids.size() == 1) {
                firstAnswer.add(forged(q));
                return List.of();
              }
              // the answer to the first query turns up during the second attempt
              return List.of(Datagram.of(firstAnswer.get(0)), Datagram.of(genuine(q)));
            })) {
      DnsLookup<String> r = join(resolver(s, Duration.ofMillis(300), 1).txt("example.com"));
      assertThat(ids).hasSize(2);
      assertThat(ids.get(0)).isNotEqualTo(ids.get(1));
      assertThat(r.recordsOrEmpty()).containsExactly(GENUINE);
    }
  }

  @Test
  @DisplayName("one query's time budget is timeout × servers × attempts")
  void budget_timeoutTimesServersTimesAttempts() throws Exception {
    Duration timeout = Duration.ofMillis(150);
    try (FaultyDnsServer a =
            FaultyDnsServer.udp(
                q -> List.of(Datagram.of(FaultyDnsServer.withOtherId(genuine(q)))));
        FaultyDnsServer b = FaultyDnsServer.udp(q -> List.of())) {
      NetworkDnsResolver dns =
          NetworkDnsResolver.builder()
              .addServer("127.0.0.1", a.port())
              .addServer("127.0.0.1", b.port())
              .timeout(timeout)
              .retries(1)
              .build();
      long start = System.nanoTime();
      DnsLookup<java.net.Inet4Address> r = join(dns.a("example.com"));
      long elapsed = millisSince(start);
      assertThat(r).isInstanceOf(DnsLookup.TempFail.class);
      long budget = timeout.toMillis() * 2 * 2;
      assertThat(elapsed).isGreaterThanOrEqualTo(budget - 40).isLessThan(budget + 1500);
      assertThat(a.udpQueries()).isEqualTo(2);
      assertThat(b.udpQueries()).isEqualTo(2);
    }
  }

  @Test
  @DisplayName("A answers also pass the checks (a record type other than TXT)")
  void aRecord_wrongIdThenAnswer() throws Exception {
    try (FaultyDnsServer s =
        FaultyDnsServer.udp(
            q -> {
              Name n = q.getQuestion().getName();
              try {
                byte[] evil =
                    reply(
                        q,
                        Rcode.NOERROR,
                        new ARecord(n, DClass.IN, 60, InetAddress.getByName("203.0.113.66")));
                byte[] good =
                    reply(
                        q,
                        Rcode.NOERROR,
                        new ARecord(n, DClass.IN, 60, InetAddress.getByName("192.0.2.1")));
                return List.of(Datagram.of(FaultyDnsServer.withOtherId(evil)), Datagram.of(good));
              } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
              }
            })) {
      assertThat(join(resolver(s, Duration.ofSeconds(5), 0).a("example.com")).recordsOrEmpty())
          .containsExactly((java.net.Inet4Address) InetAddress.getByName("192.0.2.1"));
    }
  }
}
