// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.domain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReloadablePublicSuffixListTest {
  private static final String SMALL_LIST =
      "// VERSION: 2026-11-27_00-00-00_UTC\n"
          + "// COMMIT: 0123456789abcdef\n"
          + "// ===BEGIN ICANN DOMAINS===\n"
          + "example\n"
          + "co.example\n"
          + "// ===END ICANN DOMAINS===\n"
          + "// ===BEGIN PRIVATE DOMAINS===\n"
          + "host.co.example\n"
          + "// ===END PRIVATE DOMAINS===\n";

  private static WireMockServer server;

  @BeforeAll
  static void start() {
    server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @BeforeEach
  void reset() {
    server.resetAll();
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private static String org(ReloadablePublicSuffixList psl, String name) {
    return psl.organizationalDomainFinder()
        .find(DomainName.of(name))
        .toCompletableFuture()
        .join()
        .toString();
  }

  private static String reg(ReloadablePublicSuffixList psl, String name) {
    return psl.current().registrableDomain(DomainName.of(name)).map(DomainName::name).orElse("-");
  }

  @Test
  @DisplayName("RFC 7489 §3.2: a list served over HTTP replaces the bundled one")
  void reload_http200_swapsList() {
    server.stubFor(get("/psl.dat").willReturn(aResponse().withStatus(200).withBody(SMALL_LIST)));
    ReloadablePublicSuffixList psl = ReloadablePublicSuffixList.builder().build();
    assertThat(psl.current()).isSameAs(PublicSuffixList.bundled());
    assertThat(reg(psl, "a.b.co.example")).isEqualTo("co.example"); // bundled: "example" unlisted

    PublicSuffixListLoad load = psl.reload(uri("/psl.dat"));

    assertThat(load).isInstanceOf(PublicSuffixListLoad.Loaded.class);
    assertThat(reg(psl, "a.b.co.example")).isEqualTo("b.co.example");
    assertThat(reg(psl, "x.y.host.co.example")).isEqualTo("y.host.co.example");
    assertThat(org(psl, "a.b.co.example")).contains("b.co.example").contains("PSL");
    PublicSuffixListVersion v = psl.current().version();
    assertThat(v.version()).contains("2026-11-27_00-00-00_UTC");
    assertThat(v.commit()).contains("0123456789abcdef");
    assertThat(v.source()).isEqualTo(uri("/psl.dat").toString());
    assertThat(v.ruleCount()).isEqualTo(3);
  }

  @Test
  @DisplayName("RFC 7489 §3.2: the ICANN-only option survives a reload")
  void reload_icannOnly_keepsSections() {
    server.stubFor(get("/psl.dat").willReturn(aResponse().withStatus(200).withBody(SMALL_LIST)));
    ReloadablePublicSuffixList psl =
        ReloadablePublicSuffixList.builder().sections(PublicSuffixList.Sections.ICANN_ONLY).build();
    assertThat(psl.current().sections()).isEqualTo(PublicSuffixList.Sections.ICANN_ONLY);
    psl.reload(uri("/psl.dat"));
    assertThat(reg(psl, "x.y.host.co.example")).isEqualTo("host.co.example");
  }

  @Test
  @DisplayName("RFC 7489 §3.2: HTTP 500 keeps the old list")
  void reload_http500_keepsOldList() {
    server.stubFor(get("/psl.dat").willReturn(aResponse().withStatus(500).withBody("oops")));
    PublicSuffixList before = PublicSuffixList.of("example\n");
    ReloadablePublicSuffixList psl = ReloadablePublicSuffixList.builder().initial(before).build();
    PublicSuffixListLoad load = psl.reload(uri("/psl.dat"));
    assertThat(load).isInstanceOf(PublicSuffixListLoad.Failed.class);
    assertThat(((PublicSuffixListLoad.Failed) load).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.HTTP_STATUS);
    assertThat(((PublicSuffixListLoad.Failed) load).detail()).contains("500");
    assertThat(psl.current()).isSameAs(before);
  }

  @Test
  @DisplayName("RFC 7489 §3.2: an oversized body keeps the old list")
  void reload_oversizedBody_keepsOldList() {
    server.stubFor(
        get("/big.dat").willReturn(aResponse().withStatus(200).withBody("com\n".repeat(50_000))));
    ReloadablePublicSuffixList psl =
        ReloadablePublicSuffixList.builder().maxBytes(64 * 1024).build();
    PublicSuffixListLoad load = psl.reload(uri("/big.dat"));
    assertThat(((PublicSuffixListLoad.Failed) load).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.TOO_LARGE);
    assertThat(psl.current()).isSameAs(PublicSuffixList.bundled());
  }

  @Test
  @DisplayName("RFC 7489 §3.2: an HTML error page served with 200 is refused; the old list stays")
  void reload_htmlBody_keepsOldList() {
    server.stubFor(
        get("/psl.dat")
            .willReturn(
                aResponse().withStatus(200).withBody("<html><body>Not here</body></html>")));
    ReloadablePublicSuffixList psl = ReloadablePublicSuffixList.builder().build();
    PublicSuffixListLoad load = psl.reload(uri("/psl.dat"));
    assertThat(((PublicSuffixListLoad.Failed) load).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.INVALID_RULE);
    assertThat(psl.current()).isSameAs(PublicSuffixList.bundled());
  }

  @Test
  @DisplayName("a server slower than the timeout gives TIMEOUT; the old list stays")
  void reload_slowServer_timesOut() {
    server.stubFor(
        get("/slow.dat")
            .willReturn(aResponse().withStatus(200).withBody(SMALL_LIST).withFixedDelay(4000)));
    ReloadablePublicSuffixList psl =
        ReloadablePublicSuffixList.builder().timeout(Duration.ofMillis(300)).build();
    long start = System.nanoTime();
    PublicSuffixListLoad load = psl.reload(uri("/slow.dat"));
    // The answer comes from the timeout, not from the server finally answering after 4 s.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(3000));
    assertThat(((PublicSuffixListLoad.Failed) load).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.TIMEOUT);
    assertThat(psl.current()).isSameAs(PublicSuffixList.bundled());
  }

  @Test
  @DisplayName("RFC 7489 §3.2: a refused connection is IO_ERROR; the old list stays")
  void reload_connectionRefused_ioError() {
    ReloadablePublicSuffixList psl = ReloadablePublicSuffixList.builder().build();
    // Port 1 on the loopback address has no listener here.
    PublicSuffixListLoad load = psl.reload(URI.create("http://127.0.0.1:1/psl.dat"));
    assertThat(((PublicSuffixListLoad.Failed) load).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.IO_ERROR);
    assertThat(psl.current()).isSameAs(PublicSuffixList.bundled());
  }

  @Test
  @DisplayName("RFC 7489 §3.2: file URIs and paths reload; other schemes are refused")
  void reload_fileAndSchemes(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("list.dat");
    Files.writeString(f, SMALL_LIST);
    ReloadablePublicSuffixList psl = ReloadablePublicSuffixList.builder().build();
    assertThat(psl.reload(f.toUri())).isInstanceOf(PublicSuffixListLoad.Loaded.class);
    assertThat(reg(psl, "a.b.co.example")).isEqualTo("b.co.example");
    psl.replace(PublicSuffixList.bundled());
    assertThat(psl.reload(f)).isInstanceOf(PublicSuffixListLoad.Loaded.class);
    assertThat(psl.current().version().source()).isEqualTo(f.toString());
    ReloadablePublicSuffixList tiny = ReloadablePublicSuffixList.builder().maxBytes(16).build();
    assertThat(((PublicSuffixListLoad.Failed) tiny.reload(f)).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.TOO_LARGE);
    assertThat(((PublicSuffixListLoad.Failed) tiny.reload(dir.resolve("missing"))).reason())
        .isEqualTo(PublicSuffixListLoad.Reason.IO_ERROR);
    assertThat(tiny.current()).isSameAs(PublicSuffixList.bundled());
    assertThatThrownBy(() -> psl.reload(URI.create("ftp://127.0.0.1/x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReloadablePublicSuffixList.builder().timeout(Duration.ZERO))
        .hasMessageContaining("PT0S");
    assertThatThrownBy(() -> ReloadablePublicSuffixList.builder().maxBytes(0))
        .hasMessageContaining("was 0");
  }
}
