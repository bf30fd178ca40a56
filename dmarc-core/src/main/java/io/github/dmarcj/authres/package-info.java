// SPDX-License-Identifier: Apache-2.0
/**
 * The {@code Authentication-Results} header field of RFC 8601: a model ({@link
 * io.github.dmarcj.authres.AuthenticationResults}), a writer that quotes and folds, a tolerant
 * parser, and the RFC 8601 §5 helper that finds incoming fields claiming our own authserv-id so
 * they can be removed before ours is added.
 */
@NullMarked
package io.github.dmarcj.authres;

import org.jspecify.annotations.NullMarked;
