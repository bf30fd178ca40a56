// SPDX-License-Identifier: Apache-2.0
/**
 * DMARC reporting: aggregate reports (RFC 9990, RFC 7489 §7.2) with a durable JDBC store, the XML
 * writer and the report mail; failure reports (RFC 9991, RFC 6591), kept, redacted and mailed.
 */
module io.github.dmarcj.report {
  requires static transitive org.jspecify;
  requires transitive io.github.dmarcj.core;
  requires transitive java.sql;
  requires java.xml;
  requires java.logging;
  requires transitive jakarta.mail;
  requires jakarta.activation;
  requires org.eclipse.angus.mail;

  exports io.github.dmarcj.report;
  exports io.github.dmarcj.report.mail;
  exports io.github.dmarcj.report.failure;
  exports io.github.dmarcj.report.ingest;
  exports io.github.dmarcj.report.summary;
}
