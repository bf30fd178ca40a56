// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples of docs/dns.md and the Javadoc, compiled and run. */
final class DnsExamplesTest {

  @Test
  void networkExamples_build() {
    DnsResolver explicit =
        NetworkDnsResolver.builder()
            .addServer("192.0.2.53", 53)
            .addServer("192.0.2.54", 53)
            .timeout(Duration.ofSeconds(2))
            .retries(1)
            .build();
    DnsResolver doh =
        NetworkDnsResolver.builder()
            .dnsOverHttps(URI.create("https://dns.example/dns-query"))
            .build();
    assertThat(((NetworkDnsResolver) explicit).servers())
        .containsExactly("192.0.2.53:53", "192.0.2.54:53");
    assertThat(((NetworkDnsResolver) doh).servers())
        .containsExactly("https://dns.example/dns-query");
    CachingDnsResolver dns =
        CachingDnsResolver.builder(explicit)
            .maximumSize(50_000)
            .maximumTtl(Duration.ofHours(6))
            .tempFailTtl(Duration.ofSeconds(2))
            .build();
    assertThat(dns.stats()).isEqualTo(new CachingDnsResolver.Stats(0, 0, 0));
  }

  @Test
  void zoneFileExamples_answer(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("example.com.zone");
    Files.writeString(file, TestZones.text("example.com"), StandardCharsets.UTF_8);
    ZoneFileResolver zones = ZoneFileResolver.fromFiles(file);

    ZoneFileResolver inline =
        ZoneFileResolver.fromString(
            """
            $ORIGIN example.com.
            $TTL 300
            @        SOA ns hostmaster 1 7200 3600 1209600 300
            @        TXT "v=spf1 ip4:192.0.2.0/24 " "-all"
            _dmarc   TXT "v=DMARC1; p=reject"
            """);
    assertThat(join(inline.txt("example.com")))
        .isEqualTo(DnsLookup.found(List.of("v=spf1 ip4:192.0.2.0/24 -all"), 300));

    ZoneFileResolver several =
        ZoneFileResolver.builder()
            .addFile(file)
            .addZone("example.net", "@ TXT \"v=spf1 -all\"")
            .build();
    assertThat(several.zones()).containsExactly("example.com", "example.net");

    ZoneFileResolver quick =
        ZoneFileResolver.fromString(
            """
            example.org.                 TXT "v=spf1 exists:%{l}.users.example.org -all"
            a\\032b%c.users.example.org.  A   127.0.0.2
            """);
    assertThat(quick.zones()).containsExactly("");
    assertThat(join(quick.a("a b%c.users.example.org")).recordsOrEmpty()).hasSize(1);
    assertThat(join(quick.a("users.example.org"))).isEqualTo(DnsLookup.noData(0));
    assertThat(join(quick.a("x.users.example.org"))).isEqualTo(DnsLookup.nxDomain(0));

    DnsResolver dns =
        InMemoryDnsResolver.builder()
            .txt("example.com", "v=spf1 ip4:192.0.2.0/24 ", "-all") // one record, strings joined
            .txt("_dmarc.example.com", "v=DMARC1; p=reject")
            .cname("www.example.com", "example.com")
            .a("example.com", "192.0.2.1")
            .tempFail("broken.example.com") // SERVFAIL for every type
            .build();
    assertThat(join(dns.a("www.example.com")).recordsOrEmpty()).hasSize(1);
    assertThat(join(dns.txt("www.example.com")).recordsOrEmpty())
        .containsExactly("v=spf1 ip4:192.0.2.0/24 -all");
    assertThat(join(dns.mx("broken.example.com"))).isInstanceOf(DnsLookup.TempFail.class);

    DnsResolver flaky =
        new ForwardingDnsResolver(zones) {
          @Override
          public CompletionStage<DnsLookup<String>> txt(String name) {
            return name.equals("_dmarc.example.com")
                ? CompletableFuture.completedFuture(
                    DnsLookup.tempFail(TempFailReason.SERVFAIL, "test"))
                : super.txt(name);
          }
        };
    assertThat(join(flaky.txt("_dmarc.example.com")))
        .isEqualTo(DnsLookup.tempFail(TempFailReason.SERVFAIL, "test"));

    DnsResolver faulty =
        FaultInjectingDnsResolver.builder(zones)
            .timeout(RecordType.TXT, "_dmarc.example.com")
            .servfail(null, "broken.example.com")
            .fail(RecordType.MX, "example.com", TempFailReason.REFUSED)
            .delay(RecordType.A, "slow.example.com", Duration.ofMillis(200))
            .build();
    assertThat(join(faulty.mx("example.com")))
        .isEqualTo(
            DnsLookup.tempFail(TempFailReason.REFUSED, "injected REFUSED for MX example.com"));

    RecordingDnsResolver recorded = new RecordingDnsResolver(zones);
    join(recorded.txt("example.com"));
    List<RecordingDnsResolver.Query> queries = recorded.queries();
    int txtLookups = recorded.count(RecordType.TXT);
    assertThat(queries)
        .containsExactly(new RecordingDnsResolver.Query(RecordType.TXT, "example.com"));
    assertThat(txtLookups).isEqualTo(1);
  }
}
