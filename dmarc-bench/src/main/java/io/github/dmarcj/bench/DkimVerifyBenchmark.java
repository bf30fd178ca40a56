// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.dkim.DkimMessageVerifier;
import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import io.github.dmarcj.dkim.DkimVerificationResult;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.FailException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * DKIM verification throughput (messages/s): dmarcj against the bare-crypto floor (one SHA-256 over
 * the message bytes plus each signature's public-key operation) and Apache James jDKIM 0.5, on the
 * same relaxed/relaxed-signed messages, keys served from memory (warm cache).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class DkimVerifyBenchmark {

  /** Message size in bytes (header + body). */
  @Param({"4096", "102400"})
  public int size;

  /** Signatures on the message. */
  @Param({"rsa", "ed25519", "rsa+ed25519"})
  public String signatures;

  byte[] message;
  DkimMessageVerifier verifier;
  PublicKeyRecordRetriever retriever;
  // Floor inputs: a header-sized signed blob per signature.
  byte[] headerData;
  RSAPublicKey rsaPublic;
  byte[] rsaSig;
  Ed25519.PublicPoint edPoint;
  byte[] edSig;
  MessageDigest sha256;

  static final String WORDS =
      "the of and to in is you that it he was for on are as with his they at be this have from"
          + " or one had by word but not what all were we when your can said there use an each"
          + " which she do how their if will up other about out many then them these so some her"
          + " would make like him into time has look two more write go see number no way could"
          + " people my than first water been call who oil its now find long down day did get";

  static byte[] buildMessage(int size, long seed) {
    String head =
        "Received: from mail.example.com (mail.example.com [192.0.2.25])\r\n"
            + "\tby mx.example.net with ESMTPS id 4Xk2pQ1zYbz9sWh\r\n"
            + "\tfor <bob@example.net>; Tue, 14 Nov 2023 22:13:21 +0000 (UTC)\r\n"
            + "From: Alice Example <alice@example.com>\r\n"
            + "To: Bob Example <bob@example.net>\r\n"
            + "Subject: Quarterly figures and the plan for next week\r\n"
            + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
            + "Message-ID: <20231114221320.12345@mail.example.com>\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n";
    String[] words = WORDS.split(" ");
    Random rnd = new Random(seed);
    StringBuilder b = new StringBuilder(size + 100).append(head);
    int line = 0;
    while (b.length() < size - 2) {
      String w = words[rnd.nextInt(words.length)];
      if (line + w.length() + 1 > 72) {
        b.append("\r\n");
        line = 0;
        if (rnd.nextInt(8) == 0) {
          b.append("\r\n");
        }
      } else if (line > 0) {
        b.append(' ');
        line++;
      }
      b.append(w);
      line += w.length();
    }
    b.setLength(size - 2);
    return b.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
  }

  @Setup
  public void setup() throws Exception {
    SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
    seeded.setSeed(42);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, seeded);
    KeyPair pair = g.generateKeyPair();
    DkimSigningKey rsa = DkimSigningKey.rsa((RSAPrivateCrtKey) pair.getPrivate());
    byte[] seed = new byte[32];
    new Random(7).nextBytes(seed);
    DkimSigningKey ed = DkimSigningKey.ed25519Seed(seed);

    byte[] m = buildMessage(size, 1);
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    // Keys from memory, the warm-cache case: answers are built once and shared.
    DnsResolver resolver =
        InMemoryDnsResolver.builder()
            .ttl(3600)
            .negativeTtl(0)
            .txt("rsa._domainkey.example.com", rsa.publicKeyRecord())
            .txt("ed._domainkey.example.com", ed.publicKeyRecord())
            .build();
    Map<String, String> records = new HashMap<>();
    records.put("rsa", rsa.publicKeyRecord());
    records.put("ed", ed.publicKeyRecord());
    if (signatures.contains("ed25519")) {
      m = DkimSigner.builder(ed, "example.com", "ed").clock(clock).build().sign(m);
    }
    if (signatures.contains("rsa")) {
      m = DkimSigner.builder(rsa, "example.com", "rsa").clock(clock).build().sign(m);
    }
    message = m;
    verifier = DkimMessageVerifier.builder(resolver).clock(clock).build();
    DkimVerificationResult check = verifier.verifyMessage(message).toCompletableFuture().join();
    if (!check.signatures().stream().allMatch(s -> s.isPass())
        || check.signatures().size() != signatures.split("\\+").length) {
      throw new IllegalStateException("benchmark message does not verify: " + check);
    }
    retriever = (method, selector, domain) -> List.of(records.get(selector.toString()));

    // Floor: the same public-key operations on a header-sized input (real signatures).
    headerData = new byte[600];
    new Random(3).nextBytes(headerData);
    rsaPublic = (RSAPublicKey) pair.getPublic();
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(pair.getPrivate());
    s.update(headerData);
    rsaSig = s.sign();
    byte[] pub = new byte[32];
    Ed25519.generatePublicKey(seed, 0, pub, 0);
    edPoint = Ed25519.validatePublicKeyPartialExport(pub, 0);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(headerData);
    edSig = new byte[64];
    Ed25519.sign(seed, 0, digest, 0, 32, edSig, 0);
    sha256 = MessageDigest.getInstance("SHA-256");
    if (!floorOnce()) {
      throw new IllegalStateException("floor signatures do not verify");
    }
  }

  private boolean floorOnce() throws Exception {
    sha256.update(message, 0, message.length);
    byte[] body = sha256.digest();
    boolean ok = body.length == 32;
    if (signatures.contains("rsa")) {
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(rsaPublic);
      v.update(headerData);
      ok &= v.verify(rsaSig);
    }
    if (signatures.contains("ed25519")) {
      sha256.update(headerData);
      byte[] h = sha256.digest();
      ok &= Ed25519.verify(edSig, 0, edPoint, h, 0, 32);
    }
    return ok;
  }

  /** dmarcj: parse, canonicalize, hash, look up keys (memory), verify; full result objects. */
  @Benchmark
  public DkimVerificationResult dmarcj() {
    return verifier.verifyMessage(message).toCompletableFuture().join();
  }

  /** The floor: SHA-256 over all message bytes plus the bare signature verifications. */
  @Benchmark
  public boolean floor() throws Exception {
    return floorOnce();
  }

  /** Apache James jDKIM 0.5 on the same message (it has no Ed25519: those signatures fail). */
  @Benchmark
  public void jdkim(Blackhole bh) throws Exception {
    try {
      bh.consume(new DKIMVerifier(retriever).verify(new ByteArrayInputStream(message)));
    } catch (FailException e) {
      bh.consume(e);
    }
  }
}
