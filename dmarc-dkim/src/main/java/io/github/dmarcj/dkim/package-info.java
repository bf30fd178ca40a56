// SPDX-License-Identifier: Apache-2.0
/** DKIM (RFC 6376, RFC 8301, RFC 8463): streaming verification and signing. */
@NullMarked
package io.github.dmarcj.dkim;

import org.jspecify.annotations.NullMarked;
