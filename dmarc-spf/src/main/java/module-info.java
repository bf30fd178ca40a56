// SPDX-License-Identifier: Apache-2.0
/** RFC 7208 SPF evaluation on dmarcj's DNS layer. */
module io.github.dmarcj.spf {
  requires static transitive org.jspecify;
  requires transitive io.github.dmarcj.core;
  requires com.github.benmanes.caffeine;

  exports io.github.dmarcj.spf;

  provides io.github.dmarcj.spi.SpfVerifierProvider with
      io.github.dmarcj.spf.internal.SpfCheckerProvider;
}
