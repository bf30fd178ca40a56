// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import io.github.dmarcj.dns.ZoneFileResolver;
import io.github.dmarcj.message.SmtpEnvelope;
import io.github.dmarcj.verify.MessageAuthenticator;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * CPU time of the whole JVM process per verified message, the same measure {@code
 * dmarc-bench/mailauth/bench.js} takes for mailauth with {@code process.cpuUsage()}: on a shared,
 * busy machine wall-clock throughput mostly measures the neighbours, CPU time much less so. Same
 * message, zone and settings as {@link VerifyBenchmark}.
 *
 * <pre>
 * java -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.CpuPerMessage [COUNT] [ROUNDS]
 * </pre>
 */
public final class CpuPerMessage {
  private CpuPerMessage() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    String zone = VerifyBenchmark.resource("bench/example.com.zone");
    byte[] message =
        VerifyBenchmark.resource("bench/message-4k.eml").getBytes(StandardCharsets.ISO_8859_1);
    MessageAuthenticator authenticator =
        MessageAuthenticator.builder(ZoneFileResolver.fromString(zone))
            .authservId("mx.example.net")
            .clock(Clock.fixed(Instant.ofEpochSecond(1795773660L), ZoneOffset.UTC))
            .build();
    SmtpEnvelope envelope =
        SmtpEnvelope.of(
            InetAddress.getByName("192.0.2.25"), "mail.example.com", "alice@example.com");
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < count; i++) { // warm-up
      authenticator.verify(envelope, message);
    }
    for (int r = 1; r <= rounds; r++) {
      long cpu0 = os.getProcessCpuTime();
      long wall0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        authenticator.verify(envelope, message);
      }
      double cpuMicros = (os.getProcessCpuTime() - cpu0) / 1e3 / count;
      double wallSeconds = (System.nanoTime() - wall0) / 1e9;
      System.out.printf(
          "{\"peer\":\"dmarcj\",\"round\":%d,\"messages\":%d,\"messagesPerSecond\":%.0f,"
              + "\"cpuMicrosPerMessage\":%.1f,\"messagesPerCpuSecond\":%.0f}%n",
          r, count, count / wallSeconds, cpuMicros, 1e6 / cpuMicros);
    }
  }
}
