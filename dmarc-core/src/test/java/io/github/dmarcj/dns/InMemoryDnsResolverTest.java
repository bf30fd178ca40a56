// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

final class InMemoryDnsResolverTest {

  private final InMemoryDnsResolver dns =
      InMemoryDnsResolver.builder()
          .txt("example.com", "v=spf1 ip4:192.0.2.0/24 ", "-all")
          .txt("two.example.com", "first")
          .txt("two.example.com", "second")
          .a("example.com", "192.0.2.1", "192.0.2.2")
          .aaaa("example.com", "2001:db8::1")
          .mx("example.com", 10, "mail.example.com.")
          .ptr("1.2.0.192.in-addr.arpa", "mail.example.com.")
          .txt("sel._domainkey.deep.example.org", "v=DKIM1; p=")
          .exists("empty.example.net")
          .tempFail("broken.example.com")
          .build();

  private static <T> DnsLookup<T> join(CompletionStage<DnsLookup<T>> stage) {
    return stage.toCompletableFuture().join();
  }

  @Test
  @DisplayName(
      "RFC 7208 §3.3, RFC 6376 §3.6.2.2: the strings of one TXT record are joined with no separator")
  void txt_severalStrings_joinedWithoutSeparator() {
    assertThat(join(dns.txt("example.com")))
        .isEqualTo(DnsLookup.found(List.of("v=spf1 ip4:192.0.2.0/24 -all"), 300));
  }

  @Test
  @DisplayName("several TXT records at one name are returned in the order added")
  void txt_twoRecords_bothInOrder() {
    assertThat(join(dns.txt("two.example.com")).recordsOrEmpty())
        .containsExactly("first", "second");
  }

  @Test
  @DisplayName("A, AAAA, MX and PTR records are returned with their values")
  void lookups_allTypes_found() throws Exception {
    assertThat(join(dns.a("example.com")).recordsOrEmpty())
        .containsExactly(
            (java.net.Inet4Address) InetAddress.getByName("192.0.2.1"),
            (java.net.Inet4Address) InetAddress.getByName("192.0.2.2"));
    assertThat(join(dns.aaaa("example.com")).recordsOrEmpty())
        .containsExactly((java.net.Inet6Address) InetAddress.getByName("2001:db8::1"));
    assertThat(join(dns.mx("example.com")).recordsOrEmpty())
        .containsExactly(new MxRecord(10, "mail.example.com"));
    assertThat(join(dns.ptr(DnsNames.reverseName(InetAddress.getByName("192.0.2.1")))))
        .isEqualTo(DnsLookup.found(List.of("mail.example.com"), 300));
  }

  @Test
  @DisplayName("an existing name without the type asked is NODATA")
  void mx_nameWithOtherTypes_noData() {
    assertThat(join(dns.mx("two.example.com"))).isInstanceOf(DnsLookup.NoData.class);
    assertThat(join(dns.txt("empty.example.net"))).isEqualTo(DnsLookup.noData(300));
  }

  @Test
  @DisplayName("a name that was never added is NXDOMAIN")
  void txt_unknownName_nxDomain() {
    assertThat(join(dns.txt("nowhere.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(dns.a("x.empty.example.net"))).isInstanceOf(DnsLookup.NxDomain.class);
  }

  @Test
  @DisplayName("a name above one with records exists (empty non-terminal, RFC 8020 §2)")
  void txt_emptyNonTerminal_noData() {
    assertThat(join(dns.txt("_domainkey.deep.example.org"))).isInstanceOf(DnsLookup.NoData.class);
    assertThat(join(dns.txt("deep.example.org"))).isInstanceOf(DnsLookup.NoData.class);
    assertThat(join(dns.txt("org"))).isInstanceOf(DnsLookup.NoData.class);
    assertThat(join(dns.txt("other.example.org"))).isInstanceOf(DnsLookup.NxDomain.class);
  }

  @Test
  @DisplayName("names match without regard to case and one trailing dot")
  void txt_caseAndTrailingDot_sameAnswer() {
    assertThat(join(dns.txt("EXAMPLE.Com."))).isEqualTo(join(dns.txt("example.com")));
    assertThat(join(dns.txt("Empty.Example.NET."))).isInstanceOf(DnsLookup.NoData.class);
  }

  @Test
  @DisplayName("a name that cannot exist is NXDOMAIN, not an exception")
  void txt_impossibleNames_nxDomain() {
    for (String bad :
        List.of("", ".", "a..example.com", "x".repeat(64) + ".com", "é.example.com")) {
      assertThat(join(dns.txt(bad))).as(bad).isInstanceOf(DnsLookup.NxDomain.class);
    }
  }

  @Test
  @DisplayName("a name marked to fail answers every type with TempFail")
  void lookups_tempFailName_tempFail() {
    assertThat(join(dns.txt("broken.example.com")))
        .isInstanceOfSatisfying(
            DnsLookup.TempFail.class,
            t -> assertThat(t.reason()).isEqualTo(TempFailReason.SERVFAIL));
    assertThat(join(dns.a("BROKEN.example.com."))).isInstanceOf(DnsLookup.TempFail.class);
    InMemoryDnsResolver timeouts =
        InMemoryDnsResolver.builder().tempFail("t.example", TempFailReason.TIMEOUT).build();
    assertThat(join(timeouts.mx("t.example")))
        .isInstanceOfSatisfying(
            DnsLookup.TempFail.class,
            t -> assertThat(t.reason()).isEqualTo(TempFailReason.TIMEOUT));
    assertThat(join(timeouts.mx("example"))).isInstanceOf(DnsLookup.NxDomain.class);
    InMemoryDnsResolver failingWithData =
        InMemoryDnsResolver.builder().txt("f.example", "x").tempFail("F.example.").build();
    assertThat(join(failingWithData.txt("f.example"))).isInstanceOf(DnsLookup.TempFail.class);
    assertThat(join(failingWithData.txt("example"))).isInstanceOf(DnsLookup.NoData.class);
  }

  @Test
  @DisplayName("TTLs of positive and negative answers are configurable")
  void build_customTtls_carried() {
    InMemoryDnsResolver r =
        InMemoryDnsResolver.builder().ttl(60).negativeTtl(5).txt("a.example", "x").build();
    assertThat(join(r.txt("a.example"))).isEqualTo(DnsLookup.found(List.of("x"), 60));
    assertThat(join(r.a("a.example"))).isEqualTo(DnsLookup.noData(5));
    assertThat(join(r.a("b.example"))).isEqualTo(DnsLookup.nxDomain(5));
  }

  @Test
  @DisplayName("repeated queries get the same completed stage and the same record instance")
  void txt_repeatedQuery_sameInstances() {
    CompletionStage<DnsLookup<String>> first = dns.txt("example.com");
    CompletionStage<DnsLookup<String>> second = dns.txt("Example.COM.");
    assertThat((Object) second).isSameAs(first);
    assertThat(first.toCompletableFuture().isDone()).isTrue();
    assertThat(join(second).recordsOrEmpty().get(0)).isSameAs(join(first).recordsOrEmpty().get(0));
    assertThat((Object) dns.a("nowhere.example")).isSameAs(dns.mx("elsewhere.example"));
  }

  @Test
  @DisplayName("a caller cannot complete a shared answer in place")
  void txt_sharedAnswer_notCompletableByCaller() {
    dns.txt("example.com").toCompletableFuture().obtrudeValue(DnsLookup.nxDomain(0));
    assertThat(join(dns.txt("example.com"))).isInstanceOf(DnsLookup.Found.class);
  }

  @Test
  @DisplayName("the same record added twice is held once")
  void txt_duplicateRecord_heldOnce() {
    InMemoryDnsResolver r =
        InMemoryDnsResolver.builder()
            .a("a.example", "192.0.2.1")
            .a("A.example.", "192.0.2.1")
            .build();
    assertThat(join(r.a("a.example")).recordsOrEmpty()).hasSize(1);
  }

  @Test
  @DisplayName("names with spaces and other printable ASCII are held as written")
  void txt_printableAsciiNames_matchAsWritten() {
    InMemoryDnsResolver r =
        InMemoryDnsResolver.builder()
            .txt("macro%percent  space%20url-space.Example.com", "spaces")
            .txt("a+b=c*d_e.example.com", "others")
            .build();
    assertThat(join(r.txt("MACRO%percent  space%20URL-space.example.com.")).recordsOrEmpty())
        .containsExactly("spaces");
    assertThat(join(r.txt("macro%percent space%20url-space.example.com")))
        .isInstanceOf(DnsLookup.NxDomain.class);
    assertThat(join(r.txt("A+B=C*D_E.example.com")).recordsOrEmpty()).containsExactly("others");
    assertThat(join(r.txt("a+b=c*d\u00a0e.example.com"))).isInstanceOf(DnsLookup.NxDomain.class);
    assertThatThrownBy(() -> InMemoryDnsResolver.builder().txt("tab\there.example", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("CNAME chains are followed to their end, as a recursive resolver does")
  void cname_chains_followed() throws Exception {
    InMemoryDnsResolver r =
        InMemoryDnsResolver.builder()
            .cname("www.example.com", "host.example.com.")
            .cname("chain1.example.com", "www.example.com")
            .txt("host.example.com", "host text")
            .a("host.example.com", "192.0.2.20")
            .cname("dangling.example.com", "nowhere.example.com")
            .cname("ent.example.com", "b.example.com")
            .txt("a.b.example.com", "deep")
            .cname("failing.example.com", "broken.example.com")
            .tempFail("broken.example.com")
            .cname("loop1.example.com", "loop2.example.com")
            .cname("loop2.example.com", "LOOP1.example.com")
            .cname("self.example.com", "self.example.com")
            .build();
    assertThat(join(r.a("www.example.com")).recordsOrEmpty())
        .containsExactly((java.net.Inet4Address) InetAddress.getByName("192.0.2.20"));
    assertThat(join(r.txt("Chain1.example.com")))
        .isEqualTo(DnsLookup.found(List.of("host text"), 300));
    assertThat(join(r.mx("www.example.com"))).isEqualTo(DnsLookup.noData(300));
    assertThat(join(r.txt("dangling.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(r.txt("ent.example.com"))).isEqualTo(DnsLookup.noData(300));
    assertThat(join(r.txt("failing.example.com")))
        .isInstanceOfSatisfying(
            DnsLookup.TempFail.class,
            t -> assertThat(t.reason()).isEqualTo(TempFailReason.SERVFAIL));
    for (String loop : List.of("loop1.example.com", "loop2.example.com", "self.example.com")) {
      assertThat(join(r.txt(loop)))
          .as(loop)
          .isInstanceOfSatisfying(
              DnsLookup.TempFail.class,
              t -> assertThat(t.reason()).isEqualTo(TempFailReason.SERVFAIL));
    }
    // the owner of a CNAME exists, and so do the names above it
    assertThat(join(r.txt("example.com"))).isEqualTo(DnsLookup.noData(300));
  }

  @Test
  @DisplayName("a chain longer than the limit is a temporary failure")
  void cname_tooLong_servfail() {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    int n = ZoneFileResolver.MAX_CNAME_CHAIN + 1;
    for (int i = 0; i < n; i++) {
      b.cname("c" + i + ".t", "c" + (i + 1) + ".t");
    }
    InMemoryDnsResolver r = b.txt("c" + n + ".t", "end").build();
    assertThat(join(r.txt("c1.t")).recordsOrEmpty()).containsExactly("end");
    assertThat(join(r.txt("c0.t"))).isInstanceOf(DnsLookup.TempFail.class);
  }

  @Test
  @DisplayName("misuse: a CNAME beside other data, or two CNAMEs at one name, are refused")
  void cname_besideOtherData_refused() {
    assertThatThrownBy(
            () -> InMemoryDnsResolver.builder().cname("x.e", "y.e").txt("X.e.", "t").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CNAME record beside other data at x.e");
    assertThatThrownBy(() -> InMemoryDnsResolver.builder().cname("x.e", "y.e").cname("x.e", "z.e"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("more than one CNAME");
    assertThatThrownBy(() -> InMemoryDnsResolver.builder().cname("x.e", "a..e"))
        .isInstanceOf(IllegalArgumentException.class);
    // the same CNAME twice is one record; a name made to exist may hold a CNAME
    InMemoryDnsResolver r =
        InMemoryDnsResolver.builder()
            .cname("x.e", "y.e")
            .cname("X.e.", "y.e.")
            .exists("x.e")
            .txt("y.e", "t")
            .build();
    assertThat(join(r.txt("x.e")).recordsOrEmpty()).containsExactly("t");
  }

  @Test
  @DisplayName("misuse: invalid names, addresses and TTLs are rejected when building")
  void builder_invalidInput_throws() {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    assertThatThrownBy(() -> b.txt("a..b", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.a("a.example", "2001:db8::1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.aaaa("a.example", "192.0.2.1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.a("a.example", "localhost"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.ttl(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dns.txt(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  @DisplayName("an address must be a full literal: no host name, no shorthand IPv4 form")
  void a_hexHostNameOrShorthandIpv4_refused() {
    InMemoryDnsResolver.Builder b = InMemoryDnsResolver.builder();
    assertThatThrownBy(() -> b.a("a.example", "1.2.3"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.a("a.example", "10")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.a("a.example", "cafe.babe"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(b.a("a.example", "192.0.2.1").aaaa("a.example", "2001:db8::1").build()).isNotNull();
  }
}
