// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.dns.DnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.result.DkimOutcome;
import io.github.dmarcj.result.DmarcResult;
import io.github.dmarcj.result.SpfOutcome;
import io.github.dmarcj.spi.DkimVerifier;
import io.github.dmarcj.spi.DkimVerifierProvider;
import io.github.dmarcj.spi.SpfVerifier;
import io.github.dmarcj.spi.SpfVerifierProvider;
import io.github.dmarcj.spi.VerifierContext;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.SignatureRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * Full verification (SPF + DKIM + DMARC + Authentication-Results + report record) of a 4 KB
 * DKIM-signed message with warm caches: DNS answers come from memory (the example zone), so the
 * figure is the library's own cost per message. Apache James jDKIM verifying the same signature is
 * measured in the same run as a baseline for the DKIM part alone.
 *
 * <pre>
 * java -jar dmarc-bench/target/benchmarks.jar VerifyBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class VerifyBenchmark {
  private MessageAuthenticator authenticator;
  private MessageAuthenticator withFailureReports;
  private final java.util.concurrent.atomic.AtomicLong incidents =
      new java.util.concurrent.atomic.AtomicLong();
  private SmtpEnvelope envelope;
  private byte[] message;
  private DKIMVerifier jdkim;
  private SpfVerifier spf;
  private DkimVerifier dkim;

  @Setup
  public void setup() throws Exception {
    String zone = resource("bench/example.com.zone");
    message = resource("bench/message-4k.eml").getBytes(StandardCharsets.ISO_8859_1);
    DnsResolver dns = ZoneFileResolver.fromString(zone);
    authenticator =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.net")
            .clock(Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC))
            .build();
    withFailureReports =
        MessageAuthenticator.builder(dns)
            .authservId("mx.example.net")
            .clock(Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC))
            .failureReportSink(i -> incidents.incrementAndGet())
            .build();
    envelope =
        SmtpEnvelope.of(
            InetAddress.getByName("192.0.2.25"), "mail.example.com", "alice@example.com");
    VerificationResult check = authenticator.verify(envelope, message);
    if (check.dmarc().result() != DmarcResult.PASS || check.dkim().isEmpty()) {
      throw new IllegalStateException("benchmark message does not pass: " + check);
    }
    spf =
        ServiceLoader.load(SpfVerifierProvider.class)
            .findFirst()
            .orElseThrow()
            .create(new VerifierContext(dns, Clock.systemUTC(), Runnable::run));
    dkim =
        ServiceLoader.load(DkimVerifierProvider.class)
            .findFirst()
            .orElseThrow()
            .create(
                new VerifierContext(
                    dns,
                    Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC),
                    Runnable::run));
    String keyRecord = keyRecord(zone);
    jdkim = new DKIMVerifier((method, selector, token) -> List.of(keyRecord));
    if (jdkim.verify(new ByteArrayInputStream(message)).isEmpty()) {
      throw new IllegalStateException("jDKIM does not pass the benchmark message");
    }
  }

  /** The library: SPF, DKIM and DMARC with the A-R field and report record, one thread. */
  @Benchmark
  @Threads(1)
  public VerificationResult dmarcjVerify1Thread() {
    return authenticator.verify(envelope, message);
  }

  /**
   * The same with failure reporting on (a sink set): a passing message, the common case, must cost
   * what it costs with reporting off ({@link #dmarcjVerify1Thread}).
   */
  @Benchmark
  @Threads(1)
  public VerificationResult dmarcjVerifyFailureReportsOn1Thread() {
    return withFailureReports.verify(envelope, message);
  }

  /** The same on two threads sharing one authenticator. */
  @Benchmark
  @Threads(2)
  public VerificationResult dmarcjVerify2Threads() {
    return authenticator.verify(envelope, message);
  }

  /** Part of the work: the SPF check alone (dmarc-spf, found by ServiceLoader). */
  @Benchmark
  @Threads(1)
  public SpfOutcome partSpfOnly1Thread() {
    return spf.checkMailFrom(envelope).toCompletableFuture().join();
  }

  /** Part of the work: DKIM verification alone (dmarc-dkim, found by ServiceLoader). */
  @Benchmark
  @Threads(1)
  public List<DkimOutcome> partDkimOnly1Thread() {
    return dkim.verify(message).toCompletableFuture().join();
  }

  /** Baseline: Apache James jDKIM 0.5 verifying the DKIM signature only, one thread. */
  @Benchmark
  @Threads(1)
  public List<SignatureRecord> jdkimVerifyOnly1Thread() throws Exception {
    return jdkim.verify(new ByteArrayInputStream(message));
  }

  private static String keyRecord(String zone) {
    for (String line : zone.split("\n")) {
      if (line.startsWith("sel2026._domainkey")) {
        StringBuilder sb = new StringBuilder();
        int i = line.indexOf('"');
        while (i >= 0) {
          int j = line.indexOf('"', i + 1);
          sb.append(line, i + 1, j);
          i = line.indexOf('"', j + 1);
        }
        return sb.toString();
      }
    }
    throw new IllegalStateException("no DKIM key in the zone");
  }

  static String resource(String name) {
    try (InputStream in = VerifyBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
