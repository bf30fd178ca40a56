// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verdict on a message depends on that message, its envelope and the DNS only: never on what
 * was verified before it, on which thread, or in which order. A mixed corpus of legitimate and
 * hostile messages is verified once each by a fresh authenticator on a fresh thread; then the same
 * messages, repeated and shuffled with a seeded random order, go through one shared authenticator
 * (shared caches) from several threads at once. Every result must equal its fresh one.
 */
final class IndependenceTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  record Case(String name, SmtpEnvelope envelope, byte[] message) {}

  static InMemoryDnsResolver zone;
  static List<Case> corpus;
  static ExecutorService pool;

  static RSAPrivateCrtKey rsa(int bits, long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits, r);
    return (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
  }

  static String junk(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("X-J").append(i).append(": j\r\n");
    }
    return b.toString();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] sign(DkimSigningKey key, String d, String s, String message) {
    return DkimSigner.builder(key, d, s).clock(CLOCK).build().sign(bytes(message));
  }

  @BeforeAll
  static void corpus() throws Exception {
    DkimSigningKey rsa2048 = DkimSigningKey.rsa(rsa(2048, 1));
    DkimSigningKey rsa1024 = DkimSigningKey.rsa(rsa(1024, 2));
    DkimSigningKey rsa768 = DkimSigningKey.rsa(rsa(768, 3));
    byte[] seed = new byte[32];
    seed[0] = 7;
    DkimSigningKey ed = DkimSigningKey.ed25519Seed(seed);
    RSAPrivateCrtKey big = rsa(3072, 4);
    String bigExponentKey =
        Base64.getEncoder()
            .encodeToString(
                KeyFactory.getInstance("RSA")
                    .generatePublic(
                        new RSAPublicKeySpec(
                            big.getModulus(), BigInteger.ONE.shiftLeft(3069).add(BigInteger.ONE)))
                    .getEncoded());
    String rsaKeyBytes =
        rsa2048.publicKeyRecord().substring(rsa2048.publicKeyRecord().indexOf("p=") + 2);
    String edKeyBytes = ed.publicKeyRecord().substring(ed.publicKeyRecord().indexOf("p=") + 2);
    zone =
        InMemoryDnsResolver.builder()
            .txt("_dmarc.good.example", "v=DMARC1; p=reject; rua=mailto:d@good.example")
            .txt("_dmarc.bank.example", "v=DMARC1; p=reject; np=reject")
            .txt("_dmarc.soft.example", "v=DMARC1; p=none")
            .txt("good.example", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("evil.example", "v=spf1 ip4:203.0.113.0/24 -all")
            .txt("soft.example", "v=spf1 ~all")
            .txt("r2048._domainkey.good.example", rsa2048.publicKeyRecord())
            .txt("r1024._domainkey.good.example", rsa1024.publicKeyRecord())
            .txt("weak._domainkey.good.example", rsa768.publicKeyRecord())
            .txt("ed._domainkey.good.example", ed.publicKeyRecord())
            .txt("ok._domainkey.evil.example", rsa2048.publicKeyRecord())
            .txt("empty._domainkey.evil.example", "v=DKIM1; k=; p=AAAA")
            .txt("emptyrsa._domainkey.evil.example", "v=DKIM1; k=; p=" + rsaKeyBytes)
            .txt("emptyed._domainkey.evil.example", "v=DKIM1; k=; p=" + edKeyBytes)
            .txt("zero._domainkey.evil.example", "v=DKIM1; k=rsa; p=AAAA")
            .txt("wrongtype._domainkey.evil.example", "v=DKIM1; k=ed25519; p=" + rsaKeyBytes)
            .txt("bigexp._domainkey.evil.example", "v=DKIM1; k=rsa; p=" + bigExponentKey)
            .txt("revoked._domainkey.evil.example", "v=DKIM1; p=")
            .tempFail("flaky._domainkey.evil.example")
            .exists("good.example")
            .exists("bank.example")
            .exists("soft.example")
            .exists("evil.example")
            .build();

    SmtpEnvelope fromGood =
        SmtpEnvelope.of(
            InetAddress.getByName("192.0.2.10"), "mx.good.example", "bounce@good.example");
    SmtpEnvelope fromEvil =
        SmtpEnvelope.of(InetAddress.getByName("203.0.113.5"), "mx.evil.example", "x@evil.example");
    SmtpEnvelope nullSender =
        SmtpEnvelope.of(InetAddress.getByName("203.0.113.6"), "evil.example", null);
    String goodMsg =
        "From: Alice <alice@good.example>\r\nTo: bob@example.net\r\nSubject: hello\r\n"
            + "Date: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@good.example>\r\n\r\n"
            + "Hello Bob,\r\n\r\n  some  text\twith   spaces  \r\n\r\n\r\n";
    String spoof = goodMsg.replace("alice@good.example", "ceo@bank.example");

    List<Case> c = new ArrayList<>();
    c.add(new Case("rsa2048", fromEvil, sign(rsa2048, "good.example", "r2048", goodMsg)));
    c.add(new Case("rsa1024", fromEvil, sign(rsa1024, "good.example", "r1024", goodMsg)));
    c.add(new Case("ed25519", fromEvil, sign(ed, "good.example", "ed", goodMsg)));
    c.add(new Case("rsa768 weak", fromEvil, sign(rsa768, "good.example", "weak", goodMsg)));
    byte[] both =
        sign(
            ed,
            "good.example",
            "ed",
            new String(
                sign(rsa2048, "good.example", "r2048", goodMsg), StandardCharsets.ISO_8859_1));
    c.add(new Case("rsa+ed", fromGood, both));
    for (String sel :
        List.of(
            "empty",
            "emptyrsa",
            "emptyed",
            "zero",
            "wrongtype",
            "bigexp",
            "revoked",
            "flaky",
            "missing")) {
      // A hostile signature of the sender's own above a valid one of good.example.
      String hostile =
          new String(sign(rsa2048, "evil.example", sel, goodMsg), StandardCharsets.ISO_8859_1);
      String hostileField = hostile.substring(0, hostile.indexOf("From: "));
      String valid =
          new String(sign(rsa2048, "good.example", "r2048", goodMsg), StandardCharsets.ISO_8859_1);
      c.add(new Case("hostile " + sel + " above valid", fromEvil, bytes(hostileField + valid)));
      c.add(new Case("hostile " + sel + " alone", fromEvil, bytes(hostile)));
    }
    String edHostile =
        new String(sign(ed, "evil.example", "emptyed", goodMsg), StandardCharsets.ISO_8859_1);
    c.add(new Case("ed25519 with empty k=", fromEvil, bytes(edHostile)));
    c.add(
        new Case(
            "body changed",
            fromGood,
            bytes(
                new String(
                        sign(rsa2048, "good.example", "r2048", goodMsg),
                        StandardCharsets.ISO_8859_1)
                    .replace("Hello Bob", "Hello Eve"))));
    c.add(new Case("spf pass aligned", fromGood, bytes(goodMsg)));
    c.add(new Case("spoof p=reject", fromEvil, bytes(spoof)));
    c.add(new Case("spoof behind 1001 fields", fromEvil, bytes(junk(1001) + spoof)));
    c.add(
        new Case(
            "second From far below",
            fromEvil,
            bytes("From: a@soft.example\r\n" + junk(1200) + spoof)));
    c.add(new Case("two From fields", fromEvil, bytes("From: a@soft.example\r\n" + spoof)));
    c.add(new Case("null sender", nullSender, bytes(spoof)));
    c.add(
        new Case("soft", fromEvil, bytes(goodMsg.replace("alice@good.example", "a@soft.example"))));
    c.add(
        new Case(
            "nonexistent subdomain",
            fromEvil,
            bytes(spoof.replace("ceo@bank.example", "ceo@nx.bank.example"))));
    c.add(
        new Case(
            "i= with CRLF",
            fromEvil,
            bytes(
                "DKIM-Signature: v=1; a=rsa-sha256; d=evil.example; s=ok; i=a=0D=0Adkim=3Dpass@evil.example; h=from; bh=AAAA; b=AAAA\r\n"
                    + spoof)));
    c.add(new Case("no header end", fromEvil, bytes("From: ceo@bank.example")));
    c.add(new Case("empty", fromEvil, new byte[0]));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      many.append("DKIM-Signature: v=1; a=rsa-sha256; d=evil.example; s=s")
          .append(i)
          .append("; h=from; bh=AAAA; b=AAAA\r\n");
    }
    c.add(new Case("12 signatures", fromEvil, bytes(many + spoof)));
    corpus = List.copyOf(c);
    pool = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  static MessageAuthenticator authenticator(DnsResolver dns) {
    return MessageAuthenticator.builder(dns).authservId("mx.example.org").clock(CLOCK).build();
  }

  /** What must not change: every outcome, the header field, the disposition and the report row. */
  static List<Object> verdict(VerificationResult r) {
    return List.of(
        r.spf(),
        r.dkim(),
        r.dmarc(),
        r.authenticationResultsField(),
        r.disposition(),
        r.reportRecord());
  }

  static List<Object> fresh(Case c) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    Thread t =
        new Thread(
            () ->
                out.add(
                    verdict(
                        authenticator(CachingDnsResolver.of(zone))
                            .verify(c.envelope(), c.message()))));
    t.start();
    t.join();
    assertThat(out).as(c.name()).hasSize(1);
    return out.get(0);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void sharedConcurrentShuffled_equalsFreshSingleThreaded(long seed) throws Exception {
    List<List<Object>> expected = new ArrayList<>();
    for (Case c : corpus) {
      expected.add(fresh(c));
    }
    MessageAuthenticator shared = authenticator(CachingDnsResolver.of(zone));
    List<Integer> order = new ArrayList<>();
    for (int round = 0; round < 8; round++) {
      for (int i = 0; i < corpus.size(); i++) {
        order.add(i);
      }
    }
    Collections.shuffle(order, new Random(seed));
    List<Future<List<Object>>> got = new ArrayList<>();
    for (int i : order) {
      Case c = corpus.get(i);
      got.add(pool.submit(() -> verdict(shared.verify(c.envelope(), c.message()))));
    }
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      assertThat(got.get(k).get(60, TimeUnit.SECONDS))
          .as("%s (position %d, seed %d)", corpus.get(i).name(), k, seed)
          .isEqualTo(expected.get(i));
    }
  }
}
