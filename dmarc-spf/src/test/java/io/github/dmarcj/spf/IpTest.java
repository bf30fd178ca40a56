// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR matching and address parsing (RFC 7208 §5.6) against BigInteger references. */
final class IpTest {

  private static boolean reference(BigInteger a, BigInteger n, int prefix, int bits) {
    return a.shiftRight(bits - prefix).equals(n.shiftRight(bits - prefix));
  }

  private static BigInteger unsigned(byte[] b) {
    return new BigInteger(1, b);
  }

  @Test
  @DisplayName("IPv4 prefix match equals the BigInteger reference on random input (RFC 7208 §5.6)")
  void matches4_randomAddresses_agreeWithReference() {
    Random r = new Random(32);
    for (int n = 0; n < 200_000; n++) {
      int a = r.nextInt();
      int net = r.nextBoolean() ? a ^ (1 << r.nextInt(32)) : r.nextInt();
      int prefix = r.nextInt(33);
      boolean expected =
          reference(
              BigInteger.valueOf(a & 0xFFFFFFFFL),
              BigInteger.valueOf(net & 0xFFFFFFFFL),
              prefix,
              32);
      Directive d =
          new Directive(
              io.github.dmarcj.result.SpfResult.PASS,
              Directive.Kind.IP4,
              null,
              prefix,
              128,
              net,
              0,
              0,
              "ip4");
      if (Ip.matches4(a, net, prefix) != expected || d.matches4(a) != expected) {
        fail(String.format("%08x %08x /%d expected %s", a, net, prefix, expected));
      }
    }
  }

  @Test
  @DisplayName("IPv6 prefix match equals the BigInteger reference on random input (RFC 7208 §5.6)")
  void matches6_randomAddresses_agreeWithReference() {
    Random r = new Random(128);
    byte[] a = new byte[16];
    byte[] b = new byte[16];
    for (int n = 0; n < 100_000; n++) {
      r.nextBytes(a);
      System.arraycopy(a, 0, b, 0, 16);
      int flip = r.nextInt(128);
      b[flip / 8] ^= (byte) (0x80 >>> (flip % 8));
      if (r.nextInt(4) == 0) {
        r.nextBytes(b);
      }
      int prefix = r.nextInt(129);
      boolean expected = reference(unsigned(a), unsigned(b), prefix, 128);
      if (Ip.matches6(Ip.hi(a), Ip.lo(a), Ip.hi(b), Ip.lo(b), prefix) != expected) {
        fail("/" + prefix + " expected " + expected);
      }
    }
  }

  @Test
  @DisplayName("IPv6 text round-trips through parse6 and format6 like the JDK parses it")
  void parse6_randomAddresses_roundTrip() throws Exception {
    Random r = new Random(6);
    byte[] b = new byte[16];
    long[] out = new long[2];
    for (int n = 0; n < 20_000; n++) {
      r.nextBytes(b);
      for (int z = r.nextInt(8); z > 0; z--) {
        int g = r.nextInt(8);
        b[2 * g] = 0;
        b[2 * g + 1] = 0;
      }
      String text = Ip.format6(Ip.hi(b), Ip.lo(b));
      if (!Ip.parse6(text, 0, text.length(), out) || out[0] != Ip.hi(b) || out[1] != Ip.lo(b)) {
        fail("round trip of " + text);
      }
      byte[] jdk = InetAddress.getByName(text).getAddress();
      if (jdk.length == 16 && !java.util.Arrays.equals(jdk, b)) {
        fail("JDK reads " + text + " differently");
      }
      String upper = text.toUpperCase(java.util.Locale.ROOT);
      if (!Ip.parse6(upper, 0, upper.length(), out) || out[0] != Ip.hi(b)) {
        fail("upper case " + upper);
      }
    }
  }

  @ParameterizedTest(name = "{0} is not an IPv6 address")
  @ValueSource(
      strings = {
        "",
        ":",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        "g::",
        "1:2:3:4:5:6:7",
        "::1.2.3",
        "1.2.3.4",
        "::ffff:1.2.3.04",
        "1:"
      })
  void parse6_malformed_rejected(String text) {
    assertThat(Ip.parse6(text, 0, text.length(), new long[2])).isFalse();
  }

  @ParameterizedTest(name = "{0} is not an IPv4 address (RFC 7208 §5.6)")
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "01.2.3.4",
        "256.1.1.1",
        "1..2.3",
        "a.b.c.d",
        "1.2.3.4 "
      })
  void parse4_malformed_rejected(String text) {
    assertThat(Ip.parse4(text, 0, text.length())).isNegative();
  }

  @Test
  void format6_rfc5952_compressesLongestRun() {
    long[] v = new long[2];
    String t = "2001:db8:0:0:1:0:0:1";
    Ip.parse6(t, 0, t.length(), v);
    assertThat(Ip.format6(v[0], v[1])).isEqualTo("2001:db8::1:0:0:1");
    t = "CAFE:BABE::1";
    Ip.parse6(t, 0, t.length(), v);
    assertThat(Ip.format6(v[0], v[1])).isEqualTo("cafe:babe::1");
  }
}
