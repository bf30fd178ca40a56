// SPDX-License-Identifier: Apache-2.0
/**
 * Failure reports (RFC 9991, in the Abuse Reporting Format of RFC 5965 with the auth-failure
 * extension of RFC 6591): the report model {@link io.github.dmarcj.report.failure.FailureReport},
 * the mail that carries it ({@link io.github.dmarcj.report.failure.FailureReportMail}) and the
 * redaction applied to everything the mail carries ({@link
 * io.github.dmarcj.report.failure.Redactor}, RFC 6590 and RFC 9991 §7), and the incidents kept
 * until they are sent ({@link io.github.dmarcj.report.failure.FailureIncidentStore}).
 */
@NullMarked
package io.github.dmarcj.report.failure;

import org.jspecify.annotations.NullMarked;
