// SPDX-License-Identifier: Apache-2.0
/**
 * A milter for Postfix and Sendmail: {@link io.github.dmarcj.milter.MilterServer} speaks the mail
 * filter protocol version 6 on a TCP port or a Unix domain socket, streams each message into the
 * {@link io.github.dmarcj.verify.MessageAuthenticator}, replaces forged {@code
 * Authentication-Results} fields with its own (RFC 8601 §5) and applies the DMARC disposition.
 * {@link io.github.dmarcj.milter.MilterConfig} reads its configuration file; a small control socket
 * answers {@code status} and {@code health}.
 */
@NullMarked
package io.github.dmarcj.milter;

import org.jspecify.annotations.NullMarked;
