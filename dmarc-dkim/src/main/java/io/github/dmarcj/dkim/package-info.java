// SPDX-License-Identifier: Apache-2.0
/** DKIM (RFC 6376, RFC 8301, RFC 8463): streaming verification and signing. */
package io.github.dmarcj.dkim;
