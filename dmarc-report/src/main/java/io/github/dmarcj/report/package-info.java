// SPDX-License-Identifier: Apache-2.0
/**
 * DMARC aggregate reporting (RFC 9990; RFC 7489 §7.2 and Appendix C). {@link
 * io.github.dmarcj.report.JdbcReportStore} is a durable {@link
 * io.github.dmarcj.verify.ReportRecordSink} over JDBC (embedded H2 by default); {@link
 * io.github.dmarcj.report.ReportAggregator} groups the stored rows of one policy domain and period
 * into an {@link io.github.dmarcj.report.AggregateReport}, which {@link
 * io.github.dmarcj.report.AggregateReportWriter} renders as {@code feedback} XML, optionally
 * gzipped, under the file name of {@link io.github.dmarcj.report.ReportFileName}.
 */
@NullMarked
package io.github.dmarcj.report;

import org.jspecify.annotations.NullMarked;
