// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.dns;

import static io.github.dmarcj.dns.TestZones.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ZoneFileResolverTest {

  private final ZoneFileResolver dns = TestZones.resolver();

  @Test
  @DisplayName(
      "RFC 7208 §3.3, RFC 6376 §3.6.2.2: the strings of one TXT record are joined with no separator")
  void txt_multiString_joinedWithoutSeparator() {
    assertThat(join(dns.txt("example.com")))
        .isEqualTo(
            DnsLookup.found(
                List.of("v=spf1 ip4:192.0.2.0/24 include:_spf.example.com -all"), 3600));
  }

  @Test
  @DisplayName("repeated questions, in any case and with a trailing dot, get the same answers")
  void repeatedQuestions_sameAnswers() {
    ZoneFileResolver fresh = TestZones.resolver();
    for (int round = 0; round < 3; round++) {
      assertThat(join(fresh.txt(round == 1 ? "EXAMPLE.com." : "example.com")))
          .isEqualTo(join(dns.txt("example.com")));
      assertThat(join(fresh.txt("mx1.example.com"))).isEqualTo(DnsLookup.noData(300));
      assertThat(join(fresh.txt("nope.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
      assertThat(join(fresh.a("2.2.0.192.in-addr.arpa"))).isEqualTo(DnsLookup.nxDomain(900));
      // The same name asked for another type is a different question.
      assertThat(join(fresh.mx("example.com"))).isEqualTo(join(dns.mx("example.com")));
      assertThat(fresh.mx("example.com").toCompletableFuture().join())
          .isNotEqualTo(fresh.txt("example.com").toCompletableFuture().join());
    }
  }

  @Test
  @DisplayName("several TXT records are returned one string each, in order")
  void txt_twoRecords_twoStrings() {
    assertThat(join(dns.txt("two-txt.example.com")).recordsOrEmpty())
        .containsExactly("first record", "second record");
  }

  @Test
  @DisplayName("an existing name without the type is NODATA with the SOA negative TTL")
  void txt_nameWithoutType_noDataWithSoaMinimum() {
    assertThat(join(dns.txt("mx1.example.com"))).isEqualTo(DnsLookup.noData(300));
  }

  @Test
  @DisplayName("a missing name is NXDOMAIN with the SOA negative TTL")
  void txt_missingName_nxDomainWithSoaMinimum() {
    assertThat(join(dns.txt("nope.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(dns.a("2.2.0.192.in-addr.arpa"))).isEqualTo(DnsLookup.nxDomain(900));
  }

  @Test
  @DisplayName("an empty non-terminal exists, so it is NODATA (RFC 8020)")
  void txt_emptyNonTerminal_noData() {
    assertThat(join(dns.txt("b.example.com"))).isEqualTo(DnsLookup.noData(300));
    assertThat(join(dns.txt("a.b.example.com")).recordsOrEmpty()).containsExactly("deep");
    assertThat(join(dns.txt("c.b.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
  }

  @Test
  @DisplayName("names outside every loaded zone are NXDOMAIN with TTL 0")
  void lookup_outsideZones_nxDomainTtlZero() {
    assertThat(join(dns.txt("example.org"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(dns.txt("com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(dns.a("1.2.0.193.in-addr.arpa"))).isEqualTo(DnsLookup.nxDomain(0));
  }

  @Test
  @DisplayName("names match case-insensitively, with or without one trailing dot")
  void lookup_caseAndTrailingDot_ignored() {
    DnsLookup<String> expected = join(dns.txt("_dmarc.example.com"));
    assertThat(expected).isInstanceOf(DnsLookup.Found.class);
    assertThat(join(dns.txt("_DMARC.Example.COM."))).isEqualTo(expected);
  }

  @Test
  @DisplayName("a name that cannot exist is NXDOMAIN without data")
  void lookup_impossibleName_nxDomain() {
    assertThat(join(dns.txt("a..example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(dns.txt("x".repeat(64) + ".example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(dns.txt(""))).isEqualTo(DnsLookup.nxDomain(0));
  }

  @Test
  @DisplayName("A records, TTL of the RRset")
  void a_found() throws Exception {
    assertThat(join(dns.a("example.com")))
        .isEqualTo(DnsLookup.found(List.of(InetAddress.getByName("192.0.2.1")), 600));
  }

  @Test
  @DisplayName("AAAA records stay IPv6, also IPv4-mapped ones")
  void aaaa_found_ipv6EvenWhenMapped() {
    assertThat(join(dns.aaaa("example.com")).recordsOrEmpty())
        .singleElement()
        .extracting(InetAddress::getHostAddress)
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(join(dns.aaaa("mapped.example.com")).recordsOrEmpty())
        .singleElement()
        .satisfies(a -> assertThat(a.getAddress()).hasSize(16));
  }

  @Test
  @DisplayName("MX records with relative and absolute exchanges; null MX has exchange \"\"")
  void mx_found() {
    assertThat(join(dns.mx("example.com")).recordsOrEmpty())
        .containsExactly(new MxRecord(10, "mx1.example.com"), new MxRecord(20, "mx2.example.net"));
    assertThat(join(dns.mx("nullmx.example.com")).recordsOrEmpty())
        .containsExactly(new MxRecord(0, ""));
  }

  @Test
  @DisplayName("PTR records under in-addr.arpa and ip6.arpa")
  void ptr_found() throws Exception {
    assertThat(
            join(dns.ptr(DnsNames.reverseName(InetAddress.getByName("192.0.2.10"))))
                .recordsOrEmpty())
        .containsExactlyInAnyOrder("mx1.example.com", "mail.example.com");
    assertThat(
            join(dns.ptr(DnsNames.reverseName(InetAddress.getByName("2001:db8::1"))))
                .recordsOrEmpty())
        .containsExactly("example.com");
  }

  @Test
  @DisplayName("CNAME chains are followed; TTL is the smallest along the chain")
  void cname_chain_followedWithSmallestTtl() throws Exception {
    assertThat(join(dns.a("www.example.com")))
        .isEqualTo(DnsLookup.found(List.of(InetAddress.getByName("192.0.2.20")), 120));
    assertThat(join(dns.txt("chain1.example.com")))
        .isEqualTo(DnsLookup.found(List.of("host text"), 60));
    assertThat(join(dns.mx("www.example.com"))).isEqualTo(DnsLookup.noData(300));
  }

  @Test
  @DisplayName("a CNAME to a missing name is NXDOMAIN (RFC 6604 §2)")
  void cname_dangling_nxDomain() {
    assertThat(join(dns.txt("dangling.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
  }

  @Test
  @DisplayName("a CNAME loop is a temporary failure, not a hang")
  void cname_loop_servfail() {
    DnsLookup<String> r = join(dns.txt("loop1.example.com"));
    assertThat(r).isInstanceOf(DnsLookup.TempFail.class);
    assertThat(((DnsLookup.TempFail<String>) r).reason()).isEqualTo(TempFailReason.SERVFAIL);
  }

  @Test
  @DisplayName("a chain longer than the limit is a temporary failure")
  void cname_tooLong_servfail() {
    StringBuilder z = new StringBuilder("$ORIGIN t.\n@ 60 SOA ns h 1 1 1 1 60\n");
    int n = ZoneFileResolver.MAX_CNAME_CHAIN + 1;
    for (int i = 0; i < n; i++) {
      z.append("c").append(i).append(" CNAME c").append(i + 1).append('\n');
    }
    z.append("c").append(n).append(" TXT \"end\"\n");
    ZoneFileResolver r = ZoneFileResolver.fromString(z.toString());
    assertThat(join(r.txt("c1.t")).recordsOrEmpty()).containsExactly("end");
    DnsLookup<String> tooLong = join(r.txt("c0.t"));
    assertThat(tooLong).isInstanceOf(DnsLookup.TempFail.class);
  }

  @Test
  @DisplayName("wildcards synthesise answers for missing names only (RFC 4592)")
  void wildcard_rfc4592() {
    assertThat(join(dns.txt("anything.wild.example.com")))
        .isEqualTo(DnsLookup.found(List.of("wildcard text"), 3600));
    assertThat(join(dns.txt("a.b.anything.wild.example.com")).recordsOrEmpty())
        .containsExactly("wildcard text");
    // the wildcard owns no A record: NODATA
    assertThat(join(dns.a("anything.wild.example.com"))).isEqualTo(DnsLookup.noData(300));
    // existing names and empty non-terminals are not covered
    assertThat(join(dns.txt("real.wild.example.com"))).isEqualTo(DnsLookup.noData(300));
    assertThat(join(dns.txt("sub.wild.example.com"))).isEqualTo(DnsLookup.noData(300));
    // closest encloser sub.wild has no wildcard child
    assertThat(join(dns.txt("y.sub.wild.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
  }

  @Test
  @DisplayName("several zones in one text; a name belongs to the deepest zone")
  void build_severalZonesInOneText_deepestZoneWins() {
    ZoneFileResolver r =
        ZoneFileResolver.fromString(
            """
            $ORIGIN example.
            $TTL 100
            @ SOA ns h 1 1 1 1 50
            a TXT "parent"
            $ORIGIN child.example.
            @ SOA ns h 1 1 1 1 20
            b TXT "child"
            """);
    assertThat(r.zones()).containsExactly("child.example", "example");
    assertThat(join(r.txt("a.example")).recordsOrEmpty()).containsExactly("parent");
    assertThat(join(r.txt("b.child.example")).recordsOrEmpty()).containsExactly("child");
    assertThat(join(r.txt("x.child.example"))).isEqualTo(DnsLookup.nxDomain(20));
    assertThat(join(r.txt("x.example"))).isEqualTo(DnsLookup.nxDomain(50));
  }

  @Test
  @DisplayName("negative TTL is the smaller of the SOA TTL and MINIMUM (RFC 2308 §5)")
  void negativeTtl_smallerOfSoaTtlAndMinimum() {
    ZoneFileResolver r = ZoneFileResolver.fromString("z. 30 SOA ns.z. h.z. 1 1 1 1 900\n");
    assertThat(join(r.txt("x.z"))).isEqualTo(DnsLookup.nxDomain(30));
  }

  @Test
  @DisplayName("a text without SOA serves under the origin it is given")
  void addZone_originWithoutSoa_apexWithTtlZero() {
    ZoneFileResolver r =
        ZoneFileResolver.builder().addZone("example.net", "@ TXT \"v=spf1 -all\"\n").build();
    assertThat(join(r.txt("example.net")))
        .isEqualTo(DnsLookup.found(List.of("v=spf1 -all"), ZoneFileResolver.DEFAULT_TTL));
    assertThat(join(r.txt("x.example.net"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.a("example.net"))).isEqualTo(DnsLookup.noData(0));
  }

  @Test
  @DisplayName("zone files load from disk")
  void fromFiles_readsFiles(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("example.com.zone");
    Files.writeString(f, TestZones.text("example.com"), StandardCharsets.UTF_8);
    ZoneFileResolver r = ZoneFileResolver.fromFiles(f);
    assertThat(join(r.txt("_dmarc.example.com")).recordsOrEmpty())
        .containsExactly("v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
    assertThatThrownBy(() -> ZoneFileResolver.fromFiles(dir.resolve("missing.zone")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("missing.zone");
  }

  @Test
  @DisplayName("a file without SOA is one zone at the root: NXDOMAIN, NODATA, ENTs")
  void fromString_noSoa_oneZoneAtRoot() throws Exception {
    ZoneFileResolver r =
        ZoneFileResolver.fromString(
            """
            $ORIGIN example.com.
            @        TXT "v=spf1 a -all"
            @        A   192.0.2.1
            a.b      TXT "deep"
            www      CNAME example.com.
            *.wild   TXT "wildcard"
            other.example.org. TXT "elsewhere"
            """);
    assertThat(r.zones()).containsExactly("");
    assertThat(join(r.txt("example.com")))
        .isEqualTo(DnsLookup.found(List.of("v=spf1 a -all"), ZoneFileResolver.DEFAULT_TTL));
    assertThat(join(r.txt("other.example.org")).recordsOrEmpty()).containsExactly("elsewhere");
    assertThat(join(r.a("www.example.com")).recordsOrEmpty())
        .containsExactly((java.net.Inet4Address) InetAddress.getByName("192.0.2.1"));
    assertThat(join(r.txt("x.wild.example.com")).recordsOrEmpty()).containsExactly("wildcard");
    // names absent from the file
    assertThat(join(r.txt("nope.example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("example.net"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("net"))).isEqualTo(DnsLookup.nxDomain(0));
    // names with records of other types
    assertThat(join(r.mx("example.com"))).isEqualTo(DnsLookup.noData(0));
    assertThat(join(r.a("a.b.example.com"))).isEqualTo(DnsLookup.noData(0));
    // empty non-terminals, up to the top-level domain
    assertThat(join(r.txt("b.example.com"))).isEqualTo(DnsLookup.noData(0));
    assertThat(join(r.txt("com"))).isEqualTo(DnsLookup.noData(0));
    assertThat(join(r.txt("example.org"))).isEqualTo(DnsLookup.noData(0));
  }

  @Test
  @DisplayName("a zone file without SOA loads from disk, beside one with an SOA")
  void fromFiles_noSoaBesideSoa_eachAnswers(@TempDir Path dir) throws Exception {
    Path quick = dir.resolve("quick.zone");
    Files.writeString(quick, "example.org. TXT \"v=spf1 -all\"\n", StandardCharsets.UTF_8);
    Path full = dir.resolve("example.com.zone");
    Files.writeString(full, TestZones.text("example.com"), StandardCharsets.UTF_8);
    ZoneFileResolver r = ZoneFileResolver.fromFiles(full, quick);
    assertThat(r.zones()).containsExactly("", "example.com");
    assertThat(join(r.txt("example.org")).recordsOrEmpty()).containsExactly("v=spf1 -all");
    assertThat(join(r.txt("x.example.org"))).isEqualTo(DnsLookup.nxDomain(0));
    // the names of example.com keep the answers and negative TTL of their SOA
    assertThat(join(r.txt("nope.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(r.txt("b.example.com"))).isEqualTo(DnsLookup.noData(300));
    assertThat(join(r.txt("_dmarc.example.com")))
        .isEqualTo(join(TestZones.resolver().txt("_dmarc.example.com")));
  }

  @Test
  @DisplayName("a file with SOA records still refuses a record outside its zones")
  void build_soaFileWithOrphan_rejectedEvenBesideRootZone() {
    String orphan = "e. SOA ns.e. h.e. 1 1 1 1 1\nx.e. TXT \"in\"\nx.example. TXT \"orphan\"\n";
    assertThatThrownBy(() -> ZoneFileResolver.fromString(orphan))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside every zone");
    assertThatThrownBy(
            () ->
                ZoneFileResolver.builder()
                    .addZone("quick.example. TXT \"no SOA here\"\n")
                    .addZone(orphan)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside every zone")
        .hasMessageContaining("orphan");
    // an SOA at the root, written out, is a zone like any other
    ZoneFileResolver root =
        ZoneFileResolver.fromString(". 60 SOA ns. h. 1 1 1 1 30\nx.example. TXT \"t\"\n");
    assertThat(join(root.txt("y.example"))).isEqualTo(DnsLookup.nxDomain(30));
  }

  @Test
  @DisplayName("owners with octets beyond letters, digits and hyphens match as written")
  void lookup_oddOctets_matchOwnerAsWritten() throws Exception {
    ZoneFileResolver r =
        ZoneFileResolver.fromString(
            """
            $ORIGIN example.com.
            @                SOA ns hostmaster 1 7200 3600 1209600 300
            macro%percent\\032\\032space%20url-space TXT "spaces"
            a%b              TXT "percent"
            a+b=c            TXT "plus equals"
            st*ar            TXT "star inside"
            x_y              TXT "underscore"
            foo:bar/baz      MX  10 mx%1
            mx%1             A   192.0.2.1
            Upper\\032Case   TXT "case"
            x[y              TXT "bracket"
            a\\.b            TXT "one label with a dot"
            c\\\\.d           TXT "backslash, then a label"
            ptr              PTR foo\\032bar
            foo\\032bar      TXT "ptr target"
            """);
    assertThat(join(r.txt("macro%percent  space%20url-space.example.com")).recordsOrEmpty())
        .containsExactly("spaces");
    assertThat(join(r.txt("a%b.example.com")).recordsOrEmpty()).containsExactly("percent");
    assertThat(join(r.txt("a+b=c.example.com")).recordsOrEmpty()).containsExactly("plus equals");
    assertThat(join(r.txt("st*ar.example.com")).recordsOrEmpty()).containsExactly("star inside");
    assertThat(join(r.txt("x_y.example.com")).recordsOrEmpty()).containsExactly("underscore");
    assertThat(join(r.mx("foo:bar/baz.example.com")).recordsOrEmpty())
        .containsExactly(new MxRecord(10, "mx%1.example.com"));
    assertThat(join(r.a("mx%1.example.com")).recordsOrEmpty())
        .containsExactly((java.net.Inet4Address) InetAddress.getByName("192.0.2.1"));
    // ASCII letters match in any case, and nothing else is folded ('[' is not '{')
    assertThat(join(r.txt("uPPER cASE.example.com")).recordsOrEmpty()).containsExactly("case");
    assertThat(join(r.txt("X[Y.example.com")).recordsOrEmpty()).containsExactly("bracket");
    assertThat(join(r.txt("x{y.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(r.txt("ab.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(r.txt("a b.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    // a dot always separates labels: the one-label owner a\.b is not a.b, and a backslash in a
    // query is a backslash
    assertThat(join(r.txt("a.b.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(r.txt("b.example.com"))).isEqualTo(DnsLookup.nxDomain(300));
    assertThat(join(r.txt("c\\.d.example.com")).recordsOrEmpty())
        .containsExactly("backslash, then a label");
    assertThat(join(r.txt("d.example.com"))).isEqualTo(DnsLookup.noData(300));
    // a PTR target comes back as it can be asked for
    assertThat(join(r.ptr("ptr.example.com")).recordsOrEmpty())
        .containsExactly("foo bar.example.com");
    assertThat(join(r.txt("foo bar.example.com")).recordsOrEmpty()).containsExactly("ptr target");
  }

  @Test
  @DisplayName("the shared test zone's odd owner and MX exchange (NSD serves them too)")
  void sharedZone_oddOctets_found() {
    assertThat(join(dns.txt("macro%percent  space%20url-space.example.com")).recordsOrEmpty())
        .containsExactly("odd octets");
    assertThat(join(dns.mx("odd-mx.example.com")).recordsOrEmpty())
        .containsExactly(new MxRecord(10, "foo bar%1.example.com"));
  }

  @Test
  @DisplayName("a query name that cannot exist matches no owner, whatever its low octets")
  void lookup_unaskableNames_matchNothing() {
    ZoneFileResolver r =
        ZoneFileResolver.fromString(
            """
            $ORIGIN example.com.
            @            SOA ns hostmaster 1 7200 3600 1209600 300
            j\\246e       TXT "latin-1 octet"
            tab\\009x     TXT "control octet"
            del\\127      TXT "DEL octet"
            foo          TXT "plain"
            """);
    // U+00F6 and U+0166 have the low octets 0xF6 and 0x66 ('f'): no match, no query
    assertThat(join(r.txt("j\u00f6e.example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("\u0166oo.example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("tab\tx.example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("del\u007f.example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("foo\u0000.example.com"))).isEqualTo(DnsLookup.nxDomain(0));
    assertThat(join(r.txt("foo.example.com")).recordsOrEmpty()).containsExactly("plain");
  }

  @Test
  void build_badData_rejectedWithReason() {
    assertThatThrownBy(
            () ->
                ZoneFileResolver.fromString(
                    "e. SOA ns.e. h.e. 1 1 1 1 1\nx.example. TXT \"orphan\"\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside every zone");
    assertThatThrownBy(
            () ->
                ZoneFileResolver.fromString(
                    "e. SOA ns.e. h.e. 1 1 1 1 1\nx.e. CNAME y.e.\nx.e. TXT \"t\"\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("CNAME");
    assertThatThrownBy(
            () -> ZoneFileResolver.fromString("e. SOA ns.e. h.e. 1 1 1 1 1\nx.e. A 1.2.3\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ZoneFileResolver.fromString("relative TXT \"no origin\"\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a quoted empty owner name is a syntax error, not an exception of the zone reader")
  void fromString_quotedEmptyOwner_illegalArgument() {
    // dnsjava's Master throws StringIndexOutOfBoundsException here (found by DnsWireFuzzTest).
    assertThatThrownBy(() -> ZoneFileResolver.fromString("$ORIGIN example.com.\n\"\" TXT x\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zone text");
  }
}
