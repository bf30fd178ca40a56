// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench.corpus;

import io.github.dmarcj.dns.CachingDnsResolver;
import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.MessageAuthenticator;
import io.github.dmarcj.verify.VerificationResult;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of the whole JVM process per message over the diverse corpus, in steady state: the
 * measure {@code dmarc-bench/mailauth/corpus-bench.js steady} takes for mailauth. Reads the files
 * {@link DiverseCorpus} wrote (zone file, requests, messages), keeps the messages in memory, and
 * verifies every one per round through one {@link MessageAuthenticator} with a {@link
 * CachingDnsResolver} in front of the zone. Optionally a second thread verifies the same corpus at
 * the same time ({@code THREADS} 2).
 *
 * <pre>
 * java -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.corpus.CorpusCpuPerMessage DIR [ROUNDS] [WARM] [THREADS]
 * </pre>
 */
public final class CorpusCpuPerMessage {
  private CorpusCpuPerMessage() {}

  record Request(SmtpEnvelope envelope, byte[] message) {}

  /** The corpus's requests, messages loaded into memory. */
  // NullAway: DiverseCorpus writes every member of every request line, helo included.
  @SuppressWarnings("NullAway")
  static List<Request> load(Path dir) throws Exception {
    List<Request> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("requests.jsonl"))) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> m = Json.flat(line);
      out.add(
          new Request(
              SmtpEnvelope.of(
                  java.net.InetAddress.getByName(m.get("clientIp")),
                  m.get("helo"),
                  m.get("mailFrom")),
              Files.readAllBytes(dir.resolve(m.get("message")))));
    }
    return out;
  }

  /** The authenticator the corpus is verified with: the zone behind a caching resolver. */
  static MessageAuthenticator authenticator(Path dir) throws Exception {
    ZoneFileResolver zone = ZoneFileResolver.builder().addFile(dir.resolve("corpus.zone")).build();
    return MessageAuthenticator.builder(CachingDnsResolver.of(zone))
        .authservId("mx.receiver.example")
        .clock(Clock.fixed(Instant.ofEpochSecond(DiverseCorpus.VERIFY_AT), ZoneOffset.UTC))
        .build();
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int warm = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    List<Request> requests = load(dir);
    MessageAuthenticator authenticator = authenticator(dir);
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int w = 0; w < warm; w++) {
      for (Request r : requests) {
        authenticator.verify(r.envelope(), r.message());
      }
    }
    for (int round = 1; round <= rounds; round++) {
      Map<String, Integer> counts = new TreeMap<>();
      com.sun.management.ThreadMXBean tm =
          (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long alloc0 = tm.getCurrentThreadAllocatedBytes();
      long thread0 = tm.getCurrentThreadCpuTime();
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      List<Thread> others = new ArrayList<>();
      for (int t = 1; t < threads; t++) {
        Thread th =
            new Thread(
                () -> {
                  for (Request r : requests) {
                    authenticator.verify(r.envelope(), r.message());
                  }
                });
        th.start();
        others.add(th);
      }
      for (Request r : requests) {
        VerificationResult v = authenticator.verify(r.envelope(), r.message());
        counts.merge(v.dmarc().result().keyword(), 1, Integer::sum);
      }
      for (Thread th : others) {
        th.join();
      }
      long allocPerMessage = (tm.getCurrentThreadAllocatedBytes() - alloc0) / requests.size();
      double threadMicros = (tm.getCurrentThreadCpuTime() - thread0) / 1e3 / requests.size();
      int n = requests.size() * threads;
      double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / n;
      double wallSeconds = (System.nanoTime() - wall0) / 1e9;
      System.out.printf(
          "{\"peer\":\"dmarcj\",\"mode\":\"steady\",\"threads\":%d,\"round\":%d,\"messages\":%d,"
              + "\"seconds\":%.3f,\"cpuMicrosPerMessage\":%.1f,\"messagesPerCpuSecond\":%.0f,"
              + "\"verifyingThreadMicrosPerMessage\":%.1f,\"allocatedBytesPerMessage\":%d,\"dmarc\":%s}%n",
          threads,
          round,
          n,
          wallSeconds,
          cpuMicros,
          1e6 / cpuMicros,
          threadMicros,
          allocPerMessage,
          Json.counts(counts));
    }
  }
}
