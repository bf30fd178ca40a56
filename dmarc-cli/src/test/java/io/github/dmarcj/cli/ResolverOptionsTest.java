// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dmarcj.cli.ResolverOptions.HostPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class ResolverOptionsTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1, 127.0.0.1, 53",
    "127.0.0.1:5353, 127.0.0.1, 5353",
    "[::1]:5353, ::1, 5353",
    "[::1], ::1, 53",
    "2001:db8::53, 2001:db8::53, 53",
    "dns.example:853, dns.example, 853",
  })
  void hostPort_valid_parsed(String text, String host, int port) {
    assertThat(HostPort.parse(text)).isEqualTo(new HostPort(host, port));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", ":53", "127.0.0.1:", "127.0.0.1:0", "host:65536", "[::1", "[::1]x", "h:p"})
  void hostPort_invalid_null(String text) {
    assertThat(HostPort.parse(text)).isNull();
  }
}
