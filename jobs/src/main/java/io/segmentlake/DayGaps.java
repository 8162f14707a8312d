package io.segmentlake;

import java.util.Arrays;
import java.util.Collection;

/** Gaps between a customer's distinct purchase days (day numbers) and their median. */
public final class DayGaps {
  private DayGaps() {}

  /** The days in ascending order. */
  public static int[] sorted(Collection<Integer> days) {
    return days.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /** The distinct values of days[0..n) in ascending order (sorts that part of the array). */
  public static int[] distinct(int[] days, int n) {
    Arrays.sort(days, 0, n);
    int[] distinct = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (k == 0 || days[i] != distinct[k - 1]) {
        distinct[k++] = days[i];
      }
    }
    return Arrays.copyOf(distinct, k);
  }

  /** The gaps between consecutive days of ascending days, in ascending order (none for one day). */
  public static int[] gaps(int[] ascendingDays) {
    int[] gaps = new int[Math.max(0, ascendingDays.length - 1)];
    for (int i = 1; i < ascendingDays.length; i++) {
      gaps[i - 1] = ascendingDays[i] - ascendingDays[i - 1];
    }
    Arrays.sort(gaps);
    return gaps;
  }

  /** The median of ascending gaps (the mean of the middle two for an even count); null for none. */
  public static Double median(int[] ascendingGaps) {
    int n = ascendingGaps.length;
    if (n == 0) {
      return null;
    }
    return n % 2 == 1
        ? (double) ascendingGaps[n / 2]
        : (ascendingGaps[n / 2 - 1] + ascendingGaps[n / 2]) / 2.0;
  }
}
