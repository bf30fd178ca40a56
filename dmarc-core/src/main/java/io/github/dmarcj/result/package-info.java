// SPDX-License-Identifier: Apache-2.0
/**
 * The result vocabulary every module shares: the RFC keywords of SPF (RFC 7208 §2.6), DKIM (RFC
 * 8601 §2.7.1), ARC (RFC 8617 §4.4) and DMARC (RFC 9989 §9.2) results, the typed reasons behind
 * them ({@link io.github.dmarcj.result.SpfProblem}, {@link io.github.dmarcj.result.DkimReason},
 * {@link io.github.dmarcj.result.ArcReason}), and the outcome records that pair a result with its
 * context ({@link io.github.dmarcj.result.SpfOutcome}, {@link io.github.dmarcj.result.DkimOutcome},
 * {@link io.github.dmarcj.result.ArcOutcome}).
 */
@NullMarked
package io.github.dmarcj.result;

import org.jspecify.annotations.NullMarked;
