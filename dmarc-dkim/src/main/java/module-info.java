// SPDX-License-Identifier: Apache-2.0
/** RFC 6376 / 8301 / 8463 DKIM verification and signing on dmarcj's DNS layer. */
module io.github.dmarcj.dkim {
  requires static transitive org.jspecify;
  requires transitive io.github.dmarcj.core;
  requires com.github.benmanes.caffeine;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.util;

  exports io.github.dmarcj.dkim;

  provides io.github.dmarcj.spi.DkimVerifierProvider with
      io.github.dmarcj.dkim.DkimMessageVerifierProvider;
  provides io.github.dmarcj.spi.ArcVerifierProvider with
      io.github.dmarcj.dkim.ArcChainVerifierProvider;
}
