// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * DNS-over-HTTPS (RFC 8484) against a local HTTP stub serving {@code application/dns-message}. The
 * slow-server test runs last: dnsjava shares its HTTP client between resolvers, and the delayed
 * response would hold up the tests after it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class NetworkDnsResolverDohTest {

  @RegisterExtension
  static WireMockExtension http =
      WireMockExtension.newInstance()
          .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
          .build();

  private NetworkDnsResolver doh() {
    return NetworkDnsResolver.builder()
        .dnsOverHttps(URI.create("http://127.0.0.1:" + http.getPort() + "/dns-query"))
        .timeout(Duration.ofSeconds(30))
        .retries(0)
        .build();
  }

  /** A response message with ID 0, as RFC 8484 §4.1 asks of DoH clients. */
  private static byte[] answer(String name, int type, int rcode, Record... records)
      throws Exception {
    Message m = new Message(0);
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.RD);
    m.getHeader().setFlag(Flags.RA);
    m.getHeader().setRcode(rcode);
    m.addRecord(Record.newRecord(Name.fromString(name), type, DClass.IN), Section.QUESTION);
    for (Record r : records) {
      m.addRecord(r, r instanceof SOARecord ? Section.AUTHORITY : Section.ANSWER);
    }
    return m.toWire();
  }

  private static void serve(byte[] body) {
    http.stubFor(
        any(urlPathEqualTo("/dns-query"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/dns-message")
                    .withBody(body)));
  }

  @Test
  @DisplayName("RFC 7208 §3.3, RFC 6376 §3.6.2.2: a DoH answer with TXT and A records is found")
  void doh_found() throws Exception {
    serve(
        answer(
            "example.com.",
            Type.TXT,
            Rcode.NOERROR,
            new TXTRecord(
                Name.fromString("example.com."), DClass.IN, 77, List.of("v=DMARC1; ", "p=none"))));
    assertThat(join(doh().txt("example.com")))
        .isEqualTo(DnsLookup.found(List.of("v=DMARC1; p=none"), 77));
    http.verify(anyRequestedFor(urlPathEqualTo("/dns-query")));

    serve(
        answer(
            "example.com.",
            Type.A,
            Rcode.NOERROR,
            new ARecord(
                Name.fromString("example.com."),
                DClass.IN,
                30,
                InetAddress.getByName("192.0.2.1"))));
    assertThat(join(doh().a("example.com")))
        .isEqualTo(DnsLookup.found(List.of(InetAddress.getByName("192.0.2.1")), 30));
  }

  @Test
  @DisplayName("a DoH NXDOMAIN carries the SOA negative TTL")
  void doh_nxDomain() throws Exception {
    SOARecord soa =
        new SOARecord(
            Name.fromString("example.com."),
            DClass.IN,
            3600,
            Name.fromString("ns.example.com."),
            Name.fromString("h.example.com."),
            1,
            7200,
            3600,
            1209600,
            120);
    serve(answer("nope.example.com.", Type.TXT, Rcode.NXDOMAIN, soa));
    assertThat(join(doh().txt("nope.example.com"))).isEqualTo(DnsLookup.nxDomain(120));
  }

  @Test
  @DisplayName("HTTP 500 from the DoH server is a temporary failure")
  void doh_http500_tempFail() {
    http.stubFor(any(urlPathEqualTo("/dns-query")).willReturn(aResponse().withStatus(500)));
    DnsLookup<String> r = join(doh().txt("example.com"));
    assertThat(r).isInstanceOf(DnsLookup.TempFail.class);
    // dnsjava's DoH client turns an HTTP error status into a SERVFAIL answer
    assertThat(((DnsLookup.TempFail<String>) r).reason()).isEqualTo(TempFailReason.SERVFAIL);
  }

  @Test
  @DisplayName("a DoH body that is not a DNS message is a temporary failure")
  void doh_garbageBody_tempFail() {
    serve(new byte[] {1, 2, 3});
    DnsLookup<String> r = join(doh().txt("example.com"));
    assertThat(r).isInstanceOf(DnsLookup.TempFail.class);
    assertThat(((DnsLookup.TempFail<String>) r).reason())
        .isEqualTo(TempFailReason.MALFORMED_RESPONSE);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  @DisplayName("a DoH server slower than the timeout gives TIMEOUT")
  void doh_slow_timeout() throws Exception {
    http.stubFor(
        any(urlPathEqualTo("/dns-query"))
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/dns-message")
                    .withBody(answer("example.com.", Type.TXT, Rcode.NOERROR))
                    .withFixedDelay(3000)));
    NetworkDnsResolver dns =
        NetworkDnsResolver.builder()
            .dnsOverHttps(URI.create("http://127.0.0.1:" + http.getPort() + "/dns-query"))
            .timeout(Duration.ofMillis(300))
            .retries(0)
            .build();
    long start = System.nanoTime();
    DnsLookup<String> r = join(dns.txt("example.com"));
    assertThat(((DnsLookup.TempFail<String>) r).reason()).isEqualTo(TempFailReason.TIMEOUT);
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
  }
}
