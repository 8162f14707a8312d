package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.Fixtures;
import io.segmentlake.SharedSpark;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tier transitions by hand: Bronze 1, Silver 200, Gold 500; one run of grace. */
class TiersTest {
  private static final StructType SCHEMA =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("points", DataTypes.createDecimalType(18, 2))
          .add("previous_tier", DataTypes.StringType)
          .add("runs_below_tier", DataTypes.IntegerType);

  @BeforeAll
  static void spark() {
    SharedSpark.session();
  }

  private static Row customer(String id, int points, String previous, Integer runsBelow) {
    return RowFactory.create(id, BigDecimal.valueOf(points), previous, runsBelow);
  }

  @Test
  void upgradesAtOnceDowngradesAfterGraceOneTierPerRun() {
    List<Row> rows =
        List.of(
            customer("first-run", 250, null, null),
            customer("nothing", 0, null, null),
            customer("jumps", 600, "Bronze", 0),
            customer("stays", 300, "Silver", 0),
            customer("in-grace", 100, "Gold", 0),
            customer("drops-one", 100, "Gold", 1),
            customer("drops-to-earned", 100, "Silver", 1),
            customer("recovers", 550, "Gold", 1),
            customer("renamed-tier", 300, "Platinum", 0));
    var settings = LoyaltyStageTest.settings("loyalty.tiers.grace-runs=1").tiers();
    List<String> result =
        Tiers.assign(Fixtures.rows(SCHEMA, rows), settings).collectAsList().stream()
            .map(
                r ->
                    String.format(
                        "%s %s %s %s %d",
                        r.getAs("customer_id"),
                        r.getAs("tier"),
                        r.getAs("tier_change"),
                        r.getAs("points_to_next_tier"),
                        (Integer) r.getAs("runs_below_tier")))
            .sorted()
            .toList();
    assertThat(result)
        .containsExactly(
            "drops-one Silver down 400.0 2",
            "drops-to-earned Bronze down 100.0 0",
            "first-run Silver new 250.0 0",
            "in-grace Gold same null 1",
            "jumps Gold up null 0",
            "nothing None new 1.0 0",
            "recovers Gold same null 0",
            "renamed-tier Silver new 200.0 0",
            "stays Silver same 200.0 0");
  }

  @Test
  void oneCustomerOverConsecutiveRuns() {
    var settings = LoyaltyStageTest.settings("loyalty.tiers.grace-runs=1").tiers();
    String previousTier = null;
    Integer runsBelow = null;
    List<String> history = new java.util.ArrayList<>();
    for (int points : new int[] {300, 600, 50, 50, 50, 50}) {
      Row r =
          Tiers.assign(
                  Fixtures.rows(SCHEMA, List.of(customer("A", points, previousTier, runsBelow))),
                  settings)
              .first();
      previousTier = r.getAs("tier");
      runsBelow = r.getAs("runs_below_tier");
      history.add(points + ": " + previousTier + " " + r.getAs("tier_change") + " " + runsBelow);
    }
    assertThat(history)
        .containsExactly(
            "300: Silver new 0",
            "600: Gold up 0",
            "50: Gold same 1",
            "50: Silver down 2",
            "50: Bronze down 0",
            "50: Bronze same 0");
  }
}
