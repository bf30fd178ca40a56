// SPDX-License-Identifier: Apache-2.0
/**
 * A milter daemon: the Sendmail/Postfix mail filter protocol (version 6) in front of dmarcj's
 * verification facade, so one process does what OpenDKIM and OpenDMARC do together.
 */
module io.github.dmarcj.milter {
  requires static transitive org.jspecify;
  requires transitive io.github.dmarcj.core;
  requires io.github.dmarcj.spf;
  requires io.github.dmarcj.dkim;

  exports io.github.dmarcj.milter;
}
