// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The library's one IP-literal parser: literals only, never a name lookup. */
final class IpLiteralTest {
  @ParameterizedTest
  @CsvSource({
    "192.0.2.25, 192.0.2.25",
    "[192.0.2.1], 192.0.2.1",
    "0.0.0.0, 0.0.0.0",
    "255.255.255.255, 255.255.255.255",
    "2001:db8::1, 2001:db8:0:0:0:0:0:1",
    "[2001:DB8::a], 2001:db8:0:0:0:0:0:a",
    "::, 0:0:0:0:0:0:0:0",
    "::1, 0:0:0:0:0:0:0:1",
    "1::, 1:0:0:0:0:0:0:0",
    "1:2:3:4:5:6:7:8, 1:2:3:4:5:6:7:8",
    "::ffff:192.0.2.7, 0:0:0:0:0:ffff:c000:207",
    "64:ff9b::192.0.2.33, 64:ff9b:0:0:0:0:c000:221"
  })
  void parse_literal_address(String text, String address) {
    InetAddress ip = IpLiteral.parse(text).orElseThrow();
    assertThat(ip.getHostAddress()).isEqualTo(address);
    assertThat(ip).isInstanceOf(text.contains(":") ? Inet6Address.class : Inet4Address.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "mail.example.com", "localhost", "192.0.2", "192.0.2.1.5", "1234.0.0.1", "192..2.1",
        "192.0.2.", ".192.0.2.1", "256.0.0.1", "192.0.2.1x", "010.0.0.1", "10", "1.2.3",
        "deadbeef", "cafe.babe", "fe80::1%eth0", "2001:db8::g", "[]", "[192.0.2.1",
            "1:2:3:4:5:6:7:8:9",
        "1::2::3", ":1::", "1:2:3:4:5:6:7::8:9", "12345::", "::ffff:256.0.0.1", " 192.0.2.1"
      })
  void parse_notALiteral_empty(String text) {
    assertThat(IpLiteral.parse(text)).isEmpty();
  }
}
