package io.segmentlake.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One line per step on standard error, with rows, seconds and the step's peak JVM heap, for a
 * person following a run. Under spark-submit the heap is the driver's; in a local run it is the
 * driver's and the executor's together.
 */
final class Progress {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final AtomicLong PEAK_HEAP = new AtomicLong();

  static {
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                PEAK_HEAP.accumulateAndGet(heapUsed(), Math::max);
                try {
                  Thread.sleep(50);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "segmentlake-heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** A finished step: seconds and peak heap in MiB. */
  record Step(double seconds, long peakHeapMib) {}

  private long started = System.nanoTime();
  private Step last = new Step(0, 0);

  /** Starts timing the next step. */
  void start() {
    started = System.nanoTime();
    PEAK_HEAP.set(heapUsed());
  }

  /** Prints a finished step and returns it. */
  Step done(String step, String what) {
    double seconds = (System.nanoTime() - started) / 1e9;
    long peak = Math.max(PEAK_HEAP.get(), heapUsed()) >> 20;
    log(
        String.format(
            Locale.ROOT, "%-10s %s (%.1f s, peak heap %,d MiB)", step, what, seconds, peak));
    last = new Step(seconds, peak);
    return last;
  }

  /** The step finished last. */
  Step last() {
    return last;
  }

  /** Prints a line. */
  static void log(String line) {
    System.err.println("[segmentlake] " + line);
  }

  /** Formats a count with thousands separators. */
  static String n(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }

  private static long heapUsed() {
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}
