// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class DnsCommandTest {

  private static final String ZONE = Cli.resource("dns/example.com.zone");
  private static final String REVERSE = Cli.resource("dns/2.0.192.in-addr.arpa.zone");

  private static Cli.Result dns(String... args) {
    String[] all = new String[args.length + 5];
    all[0] = "dns";
    all[1] = "--zone";
    all[2] = ZONE;
    all[3] = "--zone";
    all[4] = REVERSE;
    System.arraycopy(args, 0, all, 5, args.length);
    return Cli.run(all);
  }

  @Test
  @DisplayName("RFC 7208 §3.3, RFC 6376 §3.6.2.2: dns TXT prints the joined record and exits 0")
  void txt_found_printsJoinedRecord() {
    Cli.Result r = dns("TXT", "example.com");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("TXT example.com: found, 1 record, ttl 3600s")
        .contains("  v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all");
    assertThat(r.err()).isEmpty();
  }

  @Test
  @DisplayName("dns shows nodata and nxdomain with the negative TTL, exit 1")
  void txt_negative_exitOne() {
    Cli.Result nodata = dns("txt", "b.example.com");
    assertThat(nodata.exitCode()).isEqualTo(1);
    assertThat(nodata.out()).contains("TXT b.example.com: nodata").contains("negative ttl 300s");
    Cli.Result nx = dns("TXT", "missing.example.com");
    assertThat(nx.exitCode()).isEqualTo(1);
    assertThat(nx.out()).contains("TXT missing.example.com: nxdomain").contains("300s");
  }

  @Test
  @DisplayName("dns MX --json shows outcome, ttl and structured records")
  void mx_json_structured() throws Exception {
    Cli.Result r = dns("MX", "example.com", "--json");
    assertThat(r.exitCode()).isZero();
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("outcome").asText()).isEqualTo("found");
    assertThat(j.get("type").asText()).isEqualTo("MX");
    assertThat(j.get("ttl").asLong()).isEqualTo(3600);
    assertThat(j.get("records")).hasSize(2);
    assertThat(j.get("records").get(0).get("preference").asInt()).isEqualTo(10);
    assertThat(j.get("records").get(0).get("exchange").asText()).isEqualTo("mx1.example.com");
  }

  @Test
  @DisplayName("dns --json for NXDOMAIN")
  void txt_jsonNxDomain() throws Exception {
    Cli.Result r = dns("TXT", "nope.example.com", "--json");
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertThat(j.get("outcome").asText()).isEqualTo("nxdomain");
    assertThat(j.get("ttl").asLong()).isEqualTo(300);
    assertThat(j.get("records")).isEmpty();
    assertThat(r.exitCode()).isEqualTo(1);
  }

  @Test
  @DisplayName("dns A and AAAA print addresses; CNAMEs are followed")
  void a_aaaa_addresses() {
    assertThat(dns("A", "www.example.com").out()).contains("ttl 120s").contains("  192.0.2.20");
    assertThat(dns("AAAA", "example.com").out()).contains("  2001:db8:0:0:0:0:0:1");
  }

  @Test
  @DisplayName("dns PTR accepts an IP address and reverses it")
  void ptr_ipAddress_reversed() {
    Cli.Result r = dns("PTR", "192.0.2.1");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("PTR 1.2.0.192.in-addr.arpa: found").contains("  example.com");
    Cli.Result byName = dns("PTR", "1.2.0.192.in-addr.arpa");
    assertThat(byName.out()).isEqualTo(r.out());
  }

  @Test
  void dnsCommand_badUsage_exitTwo() {
    Cli.Result badType = Cli.run("dns", "SRV", "example.com", "--zone", ZONE);
    assertThat(badType.exitCode()).isEqualTo(2);
    assertThat(badType.err()).contains("SRV");
    Cli.Result both = Cli.run("dns", "TXT", "example.com", "--zone", ZONE, "--server", "127.0.0.1");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--zone");
    Cli.Result missing = Cli.run("dns", "TXT", "example.com", "--zone", ZONE + ".missing");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot load zone file");
    Cli.Result badServer = Cli.run("dns", "TXT", "example.com", "--server", "127.0.0.1:99999");
    assertThat(badServer.exitCode()).isEqualTo(2);
    assertThat(badServer.err()).contains("--server");
  }

  @Test
  @DisplayName("--server that never answers gives tempfail TIMEOUT and exit 3")
  void server_silent_tempFailTimeout() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Cli.Result r =
          Cli.run(
              "dns",
              "TXT",
              "example.com",
              "--json",
              "--server",
              "127.0.0.1:" + silent.getLocalPort(),
              "--timeout",
              "200");
      assertThat(r.exitCode()).isEqualTo(3);
      JsonNode j = new ObjectMapper().readTree(r.out());
      assertThat(j.get("outcome").asText()).isEqualTo("tempfail");
      assertThat(j.get("reason").asText()).isEqualTo("TIMEOUT");
      // the query did reach the server
      DatagramPacket p = new DatagramPacket(new byte[512], 512);
      silent.setSoTimeout(1000);
      silent.receive(p);
      assertThat(p.getLength()).isGreaterThan(12);
    }
  }
}
