// SPDX-License-Identifier: Apache-2.0
/**
 * The domain owner's summary of received aggregate reports (RFC 9990, RFC 7489 §7.2): volume per
 * day, every sending source {@linkplain SourceClass classified} by how it authenticates, what a
 * stricter policy would do to today's mail, and which reporters sent reports on which days. {@link
 * io.github.dmarcj.report.summary.ReportSummarizer} reads the tables the importer writes and
 * aggregates in SQL; {@link io.github.dmarcj.report.summary.SummaryHtml} renders the result as one
 * self-contained HTML page.
 */
@NullMarked
package io.github.dmarcj.report.summary;

import org.jspecify.annotations.NullMarked;
