// SPDX-License-Identifier: Apache-2.0
/**
 * Failure reports (RFC 9991; RFC 6591 ARF): the incidents kept until they are sent, folded and
 * bounded per domain.
 */
@NullMarked
package io.github.dmarcj.report.failure;

import org.jspecify.annotations.NullMarked;
