// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParseIpTest {
  @ParameterizedTest
  @CsvSource({
    "192.0.2.25, 192.0.2.25",
    "' 192.0.2.25 ', 192.0.2.25",
    "[192.0.2.1], 192.0.2.1",
    "2001:db8::1, 2001:db8:0:0:0:0:0:1",
    "[2001:DB8::a], 2001:db8:0:0:0:0:0:a",
    "::ffff:192.0.2.7, 192.0.2.7",
    "0.0.0.0, 0.0.0.0"
  })
  void literals(String text, String address) {
    InetAddress ip = VerifyCommand.parseIp(text);
    assertThat(ip).isNotNull();
    assertThat(ip.getHostAddress()).isEqualTo(address);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "mail.example.com", "192.0.2", "192.0.2.1.5", "1234.0.0.1", "192..2.1", "192.0.2.",
        ".192.0.2.1", "256.0.0.1", "192.0.2.1x", "deadbeef", "fe80::1%eth0", "2001:db8::g", "[]"
      })
  void notLiterals(String text) {
    assertThat(VerifyCommand.parseIp(text)).isNull();
  }

  @ParameterizedTest
  @CsvSource({"1.2.3.4, true", "001.002.003.004, true", "1.2.3, false", "1.2.3.4.5, false", "a.b.c.d, false"})
  void dottedQuad(String text, boolean expected) {
    assertThat(VerifyCommand.dottedQuad(text)).isEqualTo(expected);
  }
}
