// SPDX-License-Identifier: Apache-2.0
/** DMARC aggregate reporting (RFC 9990, RFC 7489 §7.2): a durable JDBC store and the XML writer. */
module io.github.dmarcj.report {
  requires static transitive org.jspecify;
  requires transitive io.github.dmarcj.core;
  requires transitive java.sql;
  requires java.xml;
  requires java.logging;
  requires jakarta.mail;
  requires jakarta.activation;
  requires org.eclipse.angus.mail;

  exports io.github.dmarcj.report;
  exports io.github.dmarcj.report.mail;
}
