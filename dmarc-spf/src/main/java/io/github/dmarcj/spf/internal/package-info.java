// SPDX-License-Identifier: Apache-2.0
/**
 * Not API: the {@link java.util.ServiceLoader} provider that makes {@link
 * io.github.dmarcj.spf.SpfChecker} core's default SPF verifier.
 */
@NullMarked
package io.github.dmarcj.spf.internal;

import org.jspecify.annotations.NullMarked;
