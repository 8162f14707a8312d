package io.segmentlake;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Money.ofDouble and Money.cents against Spark's cast of a double to decimal(18,2), which it must
 * equal.
 */
class MoneyTest {
  @Test
  void ofDoubleEqualsTheCastForEveryKindOfAmount() {
    List<Row> rows = new ArrayList<>();
    // Ties and near-ties in their decimal form: the cast rounds 1.005 (a double just below it) up.
    for (double x :
        new double[] {
          1.005, -1.005, 0.125, 2.675, 0.015, 1.115, 10.245, 0, -0.0, 0.01, -0.004, 0.005, 99.995
        }) {
      rows.add(RowFactory.create(x));
    }
    // Sums and products as the stages make them, over many magnitudes and both signs.
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      double magnitude = Math.pow(10, random.nextInt(12) - 3);
      double x = (random.nextDouble() - 0.3) * magnitude;
      rows.add(RowFactory.create(i % 3 == 0 ? Math.round(x * 1000) / 1000.0 : x * 1.1));
    }
    // Beyond the fast range (and not a number): through the cast.
    for (double x : new double[] {1e10, 1e11 + 0.125, -3e13 + 0.01, Double.NaN}) {
      rows.add(RowFactory.create(x));
    }
    rows.add(RowFactory.create((Object) null));
    SparkSession spark = SharedSpark.session();
    Dataset<Row> amounts =
        spark.createDataFrame(rows, new StructType().add("x", DataTypes.DoubleType, true));
    List<Row> out =
        amounts
            .select(col("x"), Money.of(col("x")).as("cast"), Money.ofDouble(col("x")).as("fast"))
            .collectAsList();
    assertThat(out).hasSize(rows.size());
    for (Row r : out) {
      assertThat((BigDecimal) r.getAs("fast"))
          .as("%s", r.get(0))
          .isEqualTo((BigDecimal) r.getAs("cast"));
      if (!r.isNullAt(0) && Double.isFinite(r.getDouble(0))) {
        // The same value computed in Java (the loyalty stage's per-customer step).
        assertThat(Money.cents(r.getDouble(0)).toJavaBigDecimal())
            .as("%s", r.get(0))
            .isEqualTo((BigDecimal) r.getAs("cast"));
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Money.cents(Double.NaN))
        .isInstanceOf(ArithmeticException.class);
    assertThat(out.get(0).<BigDecimal>getAs("fast")).isEqualByComparingTo("1.01");
    assertThat(out.get(out.size() - 1).<BigDecimal>getAs("fast")).isNull();
  }

  @Test
  void nearestCentsLeavesHalvesAndHugeAmountsToTheCast() {
    assertThat(Money.nearestCents(1.005)).isNull();
    assertThat(Money.nearestCents(1e11)).isNull();
    assertThat(Money.nearestCents(Double.NaN)).isNull();
    assertThat(Money.nearestCents(2.994).toJavaBigDecimal()).isEqualByComparingTo("2.99");
    assertThat(Money.nearestCents(-2.996).toJavaBigDecimal()).isEqualByComparingTo("-3.00");
  }
}
