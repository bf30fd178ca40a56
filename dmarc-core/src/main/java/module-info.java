// SPDX-License-Identifier: Apache-2.0
/** dmarcj core: DMARC evaluation, the DNS layer, domain names and message parsing. */
module io.github.dmarcj.core {
  requires static transitive org.jspecify;
  requires org.dnsjava;
  requires com.github.benmanes.caffeine;
  requires transitive java.net.http; // ReloadablePublicSuffixList takes an HttpClient

  exports io.github.dmarcj.authres;
  exports io.github.dmarcj.dmarc;
  exports io.github.dmarcj.dns;
  exports io.github.dmarcj.domain;
  exports io.github.dmarcj.message;
  exports io.github.dmarcj.result;
  exports io.github.dmarcj.spi;
  exports io.github.dmarcj.verify;

  uses io.github.dmarcj.spi.SpfVerifierProvider;
  uses io.github.dmarcj.spi.DkimVerifierProvider;
  uses io.github.dmarcj.spi.ArcVerifierProvider;
}
