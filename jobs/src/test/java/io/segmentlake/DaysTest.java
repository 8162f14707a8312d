package io.segmentlake;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.unix_date;
import static org.apache.spark.sql.functions.unix_micros;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
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

/** Days.day against unix_date(to_date(ts)), which it must equal in every time zone. */
class DaysTest {
  @Test
  void dayEqualsToDateInFixedAndChangingZones() {
    SparkSession spark = SharedSpark.session();
    List<Row> rows = new ArrayList<>();
    // Around midnight in UTC and in +05:30, before and after 1970, and spread over the centuries.
    for (String t :
        new String[] {
          "1969-12-31T23:59:59.999999Z", "1970-01-01T00:00:00Z", "1969-12-31T18:30:00Z",
          "1969-12-31T18:29:59.999999Z", "2024-03-31T00:59:59Z", "2024-10-27T01:00:00Z",
          "1900-01-01T00:00:00Z", "2199-12-31T23:59:59.999999Z"
        }) {
      rows.add(RowFactory.create(Timestamp.from(Instant.parse(t))));
    }
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      long seconds = (long) ((random.nextDouble() - 0.3) * 8e9);
      rows.add(
          RowFactory.create(
              Timestamp.from(Instant.ofEpochSecond(seconds, 1000L * random.nextInt(1_000_000)))));
    }
    Dataset<Row> ts =
        spark.createDataFrame(rows, new StructType().add("ts", DataTypes.TimestampType));
    try {
      for (String zone :
          List.of(
              "UTC", "+05:30", "-08:00", "GMT+01:00", "Europe/Amsterdam", "Asia/Kolkata", "PST")) {
        spark.conf().set("spark.sql.session.timeZone", zone);
        Days days = Days.of(spark);
        List<Row> expected =
            ts.select(unix_micros(col("ts")), unix_date(to_date(col("ts")))).collectAsList();
        assertThat(expected).hasSize(rows.size());
        for (Row r : expected) {
          assertThat(days.day(r.getLong(0))).as(zone + " " + r.getLong(0)).isEqualTo(r.getInt(1));
        }
      }
    } finally {
      spark.conf().set("spark.sql.session.timeZone", "UTC");
    }
  }
}
