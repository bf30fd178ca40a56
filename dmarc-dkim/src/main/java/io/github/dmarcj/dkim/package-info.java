// SPDX-License-Identifier: Apache-2.0
/**
 * DKIM (RFC 6376, RFC 8301, RFC 8463): streaming verification ({@link
 * io.github.dmarcj.dkim.DkimMessageVerifier}) and signing ({@link
 * io.github.dmarcj.dkim.DkimSigner}); and ARC (RFC 8617) chain validation ({@link
 * io.github.dmarcj.dkim.ArcChainVerifier}) on the same verification path.
 */
@NullMarked
package io.github.dmarcj.dkim;

import org.jspecify.annotations.NullMarked;
