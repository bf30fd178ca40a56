// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class SmtpEnvelopeTest {
  private static InetAddress ip(String text) throws UnknownHostException {
    return InetAddress.getByName(text);
  }

  @Test
  @DisplayName("SPF IPv4-mapped IPv6 client addresses are stored as IPv4 (RFC 7208 §5)")
  void clientIp_ipv4Mapped_unmapped() throws UnknownHostException {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
    InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
    assertThat(v6).isInstanceOf(Inet6Address.class);
    SmtpEnvelope e = SmtpEnvelope.of(v6, "mail.example.com", "a@example.com");
    assertThat(e.clientIp()).isInstanceOf(Inet4Address.class).isEqualTo(ip("192.0.2.1"));
  }

  @Test
  @DisplayName("SPF ordinary and IPv4-compatible IPv6 addresses stay IPv6")
  void clientIp_ipv6_kept() throws UnknownHostException {
    assertThat(SmtpEnvelope.of(ip("2001:db8::1"), "h", null).clientIp())
        .isInstanceOf(Inet6Address.class)
        .isEqualTo(ip("2001:db8::1"));
    byte[] compat = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 192, 0, 2, 1};
    InetAddress v6 = Inet6Address.getByAddress(null, compat, -1);
    assertThat(SmtpEnvelope.of(v6, "h", null).clientIp()).isInstanceOf(Inet6Address.class);
    byte[] almost = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
    assertThat(SmtpEnvelope.of(Inet6Address.getByAddress(null, almost, -1), "h", null).clientIp())
        .isInstanceOf(Inet6Address.class);
    assertThat(SmtpEnvelope.of(ip("192.0.2.7"), "h", null).clientIp()).isEqualTo(ip("192.0.2.7"));
  }

  @ParameterizedTest(name = "SPF MAIL FROM [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      value = {
        "<user@example.com> | user@example.com",
        "user@example.com | user@example.com",
        "'  <user@example.com>  ' | user@example.com",
        "'< user@example.com >' | user@example.com",
        "<@relay.example:user@example.com> | user@example.com",
        "<@a.example,@b.example:user@example.com> | user@example.com",
        "<\"quoted local\"@example.com> | \"quoted local\"@example.com",
        "<> | NULL",
        "'' | NULL",
        "'  <>  ' | NULL",
        "'< >' | NULL",
        "NULL | NULL",
      })
  void mailFrom_forms_normalised(String given, String expected) throws UnknownHostException {
    SmtpEnvelope e = SmtpEnvelope.of(ip("192.0.2.1"), "mail.example.com", given);
    assertThat(e.mailFrom()).isEqualTo(Optional.ofNullable(expected));
    assertThat(e.isNullSender()).isEqualTo(expected == null);
  }

  @Test
  @DisplayName("SPF the canonical constructor normalises too; nulls are refused")
  void constructor_normalisesAndChecks() throws UnknownHostException {
    SmtpEnvelope e = new SmtpEnvelope(ip("192.0.2.1"), "[192.0.2.1]", Optional.of("<>"));
    assertThat(e.isNullSender()).isTrue();
    assertThat(e.helo()).isEqualTo("[192.0.2.1]");
    assertThat(e).isEqualTo(SmtpEnvelope.of(ip("192.0.2.1"), "[192.0.2.1]", ""));
    assertThatThrownBy(() -> new SmtpEnvelope(null, "h", Optional.empty()))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> SmtpEnvelope.of(ip("192.0.2.1"), null, "a@b"))
        .isInstanceOf(NullPointerException.class);
  }
}
