package io.segmentlake.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import io.segmentlake.config.ConfigLoader;
import io.segmentlake.config.QualitySettings;
import io.segmentlake.config.Settings;
import io.segmentlake.config.TableSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** One row per rule, read as a CSV export would be: every column a string. */
class InvoiceRulesTest {
  private static final StructType RAW =
      new StructType()
          .add("invoice_id", DataTypes.StringType)
          .add("line_no", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("invoice_ts", DataTypes.StringType)
          .add("product_id", DataTypes.StringType)
          .add("quantity", DataTypes.StringType)
          .add("unit_price", DataTypes.StringType)
          .add("status", DataTypes.StringType);
  private static final Instant CUTOFF = Instant.parse("2024-02-01T00:00:00Z");

  private static Row raw(String... values) {
    return RowFactory.create((Object[]) values);
  }

  private static Map<String, Row> classify(String[] sets, Row... rows) {
    List<String> all = new ArrayList<>(Arrays.asList(sets));
    Settings settings = Settings.from(ConfigLoader.load(Optional.empty(), all));
    QualitySettings quality = settings.quality();
    TableSource source = settings.inputs().get("invoices");
    Dataset<Row> raw = SharedSpark.session().createDataFrame(Arrays.asList(rows), RAW);
    Dataset<Row> classified =
        InvoiceRules.classify(Conformer.conform(raw, source), CUTOFF, quality);
    Map<String, Row> byId = new java.util.HashMap<>();
    for (Row r : classified.collectAsList()) {
      String key = r.getAs("invoice_id") + "/" + r.getAs("line_no");
      byId.merge(
          key, r, (a, b) -> (byte) a.getAs(InvoiceRules.ROW_STATUS) == InvoiceRules.USED ? b : a);
    }
    return byId;
  }

  private static String outcome(Map<String, Row> rows, String id) {
    Row r = rows.get(id);
    return InvoiceRules.statusName(r.getAs(InvoiceRules.ROW_STATUS))
        + ": "
        + r.getAs(InvoiceRules.ROW_REASON);
  }

  @Test
  void everyRuleQuarantinesOrExcludesWithItsReason() {
    Map<String, Row> rows =
        classify(
            new String[] {"quality.cancelled-invoice-prefix=C"},
            raw("ok", "1", "c1", "2024-01-10 10:00:00", "p", "2", "1.50", "completed"),
            raw("nocust", "1", null, "2024-01-10 10:00:00", "p", "2", "1.50", null),
            raw("blankcust", "1", "  ", "2024-01-10 10:00:00", "p", "2", "1.50", null),
            raw("nots", "1", "c1", null, "p", "2", "1.50", null),
            raw("badts", "1", "c1", "yesterday", "p", "2", "1.50", null),
            raw("badqty", "1", "c1", "2024-01-10 10:00:00", "p", "two", "1.50", null),
            raw("zeroqty", "1", "c1", "2024-01-10 10:00:00", "p", "0", "1.50", null),
            raw("negprice", "1", "c1", "2024-01-10 10:00:00", "p", "1", "-0.01", null),
            raw("nanprice", "1", "c1", "2024-01-10 10:00:00", "p", "1", "NaN", null),
            raw("infprice", "1", "c1", "2024-01-10 10:00:00", "p", "1", "Infinity", null),
            raw("minusinf", "1", "c1", "2024-01-10 10:00:00", "p", "1", "-Infinity", null),
            raw("noprod", "1", "c1", "2024-01-10 10:00:00", null, "1", "1.00", null),
            raw(null, "9", "c1", "2024-01-10 10:00:00", "p", "1", "1.00", null),
            raw("noqty", "1", "c1", "2024-01-10 10:00:00", "p", null, "1.00", null),
            raw("noprice", "1", "c1", "2024-01-10 10:00:00", "p", "1", null, null),
            raw("dup", "1", "c1", "2024-01-10 10:00:00", "p", "1", "1.00", null),
            raw("dup", "1", "c1", "2024-01-10 10:00:00", "p", "1", "1.00", null),
            raw("late", "1", "c1", "2024-02-01 00:00:00", "p", "1", "1.00", null),
            raw("lastmin", "1", "c1", "2024-01-31 23:59:59", "p", "1", "1.00", null),
            raw("cx", "1", "c1", "2024-01-10 10:00:00", "p", "1", "1.00", "Cancelled"),
            raw("C123", "1", "c1", "2024-01-10 10:00:00", "p", "-1", "1.00", null));
    assertThat(outcome(rows, "ok/1")).isEqualTo("used: null");
    assertThat(outcome(rows, "nocust/1")).isEqualTo("quarantined: null customer_id");
    assertThat(outcome(rows, "blankcust/1")).isEqualTo("quarantined: null customer_id");
    assertThat(outcome(rows, "nots/1")).isEqualTo("quarantined: null invoice_ts");
    assertThat(outcome(rows, "badts/1")).isEqualTo("quarantined: unparsable invoice_ts");
    assertThat(outcome(rows, "badqty/1")).isEqualTo("quarantined: unparsable quantity");
    assertThat(outcome(rows, "zeroqty/1")).isEqualTo("quarantined: zero quantity");
    assertThat(outcome(rows, "negprice/1")).isEqualTo("quarantined: negative unit_price");
    assertThat(outcome(rows, "nanprice/1")).isEqualTo("quarantined: non-finite unit_price");
    assertThat(outcome(rows, "infprice/1")).isEqualTo("quarantined: non-finite unit_price");
    assertThat(outcome(rows, "minusinf/1")).isEqualTo("quarantined: non-finite unit_price");
    assertThat(outcome(rows, "noprod/1")).isEqualTo("quarantined: null product_id");
    assertThat(outcome(rows, "null/9")).isEqualTo("quarantined: null invoice_id");
    assertThat(outcome(rows, "noqty/1")).isEqualTo("quarantined: null quantity");
    assertThat(outcome(rows, "noprice/1")).isEqualTo("quarantined: null unit_price");
    assertThat(outcome(rows, "dup/1")).isEqualTo("quarantined: duplicate line");
    assertThat(outcome(rows, "late/1")).isEqualTo("excluded: after as-of date");
    assertThat(outcome(rows, "lastmin/1")).isEqualTo("used: null");
    assertThat(outcome(rows, "cx/1")).isEqualTo("excluded: cancelled invoice");
    assertThat(outcome(rows, "C123/1")).isEqualTo("excluded: cancelled invoice");
  }

  @Test
  void countsAddUpAndTheGateFailsAboveTheRatio() {
    Settings settings = Settings.from(ConfigLoader.load(Optional.empty(), List.of()));
    TableSource source = settings.inputs().get("invoices");
    Dataset<Row> raw =
        SharedSpark.session()
            .createDataFrame(
                List.of(
                    raw("a", "1", "c1", "2024-01-10 10:00:00", "p", "1", "1.00", null),
                    raw("a", "2", null, "2024-01-10 10:00:00", "p", "1", "1.00", null),
                    raw("b", "1", "c1", "2024-03-10 10:00:00", "p", "1", "1.00", null),
                    raw("c", "1", "c2", "2024-01-10 10:00:00", "p", "1", "1.00", "cancelled")),
                RAW);
    RowCounts counts =
        RowCounts.of(
            "invoices",
            InvoiceRules.classify(Conformer.conform(raw, source), CUTOFF, settings.quality()));
    assertThat(counts.read()).isEqualTo(4);
    assertThat(counts.used()).isEqualTo(1);
    assertThat(counts.excluded())
        .containsEntry("after as-of date", 1L)
        .containsEntry("cancelled invoice", 1L);
    assertThat(counts.quarantined()).containsExactly(Map.entry("null customer_id", 1L));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> counts.checkGate(0.2, "input x"))
        .hasMessageContaining("quality gate failed: 1 of 4 rows checked quarantined (25.00%)")
        .hasMessageContaining("max-quarantined-ratio = 0.2");
    counts.checkGate(0.25, "input x");
  }

  @Test
  void missingRequiredColumnsNameTheTablePathAndWhatWasFound() {
    Settings settings =
        Settings.from(
            ConfigLoader.load(
                Optional.empty(), List.of("input.invoices.columns.customer_id=cust")));
    Dataset<Row> raw =
        SharedSpark.session()
            .createDataFrame(
                List.of(), new StructType().add("invoice_id", "string").add("ts", "string"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Conformer.conform(raw, settings.inputs().get("invoices")))
        .hasMessage(
            "input 'invoices' (data-sample/lake/invoices): missing columns [customer_id (cust),"
                + " invoice_ts, product_id, quantity, unit_price]; found [invoice_id, ts]");
  }
}
