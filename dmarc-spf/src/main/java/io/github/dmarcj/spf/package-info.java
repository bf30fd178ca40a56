// SPDX-License-Identifier: Apache-2.0
/** SPF (RFC 7208): {@code check_host()} for the MAIL FROM and HELO identities. */
package io.github.dmarcj.spf;
