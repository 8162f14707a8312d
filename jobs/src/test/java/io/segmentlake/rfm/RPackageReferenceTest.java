package io.segmentlake.rfm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import io.segmentlake.TestData;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The R `rfm` package's published example (shared/datasets/rfm_r_package): 995 customers scored
 * with 5 quantile bins reproduce the vignette's first ten rows. The vignette's recency values are
 * days to 2006-12-31 (Abbey O'Reilly: last order 2006-06-09, 205 days), so that is the as-of date.
 */
class RPackageReferenceTest {
  @Test
  void reproducesTheVignetteScores() {
    Dataset<Row> orders =
        SharedSpark.session()
            .read()
            .option("header", "true")
            .csv(TestData.shared("datasets/rfm_r_package/rfm_data_orders.csv").toString());
    Dataset<Row> invoices =
        orders.select(
            monotonically_increasing_id().cast("string").as("invoice_id"),
            col("customer_id"),
            to_timestamp(col("order_date")).as("invoice_ts"),
            lit("P").as("product_id"),
            lit(1).as("quantity"),
            col("revenue").cast("double").as("unit_price"));
    RfmStage.Result result =
        RfmStage.run(
            invoices,
            LocalDate.parse("2006-12-31"),
            RfmStageTest.settings("rfm.lookback-days=100000"));
    Map<String, Row> scores = RfmStageTest.byCustomer(result.scores());
    assertThat(scores).hasSize(995);
    Map<String, String> vignette =
        Map.of(
            "Abbey O'Reilly", "205,6,472->343",
            "Add Senger", "140,3,340->412",
            "Aden Lesch", "194,4,405->323",
            "Aden Murphy", "98,7,596->544",
            "Admiral Senger", "132,5,448->433",
            "Agness O'Keefe", "90,9,843->555",
            "Aileen Barton", "84,9,763->555",
            "Ailene Hermann", "281,8,699->355",
            "Aiyanna Bruen", "246,4,157->321",
            "Akeelah Walsh", "160,7,779->445");
    vignette.forEach(
        (customer, expected) -> {
          Row r = scores.get(customer);
          String actual =
              String.format(
                  "%d,%d,%d->%s",
                  (Integer) r.getAs("recency_days"),
                  (Long) r.getAs("frequency"),
                  ((java.math.BigDecimal) r.getAs("monetary")).intValueExact(),
                  r.getAs("rfm_cell"));
          assertThat(actual).as(customer).isEqualTo(expected);
        });
    result.release().run();
  }
}
