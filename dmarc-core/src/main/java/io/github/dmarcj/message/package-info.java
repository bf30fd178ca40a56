// SPDX-License-Identifier: Apache-2.0
/**
 * The message as the verifiers see it. {@link io.github.dmarcj.message.MessageHeaderParser} splits
 * an RFC 5322 header into {@link io.github.dmarcj.message.HeaderField}s byte for byte (DKIM needs
 * the exact bytes), and {@link io.github.dmarcj.message.SmtpEnvelope} carries what the SMTP session
 * said (RFC 5321, RFC 7208 §2).
 */
@NullMarked
package io.github.dmarcj.message;

import org.jspecify.annotations.NullMarked;
