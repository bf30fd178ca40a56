// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * The two ARC comparisons of {@link ArcBenchmark}, measured in alternating slices of the same
 * thread's CPU time (as {@link DkimFloorRatio} does), so that a busy neighbour slows both sides
 * alike: a message without ARC fields verified with ARC validation on against off, and the
 * three-hop chain against six bare RSA-2048 checks.
 *
 * <pre>
 * java -cp dmarc-bench/target/benchmarks.jar io.github.dmarcj.bench.ArcRatio [ROUNDS] [MILLIS]
 * </pre>
 *
 * Prints one JSON line per comparison: the median over rounds of each side's microseconds per
 * operation, and the median, 25th and 75th percentile of the per-round ratio.
 */
public final class ArcRatio {
  private ArcRatio() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    long sliceNanos = (args.length > 1 ? Long.parseLong(args[1]) : 100) * 1_000_000L;
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    ArcBenchmark b = new ArcBenchmark();
    b.setup();
    compare(
        cpu,
        rounds,
        sliceNanos,
        "noArcMessage",
        "arcOn",
        b::noArcMessageArcOn1Thread,
        "arcOff",
        b::noArcMessageArcOff1Thread);
    compare(
        cpu,
        rounds,
        sliceNanos,
        "chain3",
        "dmarcj",
        b::arcChain3Verify1Thread,
        "floor6Rsa",
        b::cryptoFloor6Rsa1Thread);
  }

  private static void compare(
      ThreadMXBean cpu,
      int rounds,
      long sliceNanos,
      String name,
      String aName,
      DkimFloorRatio.Op a,
      String bName,
      DkimFloorRatio.Op b)
      throws Exception {
    List<Double> as = new ArrayList<>();
    List<Double> bs = new ArrayList<>();
    List<Double> ratio = new ArrayList<>();
    for (int r = -rounds / 4; r < rounds; r++) { // the first quarter warms up
      double x = DkimFloorRatio.slice(cpu, sliceNanos, a);
      double y = DkimFloorRatio.slice(cpu, sliceNanos, b);
      if (r >= 0) {
        as.add(x);
        bs.add(y);
        ratio.add(x / y);
      }
    }
    System.out.printf(
        "{\"case\":\"%s\",\"%sMicros\":%.1f,\"%sMicros\":%.1f,\"%sOver%s\":%.3f,"
            + "\"ratioP25\":%.3f,\"ratioP75\":%.3f}%n",
        name,
        aName,
        DkimFloorRatio.median(as),
        bName,
        DkimFloorRatio.median(bs),
        aName,
        Character.toUpperCase(bName.charAt(0)) + bName.substring(1),
        DkimFloorRatio.median(ratio),
        DkimFloorRatio.quantile(ratio, 0.25),
        DkimFloorRatio.quantile(ratio, 0.75));
  }
}
