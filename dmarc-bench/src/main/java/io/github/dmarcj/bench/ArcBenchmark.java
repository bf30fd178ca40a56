// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.dkim.ArcChainVerifier;
import io.github.dmarcj.dkim.DkimMessageVerifier;
import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.ArcOutcome;
import io.github.dmarcj.result.ArcResult;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * ARC (RFC 8617) costs, each against a baseline measured in the same run:
 *
 * <ul>
 *   <li>{@code noArcMessage*}: full verification of VerifyBenchmark's 4 KB DKIM-signed message,
 *       which has no ARC field, with ARC validation on (the default) and off: the two must not
 *       differ beyond noise, as the facade never calls the ARC verifier for such a message;
 *   <li>{@code arcChain3Verify}: {@link ArcChainVerifier} on a three-hop chain sealed by dkimpy
 *       (three RSA-2048 ARC-Message-Signatures and three RSA-2048 ARC-Seals, keys from memory);
 *       {@code cryptoFloor6Rsa} is the six RSA-2048 signature checks alone (JCA {@code
 *       SHA256withRSA} over the chain's own message bytes), the floor any validator pays.
 * </ul>
 *
 * <pre>
 * java -jar dmarc-bench/target/benchmarks.jar ArcBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ArcBenchmark {
  private MessageAuthenticator arcOn;
  private MessageAuthenticator arcOff;
  private SmtpEnvelope envelope;
  private byte[] plain;
  private ArcChainVerifier arc;
  private byte[] chain;
  private PublicKey key;
  private byte[][] floorData;
  private byte[][] floorSignatures;

  @Setup
  public void setup() throws Exception {
    DnsResolver dns =
        ZoneFileResolver.fromString(VerifyBenchmark.resource("bench/example.com.zone"));
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC);
    arcOn = MessageAuthenticator.builder(dns).authservId("mx.example.net").clock(clock).build();
    arcOff =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.net")
            .clock(clock)
            .arcValidation(false)
            .build();
    envelope =
        SmtpEnvelope.of(
            InetAddress.getByName("192.0.2.25"), "mail.example.com", "alice@example.com");
    plain = VerifyBenchmark.resource("bench/message-4k.eml").getBytes(StandardCharsets.ISO_8859_1);
    VerificationResult on = arcOn.verify(envelope, plain);
    if (!on.equals(arcOff.verify(envelope, plain)) || on.arc().result() != ArcResult.NONE) {
      throw new IllegalStateException("ARC on and off differ on a message without ARC: " + on);
    }

    InMemoryDnsResolver.Builder keys = InMemoryDnsResolver.builder();
    for (String line : VerifyBenchmark.resource("bench/arc/zone.txt").split("\n")) {
      if (!line.isBlank()) {
        int sp = line.indexOf(' ');
        keys.txt(line.substring(0, sp), line.substring(sp + 1).strip());
      }
    }
    arc =
        ArcChainVerifier.builder(DkimMessageVerifier.builder(keys.build()).clock(clock).build())
            .build();
    chain = VerifyBenchmark.resource("bench/arc/chain-3.eml").getBytes(StandardCharsets.ISO_8859_1);
    ArcOutcome check = arc.verifyMessage(chain).toCompletableFuture().join();
    if (!check.isPass() || check.instanceCount() != 3) {
      throw new IllegalStateException("benchmark chain does not pass: " + check);
    }

    // The floor: six RSA-2048 checks (a key made here, as the test key's private half is not part
    // of the benchmark) over data of the size ARC hashes: the chain's header, less a byte each.
    int headerEnd = new String(chain, StandardCharsets.ISO_8859_1).indexOf("\r\n\r\n");
    floorData = new byte[6][];
    floorSignatures = new byte[6][];
    java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
    g.initialize(2048, new java.security.SecureRandom(new byte[] {6}));
    java.security.KeyPair pair = g.generateKeyPair();
    key = pair.getPublic();
    for (int i = 0; i < 6; i++) {
      floorData[i] = java.util.Arrays.copyOfRange(chain, 0, headerEnd - i);
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(pair.getPrivate());
      s.update(floorData[i]);
      floorSignatures[i] = s.sign();
    }
  }

  /** Full verification of a message without ARC fields, ARC validation on (the default). */
  @Benchmark
  @Threads(1)
  public VerificationResult noArcMessageArcOn1Thread() {
    return arcOn.verify(envelope, plain);
  }

  /** The same with ARC validation off: the baseline for {@link #noArcMessageArcOn1Thread}. */
  @Benchmark
  @Threads(1)
  public VerificationResult noArcMessageArcOff1Thread() {
    return arcOff.verify(envelope, plain);
  }

  /** A three-hop chain: three AMS and three seals verified, keys from memory. */
  @Benchmark
  @Threads(1)
  public ArcOutcome arcChain3Verify1Thread() {
    return arc.verifyMessage(chain).toCompletableFuture().join();
  }

  /** The floor for {@link #arcChain3Verify1Thread}: six RSA-2048 checks and nothing else. */
  @Benchmark
  @Threads(1)
  public boolean cryptoFloor6Rsa1Thread() throws Exception {
    boolean all = true;
    for (int i = 0; i < 6; i++) {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(key);
      s.update(floorData[i]);
      all &= s.verify(floorSignatures[i]);
    }
    return all;
  }
}
