// SPDX-License-Identifier: Apache-2.0
/**
 * DMARC policy evaluation (RFC 9989, with RFC 7489 selectable): record parsing ({@link
 * io.github.dmarcj.dmarc.DmarcRecordParser}), policy discovery by DNS tree walk or Public Suffix
 * List, identifier alignment, policy selection ({@code p}/{@code sp}/{@code np}), the {@code pct}
 * and {@code t} modifiers, local overrides and external report destination checks. The entry point
 * is {@link io.github.dmarcj.dmarc.DmarcEvaluator}.
 */
@NullMarked
package io.github.dmarcj.dmarc;

import org.jspecify.annotations.NullMarked;
