package io.segmentlake.generate;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.segmentlake.SharedSpark;
import io.segmentlake.quality.Contract;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The synthetic lake: deterministic for a seed, on contract, realistic and a little dirty. */
class LakeGeneratorTest {
  private static final LocalDate END = LocalDate.of(2025, 12, 31);
  private static LakeGenerator.GeneratedLake lake;

  @BeforeAll
  static void generate() {
    lake = LakeGenerator.generate(SharedSpark.session(), 1_000, 7, END, 3);
    lake.invoices().cache();
  }

  @Test
  void theSameSeedGivesTheSameRowsAndAnotherSeedDoesNot() {
    SparkSession spark = SharedSpark.session();
    LakeGenerator.GeneratedLake again = LakeGenerator.generate(spark, 1_000, 7, END, 3);
    SharedSpark.base().assertDataFrameNoOrderEquals(lake.invoices(), again.invoices());
    SharedSpark.base().assertDataFrameNoOrderEquals(lake.customers(), again.customers());
    SharedSpark.base().assertDataFrameNoOrderEquals(lake.interactions(), again.interactions());
    SharedSpark.base().assertDataFrameNoOrderEquals(lake.products(), again.products());

    Dataset<Row> other = LakeGenerator.generate(spark, 1_000, 8, END, 3).invoices();
    assertThat(other.except(lake.invoices()).count()).isPositive();
  }

  @Test
  void everyTableHasItsContractColumns() {
    assertHasContract("invoices", lake.invoices());
    assertHasContract("products", lake.products());
    assertThat(lake.products().columns()).as("margin source").contains("unit_cost");
    for (String optional : List.of("line_no", "channel", "sales_rep_id", "status", "currency")) {
      assertThat(lake.invoices().columns()).contains(optional);
    }
    assertHasContract("customers", lake.customers());
    assertHasContract("interactions", lake.interactions());
    assertThat(lake.customers().count()).isEqualTo(1_000);
  }

  @Test
  void invoicesAreRealisticAndALittleDirty() {
    Dataset<Row> invoices = lake.invoices();
    long lines = invoices.count();
    assertThat(lines).isGreaterThan(10_000);
    // Returns, cancellations and each kind of dirty row, each a small share.
    assertShare(invoices.where(col("quantity").lt(0)), lines, 0.001, 0.15);
    assertShare(invoices.where(col("status").equalTo("cancelled")), lines, 0.001, 0.10);
    assertShare(invoices.where(col("customer_id").isNull()), lines, 0.0005, 0.05);
    assertShare(invoices.where(col("unit_price").lt(0)), lines, 0.0001, 0.05);
    assertShare(invoices.where(col("quantity").equalTo(0)), lines, 0.0001, 0.05);
    long distinctLines = invoices.dropDuplicates("invoice_id", "line_no").count();
    assertShare(lines - distinctLines, lines, 0.0005, 0.05);
    // Events after the end date exist only as far as the as-of cut-off is worth testing.
    assertThat(invoices.where(col("invoice_ts").geq(java.sql.Date.valueOf(END))).count())
        .isPositive();
    // Spend is heavy-tailed: the top tenth of customers bring well over a third of revenue.
    List<Double> spend =
        invoices
            .where(col("customer_id").isNotNull().and(col("quantity").gt(0)))
            .groupBy("customer_id")
            .agg(
                org.apache.spark.sql.functions.sum(
                    col("quantity").multiply(col("unit_price")).cast("double")))
            .collectAsList()
            .stream()
            .map(r -> r.getDouble(1))
            .sorted((a, b) -> Double.compare(b, a))
            .toList();
    double total = spend.stream().mapToDouble(Double::doubleValue).sum();
    double top = spend.subList(0, spend.size() / 10).stream().mapToDouble(d -> d).sum();
    assertThat(top / total).isGreaterThan(0.35);
  }

  @Test
  void customersAreNaturalAndLegalOfEveryKindWithEmployeesAndReferrals() {
    Map<String, Long> kinds =
        lake.customers().groupBy("customer_type", "legal_kind").count().collectAsList().stream()
            .collect(
                Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r.getLong(2)));
    assertThat(kinds)
        .containsKeys("natural/null", "legal/government", "legal/private", "legal/semi_private");
    assertThat(lake.customers().where(col("employer_id").isNotNull()).count()).isPositive();
    assertThat(lake.customers().where(col("referred_by").isNotNull()).count()).isPositive();
    List<String> events =
        lake.interactions().select("event_type").distinct().collectAsList().stream()
            .map(r -> r.getString(0))
            .toList();
    assertThat(events).contains("club_login", "news_read", "comment", "web_visit", "referral");
  }

  @Test
  void sizesOutsideTheSupportedRangeAreRefused() {
    SparkSession spark = SharedSpark.session();
    assertThatThrownBy(() -> LakeGenerator.generate(spark, 0, 1, END, 3))
        .hasMessageContaining("customers must be in [1, 50000000]");
    assertThatThrownBy(() -> LakeGenerator.generate(spark, 10, 1, END, 0))
        .hasMessageContaining("years must be at least 1");
  }

  private static void assertHasContract(String table, Dataset<Row> rows) {
    List<String> names = Arrays.asList(rows.columns());
    for (Contract.Column c : Contract.columns(table)) {
      if (!c.required() && !names.contains(c.name())) {
        continue;
      }
      assertThat(names).as(table).contains(c.name());
      DataType type = rows.schema().apply(c.name()).dataType();
      boolean money = c.type().equals(DataTypes.DoubleType) && type instanceof DecimalType;
      assertThat(type.sameType(c.type()) || money)
          .as(table + "." + c.name() + " is " + type + ", contract " + c.type())
          .isTrue();
    }
  }

  private static void assertShare(Dataset<Row> rows, long of, double min, double max) {
    assertShare(rows.count(), of, min, max);
  }

  private static void assertShare(long n, long of, double min, double max) {
    assertThat((double) n / of).isBetween(min, max);
  }
}
