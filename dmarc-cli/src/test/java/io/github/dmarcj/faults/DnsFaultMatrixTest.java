// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import io.github.dmarcj.dmarc.DmarcPolicy;
import io.github.dmarcj.dmarc.DmarcReason;
import io.github.dmarcj.dmarc.ReportDestination;
import io.github.dmarcj.dns.DnsLookup;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.FaultyDnsServer;
import io.github.dmarcj.dns.FaultyDnsServer.Datagram;
import io.github.dmarcj.dns.ForwardingDnsResolver;
import io.github.dmarcj.dns.NetworkDnsResolver;
import io.github.dmarcj.dns.NsdServer;
import io.github.dmarcj.dns.RecordType;
import io.github.dmarcj.dns.TempFailReason;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimResult;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;

/**
 * Every DNS lookup that SPF, DKIM and DMARC make, against every way a DNS server or an off-path
 * attacker can answer it, through the whole facade ({@link MessageAuthenticator} with dmarc-spf and
 * dmarc-dkim) and {@link NetworkDnsResolver} over real loopback sockets.
 *
 * <p>NSD serves the genuine zones. In front of it sits a {@link FaultyDnsServer} that passes every
 * query through to NSD, except the one lookup a row is about, which it answers with the fault of
 * the column: silence, SERVFAIL, REFUSED, a truncated UDP answer (with and without a TCP answer
 * behind it), garbage, or a forged answer with the wrong ID, the wrong question, the QR bit clear
 * or from the wrong port, alone or followed by the genuine answer. Most rows are set up the way an
 * attacker would: the forged record would turn the genuine {@code fail} into a {@code pass}.
 *
 * <p>Each cell asserts the documented outcome (RFC 7208 §5 and §2.6.6 for SPF, RFC 6376 §6.1.2 for
 * DKIM, RFC 9989 §4.10 and §5.3 and RFC 9990 §4 for DMARC), the typed {@link TempFailReason} of the
 * lookup itself, and that the verdict arrives within the DNS time budget of one query: timeout ×
 * servers × attempts, plus a margin.
 */
final class DnsFaultMatrixTest {

  /** Per-attempt timeout: short, so the whole matrix stays well under a minute. */
  private static final Duration TIMEOUT = Duration.ofMillis(200);

  private static final int RETRIES = 1;
  private static final int SERVERS = 1;
  private static final int ATTEMPTS = SERVERS * (RETRIES + 1);

  /** The budget of one query (RFC-independent; see docs/dns.md). */
  private static final long BUDGET_MILLIS = TIMEOUT.toMillis() * SERVERS * (RETRIES + 1);

  /** Room for everything that is not waiting on the DNS, on a busy machine. */
  private static final long MARGIN_MILLIS = 1000;

  private static final String ATTACKER_IP = "203.0.113.66";
  private static final String ATTACKER_IP6 = "2001:db8:bad::66";

  private static final DkimSigningKey LEGIT_KEY = DkimSigningKey.ed25519Seed(seed(1));
  private static final DkimSigningKey ATTACKER_KEY = DkimSigningKey.ed25519Seed(seed(0x66));

  @TempDir static Path dir;

  private static NsdServer nsd;
  private static FaultyDnsServer proxy;
  private static Observer observer;
  private static MessageAuthenticator authenticator;

  /** The fault applied to one lookup, by type and name; {@code null}: everything passes through. */
  private static volatile Active active;

  private record Active(
      int type, Name name, Fault fault, Function<Name, Record> forged, long seed) {
    boolean matches(Message q) {
      Record question = q.getQuestion();
      return question != null && question.getType() == type && question.getName().equals(name);
    }
  }

  /** What the server in front of NSD does to the row's lookup. */
  enum Fault {
    NONE(true, false, null),
    NO_ANSWER(false, true, TempFailReason.TIMEOUT),
    SERVFAIL(false, false, TempFailReason.SERVFAIL),
    REFUSED(false, false, TempFailReason.REFUSED),
    TRUNCATED_THEN_TCP_ANSWER(true, false, null),
    TRUNCATED_NO_TCP_ANSWER(false, false, TempFailReason.NETWORK_ERROR),
    GARBAGE(false, true, TempFailReason.MALFORMED_RESPONSE),
    GARBAGE_THEN_ANSWER(true, false, null),
    WRONG_ID(false, true, TempFailReason.MALFORMED_RESPONSE),
    WRONG_ID_THEN_ANSWER(true, false, null),
    WRONG_QUESTION(false, true, TempFailReason.MALFORMED_RESPONSE),
    WRONG_QUESTION_THEN_ANSWER(true, false, null),
    QR_CLEAR(false, true, TempFailReason.MALFORMED_RESPONSE),
    QR_CLEAR_THEN_ANSWER(true, false, null),
    WRONG_PORT(false, true, TempFailReason.TIMEOUT),
    WRONG_PORT_THEN_ANSWER(true, false, null);

    /** The genuine answer gets through: the verdict is the genuine one. */
    final boolean genuine;

    /** Every attempt waits its full timeout before it fails. */
    final boolean waitsOut;

    /** The lookup's reason when it fails. */
    final TempFailReason reason;

    Fault(boolean genuine, boolean waitsOut, TempFailReason reason) {
      this.genuine = genuine;
      this.waitsOut = waitsOut;
      this.reason = reason;
    }
  }

  /**
   * One lookup the protocols make: the query to break, the message and envelope that make it, the
   * record an attacker would forge, and the verdicts with the genuine answer and without any.
   */
  private record Row(
      String label,
      RecordType type,
      String name,
      SmtpEnvelope envelope,
      byte[] message,
      Function<Name, Record> forged,
      Consumer<VerificationResult> genuine,
      Consumer<VerificationResult> failed) {}

  // ------------------------------------------------------------------ zones

  private static String testZone() {
    return String.join(
        "\n",
        "$ORIGIN test.",
        "$TTL 300",
        "@ SOA ns1 hostmaster 1 7200 3600 1209600 300",
        "@ NS ns1",
        "ns1 A 127.0.0.1",
        "; an attacker's own host, for forged MX targets",
        "attacker-mx A " + ATTACKER_IP,
        "; SPF: TXT of the domain",
        "spf-txt TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        "_dmarc.spf-txt TXT \"v=DMARC1; p=reject\"",
        "; SPF: a (A)",
        "spf-a TXT \"v=spf1 a -all\"",
        "spf-a A 192.0.2.10",
        "_dmarc.spf-a TXT \"v=DMARC1; p=reject\"",
        "; SPF: a (AAAA) for an IPv6 client",
        "spf-aaaa TXT \"v=spf1 a -all\"",
        "spf-aaaa AAAA 2001:db8::10",
        "_dmarc.spf-aaaa TXT \"v=DMARC1; p=reject\"",
        "; SPF: mx",
        "spf-mx TXT \"v=spf1 mx -all\"",
        "spf-mx MX 10 mx.spf-mx",
        "mx.spf-mx A 192.0.2.30",
        "_dmarc.spf-mx TXT \"v=DMARC1; p=reject\"",
        "; SPF: ptr (192.0.2.20 is mail.spf-ptr.test, validated by its A record)",
        "spf-ptr TXT \"v=spf1 ptr -all\"",
        "mail.spf-ptr A 192.0.2.20",
        "_dmarc.spf-ptr TXT \"v=DMARC1; p=reject\"",
        "; SPF: exists (nothing under _ok: every client fails)",
        "spf-exists TXT \"v=spf1 exists:%{i}._ok.spf-exists.test -all\"",
        "_dmarc.spf-exists TXT \"v=DMARC1; p=reject\"",
        "; DKIM key of the real signer",
        "dkim TXT \"v=spf1 -all\"",
        "sel._domainkey.dkim TXT \"" + LEGIT_KEY.publicKeyRecord() + "\"",
        "_dmarc.dkim TXT \"v=DMARC1; p=reject\"",
        "; DMARC record at the author domain",
        "dmarc TXT \"v=spf1 -all\"",
        "_dmarc.dmarc TXT \"v=DMARC1; p=reject\"",
        "; DMARC tree walk: a.dept.walk.test has no record of its own",
        "_dmarc.walk TXT \"v=DMARC1; p=reject; sp=reject\"",
        "; DMARC alignment: the Organizational Domain of mail.org.test by tree walk",
        "org TXT \"v=spf1 -all\"",
        "_dmarc.org TXT \"v=DMARC1; p=reject\"",
        "sel._domainkey.mail.org TXT \"" + LEGIT_KEY.publicKeyRecord() + "\"",
        "; DMARC report destination: collector.test has not agreed to take rpt.test's reports",
        "rpt TXT \"v=spf1 ip4:192.0.2.50 -all\"",
        "_dmarc.rpt TXT \"v=DMARC1; p=reject; rua=mailto:agg@collector.test\"",
        "collector A 192.0.2.80",
        "");
  }

  private static String reverseZone() {
    return String.join(
        "\n",
        "$ORIGIN 2.0.192.in-addr.arpa.",
        "$TTL 300",
        "@ SOA ns1.test. hostmaster.test. 1 7200 3600 1209600 300",
        "@ NS ns1.test.",
        "20 PTR mail.spf-ptr.test.",
        "");
  }

  // ------------------------------------------------------------------ set-up

  @BeforeAll
  static void start() throws Exception {
    Map<String, String> zones = new LinkedHashMap<>();
    zones.put("test", testZone());
    zones.put("2.0.192.in-addr.arpa", reverseZone());
    nsd = NsdServer.start(dir, zones, "spf-txt.test");
    proxy = new FaultyDnsServer(DnsFaultMatrixTest::udp, DnsFaultMatrixTest::tcp);
    NetworkDnsResolver network =
        NetworkDnsResolver.builder()
            .addServer("127.0.0.1", proxy.port())
            .timeout(TIMEOUT)
            .retries(RETRIES)
            .build();
    assertThat(network.servers()).hasSize(SERVERS);
    observer = new Observer(network);
    authenticator =
        MessageAuthenticator.builder(observer)
            .authservId("mx.matrix.test")
            // Row 11 looks at the report-destination lookup, which the verdict does not wait for
            // by default.
            .dmarcOptions(b -> b.checkReportDestinations(true))
            .build();
    // Load and warm up everything once, so the first timed cell measures the DNS, not class
    // loading.
    for (Row row : rows()) {
      authenticator.verify(row.envelope(), row.message());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (nsd != null) {
      nsd.close();
    }
  }

  // ------------------------------------------------------------------ the matrix

  @TestFactory
  @DisplayName("every protocol lookup against every DNS fault, through the facade")
  Stream<DynamicContainer> lookup_fault_documentedOutcomeWithinBudget() {
    List<DynamicContainer> rows = new ArrayList<>();
    for (Row row : rows()) {
      List<DynamicTest> cells = new ArrayList<>();
      for (Fault fault : Fault.values()) {
        cells.add(
            DynamicTest.dynamicTest(fault.name().toLowerCase(Locale.ROOT), () -> cell(row, fault)));
      }
      rows.add(DynamicContainer.dynamicContainer(row.label(), cells));
    }
    return rows.stream();
  }

  private static void cell(Row row, Fault fault) throws Exception {
    Name target = Name.fromString(row.name() + ".");
    String key = key(row.type(), row.name());
    observer.clear();
    targetUdp.set(0);
    targetTcp.set(0);
    active = new Active(code(row.type()), target, fault, row.forged(), row.label().hashCode());
    VerificationResult r;
    long start = System.nanoTime();
    try {
      r = authenticator.verify(row.envelope(), row.message());
    } finally {
      active = null;
    }
    long elapsed = (System.nanoTime() - start) / 1_000_000;

    // The lookup was made, and ended the way the fault dictates.
    DnsLookup<?> lookup = observer.outcome(key);
    assertThat(lookup).as("outcome of %s", key).isNotNull();
    if (fault.genuine) {
      assertThat(lookup).as("%s under %s", key, fault).isNotInstanceOf(DnsLookup.TempFail.class);
      assertThat(targetUdp.get()).as("UDP queries for %s", key).isEqualTo(1);
      row.genuine().accept(r);
    } else {
      assertThat(lookup).as("%s under %s", key, fault).isInstanceOf(DnsLookup.TempFail.class);
      assertThat(((DnsLookup.TempFail<?>) lookup).reason())
          .as("reason of %s", key)
          .isEqualTo(fault.reason);
      // every attempt asked again, and each met the fault
      assertThat(targetUdp.get()).as("UDP queries for %s", key).isEqualTo(ATTEMPTS);
      row.failed().accept(r);
    }
    if (fault == Fault.TRUNCATED_THEN_TCP_ANSWER) {
      assertThat(targetTcp.get()).as("TCP queries for %s", key).isEqualTo(1);
    } else if (fault == Fault.TRUNCATED_NO_TCP_ANSWER) {
      assertThat(targetTcp.get()).as("TCP queries for %s", key).isEqualTo(ATTEMPTS);
    } else {
      assertThat(targetTcp.get()).as("TCP queries for %s", key).isZero();
    }

    // Within the time budget of one query; and a forged datagram alone did not end an attempt.
    assertThat(elapsed)
        .as("milliseconds for %s under %s", key, fault)
        .isLessThan(BUDGET_MILLIS + MARGIN_MILLIS);
    if (fault.waitsOut) {
      assertThat(elapsed)
          .as("milliseconds for %s under %s", key, fault)
          .isGreaterThanOrEqualTo(BUDGET_MILLIS - 10);
    }
  }

  // ------------------------------------------------------------------ rows

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    String attackerFrom = "From: The CEO <ceo@%s>";

    // SPF (RFC 7208 §4.4, §4.6): the TXT record of the MAIL FROM domain.
    rows.add(
        new Row(
            "SPF: TXT of the domain",
            RecordType.TXT,
            "spf-txt.test",
            envelope(ATTACKER_IP, "ceo@spf-txt.test"),
            message(String.format(attackerFrom, "spf-txt.test")),
            n -> txt(n, "v=spf1 +all"),
            r -> spfFailsDmarcRejects(r),
            r -> spfTempErrorDmarcTempError(r)));

    // SPF a (§5.3): A of the domain.
    rows.add(
        new Row(
            "SPF: A of the a mechanism",
            RecordType.A,
            "spf-a.test",
            envelope(ATTACKER_IP, "ceo@spf-a.test"),
            message(String.format(attackerFrom, "spf-a.test")),
            n -> new ARecord(n, DClass.IN, 300, address(ATTACKER_IP)),
            r -> spfFailsDmarcRejects(r),
            r -> spfTempErrorDmarcTempError(r)));

    // SPF a (§5.3) for an IPv6 client: AAAA of the domain.
    rows.add(
        new Row(
            "SPF: AAAA of the a mechanism",
            RecordType.AAAA,
            "spf-aaaa.test",
            envelope(ATTACKER_IP6, "ceo@spf-aaaa.test"),
            message(String.format(attackerFrom, "spf-aaaa.test")),
            n -> new AAAARecord(n, DClass.IN, 300, address(ATTACKER_IP6)),
            r -> spfFailsDmarcRejects(r),
            r -> spfTempErrorDmarcTempError(r)));

    // SPF mx (§5.4): MX of the domain.
    rows.add(
        new Row(
            "SPF: MX of the mx mechanism",
            RecordType.MX,
            "spf-mx.test",
            envelope(ATTACKER_IP, "ceo@spf-mx.test"),
            message(String.format(attackerFrom, "spf-mx.test")),
            n -> new MXRecord(n, DClass.IN, 300, 10, name("attacker-mx.test.")),
            r -> spfFailsDmarcRejects(r),
            r -> spfTempErrorDmarcTempError(r)));

    // SPF ptr (§5.5): PTR of the client. A failed PTR lookup only means "no match".
    rows.add(
        new Row(
            "SPF: PTR of the ptr mechanism",
            RecordType.PTR,
            "20.2.0.192.in-addr.arpa",
            envelope("192.0.2.20", "news@spf-ptr.test"),
            message("From: News <news@spf-ptr.test>"),
            n -> new PTRRecord(n, DClass.IN, 300, name("attacker-mx.test.")),
            r -> {
              assertThat(r.spf().result()).isEqualTo(SpfResult.PASS);
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
            },
            r -> {
              // RFC 7208 §5.5: "If a DNS error occurs while doing the PTR RR lookup, then this
              // mechanism fails to match"; -all decides.
              assertThat(r.spf().result()).isEqualTo(SpfResult.FAIL);
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
            }));

    // SPF exists (§5.7): A of the expanded name.
    rows.add(
        new Row(
            "SPF: A of the exists mechanism",
            RecordType.A,
            ATTACKER_IP + "._ok.spf-exists.test",
            envelope(ATTACKER_IP, "ceo@spf-exists.test"),
            message(String.format(attackerFrom, "spf-exists.test")),
            n -> new ARecord(n, DClass.IN, 300, address("127.0.0.2")),
            r -> spfFailsDmarcRejects(r),
            r -> spfTempErrorDmarcTempError(r)));

    // DKIM (RFC 6376 §3.6.2.2, §6.1.2): the key record. The attacker signs with its own key.
    rows.add(
        new Row(
            "DKIM: TXT of sel._domainkey.dkim.test",
            RecordType.TXT,
            "sel._domainkey.dkim.test",
            envelope(ATTACKER_IP, "ceo@dkim.test"),
            sign(ATTACKER_KEY, "dkim.test", message(String.format(attackerFrom, "dkim.test"))),
            n -> txt(n, ATTACKER_KEY.publicKeyRecord()),
            r -> {
              assertThat(r.dkim()).hasSize(1);
              assertThat(r.dkim().get(0).result()).isEqualTo(DkimResult.FAIL);
              assertThat(r.dkim().get(0).reasonKeyword()).contains("signature-mismatch");
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
            },
            r -> {
              // §6.1.2: the key is temporarily unavailable: TEMPFAIL, never a fail or a pass.
              assertThat(r.dkim()).hasSize(1);
              assertThat(r.dkim().get(0).result()).isEqualTo(DkimResult.TEMPERROR);
              assertThat(r.dkim().get(0).reasonKeyword()).contains("dns-tempfail");
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
              assertThat(r.dmarc().reason()).contains(DmarcReason.AUTH_TEMPERROR);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
            }));

    // DMARC (RFC 9989 §4.10.1): _dmarc of the author domain.
    rows.add(
        new Row(
            "DMARC: TXT of _dmarc.dmarc.test",
            RecordType.TXT,
            "_dmarc.dmarc.test",
            envelope(ATTACKER_IP, "ceo@dmarc.test"),
            message(String.format(attackerFrom, "dmarc.test")),
            n -> txt(n, "v=DMARC1; p=none"),
            r -> {
              assertThat(r.spf().result()).isEqualTo(SpfResult.FAIL);
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
            },
            r -> {
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
              assertThat(r.dmarc().reason()).contains(DmarcReason.DNS_TEMPFAIL_RECORD);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
            }));

    // DMARC tree walk (RFC 9989 §4.10): a.dept.walk.test has no record; the walk asks
    // _dmarc.dept.walk.test on its way to walk.test. A forged psd=n record there would make
    // dept.walk.test the Organizational Domain with p=none.
    rows.add(
        new Row(
            "DMARC: tree walk through _dmarc.dept.walk.test",
            RecordType.TXT,
            "_dmarc.dept.walk.test",
            envelope(ATTACKER_IP, "ceo@a.dept.walk.test"),
            message(String.format(attackerFrom, "a.dept.walk.test")),
            n -> txt(n, "v=DMARC1; p=none; psd=n"),
            r -> {
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
              assertThat(r.dmarc().policyDomain().map(d -> d.name())).contains("walk.test");
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
            },
            r -> {
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
              assertThat(r.dmarc().reason()).contains(DmarcReason.DNS_TEMPFAIL_RECORD);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
            }));

    // DMARC relaxed alignment (RFC 9989 §4.10.2, §5.3): the Organizational Domain of the DKIM
    // domain mail.org.test, found by a tree walk that asks _dmarc.mail.org.test. Genuine mail.
    rows.add(
        new Row(
            "DMARC: alignment walk through _dmarc.mail.org.test",
            RecordType.TXT,
            "_dmarc.mail.org.test",
            envelope("192.0.2.40", "bounce@org.test"),
            sign(LEGIT_KEY, "mail.org.test", message("From: Accounts <accounts@org.test>")),
            n -> txt(n, "v=DMARC1; p=none; psd=n"),
            r -> {
              assertThat(r.dkim().get(0).result()).isEqualTo(DkimResult.PASS);
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
              assertThat(r.dmarc().dkimAligned()).isTrue();
            },
            r -> {
              assertThat(r.dkim().get(0).result()).isEqualTo(DkimResult.PASS);
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
              assertThat(r.dmarc().reason())
                  .contains(DmarcReason.DNS_TEMPFAIL_ORGANIZATIONAL_DOMAIN);
              assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
            }));

    // DMARC report destination (RFC 9990 §4): rpt.test._report._dmarc.collector.test. The
    // verdict does not depend on it; the destination's status does.
    rows.add(
        new Row(
            "DMARC: TXT of rpt.test._report._dmarc.collector.test",
            RecordType.TXT,
            "rpt.test._report._dmarc.collector.test",
            envelope("192.0.2.50", "news@rpt.test"),
            message("From: News <news@rpt.test>"),
            n -> txt(n, "v=DMARC1"),
            r -> {
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
              assertThat(r.dmarc().aggregateDestinations())
                  .singleElement()
                  .satisfies(
                      d ->
                          assertThat(d.status())
                              .isEqualTo(ReportDestination.Status.NOT_AUTHORIZED));
            },
            r -> {
              assertThat(r.dmarc().result()).isEqualTo(DmarcResult.PASS);
              assertThat(r.dmarc().aggregateDestinations())
                  .singleElement()
                  .satisfies(
                      d -> {
                        assertThat(d.status()).isEqualTo(ReportDestination.Status.TEMPERROR);
                        assertThat(d.deliverable()).isFalse();
                      });
            }));
    return rows;
  }

  private static void spfFailsDmarcRejects(VerificationResult r) {
    assertThat(r.spf().result()).isEqualTo(SpfResult.FAIL);
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.FAIL);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  private static void spfTempErrorDmarcTempError(VerificationResult r) {
    // RFC 7208 §2.6.6 / §4.4: a DNS error while checking is temperror, never fail or pass.
    assertThat(r.spf().result()).isEqualTo(SpfResult.TEMPERROR);
    assertThat(r.spf().reason()).contains("dns-tempfail");
    // RFC 9989 §5.3.6: no aligned pass, an aligned temperror: temperror.
    assertThat(r.dmarc().result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(r.dmarc().reason()).contains(DmarcReason.AUTH_TEMPERROR);
    assertThat(r.disposition()).isEqualTo(DmarcPolicy.NONE);
  }

  // ------------------------------------------------------------------ the server in front of NSD

  private static final AtomicInteger targetUdp = new AtomicInteger();
  private static final AtomicInteger targetTcp = new AtomicInteger();

  private static List<Datagram> udp(Message q) {
    Active a = active;
    if (a == null || !a.matches(q)) {
      return List.of(Datagram.of(forwardUdp(q)));
    }
    targetUdp.incrementAndGet();
    byte[] forged =
        FaultyDnsServer.reply(q, Rcode.NOERROR, a.forged().apply(q.getQuestion().getName()));
    switch (a.fault()) {
      case NONE:
        return List.of(Datagram.of(forwardUdp(q)));
      case NO_ANSWER:
        return List.of();
      case SERVFAIL:
        return List.of(Datagram.of(FaultyDnsServer.rcode(q, Rcode.SERVFAIL)));
      case REFUSED:
        return List.of(Datagram.of(FaultyDnsServer.rcode(q, Rcode.REFUSED)));
      case TRUNCATED_THEN_TCP_ANSWER:
      case TRUNCATED_NO_TCP_ANSWER:
        return List.of(Datagram.of(FaultyDnsServer.truncated(forwardUdp(q))));
      case GARBAGE:
        return List.of(Datagram.of(FaultyDnsServer.garbage(q, a.seed())));
      case GARBAGE_THEN_ANSWER:
        return List.of(
            Datagram.of(FaultyDnsServer.garbage(q, a.seed())), Datagram.of(forwardUdp(q)));
      case WRONG_ID:
        return List.of(Datagram.of(FaultyDnsServer.withOtherId(forged)));
      case WRONG_ID_THEN_ANSWER:
        return List.of(
            Datagram.of(FaultyDnsServer.withOtherId(forged)), Datagram.of(forwardUdp(q)));
      case WRONG_QUESTION:
        return List.of(Datagram.of(otherQuestion(q, a)));
      case WRONG_QUESTION_THEN_ANSWER:
        return List.of(Datagram.of(otherQuestion(q, a)), Datagram.of(forwardUdp(q)));
      case QR_CLEAR:
        return List.of(Datagram.of(FaultyDnsServer.withQrClear(forged)));
      case QR_CLEAR_THEN_ANSWER:
        return List.of(
            Datagram.of(FaultyDnsServer.withQrClear(forged)), Datagram.of(forwardUdp(q)));
      case WRONG_PORT:
        return List.of(Datagram.fromOtherPort(forged));
      case WRONG_PORT_THEN_ANSWER:
        return List.of(Datagram.fromOtherPort(forged), Datagram.of(forwardUdp(q)));
      default:
        throw new AssertionError(a.fault());
    }
  }

  /** The forged record for the name asked, in a response whose question names another. */
  private static byte[] otherQuestion(Message q, Active a) {
    return FaultyDnsServer.forOtherQuestion(
        q, name("attacker-mx.test."), a.forged().apply(q.getQuestion().getName()));
  }

  private static byte[] tcp(Message q) {
    Active a = active;
    if (a != null && a.matches(q)) {
      targetTcp.incrementAndGet();
      if (a.fault() == Fault.TRUNCATED_NO_TCP_ANSWER) {
        return null;
      }
    }
    return forwardTcp(q);
  }

  private static byte[] forwardUdp(Message q) {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      s.setSoTimeout(5000);
      byte[] out = q.toWire();
      s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), nsd.port()));
      byte[] buf = new byte[65535];
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      s.receive(p);
      return Arrays.copyOf(p.getData(), p.getLength());
    } catch (IOException e) {
      throw new UncheckedIOException("NSD did not answer " + q.getQuestion(), e);
    }
  }

  private static byte[] forwardTcp(Message q) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), nsd.port()), 5000);
      s.setSoTimeout(5000);
      byte[] out = q.toWire();
      OutputStream o = s.getOutputStream();
      o.write(new byte[] {(byte) (out.length >>> 8), (byte) out.length});
      o.write(out);
      o.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      return reply;
    } catch (IOException e) {
      throw new UncheckedIOException("NSD did not answer " + q.getQuestion() + " over TCP", e);
    }
  }

  // ------------------------------------------------------------------ watching the lookups

  /** Keeps the last outcome of every lookup, by type and name. */
  private static final class Observer extends ForwardingDnsResolver {
    private final Map<String, DnsLookup<?>> outcomes = new ConcurrentHashMap<>();

    Observer(DnsResolver delegate) {
      super(delegate);
    }

    @Override
    protected <T> CompletionStage<DnsLookup<T>> forward(
        RecordType type,
        String name,
        Function<? super DnsResolver, ? extends CompletionStage<DnsLookup<T>>> call) {
      return super.forward(type, name, call)
          .whenComplete((l, e) -> outcomes.put(key(type, name), l == null ? failed(e) : l));
    }

    private static DnsLookup<?> failed(Throwable e) {
      return DnsLookup.tempFail(TempFailReason.OTHER, "completed exceptionally: " + e);
    }

    DnsLookup<?> outcome(String key) {
      return outcomes.get(key);
    }

    void clear() {
      outcomes.clear();
    }
  }

  private static String key(RecordType type, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return type + " " + (n.endsWith(".") ? n.substring(0, n.length() - 1) : n);
  }

  // ------------------------------------------------------------------ helpers

  private static int code(RecordType type) {
    return type.code();
  }

  private static SmtpEnvelope envelope(String ip, String mailFrom) {
    return SmtpEnvelope.of(address(ip), "mail.sender.test", mailFrom);
  }

  private static byte[] message(String fromLine) {
    String m =
        fromLine
            + "\r\n"
            + "To: <postmaster@receiver.test>\r\n"
            + "Subject: DNS fault matrix\r\n"
            + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n"
            + "Message-ID: <matrix@sender.test>\r\n"
            + "\r\n"
            + "Wire the money today.\r\n";
    return m.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] sign(DkimSigningKey key, String domain, byte[] message) {
    return DkimSigner.builder(key, domain, "sel").build().sign(message);
  }

  private static TXTRecord txt(Name owner, String text) {
    return new TXTRecord(owner, DClass.IN, 300, text);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Name name(String text) {
    try {
      return Name.fromString(text);
    } catch (TextParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static byte[] seed(int b) {
    byte[] s = new byte[32];
    Arrays.fill(s, (byte) b);
    return s;
  }
}
