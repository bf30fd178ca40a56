// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench.corpus;

import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.InMemoryDnsResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Full verification (SPF, DKIM, DMARC, Authentication-Results, report record) over the diverse
 * corpus of {@link DiverseCorpus}, one message per operation, each operation the next message of
 * the corpus: thousands of sender domains, every key size, zero to three signatures, messages from
 * 2 KB to 1 MB, direct, forwarded and spoofed mail. {@code floor} does, on the same messages, only
 * the work no DKIM verifier can skip (a SHA-256 over the message and the public-key operation, per
 * signature), so {@code floor ÷ verify} is the share of the time that is cryptography.
 *
 * <p>DNS answers come from memory through a {@link CachingDnsResolver}, as a server would run it.
 * With {@code dns=expiring} the cache's clock moves {@code secondsPerMessage} per message, so the
 * zone's one-hour TTLs expire as the corpus cycles and the cache misses as a receiver's does on its
 * long tail of senders (the hit rate is printed at the end of each fork); {@code dns=warm} never
 * expires an answer.
 *
 * <pre>
 * java -jar dmarc-bench/target/benchmarks.jar CorpusBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s -t 1
 * java -jar dmarc-bench/target/benchmarks.jar CorpusBenchmark -f 1 -wi 5 -w 2s -i 5 -r 2s -t 2
 * </pre>
 *
 * <p>With two threads, JMH's score is each thread's average time per message; on a two-core machine
 * the messages per second of both cores together are {@code 2 ÷ score}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CorpusBenchmark {
  /** How many messages the corpus has (its sender domains are 3/8 of that, at least 100). */
  @Param("2000")
  public int messages;

  /** The seed the corpus follows from. */
  @Param("20261205")
  public long seed;

  /**
   * {@code expiring}: the DNS cache's clock moves with the messages; {@code warm}: it never does.
   */
  @Param({"expiring"})
  public String dns;

  /** With {@code dns=expiring}, how far the cache's clock moves per message. */
  @Param("2")
  public long secondsPerMessage;

  private List<SmtpEnvelope> envelopes;
  private List<byte[]> bytes;
  private List<List<CorpusFloor.Work>> floorWork;
  private MessageAuthenticator authenticator;
  private CachingDnsResolver cache;
  private final AtomicLong virtualSeconds = new AtomicLong(DiverseCorpus.VERIFY_AT);

  /** Each thread walks the corpus from its own starting point. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;

    /**
     * Starts each thread at a different message.
     *
     * @param thread which thread this is
     */
    @Setup
    public void start(ThreadParams thread) {
      next = thread.getThreadIndex() * 7919;
    }
  }

  /**
   * Generates the corpus in memory and builds the authenticator over its DNS data.
   *
   * @throws Exception if the corpus's keys cannot be read back
   */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    DiverseCorpus corpus = DiverseCorpus.generate(seed, Math.max(100, messages * 3 / 8), messages);
    envelopes = new ArrayList<>();
    bytes = new ArrayList<>();
    for (DiverseCorpus.Case c : corpus.cases()) {
      envelopes.add(c.envelope());
      bytes.add(c.message());
    }
    InMemoryDnsResolver zone = corpus.dns();
    floorWork = CorpusFloor.prepare(bytes, zone);
    CachingDnsResolver.Builder b = CachingDnsResolver.builder(zone);
    if (dns.equals("expiring")) {
      b.clock(new VirtualClock(virtualSeconds));
    } else if (!dns.equals("warm")) {
      throw new IllegalArgumentException("dns must be expiring or warm, was " + dns);
    }
    cache = b.build();
    authenticator =
        MessageAuthenticator.builder(cache)
            .authservId("mx.receiver.example")
            .clock(Clock.fixed(Instant.ofEpochSecond(DiverseCorpus.VERIFY_AT), ZoneOffset.UTC))
            .build();
  }

  /** Prints the DNS cache's hit rate over the whole fork, warm-up included. */
  @TearDown(Level.Trial)
  public void report() {
    CachingDnsResolver.Stats s = cache.stats();
    System.out.printf(
        "%n[corpus] %d messages, dns=%s: DNS cache hit rate %.1f %% (%d hits, %d misses)%n",
        messages, dns, 100.0 * s.hits() / Math.max(1, s.hits() + s.misses()), s.hits(), s.misses());
  }

  /**
   * Verifies the next message of the corpus.
   *
   * @param cursor this thread's place in the corpus
   * @return the result
   */
  @Benchmark
  public VerificationResult verify(Cursor cursor) {
    int i = Math.floorMod(cursor.next++, envelopes.size());
    virtualSeconds.addAndGet(secondsPerMessage);
    return authenticator.verify(envelopes.get(i), bytes.get(i));
  }

  /**
   * The crypto floor of the next message of the corpus.
   *
   * @param cursor this thread's place in the corpus
   * @return how many of its signatures verified
   * @throws Exception never for this corpus's keys
   */
  @Benchmark
  public int floor(Cursor cursor) throws Exception {
    int i = Math.floorMod(cursor.next++, floorWork.size());
    return CorpusFloor.runMessage(floorWork.get(i));
  }

  /** A clock that reads a counter of seconds, moved by the benchmark. */
  static final class VirtualClock extends Clock {
    private final AtomicLong seconds;

    VirtualClock(AtomicLong seconds) {
      this.seconds = seconds;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.get());
    }
  }
}
