package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import io.segmentlake.config.ConfigLoader;
import io.segmentlake.config.Settings;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The rules of the optional tables, one row per rule, read as CSV exports (all strings). */
class ReferenceRulesTest {
  private static final Instant CUTOFF = Instant.parse("2024-02-01T00:00:00Z");

  private static List<String> outcomes(String table, StructType schema, Row... rows) {
    Settings settings = Settings.from(ConfigLoader.load(Optional.empty(), List.of()));
    Dataset<Row> raw = SharedSpark.session().createDataFrame(Arrays.asList(rows), schema);
    Dataset<Row> classified =
        ReferenceRules.classify(
            table, Conformer.conform(raw, settings.inputs().get(table)), CUTOFF);
    return classified.collectAsList().stream()
        .map(
            r ->
                r.getAs(schema.fieldNames()[0])
                    + " "
                    + InvoiceRules.statusName(r.getAs(InvoiceRules.ROW_STATUS))
                    + (r.getAs(InvoiceRules.ROW_REASON) == null
                        ? ""
                        : ": " + r.getAs(InvoiceRules.ROW_REASON))
                    + (r.getAs(Conformer.RAW) == null ? "" : " " + r.getAs(Conformer.RAW)))
        .sorted()
        .toList();
  }

  /** A CSV export's schema: the columns, all strings. */
  private static StructType strings(String... columns) {
    StructType schema = new StructType();
    for (String c : columns) {
      schema = schema.add(c, DataTypes.StringType);
    }
    return schema;
  }

  @Test
  void interactionsAfterTheAsOfDateAreExcludedAndRepeatsOfAnEventQuarantined() {
    StructType schema = strings("event_id", "customer_id", "event_ts", "event_type");
    assertThat(
            outcomes(
                "interactions",
                schema,
                RowFactory.create("e1", "A", "2024-01-10 10:00:00", "club_login"),
                RowFactory.create("e1", "A", "2024-01-10 10:00:00", "club_login"),
                RowFactory.create("e2", "A", "2024-02-01 00:00:00", "club_login"),
                RowFactory.create("e3", null, "2024-01-10 10:00:00", "comment"),
                RowFactory.create("e4", "B", "yesterday", "comment"),
                RowFactory.create("e5", "B", "2024-01-11 10:00:00", null),
                RowFactory.create(null, "B", "2024-01-12 10:00:00", "news_read"),
                RowFactory.create(null, "B", "2024-01-12 10:00:00", "news_read")))
        .containsExactly(
            "e1 quarantined: duplicate event_id"
                + " {\"customer_id\":\"A\",\"event_ts\":\"2024-01-10T10:00:00.000Z\","
                + "\"event_type\":\"club_login\",\"event_id\":\"e1\"}",
            "e1 used",
            "e2 excluded: after as-of date"
                + " {\"event_id\":\"e2\",\"customer_id\":\"A\",\"event_ts\":\"2024-02-01 00:00:00\","
                + "\"event_type\":\"club_login\"}",
            "e3 quarantined: null customer_id"
                + " {\"event_id\":\"e3\",\"event_ts\":\"2024-01-10 10:00:00\",\"event_type\":\"comment\"}",
            "e4 quarantined: unparsable event_ts"
                + " {\"event_id\":\"e4\",\"customer_id\":\"B\",\"event_ts\":\"yesterday\","
                + "\"event_type\":\"comment\"}",
            "e5 quarantined: null event_type"
                + " {\"event_id\":\"e5\",\"customer_id\":\"B\",\"event_ts\":\"2024-01-11 10:00:00\"}",
            "null used",
            "null used");
  }

  @Test
  void interactionsBeforeTheWindowOrOfTypesNoRuleCountsAreLeftOutAndUnreadableOnesKept() {
    Settings settings = Settings.from(ConfigLoader.load(Optional.empty(), List.of()));
    StructType schema = strings("event_id", "customer_id", "event_ts", "event_type");
    Dataset<Row> raw =
        SharedSpark.session()
            .createDataFrame(
                List.of(
                    RowFactory.create("e1", "A", "2023-12-31 23:59:59", "club_login"),
                    RowFactory.create("e2", "A", "2024-01-01 00:00:00", "club_login"),
                    RowFactory.create("e3", "A", "2024-01-20 08:00:00", " Comment"),
                    RowFactory.create("e4", "A", "last year", "comment"),
                    RowFactory.create("e5", "A", null, "comment"),
                    RowFactory.create("e6", "A", "2024-01-20 08:00:00", "web_visit"),
                    RowFactory.create("e7", "A", "2024-01-20 08:00:00", "Referral "),
                    RowFactory.create("e8", "A", "2024-01-20 08:00:00", null),
                    RowFactory.create("e9", "A", "2024-01-20 08:00:00", "  "),
                    RowFactory.create("e10", "A", "2023-01-20 08:00:00", "web_visit"),
                    RowFactory.create("e11", "A", "last year", "web_visit"),
                    RowFactory.create("e12", "A", null, "referral")),
                schema);
    Column reason =
        ReferenceRules.leftOut(
            Instant.parse("2024-01-01T00:00:00Z"), List.of("club_login", "comment"));
    Map<String, String> reasons = new TreeMap<>();
    Conformer.conform(raw, settings.inputs().get("interactions"))
        .select(col("event_id"), reason)
        .collectAsList()
        .forEach(r -> reasons.put(r.getString(0), r.isNullAt(1) ? "kept" : r.getString(1)));
    assertThat(reasons)
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("e1", ReferenceRules.BEFORE_WINDOW),
                Map.entry("e2", "kept"),
                Map.entry("e3", "kept"),
                Map.entry("e4", "kept"),
                Map.entry("e5", "kept"),
                Map.entry("e6", ReferenceRules.NOT_COUNTED),
                // Referrals are derived from customers.referred_by, not counted from this table.
                Map.entry("e7", ReferenceRules.NOT_COUNTED),
                Map.entry("e8", "kept"),
                Map.entry("e9", "kept"),
                Map.entry("e10", ReferenceRules.BEFORE_WINDOW),
                // Without a readable time, whatever the type: checked (and quarantined).
                Map.entry("e11", "kept"),
                Map.entry("e12", "kept")));
  }

  @Test
  void customersAndProductsKeepTheFirstRowOfAKey() {
    StructType customers = strings("customer_id", "customer_type", "signup_ts");
    assertThat(
            outcomes(
                "customers",
                customers,
                RowFactory.create("A", "legal", "2020-01-01 00:00:00"),
                RowFactory.create("A", "natural", "2020-01-01 00:00:00"),
                RowFactory.create(" ", "natural", "2020-01-01 00:00:00"),
                RowFactory.create("B", "natural", "2030-01-01 00:00:00")))
        .hasSize(4)
        .contains("A used", "B used")
        .anyMatch(s -> s.startsWith("A quarantined: duplicate customer_id"))
        .anyMatch(s -> s.startsWith("  quarantined: null customer_id"));
    StructType products = strings("product_id", "quality_level", "flags");
    assertThat(
            outcomes(
                "products",
                products,
                RowFactory.create("P1", "3", "special;high_margin"),
                RowFactory.create("P2", "three", null)))
        .containsExactly(
            "P1 used",
            "P2 quarantined: unparsable quality_level {\"product_id\":\"P2\",\"quality_level\":\"three\"}");
  }

  @Test
  void productsWithANaNOrInfiniteCostOrMarginAreQuarantined() {
    StructType products = strings("product_id", "unit_cost", "margin_rate");
    assertThat(
            outcomes(
                "products",
                products,
                RowFactory.create("P1", "2.50", null),
                RowFactory.create("P2", null, "0.35"),
                RowFactory.create("P3", "NaN", null),
                RowFactory.create("P4", null, "Infinity"),
                RowFactory.create("P5", "-Infinity", "0.1")))
        .hasSize(5)
        .contains("P1 used", "P2 used")
        .anyMatch(s -> s.startsWith("P3 quarantined: non-finite unit_cost"))
        .anyMatch(s -> s.startsWith("P4 quarantined: non-finite margin_rate"))
        .anyMatch(s -> s.startsWith("P5 quarantined: non-finite unit_cost"));
  }
}
