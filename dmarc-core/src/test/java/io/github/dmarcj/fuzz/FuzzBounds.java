// SPDX-License-Identifier: Apache-2.0
package io.github.dmarcj.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Supplier;

/**
 * Resource bounds shared by the {@code @FuzzTest}s: a call on input of n bytes may allocate at most
 * {@code fixed + perByte * n} bytes on the calling thread. The fixed part covers small caches
 * filled on first use; the factor is generous, so a failure means growth that is not linear in the
 * input (a copy per character, a quadratic rebuild). A call over the bound runs once more and only
 * that second run counts: the first may have loaded (and, when fuzzing, instrumented) classes on
 * this thread.
 */
public final class FuzzBounds {
  /**
   * {@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}, bound to the platform
   * bean. Looked up reflectively: the tests compile inside the library's module, which does not
   * read {@code jdk.management}, and run on the class path, where it is there.
   */
  private static final MethodHandle ALLOCATED = allocatedBytes();

  /** Fixed allowance per call: first-use class initialisation and small caches. */
  public static final long FIXED = 8L << 20;

  private FuzzBounds() {}

  /** Runs {@code call} and checks its allocation on this thread against the bound. */
  public static <T> T allocationBounded(int inputLength, long perByte, Supplier<T> call) {
    long limit = FIXED + perByte * inputLength;
    long before = allocated();
    T result = call.get();
    long used = allocated() - before;
    if (used <= limit) {
      return result;
    }
    before = allocated();
    result = call.get();
    used = allocated() - before;
    assertThat(used)
        .as("bytes allocated for an input of %d bytes", inputLength)
        .isLessThanOrEqualTo(limit);
    return result;
  }

  private static long allocated() {
    try {
      return (long) ALLOCATED.invokeExact();
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private static MethodHandle allocatedBytes() {
    try {
      Object bean =
          Class.forName("java.lang.management.ManagementFactory")
              .getMethod("getThreadMXBean")
              .invoke(null);
      Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
      return MethodHandles.publicLookup()
          .findVirtual(type, "getCurrentThreadAllocatedBytes", MethodType.methodType(long.class))
          .bindTo(bean);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
