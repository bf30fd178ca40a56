// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * dmarcj's DKIM verification as a fraction of the floor (SHA-256 of the message plus the bare
 * signature checks), with the two measured in alternating slices of the same thread so that a busy
 * neighbour slows both alike. Same messages and keys as {@link DkimVerifyBenchmark}; time is the
 * thread's CPU time.
 *
 * <pre>
 * java -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.DkimFloorRatio [ROUNDS] [MILLIS]
 * </pre>
 *
 * Prints one JSON line per case: the median over rounds of each side's microseconds per
 * verification and of the ratio floor ÷ dmarcj (1.0 would be as fast as the floor).
 */
public final class DkimFloorRatio {
  private DkimFloorRatio() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    for (String signatures : new String[] {"rsa", "ed25519", "rsa+ed25519"}) {
      for (int size : new int[] {4096, 102400}) {
        DkimVerifyBenchmark b = new DkimVerifyBenchmark();
        b.size = size;
        b.signatures = signatures;
        b.setup();
        List<Double> ours = new ArrayList<>();
        List<Double> floor = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        for (int r = -rounds / 4; r < rounds; r++) { // the first quarter warms up
          double a = slice(cpu, sliceNanos, () -> b.dmarcj());
          double f = slice(cpu, sliceNanos, () -> b.floor());
          if (r >= 0) {
            ours.add(a);
            floor.add(f);
            ratio.add(f / a);
          }
        }
        System.out.printf(
            "{\"signatures\":\"%s\",\"size\":%d,\"dmarcjMicros\":%.1f,\"floorMicros\":%.1f,"
                + "\"floorOverDmarcj\":%.3f,\"ratioP25\":%.3f,\"ratioP75\":%.3f}%n",
            signatures,
            size,
            median(ours),
            median(floor),
            median(ratio),
            quantile(ratio, 0.25),
            quantile(ratio, 0.75));
      }
    }
  }

  @FunctionalInterface
  interface Op {
    Object run() throws Exception;
  }

  /** Runs {@code op} for about {@code nanos} of thread CPU time; microseconds per run. */
  static double slice(ThreadMXBean cpu, long nanos, Op op) throws Exception {
    long start = cpu.getCurrentThreadCpuTime();
    long n = 0;
    long used;
    Object sink = null;
    do {
      for (int i = 0; i < 16; i++) {
        sink = op.run();
      }
      n += 16;
      used = cpu.getCurrentThreadCpuTime() - start;
    } while (used < nanos);
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return used / 1000.0 / n;
  }

  static double median(List<Double> xs) {
    return quantile(xs, 0.5);
  }

  static double quantile(List<Double> xs, double q) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get((int) Math.round(q * (s.size() - 1)));
  }
}
