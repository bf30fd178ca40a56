// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A progress line on standard error for long runs: written at most once per interval, never on a
 * run that ends before the first interval is over.
 */
final class ProgressLine {
  private final PrintWriter err;
  private final long everyNanos;
  private final LongSupplier nanoTime;
  private long next;

  /**
   * @param err where the line goes
   * @param every the interval; zero writes every time
   * @param nanoTime the clock
   */
  ProgressLine(PrintWriter err, Duration every, LongSupplier nanoTime) {
    this.err = err;
    this.everyNanos = every.toNanos();
    this.nanoTime = nanoTime;
    this.next = nanoTime.getAsLong() + everyNanos;
  }

  /** Writes the line if the interval is over. */
  void update(Supplier<String> line) {
    long now = nanoTime.getAsLong();
    if (now - next >= 0) {
      err.println("progress: " + line.get());
      err.flush();
      next = now + everyNanos;
    }
  }
}
