// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Helpers to load test resources and convert line endings. */
final class TestData {
  private TestData() {}

  static byte[] resource(String path) {
    try (InputStream in = TestData.class.getResourceAsStream("/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("missing test resource " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String text(String path) {
    return new String(resource(path), StandardCharsets.ISO_8859_1);
  }

  /** Bare LF to CRLF (existing CRLF kept). */
  static byte[] crlf(byte[] in) {
    java.io.ByteArrayOutputStream out =
        new java.io.ByteArrayOutputStream(in.length + in.length / 20);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(in[i]);
    }
    return out.toByteArray();
  }

  static byte[] crlf(String s) {
    return crlf(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  static Clock fixed(long epochSecond) {
    return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
  }
}
