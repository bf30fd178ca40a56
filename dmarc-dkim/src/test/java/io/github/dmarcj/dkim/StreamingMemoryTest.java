// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The body is hashed as it streams: a 50 MB message, generated on the fly, verifies in a separate
 * JVM limited to a 64 MB heap (RFC 6376 §3.7).
 */
final class StreamingMemoryTest {
  static final long FIFTY_MB = 50L * 1024 * 1024;

  @Test
  @DisplayName("the facade streams too: a 60 MB message, SPF+DKIM+DMARC, with -Xmx64m")
  void facade_sixtyMegabytes_smallHeap_passes() throws Exception {
    String text = run(60L * 1024 * 1024, "facade");
    assertThat(text).contains("RESULTS=" + List.of("pass", "pass", "dmarc=pass"));
    long peak = Long.parseLong(text.replaceAll("(?s).*PEAK_HEAP_BYTES=(\\d+).*", "$1"));
    assertThat(peak).isLessThan(40L * 1024 * 1024);
  }

  private static String run(long size, String mode) throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                LargeMessageMain.class.getName(),
                Long.toString(size),
                mode)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    System.out.println("[StreamingMemoryTest] " + text.replace('\n', ' '));
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  @Test
  @DisplayName("RFC 6376 §3.7: a 50 MB streamed message verifies (rsa + ed25519) with -Xmx64m")
  void fiftyMegabytes_smallHeap_bothSignaturesPass() throws Exception {
    String java =
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                LargeMessageMain.class.getName(),
                Long.toString(FIFTY_MB),
                "dkim")
            .redirectErrorStream(true);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    System.out.println("[StreamingMemoryTest] " + text.replace('\n', ' '));
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("RESULTS=" + List.of("verified", "verified"));
    long peak = Long.parseLong(text.replaceAll("(?s).*PEAK_HEAP_BYTES=(\\d+).*", "$1"));
    // A copy of the message alone would be 50 MB.
    assertThat(peak).isLessThan(40L * 1024 * 1024);
  }
}
