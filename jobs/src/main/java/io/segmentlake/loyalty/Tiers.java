package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Schemas;
import io.segmentlake.config.TierSettings;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * Club tiers from points. Upgrades apply at once; a customer whose points fall below their tier
 * keeps it for grace-runs runs, then drops one tier per run while still below. The previous tier
 * and the count of runs below it come from the latest earlier run; without one the tier is new.
 */
final class Tiers {
  private static final String EARNED = "_earned_rank";
  private static final String PREV = "_previous_rank";
  private static final String BELOW = "_runs_below";
  private static final String RANK = "_rank";

  private Tiers() {}

  /**
   * Adds tier, tier_change, points_to_next_tier and runs_below_tier to rows with points,
   * previous_tier (null: no earlier run) and the previous runs_below_tier.
   */
  static Dataset<Row> assign(Dataset<Row> customers, TierSettings tiers) {
    Schemas.require(customers, "loyalty points", POINTS, PREVIOUS_TIER, RUNS_BELOW_TIER);
    List<TierSettings.Level> levels = tiers.levels();
    Column earned = lit(0);
    Column previous = lit(null).cast(DataTypes.IntegerType);
    for (int rank = 1; rank <= levels.size(); rank++) {
      TierSettings.Level level = levels.get(rank - 1);
      earned = when(col(POINTS).geq(lit(level.minPoints())), lit(rank)).otherwise(earned);
      previous = when(col(PREVIOUS_TIER).equalTo(level.name()), lit(rank)).otherwise(previous);
    }
    previous = when(col(PREVIOUS_TIER).equalTo(tiers.none()), lit(0)).otherwise(previous);
    Column isNew = col(PREV).isNull();
    Column below = col(EARNED).lt(col(PREV));
    Column runsBelow = when(below, coalesce(col(RUNS_BELOW_TIER), lit(0)).plus(1)).otherwise(0);
    Column drops = below.and(col(BELOW).gt(tiers.graceRuns()));
    Column rank =
        when(isNew, col(EARNED))
            .when(drops, col(PREV).minus(1))
            .otherwise(greatest(col(EARNED), col(PREV)));
    Column change =
        when(isNew, lit(NEW))
            .when(col(RANK).gt(col(PREV)), lit(UP))
            .when(col(RANK).lt(col(PREV)), lit(DOWN))
            .otherwise(lit(SAME));
    return customers
        .withColumn(EARNED, earned)
        .withColumn(PREV, previous)
        .withColumn(BELOW, when(isNew, lit(0)).otherwise(runsBelow))
        .withColumn(RANK, rank)
        .withColumn(TIER, name(col(RANK), tiers))
        .withColumn(TIER_CHANGE, change)
        .withColumn(POINTS_TO_NEXT_TIER, toNext(col(RANK), levels))
        .withColumn(RUNS_BELOW_TIER, when(col(EARNED).lt(col(RANK)), col(BELOW)).otherwise(lit(0)))
        .drop(EARNED, PREV, BELOW, RANK);
  }

  private static Column name(Column rank, TierSettings tiers) {
    Column name = lit(tiers.none());
    for (int r = 1; r <= tiers.levels().size(); r++) {
      name = when(rank.equalTo(r), lit(tiers.levels().get(r - 1).name())).otherwise(name);
    }
    return name;
  }

  private static Column toNext(Column rank, List<TierSettings.Level> levels) {
    Column next = lit(null).cast(DataTypes.DoubleType);
    for (int r = 0; r < levels.size(); r++) {
      double min = levels.get(r).minPoints();
      next = when(rank.equalTo(r), lit(min).minus(col(POINTS).cast("double"))).otherwise(next);
    }
    return next;
  }
}
