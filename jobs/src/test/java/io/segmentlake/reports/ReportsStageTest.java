package io.segmentlake.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmentlake.SharedSpark;
import io.segmentlake.config.ReportSettings;
import java.math.BigDecimal;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The segment tables on five hand-made customers with hand-computed rows. A, B: Champions (Gold,
 * Silver; rep R1); C, D: Lost (Bronze, None; C with rep R2, D with none); E: points but no purchase
 * (rep R2). Revenue 500 + 300 + 100 + 0 = 900.
 */
class ReportsStageTest {
  private static final LocalDate AS_OF = LocalDate.parse("2025-12-31");
  private static final ReportSettings SETTINGS =
      new ReportSettings(List.of(25, 35, 45, 55, 65), "Champions", List.of("high"));
  private static final StructType PREDICTIONS =
      StructType.fromDDL(
          "p_alive double, clv_30d decimal(18,2), clv_365d decimal(18,2), churn_risk string");

  @BeforeAll
  static void spark() {
    SharedSpark.session();
  }

  private static Dataset<Row> rows(String ddl, Object[]... rows) {
    return SharedSpark.session()
        .createDataFrame(
            Arrays.stream(rows).map(RowFactory::create).toList(), StructType.fromDDL(ddl));
  }

  private static BigDecimal money(String v) {
    return new BigDecimal(v);
  }

  private static Date date(String d) {
    return Date.valueOf(d);
  }

  private static Dataset<Row> rfm() {
    return rows(
        "customer_id string, recency_days int, frequency bigint, monetary decimal(18,2), r_score int,"
            + " f_score int, m_score int, rfm_cell string, rfm_segment string,"
            + " first_purchase_date date, last_purchase_date date",
        new Object[] {
          "A",
          10,
          5L,
          money("500.00"),
          5,
          5,
          5,
          "555",
          "Champions",
          date("2024-01-01"),
          date("2025-12-21")
        },
        new Object[] {
          "B",
          20,
          3L,
          money("300.00"),
          5,
          4,
          4,
          "544",
          "Champions",
          date("2024-02-01"),
          date("2025-12-11")
        },
        new Object[] {
          "C",
          200,
          1L,
          money("100.00"),
          2,
          1,
          2,
          "212",
          "Lost",
          date("2025-06-14"),
          date("2025-06-14")
        },
        new Object[] {
          "D",
          400,
          1L,
          money("0.00"),
          1,
          1,
          1,
          "111",
          "Lost",
          date("2024-11-26"),
          date("2024-11-26")
        });
  }

  private static Dataset<Row> loyalty() {
    return rows(
        "customer_id string, points decimal(18,2), tier string, previous_tier string,"
            + " tier_change string, points_to_next_tier decimal(18,2), special_groups array<string>,"
            + " net_spend decimal(18,2)",
        new Object[] {
          "A", money("600.00"), "Gold", null, "new", null, List.of("vip"), money("500.00")
        },
        new Object[] {
          "B", money("300.00"), "Silver", null, "new", money("200.00"), List.of(), money("300.00")
        },
        new Object[] {
          "C",
          money("100.00"),
          "Bronze",
          null,
          "new",
          money("100.00"),
          List.of("lapsed"),
          money("100.00")
        },
        new Object[] {
          "D", money("0.00"), "None", null, "new", money("1.00"), List.of("lapsed"), money("0.00")
        },
        new Object[] {
          "E", money("5.00"), "Bronze", null, "new", money("195.00"), List.of(), money("0.00")
        });
  }

  private static Dataset<Row> clusters() {
    return rows(
        "customer_id string, cluster_id int, cluster_name string, distance_to_centroid double",
        new Object[] {"A", 1, "Recent buyers", 0.5},
        new Object[] {"B", 1, "Recent buyers", 0.7},
        new Object[] {"C", 2, "Lapsed", 0.2},
        new Object[] {"D", 2, "Lapsed", 0.3});
  }

  private static Dataset<Row> predictions() {
    return rows(
        "customer_id string, x int, t_x double, p_alive double, clv_30d decimal(18,2),"
            + " clv_365d decimal(18,2), churn_risk string",
        new Object[] {"A", 4, 700.0, 0.99, money("100.00"), money("1000.00"), "low"},
        new Object[] {"B", 2, 600.0, 0.95, money("60.00"), money("600.00"), "low"},
        new Object[] {"C", 0, 0.0, 0.40, money("5.00"), money("50.00"), "high"},
        new Object[] {"D", 0, 0.0, 0.20, money("1.00"), money("10.00"), "high"});
  }

  private static Dataset<Row> customers() {
    return rows(
        "customer_id string, customer_type string, legal_kind string, gender string,"
            + " birth_date date, city string, region string, country string,"
            + " acquisition_channel string, sales_rep_id string, employer_id string",
        new Object[] {
          "A", "natural", null, "f", date("1990-06-01"), "X", "North", "DE", "web", "R1", null
        },
        new Object[] {"B", "legal", "private", null, null, "X", "North", "DE", "store", "R1", null},
        new Object[] {
          "C", "natural", null, "m", date("2005-01-01"), "Y", "South", "DE", "web", "R2", null
        },
        new Object[] {
          "D", "natural", null, null, date("1950-01-01"), "Y", "South", "DE", null, null, null
        },
        new Object[] {"E", "natural", null, null, null, "Y", "South", "DE", "web", "R2", null});
  }

  private static ReportsStage.Result full(Optional<Map.Entry<LocalDate, Dataset<Row>>> previous) {
    return ReportsStage.run(
        new ReportsStage.Inputs(
            rfm(),
            Optional.of(loyalty()),
            Optional.of(clusters()),
            Optional.of(predictions()),
            Optional.of(customers()),
            previous),
        AS_OF,
        SETTINGS,
        PREDICTIONS);
  }

  private static Map<String, Row> by(Dataset<Row> t, String... key) {
    return t.collectAsList().stream()
        .collect(
            Collectors.toMap(
                r ->
                    Arrays.stream(key)
                        .map(k -> String.valueOf((Object) r.getAs(k)))
                        .collect(Collectors.joining("/")),
                r -> r));
  }

  private static double d(Row r, String c) {
    return ((Number) r.getAs(c)).doubleValue();
  }

  @Test
  void customerSegmentsHasOneWideRowPerScoredCustomer() {
    ReportsStage.Result r = full(Optional.empty());
    Dataset<Row> wide = r.tables().get("customer_segments");
    assertThat(r.customers()).isEqualTo(5);
    assertThat(wide.columns()[0]).isEqualTo("customer_id");
    assertThat(Arrays.asList(wide.columns()))
        .contains(
            "rfm_segment",
            "tier",
            "special_groups",
            "cluster_name",
            "p_alive",
            "clv_365d",
            "churn_risk",
            "age_band",
            "sales_rep_id")
        .doesNotContain(
            "x", "t_x", "net_spend", "distance_to_centroid", "birth_date", "employer_id");
    assertThat(wide.columns()[wide.columns().length - 1]).isEqualTo("sales_rep_id");
    Map<String, Row> c = by(wide, "customer_id");
    Row a = c.get("A");
    assertThat((String) a.getAs("rfm_segment")).isEqualTo("Champions");
    assertThat((String) a.getAs("tier")).isEqualTo("Gold");
    assertThat((String) a.getAs("cluster_name")).isEqualTo("Recent buyers");
    assertThat((String) a.getAs("churn_risk")).isEqualTo("low");
    assertThat((String) a.getAs("region")).isEqualTo("North");
    assertThat((String) a.getAs("age_band")).isEqualTo("35-44"); // 35 on 2025-12-31
    assertThat(a.getList(a.fieldIndex("special_groups"))).containsExactly("vip");
    assertThat((String) c.get("C").getAs("age_band")).isEqualTo("under 25"); // 20
    assertThat((String) c.get("D").getAs("age_band")).isEqualTo("65 and over"); // 75
    assertThat((Object) c.get("B").getAs("age_band")).isNull(); // no birth date
    Row e = c.get("E"); // points, no purchase: no RFM, cluster or prediction
    assertThat((String) e.getAs("tier")).isEqualTo("Bronze");
    assertThat((Object) e.getAs("rfm_segment")).isNull();
    assertThat((Object) e.getAs("cluster_id")).isNull();
    assertThat((Object) e.getAs("p_alive")).isNull();
    r.release().run();
  }

  @Test
  void segmentSummaryPerDimensionAndValue() {
    ReportsStage.Result r = full(Optional.empty());
    Map<String, Row> s = by(r.tables().get("segment_summary"), "dimension", "value");
    assertThat(s.keySet())
        .contains(
            "rfm_segment/Champions",
            "tier/Gold",
            "cluster/Lapsed",
            "churn_risk/high",
            "region/South",
            "customer_type/legal");
    Row champions = s.get("rfm_segment/Champions");
    assertThat((Long) champions.getAs("customers")).isEqualTo(2);
    assertThat(d(champions, "share")).isCloseTo(0.4, within(1e-12));
    assertThat((BigDecimal) champions.getAs("revenue")).isEqualByComparingTo("800");
    assertThat(d(champions, "revenue_share")).isCloseTo(800.0 / 900, within(1e-12));
    assertThat(d(champions, "average_recency_days")).isEqualTo(15.0);
    assertThat(d(champions, "median_recency_days")).isEqualTo(15.0); // exact: (10 + 20) / 2
    assertThat(d(champions, "average_frequency")).isEqualTo(4.0);
    assertThat((BigDecimal) champions.getAs("average_monetary")).isEqualByComparingTo("400");
    assertThat(d(champions, "median_frequency")).isEqualTo(4.0);
    assertThat((BigDecimal) champions.getAs("median_monetary")).isEqualByComparingTo("400");
    assertThat((BigDecimal) champions.getAs("average_clv")).isEqualByComparingTo("800");
    assertThat((Integer) champions.getAs("clv_horizon_days")).isEqualTo(365);
    Row lost = s.get("rfm_segment/Lost");
    assertThat(d(lost, "revenue_share")).isCloseTo(100.0 / 900, within(1e-12));
    assertThat((BigDecimal) lost.getAs("average_clv")).isEqualByComparingTo("30");
    Row unknown = s.get("rfm_segment/unknown"); // E has no purchase
    assertThat((Long) unknown.getAs("customers")).isEqualTo(1);
    assertThat((Object) unknown.getAs("revenue")).isNull();
    Row south = s.get("region/South");
    assertThat((Long) south.getAs("customers")).isEqualTo(3);
    assertThat((BigDecimal) south.getAs("revenue")).isEqualByComparingTo("100");
    // Every dimension's shares add up to 1.
    r.tables()
        .get("segment_summary")
        .groupBy("dimension")
        .sum("share")
        .collectAsList()
        .forEach(
            row -> assertThat(row.getDouble(1)).as(row.getString(0)).isCloseTo(1.0, within(1e-12)));
    r.release().run();
  }

  @Test
  void salesRepsAndChannels() {
    ReportsStage.Result r = full(Optional.empty());
    List<Row> reps = r.tables().get("sales_rep_performance").collectAsList();
    assertThat(reps.stream().map(x -> (String) x.getAs("sales_rep_id")))
        .containsExactly("R1", "R2", "unassigned"); // by revenue
    Row r1 = reps.get(0);
    assertThat((Long) r1.getAs("customers")).isEqualTo(2);
    assertThat((BigDecimal) r1.getAs("revenue")).isEqualByComparingTo("800");
    assertThat((Long) r1.getAs("champions")).isEqualTo(2);
    assertThat(d(r1, "champions_share")).isEqualTo(1.0);
    assertThat((Long) r1.getAs("customers_at_risk")).isZero();
    assertThat((BigDecimal) r1.getAs("average_clv")).isEqualByComparingTo("800");
    assertThat(r1.getJavaMap(r1.fieldIndex("segment_mix"))).isEqualTo(Map.of("Champions", 2L));
    Row r2 = reps.get(1);
    assertThat((Long) r2.getAs("customers_at_risk")).isEqualTo(1); // C; E has no prediction
    assertThat(d(r2, "at_risk_share")).isEqualTo(0.5);
    assertThat((BigDecimal) r2.getAs("average_clv")).isEqualByComparingTo("50");
    assertThat(r2.getJavaMap(r2.fieldIndex("segment_mix")))
        .isEqualTo(Map.of("Lost", 1L, "unknown", 1L));

    List<Row> channels = r.tables().get("channel_effectiveness").collectAsList();
    assertThat(channels.stream().map(x -> (String) x.getAs("acquisition_channel")))
        .containsExactly("web", "store", "unknown");
    Row web = channels.get(0);
    assertThat((Integer) web.getAs("revenue_rank")).isEqualTo(1);
    assertThat((Long) web.getAs("customers")).isEqualTo(3);
    assertThat((BigDecimal) web.getAs("revenue")).isEqualByComparingTo("600");
    assertThat((BigDecimal) web.getAs("average_clv")).isEqualByComparingTo("525");
    assertThat(d(web, "cumulative_revenue_share")).isCloseTo(600.0 / 900, within(1e-12));
    assertThat(d(channels.get(1), "cumulative_customer_share")).isCloseTo(0.8, within(1e-12));
    assertThat(d(channels.get(1), "cumulative_revenue_share")).isCloseTo(1.0, within(1e-12));
    assertThat(d(channels.get(2), "cumulative_customer_share")).isCloseTo(1.0, within(1e-12));
    r.release().run();
  }

  @Test
  void migrationSinceThePreviousRun() {
    Dataset<Row> previous =
        rows(
            "customer_id string, rfm_segment string, tier string",
            new Object[] {"A", "Loyal", "Silver"},
            new Object[] {"B", "Champions", "Silver"},
            new Object[] {"C", "Lost", "Bronze"},
            new Object[] {"F", "Lost", "None"});
    ReportsStage.Result r = full(Optional.of(Map.entry(LocalDate.parse("2025-12-24"), previous)));
    Map<String, Row> m =
        by(r.tables().get("segment_migration"), "dimension", "from_value", "to_value");
    assertThat(m.keySet())
        .containsExactlyInAnyOrder(
            "rfm_segment/Loyal/Champions",
            "rfm_segment/Champions/Champions",
            "rfm_segment/Lost/Lost",
            "rfm_segment/Lost/(gone)",
            "rfm_segment/(new)/Lost",
            "rfm_segment/(new)/unknown",
            "tier/Silver/Gold",
            "tier/Silver/Silver",
            "tier/Bronze/Bronze",
            "tier/None/(gone)",
            "tier/(new)/None",
            "tier/(new)/Bronze");
    Row lostStays = m.get("rfm_segment/Lost/Lost");
    assertThat((Long) lostStays.getAs("customers")).isEqualTo(1);
    assertThat(d(lostStays, "share_of_from")).isEqualTo(0.5); // C stays, F is gone
    assertThat((Boolean) lostStays.getAs("moved")).isFalse();
    assertThat((Boolean) m.get("tier/Silver/Gold").getAs("moved")).isTrue();
    assertThat((Date) lostStays.getAs("previous_as_of_date")).isEqualTo(date("2025-12-24"));
    r.release().run();
  }

  @Test
  void onlyRfmGivesTheSameSchemaWithNullsAndLeavesOutTheirDimensionsAndTables() {
    ReportsStage.Result r =
        ReportsStage.run(
            new ReportsStage.Inputs(
                rfm(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()),
            AS_OF,
            SETTINGS,
            PREDICTIONS);
    assertThat(r.tables())
        .containsOnlyKeys("customer_segments", "segment_summary", "segment_migration");
    assertThat(r.customers()).isEqualTo(4);
    Dataset<Row> wide = r.tables().get("customer_segments");
    ReportsStage.Result everything = full(Optional.empty());
    assertThat(wide.schema()).isEqualTo(everything.tables().get("customer_segments").schema());
    everything.release().run();
    assertThat(
            wide.where(
                    "tier is not null or cluster_id is not null or p_alive is not null"
                        + " or region is not null")
                .count())
        .isZero();
    assertThat(r.tables().get("segment_summary").select("dimension").distinct().collectAsList())
        .extracting(x -> x.getString(0))
        .containsExactly("rfm_segment");
    assertThat((Object) r.tables().get("segment_summary").first().getAs("average_clv")).isNull();
    assertThat(r.summary().get("sources_missing").toString())
        .contains(
            "loyalty_points", "customer_clusters", "customer_predictions", "customers (input)");
    assertThat(((Map<?, ?>) r.summary().get("tables_left_out")).keySet().toString())
        .isEqualTo("[sales_rep_performance, channel_effectiveness]");
    // First run: every customer comes from "(new)".
    assertThat(r.tables().get("segment_migration").select("from_value").distinct().collectAsList())
        .extracting(x -> x.getString(0))
        .containsExactly("(new)");
    assertThat(r.tables().get("segment_migration").select("dimension").distinct().count())
        .isEqualTo(1); // no tiers
    r.release().run();
  }

  @Test
  void withoutPredictionsTheRepsAtRiskFiguresAreNullNotZero() {
    ReportsStage.Result r =
        ReportsStage.run(
            new ReportsStage.Inputs(
                rfm(),
                Optional.of(loyalty()),
                Optional.of(clusters()),
                Optional.empty(),
                Optional.of(customers()),
                Optional.empty()),
            AS_OF,
            SETTINGS,
            PREDICTIONS);
    Dataset<Row> reps = r.tables().get("sales_rep_performance");
    assertThat(reps.count()).isEqualTo(3);
    assertThat(
            reps.where(
                    "customers_at_risk is not null or at_risk_share is not null"
                        + " or average_clv is not null or clv_horizon_days is not null")
                .count())
        .isZero();
    assertThat(reps.where("champions is null").count()).isZero();
    assertThat(r.sourcesMissing()).containsExactly("customer_predictions");
    r.release().run();
  }
}
