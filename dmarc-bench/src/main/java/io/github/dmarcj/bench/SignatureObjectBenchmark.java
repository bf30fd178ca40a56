// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a {@link Signature} object of its own per DKIM verification costs, against one reused per
 * thread: the same rsa-sha256 verification of 1 KiB of header data, with (a) a per-thread object
 * reused (the former way, which a key record could leave unusable), (b) a fresh object from a
 * provider chosen once (the way dmarc-dkim verifies now), and (c) a fresh object with the provider
 * searched each time.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SignatureObjectBenchmark {
  @Param({"1024", "2048"})
  public int bits;

  RSAPublicKey key;
  byte[] data;
  byte[] sig;
  Provider provider;
  final ThreadLocal<Signature> perThread =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Signature.getInstance("SHA256withRSA");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });

  @Setup
  public void setUp() throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(bits);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits, r);
    KeyPair kp = g.generateKeyPair();
    key = (RSAPublicKey) kp.getPublic();
    data =
        "From: a@example.com\r\nTo: b@example.net\r\n"
            .repeat(25)
            .getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initSign(kp.getPrivate());
    s.update(data);
    sig = s.sign();
    Signature probe = Signature.getInstance("SHA256withRSA");
    probe.initVerify(key);
    provider = probe.getProvider();
  }

  @Benchmark
  public boolean reusedPerThread() throws Exception {
    Signature s = perThread.get();
    s.initVerify(key);
    s.update(data);
    return s.verify(sig);
  }

  @Benchmark
  public boolean freshFromChosenProvider() throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA", provider);
    s.initVerify(key);
    s.update(data);
    return s.verify(sig);
  }

  @Benchmark
  public boolean freshWithProviderSearch() throws Exception {
    Signature s = Signature.getInstance("SHA256withRSA");
    s.initVerify(key);
    s.update(data);
    return s.verify(sig);
  }
}
