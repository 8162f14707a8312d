package io.segmentlake.clusters;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Stable cluster ids: this run's centroids are matched to the previous run's by minimum total
 * distance (the Hungarian assignment); a matched cluster within the distance limit keeps its
 * previous id, the others get new ids, largest cluster first.
 */
final class Matching {
  private Matching() {}

  /** The id of each cluster, and the distance to the previous centroid it took the id from. */
  record Ids(int[] ids, double[] distances) {
    /** Whether cluster i kept a previous id. */
    boolean isMatched(int i) {
      return !Double.isNaN(distances[i]);
    }

    /** How many clusters kept a previous id. */
    int kept() {
      return (int) Arrays.stream(distances).filter(d -> !Double.isNaN(d)).count();
    }
  }

  /**
   * Ids for centroids (standardised coordinates) given the previous run's ids and centroids in the
   * same coordinates (none on a first run). New ids count up from the largest previous id (from 1
   * on a first run), in order of cluster size, largest first.
   */
  static Ids ids(
      double[][] centroids,
      long[] sizes,
      int[] previousIds,
      double[][] previous,
      double maxDistance) {
    int k = centroids.length;
    int[] ids = new int[k];
    double[] distances = new double[k];
    Arrays.fill(ids, -1);
    Arrays.fill(distances, Double.NaN);
    if (previous.length > 0) {
      double[][] cost = new double[k][previous.length];
      for (int i = 0; i < k; i++) {
        for (int j = 0; j < previous.length; j++) {
          cost[i][j] = distance(centroids[i], previous[j]);
        }
      }
      int[] match = assign(cost);
      for (int i = 0; i < k; i++) {
        if (match[i] >= 0 && cost[i][match[i]] <= maxDistance) {
          ids[i] = previousIds[match[i]];
          distances[i] = cost[i][match[i]];
        }
      }
    }
    int next = Arrays.stream(previousIds).max().orElse(0) + 1;
    Integer[] bySize =
        IntStream.range(0, k)
            .boxed()
            .sorted(Comparator.comparingLong((Integer i) -> -sizes[i]).thenComparing(i -> i))
            .toArray(Integer[]::new);
    for (int i : bySize) {
      if (ids[i] < 0) {
        ids[i] = next++;
      }
    }
    return new Ids(ids, distances);
  }

  /** Euclidean distance. */
  static double distance(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(sum);
  }

  /**
   * The assignment of rows to columns with minimum total cost, each column used at most once
   * (Kuhn-Munkres with potentials, O(n^2 m)); -1 for the rows left over when there are more rows
   * than columns.
   */
  static int[] assign(double[][] cost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    if (rows > cols) {
      double[][] transposed = new double[cols][rows];
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          transposed[j][i] = cost[i][j];
        }
      }
      int[] byColumn = assign(transposed);
      int[] byRow = new int[rows];
      Arrays.fill(byRow, -1);
      for (int j = 0; j < cols; j++) {
        byRow[byColumn[j]] = j;
      }
      return byRow;
    }
    // 1-based arrays; column 0 is the virtual start of each augmenting path.
    double[] u = new double[rows + 1];
    double[] v = new double[cols + 1];
    int[] rowOf = new int[cols + 1];
    int[] way = new int[cols + 1];
    for (int i = 1; i <= rows; i++) {
      rowOf[0] = i;
      int j0 = 0;
      double[] minv = new double[cols + 1];
      boolean[] used = new boolean[cols + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      do {
        used[j0] = true;
        int i0 = rowOf[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        for (int j = 1; j <= cols; j++) {
          if (!used[j]) {
            double reduced = cost[i0 - 1][j - 1] - u[i0] - v[j];
            if (reduced < minv[j]) {
              minv[j] = reduced;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= cols; j++) {
          if (used[j]) {
            u[rowOf[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (rowOf[j0] != 0);
      do {
        int j1 = way[j0];
        rowOf[j0] = rowOf[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] match = new int[rows];
    for (int j = 1; j <= cols; j++) {
      if (rowOf[j] != 0) {
        match[rowOf[j] - 1] = j - 1;
      }
    }
    return match;
  }
}
