// SPDX-License-Identifier: Apache-2.0
/**
 * Reading received aggregate reports (RFC 9990, RFC 7489 §7.2) into the report database: the domain
 * owner's side. Reports arrive as XML, gzip, zip or whole mails, one by one or in folders, Maildirs
 * and mbox files; each is parsed as a stream under {@linkplain ImportLimits limits} and stored
 * once.
 */
@NullMarked
package io.github.dmarcj.report.ingest;

import org.jspecify.annotations.NullMarked;
