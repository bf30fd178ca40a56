// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The zone files under {@code src/test/resources/dns}, shared by the DNS tests. */
final class TestZones {
  private TestZones() {}

  /** Zone apex and resource name of each test zone. */
  static final List<String> ORIGINS =
      List.of("example.com", "2.0.192.in-addr.arpa", "8.b.d.0.1.0.0.2.ip6.arpa");

  static String text(String origin) {
    try (InputStream in = TestZones.class.getResourceAsStream("/dns/" + origin + ".zone")) {
      if (in == null) {
        throw new IllegalStateException("missing test zone " + origin);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ZoneFileResolver resolver() {
    ZoneFileResolver.Builder b = ZoneFileResolver.builder();
    for (String o : ORIGINS) {
      b.addZone(text(o));
    }
    return b.build();
  }

  static <T> DnsLookup<T> join(java.util.concurrent.CompletionStage<DnsLookup<T>> stage) {
    return stage.toCompletableFuture().join();
  }
}
