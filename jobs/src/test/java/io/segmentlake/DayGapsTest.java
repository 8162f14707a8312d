package io.segmentlake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DayGapsTest {
  @Test
  void gapsAndMedianOfDistinctDays() {
    int[] days = DayGaps.sorted(Set.of(11, 1, 5, 4));
    assertThat(days).containsExactly(1, 4, 5, 11);
    // gaps 3, 1, 6 -> sorted 1, 3, 6: the middle one
    assertThat(DayGaps.gaps(days)).containsExactly(1, 3, 6);
    assertThat(DayGaps.median(DayGaps.gaps(days))).isEqualTo(3.0);
    // gaps 2, 5: the mean of the two
    assertThat(DayGaps.median(DayGaps.gaps(new int[] {1, 3, 8}))).isEqualTo(3.5);
  }

  @Test
  void distinctSortsTheFirstNDaysAndDropsRepeats() {
    int[] buffer = {9, 2, 9, 5, 2, 100};
    assertThat(DayGaps.distinct(buffer, 5)).containsExactly(2, 5, 9);
    assertThat(DayGaps.distinct(buffer, 0)).isEmpty();
  }

  @Test
  void oneDayHasNoGapsAndNoMedian() {
    assertThat(DayGaps.gaps(new int[] {7})).isEmpty();
    assertThat(DayGaps.gaps(new int[0])).isEmpty();
    assertThat(DayGaps.median(new int[0])).isNull();
  }
}
