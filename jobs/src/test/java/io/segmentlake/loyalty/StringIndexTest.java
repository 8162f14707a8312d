package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StringIndexTest {
  @Test
  void numbersStringsInTheOrderAddedAcrossGrowth() {
    StringIndex index = new StringIndex();
    // Ids like the generator's, whose String hash codes crowd a few buckets of a HashMap.
    for (int i = 0; i < 50_000; i++) {
      assertThat(index.add(String.format("P%05d", i))).isEqualTo(i);
    }
    assertThat(index.size()).isEqualTo(50_000);
    assertThat(index.add("P00007")).isEqualTo(7);
    assertThat(index.indexOf("P49999")).isEqualTo(49_999);
    assertThat(index.indexOf("P50000")).isEqualTo(-1);
    assertThat(index.indexOf("")).isEqualTo(-1);
    assertThat(index.size()).isEqualTo(50_000);
  }

  @Test
  void tellsApartKeysOfOtherLengthsAndCharacters() {
    StringIndex index = new StringIndex();
    assertThat(index.add("P1")).isEqualTo(0);
    assertThat(index.add("P10")).isEqualTo(1);
    assertThat(index.add("Ünïcødé-€")).isEqualTo(2);
    assertThat(index.add("")).isEqualTo(3);
    assertThat(index.indexOf("P1")).isEqualTo(0);
    assertThat(index.indexOf("P10")).isEqualTo(1);
    assertThat(index.indexOf("P100")).isEqualTo(-1);
    assertThat(index.indexOf("Ünïcødé-€")).isEqualTo(2);
    assertThat(index.indexOf("Ünïcødé-$")).isEqualTo(-1);
    assertThat(index.indexOf("")).isEqualTo(3);
  }
}
