package io.segmentlake.predict;

import java.util.stream.IntStream;

/**
 * Sums over the rows of the compressed statistics on the driver's cores: the rows are cut into a
 * fixed number of chunks, each summed on its own, and the chunks added in order, so the result does
 * not depend on the number of cores or their timing.
 */
final class ChunkedSums {
  /** Chunks per sum: enough for the driver's cores, few enough to add up cheaply. */
  private static final int CHUNKS = 16;

  /** Below this many rows one thread sums everything (threads would cost more than they save). */
  private static final int PARALLEL_FROM = 20_000;

  /** Adds into {@code out} the sums over rows [from, to). */
  interface Body {
    void sum(int from, int to, double[] out);
  }

  private ChunkedSums() {}

  /** The {@code width} sums of {@code body} over rows [0, rows). */
  static double[] of(int rows, int width, Body body) {
    int chunks = rows < PARALLEL_FROM ? 1 : CHUNKS;
    double[][] partial = new double[chunks][width];
    IntStream range = IntStream.range(0, chunks);
    (chunks > 1 ? range.parallel() : range)
        .forEach(k -> body.sum(bound(rows, chunks, k), bound(rows, chunks, k + 1), partial[k]));
    double[] total = new double[width];
    for (double[] p : partial) {
      for (int i = 0; i < width; i++) {
        total[i] += p[i];
      }
    }
    return total;
  }

  private static int bound(int rows, int chunks, int k) {
    return (int) ((long) rows * k / chunks);
  }
}
