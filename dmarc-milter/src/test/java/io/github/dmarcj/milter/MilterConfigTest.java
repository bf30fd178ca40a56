// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dmarcj.dmarc.DmarcMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The configuration file, the socket notation and the CIDR lists of {@code IgnoreHosts}. */
final class MilterConfigTest {

  @Test
  void defaults_areTheDocumentedOnes() {
    MilterConfig c = MilterConfig.builder().authservId("mx.example.net").build();
    assertThat(c.socket()).hasToString("inet:8893@127.0.0.1");
    assertThat(c.controlSocket()).map(Object::toString).contains("inet:8894@127.0.0.1");
    assertThat(c.ignoreHosts()).isEmpty();
    assertThat(c.ignoreAuthenticatedClients()).isTrue();
    assertThat(c.rejectFailures()).isTrue();
    assertThat(c.rejectText()).isEqualTo("Message rejected by the DMARC policy of {domain}");
    assertThat(c.quarantineAction()).isEqualTo(MilterConfig.QuarantineAction.HOLD);
    assertThat(c.quarantineHeader()).isEqualTo("X-DMARC-Quarantine");
    assertThat(c.fallbackAction()).isEqualTo(MilterConfig.FallbackAction.ACCEPT);
    assertThat(c.messageTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.dnsTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.nameservers()).isEmpty();
    assertThat(c.reportDatabase()).isEmpty();
    assertThat(c.failureReports()).isFalse();
    assertThat(c.dmarcMode()).isEqualTo(DmarcMode.RFC9989);
    assertThat(c.maxConnections()).isEqualTo(256);
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void everyKey_isRead_caseInsensitively_withComments() throws Exception {
    MilterConfig c =
        MilterConfig.parse(
                List.of(
                    "# dmarcj milter",
                    "Socket            unix:/run/dmarcj/milter.sock",
                    "controlsocket     none",
                    "AuthservID        mx.example.net   # this server",
                    "IgnoreHosts       127.0.0.1, 10.0.0.0/8 2001:db8::/32",
                    "IgnoreAuthenticatedClients no",
                    "RejectFailures    false",
                    "RejectText        Go away, {domain}",
                    "QuarantineAction  header",
                    "QuarantineHeader  X-Spam-Flag",
                    "FallbackAction    tempfail",
                    "MessageTimeout    20",
                    "DNSTimeout        1500ms",
                    "Nameservers       192.0.2.53, 192.0.2.54:5353",
                    "ReportDatabase    jdbc:h2:file:/var/lib/dmarcj/reports",
                    "FailureReports    yes",
                    "DMARCMode         rfc7489",
                    "MaxConnections    64",
                    "ShutdownTimeout   5s",
                    ""),
                "milter.conf")
            .build();
    assertThat(c.socket().address())
        .isEqualTo(UnixDomainSocketAddress.of(Path.of("/run/dmarcj/milter.sock")));
    assertThat(c.controlSocket()).isEmpty();
    assertThat(c.authservId()).isEqualTo("mx.example.net");
    assertThat(c.ignoreHosts())
        .map(Cidr::toString)
        .containsExactly("127.0.0.1/32", "10.0.0.0/8", "2001:db8:0:0:0:0:0:0/32");
    assertThat(c.ignoreAuthenticatedClients()).isFalse();
    assertThat(c.rejectFailures()).isFalse();
    assertThat(c.rejectText()).isEqualTo("Go away, {domain}");
    assertThat(c.quarantineAction()).isEqualTo(MilterConfig.QuarantineAction.HEADER);
    assertThat(c.quarantineHeader()).isEqualTo("X-Spam-Flag");
    assertThat(c.fallbackAction()).isEqualTo(MilterConfig.FallbackAction.TEMPFAIL);
    assertThat(c.messageTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.dnsTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.nameservers()).containsExactly("192.0.2.53", "192.0.2.54:5353");
    assertThat(c.reportDatabase()).contains("jdbc:h2:file:/var/lib/dmarcj/reports");
    assertThat(c.failureReports()).isTrue();
    assertThat(c.dmarcMode()).isEqualTo(DmarcMode.RFC7489);
    assertThat(c.maxConnections()).isEqualTo(64);
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Sockett inet:1@127.0.0.1 | milter.conf line 2: unknown key 'Sockett'",
        "Socket inet:99999@127.0.0.1 | milter.conf line 2: not a socket",
        "Socket tcp:25 | milter.conf line 2: not a socket",
        "IgnoreHosts 10.0.0.0/33 | milter.conf line 2: IgnoreHosts: '10.0.0.0/33'",
        "IgnoreHosts mail.example.com | milter.conf line 2: IgnoreHosts: 'mail.example.com'",
        "RejectFailures maybe | milter.conf line 2: RejectFailures: expected true or false",
        "QuarantineAction discard | milter.conf line 2: QuarantineAction: expected one of hold,",
        "MessageTimeout 0 | milter.conf line 2: MessageTimeout must be more than 0",
        "MessageTimeout soon | milter.conf line 2: MessageTimeout: expected seconds",
        "MaxConnections 0 | milter.conf line 2: MaxConnections must be 1 to 100000",
        "AuthservID two words | milter.conf line 2: AuthservID must be one word",
        "DMARCMode rfc4408 | milter.conf line 2: DMARCMode: expected one of rfc9989, rfc7489",
      })
  void wrongLine_isNamedWithItsNumber(String line, String message) {
    assertThatThrownBy(() -> MilterConfig.parse(List.of("# first", line), "milter.conf"))
        .isInstanceOf(MilterConfigException.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void failureReportsWithoutDatabase_isRefused() throws Exception {
    MilterConfig.Builder b =
        MilterConfig.parse(List.of("AuthservID mx", "FailureReports yes"), "milter.conf");
    assertThatThrownBy(b::build).hasMessage("FailureReports needs ReportDatabase");
  }

  @ParameterizedTest
  @CsvSource({
    "inet:8893@127.0.0.1, 127.0.0.1, 8893",
    "inet:127.0.0.1:8893, 127.0.0.1, 8893",
    "inet:8893@localhost, 127.0.0.1, 8893",
    "inet6:8893@[::1], 0:0:0:0:0:0:0:1, 8893",
    "inet:8893@::1, 0:0:0:0:0:0:0:1, 8893",
  })
  void socketSpec_readsLibmilterAndPostfixForms(String text, String ip, int port) throws Exception {
    assertThat(SocketSpec.parse(text).orElseThrow().address())
        .isEqualTo(new InetSocketAddress(InetAddress.getByName(ip), port));
  }

  @Test
  void socketSpec_refusesHostNamesAndOtherKinds() {
    assertThat(SocketSpec.parse("inet:8893@mail.example.com")).isEmpty();
    assertThat(SocketSpec.parse("inet:port@127.0.0.1")).isEmpty();
    assertThat(SocketSpec.parse("fd:3")).isEmpty();
    assertThat(SocketSpec.parse("unix:")).isEmpty();
    assertThat(SocketSpec.parse("inet:8893").map(s -> ((InetSocketAddress) s.address()).getPort()))
        .isEqualTo(Optional.of(8893));
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.0/24, 192.0.2.255, true",
    "192.0.2.0/24, 192.0.3.0, false",
    "192.0.2.128/25, 192.0.2.127, false",
    "192.0.2.128/25, ::ffff:192.0.2.200, true",
    "0.0.0.0/0, 203.0.113.1, true",
    "0.0.0.0/0, 2001:db8::1, false",
    "2001:db8::/33, 2001:db8:7fff::1, true",
    "2001:db8::/33, 2001:db8:8000::1, false",
    "192.0.2.7, 192.0.2.7, true",
  })
  void cidr_containsByPrefix(String network, String ip, boolean inside) throws Exception {
    assertThat(Cidr.parse(network).orElseThrow().contains(InetAddress.getByName(ip)))
        .isEqualTo(inside);
  }
}
