// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Times given on the command line or in a batch request, in seconds since 1970. They are bounded to
 * the years 1970 to 9999: every clock, DKIM {@code t=}/{@code x=} sum and report period the library
 * computes from them then fits in a {@code long} of milliseconds.
 */
final class Epoch {
  /** 9999-12-31T23:59:59Z. */
  static final long MAX = 253_402_300_799L;

  /** The accepted range, for help texts and messages. */
  static final String RANGE = "from 0 to 253402300799 (9999-12-31)";

  private Epoch() {}

  static boolean valid(long seconds) {
    return seconds >= 0 && seconds <= MAX;
  }

  /** The instant of {@code seconds}, or a usage error naming {@code option}. */
  static Instant of(CommandSpec spec, String option, long seconds) {
    if (!valid(seconds)) {
      throw new ParameterException(
          spec.commandLine(), option + " must be seconds since 1970 " + RANGE + ", was " + seconds);
    }
    return Instant.ofEpochSecond(seconds);
  }
}
