// SPDX-License-Identifier: Apache-2.0
/**
 * Aggregate reports as mail (RFC 9990 §3.5): the report mail itself, with its Subject, text part
 * and gzip attachment, and the signing hook that makes it pass DMARC.
 */
@NullMarked
package io.github.dmarcj.report.mail;

import org.jspecify.annotations.NullMarked;
