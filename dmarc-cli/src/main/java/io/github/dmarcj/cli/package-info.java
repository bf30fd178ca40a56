// SPDX-License-Identifier: Apache-2.0
/** The {@code dmarc} command line: {@link io.github.dmarcj.cli.Main} and its subcommands. */
@NullMarked
package io.github.dmarcj.cli;

import org.jspecify.annotations.NullMarked;
