// SPDX-License-Identifier: Apache-2.0
/**
 * SPF (RFC 7208): {@code check_host()} for the MAIL FROM and HELO identities.
 *
 * <p>Entry type: {@link io.github.dmarcj.spf.SpfChecker}, built once with {@code
 * SpfChecker.builder(resolver)} and shared. Requests are {@link io.github.dmarcj.spf.SpfRequest}
 * ({@code mailFrom(...)}, {@code helo(...)}); outcomes are {@link
 * io.github.dmarcj.spf.SpfEvaluation}, which also render the {@code Received-SPF} header field (RFC
 * 7208 §9.1) and the {@code spf=} Authentication-Results part (RFC 8601 §2.7.2). Errors are typed
 * by {@link io.github.dmarcj.result.SpfProblem}.
 */
@NullMarked
package io.github.dmarcj.spf;

import org.jspecify.annotations.NullMarked;
