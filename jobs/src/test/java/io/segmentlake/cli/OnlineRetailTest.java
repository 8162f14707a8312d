package io.segmentlake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import io.segmentlake.TestData;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * conf/online-retail.conf on the UCI Online Retail CSVs: 541,909 rows, 9,288 cancellation rows,
 * 134,697 other rows without a customer, 5,194 repeated lines; 4,339 customers scored. Customer
 * figures were checked by hand with an independent script over the CSVs.
 */
class OnlineRetailTest {
  @Test
  void scoresTheRealDataByConfigurationAlone(@TempDir Path out) throws Exception {
    String data = TestData.shared("datasets/online_retail_uci").toString();
    int code =
        Main.execute(
            "rfm",
            "--as-of",
            "2011-12-09",
            "--config",
            TestData.repo().resolve("conf/online-retail.conf").toString(),
            "--set",
            "input.root=\"" + data + "\"",
            "--set",
            "output.root=\"" + out + "\"");
    assertThat(code).isEqualTo(0);
    var m = CliTest.manifest(out, "2011-12-09").at("/row_counts/invoices");
    assertThat(m.get("read").asLong()).isEqualTo(541_909);
    assertThat(m.at("/excluded_by_reason/cancelled invoice").asLong()).isEqualTo(9_288);
    assertThat(m.at("/quarantined_by_reason/null customer_id").asLong()).isEqualTo(134_697);
    assertThat(m.at("/quarantined_by_reason/duplicate line").asLong()).isEqualTo(5_194);

    Dataset<Row> scores =
        SharedSpark.session().read().parquet(out.resolve("rfm_scores").toString());
    assertThat(scores.count()).isEqualTo(4_339);
    assertThat(measures(scores, "12346")).isEqualTo("325 1 77183.60");
    assertThat(measures(scores, "12347")).isEqualTo("2 6 3598.21");
    assertThat(measures(scores, "14911")).isEqualTo("1 193 139299.59");
    assertThat(measures(scores, "17850")).isEqualTo("372 0 0.00");
  }

  private static String measures(Dataset<Row> scores, String customer) {
    Row r = scores.where(scores.col("customer_id").equalTo(customer)).first();
    return r.getAs("recency_days")
        + " "
        + r.getAs("frequency")
        + " "
        + ((BigDecimal) r.getAs("monetary")).toPlainString();
  }
}
