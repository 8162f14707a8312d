package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.DOWN;
import static io.segmentlake.loyalty.LoyaltyColumns.NEW;
import static io.segmentlake.loyalty.LoyaltyColumns.SAME;
import static io.segmentlake.loyalty.LoyaltyColumns.UP;

import io.segmentlake.config.TierSettings;
import java.util.List;

/**
 * Club tiers from points. Upgrades apply at once; a customer whose points fall below their tier
 * keeps it for grace-runs runs, then drops one tier per run while still below. The previous tier
 * and the count of runs below it come from the latest earlier run; without one the tier is new.
 */
final class Tiers {
  private Tiers() {}

  /**
   * A customer's tier: its name, the change from the previous run (up, down, same, new), the points
   * still needed for the next tier (null at the top) and the runs spent below the tier so far.
   */
  record Tier(String name, String change, Double pointsToNext, int runsBelow) {}

  /**
   * The tier for the points, given the previous run's tier (null: no earlier row, or a first run; a
   * name no longer configured is treated the same, so the tier is new) and its runs below that tier
   * (null: 0).
   */
  static Tier assign(
      double points, String previousTier, Integer previousRunsBelow, TierSettings tiers) {
    List<TierSettings.Level> levels = tiers.levels();
    int earned = 0;
    for (int rank = levels.size(); rank >= 1 && earned == 0; rank--) {
      if (points >= levels.get(rank - 1).minPoints()) {
        earned = rank;
      }
    }
    Integer previous = rank(previousTier, tiers);
    int rank = earned;
    String change = NEW;
    int below = 0;
    if (previous != null) {
      below = earned < previous ? (previousRunsBelow == null ? 0 : previousRunsBelow) + 1 : 0;
      rank = below > tiers.graceRuns() ? previous - 1 : Math.max(earned, previous);
      change = rank > previous ? UP : rank < previous ? DOWN : SAME;
    }
    return new Tier(
        rank == 0 ? tiers.none() : levels.get(rank - 1).name(),
        change,
        rank < levels.size() ? levels.get(rank).minPoints() - points : null,
        earned < rank ? below : 0);
  }

  /** The rank of a tier's name (0: the name below the levels), or null for none or unknown. */
  private static Integer rank(String name, TierSettings tiers) {
    if (name == null) {
      return null;
    }
    if (name.equals(tiers.none())) {
      return 0;
    }
    for (int rank = tiers.levels().size(); rank >= 1; rank--) {
      if (name.equals(tiers.levels().get(rank - 1).name())) {
        return rank;
      }
    }
    return null;
  }
}
