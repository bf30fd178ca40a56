// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.dkim.DkimSigner;
import io.github.dmarcj.dkim.DkimSigningKey;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dmarc verify} streams a message from its file: a 50 MB signed message verifies (SPF, DKIM
 * and DMARC) in a JVM whose heap is 64 MB, as the library's own streaming test shows for the facade
 * (RFC 6376 §3.7 leaves the message size to the verifier; a receiver must not need the message's
 * size in memory).
 */
final class LargeMessageVerifyTest {
  static final long NOW = 1_795_773_660L;
  static final int SIZE = 50 * 1024 * 1024;

  @Test
  @DisplayName("verify: a 50 MB signed message passes SPF, DKIM and DMARC with -Xmx64m")
  void verify_fiftyMegabytes_smallHeap_passes(@TempDir Path dir) throws Exception {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 5);
    DkimSigningKey key = DkimSigningKey.ed25519Seed(seed);
    Path zone = dir.resolve("example.com.zone");
    Files.writeString(
        zone,
        "example.com. 3600 IN TXT \"v=spf1 ip4:192.0.2.25 -all\"\n"
            + "big._domainkey.example.com. 3600 IN TXT \""
            + key.publicKeyRecord()
            + "\"\n"
            + "_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=reject\"\n");
    byte[] header =
        ("From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: big\r\n"
                + "Date: Fri, 27 Nov 2026 10:00:00 +0000\r\nMessage-ID: <big@example.com>\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] line =
        "0123456789 abcdefghijklmnopqrstuvwxyz  ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] message = new byte[header.length + SIZE / line.length * line.length];
    System.arraycopy(header, 0, message, 0, header.length);
    for (int at = header.length; at < message.length; at += line.length) {
      System.arraycopy(line, 0, message, at, line.length);
    }
    String signature =
        DkimSigner.builder(key, "example.com", "big")
            .clock(Clock.fixed(Instant.ofEpochSecond(NOW - 60), ZoneOffset.UTC))
            .build()
            .signatureField(message);
    Path file = dir.resolve("big.eml");
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(signature.getBytes(StandardCharsets.US_ASCII));
      out.write(message);
    }
    assertThat(Files.size(file)).isGreaterThan(SIZE - line.length);

    Process p =
        JavaProcess.dmarc(
                List.of("-Xmx64m", "-XX:+UseSerialGC"),
                "verify",
                "--zone",
                zone.toString(),
                "--now",
                Long.toString(NOW),
                "--authserv-id",
                "mx.example.net",
                "--client-ip",
                "192.0.2.25",
                "--helo",
                "mail.example.com",
                "--mail-from",
                "alice@example.com",
                file.toString())
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text.replaceAll("\\s+", " "))
        .contains("spf=pass")
        .contains("dkim=pass header.d=example.com")
        .contains("dmarc=pass")
        .doesNotContain("OutOfMemoryError");
  }
}
