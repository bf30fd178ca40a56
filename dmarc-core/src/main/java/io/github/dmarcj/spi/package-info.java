// SPDX-License-Identifier: Apache-2.0
/**
 * How SPF, DKIM and ARC verifiers plug into the verification facade: {@link
 * io.github.dmarcj.spi.SpfVerifier}, {@link io.github.dmarcj.spi.DkimVerifier} (with its streaming
 * {@link io.github.dmarcj.spi.DkimVerifier.Session}) and {@link io.github.dmarcj.spi.ArcVerifier},
 * the {@link java.util.ServiceLoader} providers that dmarc-spf and dmarc-dkim register, and the
 * {@link io.github.dmarcj.spi.VerifierContext} they are made with. Core depends on these interfaces
 * only, never on the modules that implement them.
 */
@NullMarked
package io.github.dmarcj.spi;

import org.jspecify.annotations.NullMarked;
