// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.milter.MilterTestClient.Reply;
import io.github.dmarcj.verify.ReportRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter daemon against a test MTA client, every protocol step: option negotiation, connect,
 * HELO, MAIL, RCPT, header, end of header, body, end of message, abort, several messages on one
 * connection, a client that disconnects mid-message, malformed packets, and the control socket. DNS
 * answers come from the zone files in {@code examples/zones}.
 */
final class MilterServerTest {
  static final Path EXAMPLES = Path.of("..", "examples");
  static final Instant SIGNED = Instant.ofEpochSecond(1_795_773_660L); // 2026-11-27T10:01:00Z
  static final String AUTHSERV_ID = "mx.example.net";

  private MilterServer server;

  static DnsResolver zones() {
    return ZoneFileResolver.fromFiles(
        EXAMPLES.resolve("zones/example.com.zone"),
        EXAMPLES.resolve("zones/example.net.zone"),
        EXAMPLES.resolve("zones/example.org.zone"));
  }

  static byte[] example(String name) throws IOException {
    return Files.readAllBytes(EXAMPLES.resolve("messages").resolve(name));
  }

  static MilterConfig.Builder config() {
    return MilterConfig.builder()
        .authservId(AUTHSERV_ID)
        .socket(new SocketSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        .controlSocket(new SocketSpec(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
  }

  private MilterServer start(
      MilterConfig config, DnsResolver dns, Consumer<MilterServer.Builder> more)
      throws IOException {
    MilterServer.Builder b =
        MilterServer.builder(config, dns).clock(Clock.fixed(SIGNED, ZoneOffset.UTC));
    more.accept(b);
    server = b.build();
    server.start();
    return server;
  }

  private MilterServer start(MilterConfig config) throws IOException {
    return start(config, zones(), b -> {});
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(5));
    }
  }

  private MilterTestClient client() throws IOException {
    return new MilterTestClient(server.localAddress());
  }

  /** Connect, HELO, MAIL, RCPT, DATA for one message; every reply must be continue. */
  private static void envelope(MilterTestClient c, String ip, String helo, String from)
      throws IOException {
    assertThat(c.connect(helo, ip).code()).isEqualTo('c');
    assertThat(c.helo(helo).code()).isEqualTo('c');
    startMessage(c, from);
  }

  private static void startMessage(MilterTestClient c, String from) throws IOException {
    c.macro('M', "i", "4ABC123", "{auth_authen}", "");
    assertThat(c.mail(from).code()).isEqualTo('c');
    assertThat(c.rcpt("bob@example.net").code()).isEqualTo('c');
    assertThat(c.data().code()).isEqualTo('c');
  }

  private static String insertedAuthResults(List<Reply> replies) {
    for (Reply r : replies) {
      if (r.code() == 'i') {
        assertThat(r.int32(0)).isZero();
        List<String> s = r.strings(4);
        assertThat(s.get(0)).isEqualTo("Authentication-Results");
        return s.get(1);
      }
    }
    throw new AssertionError("no Authentication-Results inserted: " + replies);
  }

  @Test
  void optneg_offersOnlyWhatTheMtaOffers() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      Reply r = c.optneg();
      assertThat(r.code()).isEqualTo('O');
      assertThat(r.int32(0)).isEqualTo(6);
      assertThat(r.int32(4)).isEqualTo(0x01 | 0x10 | 0x20); // add, change headers; quarantine
      assertThat(r.int32(8) & MilterProtocol.P_HDR_LEADSPC).isNotZero();
      // header fields, end of header, body chunks, DATA and unknown commands: no answer awaited
      assertThat(r.int32(8) & MilterProtocol.P_NO_REPLY).isEqualTo(MilterProtocol.P_NO_REPLY);
    }
    try (MilterTestClient c = client()) {
      Reply r = c.optneg(2, 0x01, 0);
      assertThat(r.int32(0)).isEqualTo(2);
      assertThat(r.int32(4)).isEqualTo(0x01);
      assertThat(r.int32(8)).isZero();
    }
  }

  @Test
  void legitimateMessage_passesAndGetsOurAuthResultsOnTop() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      List<Reply> replies = c.message(example("legit.eml"), 100);
      String ar = insertedAuthResults(replies);
      assertThat(ar).startsWith(" " + AUTHSERV_ID + ";");
      assertThat(ar).contains("spf=pass").contains("dkim=pass").contains("dmarc=pass");
      assertThat(ar).contains("\n\t").doesNotContain("\r");
      assertThat(replies.get(replies.size() - 1).code()).isEqualTo('a');
    }
  }

  @Test
  void withoutLeadingSpaceNegotiated_headerValuesAreRebuiltAndDkimStillPasses() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg(6, MilterTestClient.ALL_ACTIONS, 0);
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      // Without SMFIP_HDR_LEADSPC an MTA strips the space after the colon.
      byte[] stripped =
          new String(example("legit.eml"), StandardCharsets.ISO_8859_1)
              .replaceAll("(?m)^([A-Za-z-]+): ", "$1:")
              .getBytes(StandardCharsets.ISO_8859_1);
      String ar = insertedAuthResults(c.message(stripped, 64 * 1024));
      assertThat(ar).startsWith(AUTHSERV_ID + ";").contains("dkim=pass").contains("dmarc=pass");
    }
  }

  @Test
  void spoofedRejectPolicy_isRefusedWith550() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "billing@example.org");
      List<Reply> replies = c.message(example("spoofed-reject.eml"), 1000);
      Reply last = replies.get(replies.size() - 1);
      assertThat(last.code()).isEqualTo('y');
      assertThat(last.strings(0).get(0))
          .isEqualTo("550 5.7.1 Message rejected by the DMARC policy of example.org");
    }
    assertThat(server.counters()).containsEntry("action.reject", 1L);
  }

  @Test
  void rejectFailuresOff_acceptsWithTheResult() throws IOException {
    start(config().rejectFailures(false).build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "billing@example.org");
      List<Reply> replies = c.message(example("spoofed-reject.eml"), 1000);
      assertThat(insertedAuthResults(replies)).contains("dmarc=fail");
      assertThat(replies.get(replies.size() - 1).code()).isEqualTo('a');
    }
  }

  @Test
  void quarantinePolicy_holdsTheMessage() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "payroll@example.com");
      List<Reply> replies = c.message(example("spoofed.eml"), 1000);
      assertThat(insertedAuthResults(replies)).contains("dmarc=fail");
      assertThat(replies.stream().map(Reply::code)).containsSubsequence('i', 'q', 'a');
      Reply q = replies.stream().filter(r -> r.code() == 'q').findFirst().orElseThrow();
      assertThat(q.strings(0).get(0)).contains("example.com");
    }
  }

  @Test
  void quarantineAsHeader_addsTheConfiguredField() throws IOException {
    start(config().quarantineAction(MilterConfig.QuarantineAction.HEADER).build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "payroll@example.com");
      List<Reply> replies = c.message(example("spoofed.eml"), 1000);
      assertThat(replies.stream().map(Reply::code)).containsSubsequence('i', 'h', 'a');
      Reply h = replies.stream().filter(r -> r.code() == 'h').findFirst().orElseThrow();
      assertThat(h.strings(0))
          .containsExactly("X-DMARC-Quarantine", " yes (DMARC policy of example.com)");
    }
  }

  @Test
  void forgedAuthResults_claimingOurIdAreRemovedByOccurrence() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      assertThat(c.header("Authentication-Results", " other.example; spf=pass").code())
          .isEqualTo('c');
      assertThat(c.header("Authentication-Results", " MX.EXAMPLE.NET; dmarc=pass").code())
          .isEqualTo('c');
      List<Reply> replies = c.message(example("legit.eml"), 4096);
      Reply m = replies.stream().filter(r -> r.code() == 'm').findFirst().orElseThrow();
      assertThat(m.int32(0)).isEqualTo(2); // the second Authentication-Results field
      assertThat(m.strings(4)).containsExactly("Authentication-Results", "");
      // Removals come before our field is inserted at the top, so the index is still right.
      assertThat(replies.stream().map(Reply::code)).containsSubsequence('m', 'i', 'a');
      assertThat(insertedAuthResults(replies)).contains("dmarc=pass");
    }
    assertThat(server.counters()).containsEntry("forged_auth_results_removed", 1L);
  }

  @Test
  void severalMessagesOnOneConnection_eachGetsItsOwnVerdict() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "billing@example.org");
      assertThat(last(c.message(example("spoofed-reject.eml"), 1000)).code()).isEqualTo('y');
      startMessage(c, "payroll@example.com");
      assertThat(insertedAuthResults(c.message(example("spoofed.eml"), 1000)))
          .contains("dmarc=fail");
      // QUIT_NC: a new SMTP connection on the same milter connection.
      c.send('K', new byte[0]);
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      assertThat(insertedAuthResults(c.message(example("legit.eml"), 1000))).contains("dmarc=pass");
      c.quit();
      assertThat(c.closedByMilter()).isTrue();
    }
    assertThat(server.counters())
        .containsEntry("messages", 3L)
        .containsEntry("dmarc.pass", 1L)
        .containsEntry("dmarc.fail", 2L);
  }

  private static Reply last(List<Reply> replies) {
    return replies.get(replies.size() - 1);
  }

  @Test
  void abort_endsTheMessageAndTheNextOneIsChecked() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      c.header("From", " Example Billing <billing@example.org>");
      c.eoh();
      c.body("half a body\r\n".getBytes(StandardCharsets.US_ASCII));
      c.abort();
      startMessage(c, "alice@example.com");
      assertThat(insertedAuthResults(c.message(example("legit.eml"), 1000))).contains("dmarc=pass");
    }
    assertThat(server.counters())
        .containsEntry("messages.aborted", 1L)
        .containsEntry("messages.in_flight", 0L);
  }

  @Test
  void clientDisconnectingMidMessage_endsOnlyThatConnection() throws Exception {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      c.header("From", " Alice <alice@example.com>");
      c.eoh();
      c.body(new byte[70_000]); // more than one chunk in flight
    }
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      assertThat(insertedAuthResults(c.message(example("legit.eml"), 1000))).contains("dmarc=pass");
    }
    awaitCounter("messages.in_flight", 0L);
    awaitCounter("connections.open", 0L);
  }

  private void awaitCounter(String name, long value) throws InterruptedException {
    for (int i = 0; i < 500 && !server.counters().get(name).equals(value); i++) {
      Thread.sleep(10);
    }
    assertThat(server.counters()).containsEntry(name, value);
  }

  @Test
  void malformedPackets_dropTheirConnectionAndTheDaemonGoesOn() throws Exception {
    start(config().build());
    List<byte[]> bad =
        List.of(
            new byte[] {0, 0, 0, 0}, // length 0
            new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'B'}, // 2 GiB
            new byte[] {0, 0x20, 0, 1, 'B'}, // 2 MiB + 1, over the limit
            new byte[] {0, 0, 0, 1, 'Z'}, // unknown command
            new byte[] {0, 0, 0, 4, 'O', 0, 0, 6}, // option negotiation cut short
            new byte[] {0, 0, 0, 6, 'L', 'F', 'r', 'o', 'm', 0}, // header without a value
            new byte[] {0, 0, 0, 4, 'C', 'h', 0, 'X'}); // unknown address family
    for (byte[] b : bad) {
      try (MilterTestClient c = client()) {
        if (!(b.length > 4 && b[4] == (byte) 'O')) {
          c.optneg();
        }
        c.sendRaw(b);
        assertThat(c.closedByMilter())
            .as("connection after %s", java.util.Arrays.toString(b))
            .isTrue();
      }
    }
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      assertThat(insertedAuthResults(c.message(example("legit.eml"), 1000))).contains("dmarc=pass");
    }
    awaitCounter("connections.dropped", (long) bad.size());
  }

  @Test
  void ignoredHostsAndAuthenticatedClients_areAcceptedUnchecked() throws IOException {
    start(config().ignoreHosts(List.of(Cidr.parse("198.51.100.0/24").orElseThrow())).build());
    try (MilterTestClient c = client()) {
      c.optneg();
      assertThat(c.connect("mailer.example.net", "198.51.100.7").code()).isEqualTo('a');
    }
    try (MilterTestClient c = client()) {
      c.optneg();
      c.connect("laptop", "203.0.113.9");
      c.helo("laptop");
      c.macro('M', "i", "4XYZ", "{auth_type}", "PLAIN", "{auth_authen}", "alice");
      assertThat(c.mail("billing@example.org").code()).isEqualTo('a');
    }
    assertThat(server.counters())
        .containsEntry("skipped.ignored_host", 1L)
        .containsEntry("skipped.authenticated", 1L)
        .containsEntry("messages", 0L);
  }

  @Test
  void slowStore_endsInTheFallbackWithinTheBudget() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Consumer<MilterServer.Builder> slowSink =
        b ->
            b.reportRecordSink(
                (ReportRecord r) -> {
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    start(config().messageTimeout(Duration.ofMillis(800)).build(), zones(), slowSink);
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "billing@example.org");
      List<Reply> replies = c.message(example("spoofed-reject.eml"), 1000);
      assertThat(insertedAuthResults(replies))
          .isEqualTo(" " + AUTHSERV_ID + ";\n\tdmarc=temperror reason=timeout");
      assertThat(last(replies).code()).isEqualTo('a');
    } finally {
      release.countDown();
    }
    assertThat(server.counters())
        .containsEntry("fallbacks", 1L)
        .containsEntry("dmarc.temperror", 1L);
  }

  @Test
  void fallbackTempfail_answers451() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    start(
        config()
            .messageTimeout(Duration.ofMillis(500))
            .fallbackAction(MilterConfig.FallbackAction.TEMPFAIL)
            .build(),
        zones(),
        b ->
            b.reportRecordSink(
                r -> {
                  try {
                    release.await(30, TimeUnit.SECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                }));
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "203.0.113.66", "mx.attacker.invalid", "billing@example.org");
      Reply r = last(c.message(example("spoofed-reject.eml"), 1000));
      assertThat(r.code()).isEqualTo('y');
      assertThat(r.strings(0).get(0)).startsWith("451 4.7.1 ");
    } finally {
      release.countDown();
    }
  }

  @Test
  void reportRows_carryTheEnvelopeDomains() throws IOException {
    List<ReportRecord> rows = new CopyOnWriteArrayList<>();
    start(config().build(), zones(), b -> b.reportRecordSink(rows::add));
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      c.message(example("legit.eml"), 1000);
    }
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).envelopeTo()).contains("example.net");
    assertThat(rows.get(0).envelopeFrom()).contains("example.com");
  }

  @Test
  void controlSocket_answersHealthAndStatus() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      c.message(example("legit.eml"), 1000);
    }
    SocketSpec control = new SocketSpec(server.controlAddress().orElseThrow());
    assertThat(MilterControl.query(control, "health", Duration.ofSeconds(5))).isEqualTo("ok\n");
    String status = MilterControl.query(control, "status", Duration.ofSeconds(5));
    assertThat(status.lines())
        .contains("state ok", "messages 1", "dmarc.pass 1", "action.accept 1")
        .anyMatch(l -> l.startsWith("dns.queries ") && !l.equals("dns.queries 0"))
        .anyMatch(l -> l.startsWith("dns.millis "));
  }

  @Test
  void stop_finishesTheMessageInFlightThenCloses() throws Exception {
    start(config().build());
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      CompletableFuture<Boolean> stopped;
      try (MilterTestClient idle = client()) {
        idle.optneg();
        stopped = CompletableFuture.supplyAsync(() -> server.stop(Duration.ofSeconds(10)));
        assertThat(idle.closedByMilter()).isTrue(); // an idle connection is closed at once
      }
      assertThat(insertedAuthResults(c.message(example("legit.eml"), 1000))).contains("dmarc=pass");
      assertThat(c.closedByMilter()).isTrue();
      assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(server.running()).isFalse();
  }

  @Test
  void unixDomainSocket_servesTheSameProtocol(@TempDir Path dir) throws IOException {
    Path sock = dir.resolve("milter.sock");
    start(
        config()
            .socket(SocketSpec.parse("unix:" + sock).orElseThrow())
            .controlSocket(null)
            .build());
    assertThat(sock).exists();
    try (MilterTestClient c = client()) {
      c.optneg();
      envelope(c, "192.0.2.25", "mail.example.com", "alice@example.com");
      assertThat(insertedAuthResults(c.message(example("legit.eml"), 1000))).contains("dmarc=pass");
    }
    server.stop(Duration.ofSeconds(5));
    assertThat(sock).doesNotExist();
  }

  @Test
  void withoutNoReplyFlags_everyStepIsAnswered() throws IOException {
    start(config().build());
    try (MilterTestClient c = client()) {
      Reply r = c.optneg(6, MilterTestClient.ALL_ACTIONS, MilterProtocol.P_HDR_LEADSPC);
      assertThat(r.int32(8) & MilterProtocol.P_NO_REPLY).isZero();
      c.connect("mail.example.com", "192.0.2.25");
      c.helo("mail.example.com");
      c.mail("alice@example.com");
      c.rcpt("bob@example.net");
      assertThat(c.header("From", " alice@example.com").code()).isEqualTo('c');
      assertThat(c.eoh().code()).isEqualTo('c');
      assertThat(c.body("hi\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).code())
          .isEqualTo('c');
      assertThat(c.eob()).isNotEmpty();
    }
  }
}
