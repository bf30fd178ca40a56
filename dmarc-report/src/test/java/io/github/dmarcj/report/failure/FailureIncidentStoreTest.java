// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.report.failure;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DkimReason;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.result.SpfResult;
import io.github.dmarcj.result.SpfScope;
import io.github.dmarcj.verify.MessageAuthenticator;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Failure incidents kept in the report database: one report per trigger and failing signature,
 * similar incidents folded into one ({@code Incidents}), a bound per domain, and all of it kept
 * across restarts.
 */
final class FailureIncidentStoreTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final String MESSAGE =
      "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=s1; b=AAAA; bh=x; h=from\r\n"
          + "From: Payroll <payroll@example.com>\r\n"
          + "To: bob@example.net\r\n"
          + "Subject: invoice\r\n\r\nbody\r\n";

  static final class MutableClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MutableClock clock = new MutableClock();

  private static JdbcDataSource database() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:failure-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  private static DkimOutcome dkim(DkimReason reason, String domain, String selector) {
    return new DkimOutcome(
        reason.result(),
        domain,
        selector,
        "rsa-sha256",
        Optional.of("@" + domain),
        "AAAA",
        false,
        Optional.of(reason));
  }

  private MessageAuthenticator authenticator(
      FailureIncidentStore store, String fo, List<DkimOutcome> dkim) {
    InMemoryDnsResolver dns =
        InMemoryDnsResolver.builder()
            .txt(
                "_dmarc.example.com", "v=DMARC1; p=reject; fo=" + fo + "; ruf=mailto:f@example.com")
            .exists("example.com")
            .build();
    return MessageAuthenticator.builder(dns)
        .authservId("mx.receiver.example")
        .clock(clock)
        .spfVerifier(
            env ->
                CompletableFuture.completedFuture(
                    SpfOutcome.of(
                        SpfResult.FAIL, SpfScope.MFROM, "payroll@example.com", "example.com")))
        .dkimVerifier(msg -> CompletableFuture.completedFuture(dkim))
        .failureReportSink(store)
        .build();
  }

  private static void send(MessageAuthenticator a, String ip) throws Exception {
    a.verify(
        SmtpEnvelope.of(InetAddress.getByName(ip), "spoofer.example", "payroll@example.com"),
        MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  @DisplayName(
      "RFC 9991 §5: similar incidents fold into one report with its count; another source or an"
          + " incident after the fold window makes a new one; a restart keeps it all")
  void fold_countAndRestart() throws Exception {
    JdbcDataSource ds = database();
    try (FailureIncidentStore store =
        FailureIncidentStore.builder(ds).foldWindow(Duration.ofHours(1)).build()) {
      MessageAuthenticator a = authenticator(store, "0", List.of());
      send(a, "203.0.113.9");
      send(a, "203.0.113.9");
      send(a, "203.0.113.9");
      send(a, "198.51.100.7");
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.stored()).isEqualTo(2);
      assertThat(store.folded()).isEqualTo(2);
    }
    clock.now = T0.plus(Duration.ofMinutes(59));
    try (FailureIncidentStore again =
        FailureIncidentStore.builder(ds).foldWindow(Duration.ofHours(1)).build()) {
      MessageAuthenticator a = authenticator(again, "0", List.of());
      send(a, "203.0.113.9");
      assertThat(again.flush(Duration.ofSeconds(10))).isTrue();
      List<FailureIncidentStore.Stored> pending = again.pending(100);
      assertThat(pending)
          .extracting(FailureIncidentStore.Stored::sourceIp, FailureIncidentStore.Stored::incidents)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("203.0.113.9", 4),
              org.assertj.core.groups.Tuple.tuple("198.51.100.7", 1));
      FailureIncidentStore.Stored first = pending.get(0);
      assertThat(first.authFailure()).isEqualTo(AuthFailure.DMARC);
      assertThat(first.identityAlignment()).isEqualTo("dkim,spf");
      assertThat(first.policyDomain()).isEqualTo("example.com");
      assertThat(first.reportedDomain()).isEqualTo("example.com");
      assertThat(first.mailFrom()).contains("payroll@example.com");
      assertThat(first.deliveryResult()).isEqualTo("reject");
      assertThat(first.authResults()).contains("dmarc=fail");
      assertThat(new String(first.header(), StandardCharsets.ISO_8859_1))
          .isEqualTo(MESSAGE.substring(0, MESSAGE.indexOf("\r\n\r\n") + 2));
      assertThat(first.message()).isEmpty();
      assertThat(first.last()).isEqualTo(T0.plus(Duration.ofMinutes(59)));

      clock.now = T0.plus(Duration.ofMinutes(61));
      send(a, "203.0.113.9");
      assertThat(again.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(again.pending(100)).hasSize(3);
      again.settle(first.id(), "sent");
      assertThat(again.pending(100)).hasSize(2);
      assertThat(again.all(100)).hasSize(3);
    }
  }

  @Test
  @DisplayName(
      "fo=d: one report per failing signature, with its kind (bodyhash, revoked, signature) and"
          + " DKIM fields")
  void dkim_onePerFailingSignature() throws Exception {
    try (FailureIncidentStore store = FailureIncidentStore.builder(database()).build()) {
      MessageAuthenticator a =
          authenticator(
              store,
              "d",
              List.of(
                  dkim(DkimReason.BODY_HASH_MISMATCH, "example.com", "s1"),
                  dkim(DkimReason.KEY_REVOKED, "esp.example", "s2"),
                  dkim(DkimReason.VERIFIED, "example.org", "s3")));
      send(a, "203.0.113.9");
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.pending(100))
          .extracting(
              FailureIncidentStore.Stored::authFailure,
              s -> s.dkimDomain().orElse(""),
              s -> s.dkimSelector().orElse(""),
              s -> s.dkimIdentity().orElse(""))
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  AuthFailure.BODYHASH, "example.com", "s1", "@example.com"),
              org.assertj.core.groups.Tuple.tuple(
                  AuthFailure.REVOKED, "esp.example", "s2", "@esp.example"));
    }
  }

  @Test
  @DisplayName("a spoofing wave cannot fill the database: at most N pending reports per domain")
  void bound_perDomain() throws Exception {
    try (FailureIncidentStore store =
        FailureIncidentStore.builder(database()).maxPendingPerDomain(3).build()) {
      MessageAuthenticator a = authenticator(store, "1", List.of());
      for (int i = 1; i <= 10; i++) {
        send(a, "203.0.113." + i);
      }
      assertThat(store.flush(Duration.ofSeconds(10))).isTrue();
      assertThat(store.pending(100)).hasSize(3);
      assertThat(store.stored()).isEqualTo(3);
      assertThat(store.dropped()).isEqualTo(7);
    }
  }

  @Test
  @DisplayName("a header over the limit is cut at a line end; nothing is thrown at the caller")
  void cutHeader_atLineEnd() {
    byte[] big =
        ("X-Pad: " + "a".repeat(600_000) + "\r\n").repeat(3).getBytes(StandardCharsets.US_ASCII);
    byte[] cut = FailureIncidentStore.cutHeader(big);
    assertThat(cut.length).isLessThanOrEqualTo(FailureIncidentStore.MAX_HEADER_BYTES);
    assertThat(cut[cut.length - 1]).isEqualTo((byte) '\n');
    assertThat(FailureIncidentStore.cut("a\0b", 10)).isEqualTo("ab");
  }

  @Test
  @DisplayName("the redaction key is made once per database and shared by every store on it")
  void redactionKey_madeOnceAndShared() throws Exception {
    JdbcDataSource ds = database();
    byte[] first;
    try (FailureIncidentStore a = FailureIncidentStore.builder(ds).build()) {
      first = a.redactionKey();
      assertThat(first).hasSize(32);
      assertThat(a.redactionKey()).isEqualTo(first);
    }
    try (FailureIncidentStore b = FailureIncidentStore.builder(ds).build()) {
      assertThat(b.redactionKey()).isEqualTo(first);
    }
    try (FailureIncidentStore other = FailureIncidentStore.builder(database()).build()) {
      assertThat(other.redactionKey()).isNotEqualTo(first);
    }
  }

  @Test
  @DisplayName(
      "a table made before report_to existed gains the column; its rows read back as DMARC")
  void oldTable_gainsReportTo() throws Exception {
    JdbcDataSource ds = database();
    try (java.sql.Connection c = ds.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE dmarcj_failure_incident (id BIGINT GENERATED BY DEFAULT AS IDENTITY"
              + " PRIMARY KEY, created_s BIGINT NOT NULL, last_s BIGINT NOT NULL, state"
              + " VARCHAR(16) NOT NULL, incidents INTEGER NOT NULL, fingerprint VARCHAR(64) NOT"
              + " NULL, policy_domain VARCHAR(255) NOT NULL, reported_domain VARCHAR(255) NOT"
              + " NULL, auth_failure VARCHAR(16) NOT NULL, identity_alignment VARCHAR(16) NOT"
              + " NULL, source_ip VARCHAR(64) NOT NULL, helo VARCHAR(255) NOT NULL, mail_from"
              + " VARCHAR(1000), rcpt_domain VARCHAR(255), auth_results VARCHAR(8000) NOT NULL,"
              + " dkim_domain VARCHAR(255), dkim_selector VARCHAR(255), dkim_identity"
              + " VARCHAR(1000), delivery_result VARCHAR(16) NOT NULL, header_b64"
              + " VARCHAR(1400000) NOT NULL, message_b64 VARCHAR(10000000))");
      st.execute(
          "INSERT INTO dmarcj_failure_incident (created_s, last_s, state, incidents, fingerprint,"
              + " policy_domain, reported_domain, auth_failure, identity_alignment, source_ip,"
              + " helo, auth_results, delivery_result, header_b64) VALUES (1, 1, 'pending', 1,"
              + " 'f', 'example.com', 'example.com', 'dmarc', 'spf', '192.0.2.1', 'h',"
              + " 'mx; dmarc=fail', 'reject', 'RnJvbTogYQ0K')");
    }
    try (FailureIncidentStore store = FailureIncidentStore.builder(ds).build()) {
      assertThat(store.pending(10))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.reportTo()).isEmpty();
                assertThat(r.policyDomain()).isEqualTo("example.com");
              });
    }
  }
}
