package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Tier transitions by hand: Bronze 1, Silver 200, Gold 500; one run of grace. */
class TiersTest {
  private static final io.segmentlake.config.TierSettings SETTINGS =
      LoyaltyStageTest.settings("loyalty.tiers.grace-runs=1").tiers();

  /** "tier change to-next runs-below" of a customer. */
  private static String tier(int points, String previous, Integer runsBelow) {
    Tiers.Tier t = Tiers.assign(points, previous, runsBelow, SETTINGS);
    return t.name() + " " + t.change() + " " + t.pointsToNext() + " " + t.runsBelow();
  }

  @Test
  void upgradesAtOnceDowngradesAfterGraceOneTierPerRun() {
    assertThat(tier(250, null, null)).as("first run").isEqualTo("Silver new 250.0 0");
    assertThat(tier(0, null, null)).as("nothing").isEqualTo("None new 1.0 0");
    assertThat(tier(600, "Bronze", 0)).as("jumps").isEqualTo("Gold up null 0");
    assertThat(tier(300, "Silver", 0)).as("stays").isEqualTo("Silver same 200.0 0");
    assertThat(tier(100, "Gold", 0)).as("in grace").isEqualTo("Gold same null 1");
    assertThat(tier(100, "Gold", 1)).as("drops one").isEqualTo("Silver down 400.0 2");
    assertThat(tier(100, "Silver", 1)).as("drops to earned").isEqualTo("Bronze down 100.0 0");
    assertThat(tier(550, "Gold", 1)).as("recovers").isEqualTo("Gold same null 0");
    assertThat(tier(300, "Platinum", 0)).as("renamed tier").isEqualTo("Silver new 200.0 0");
  }

  @Test
  void oneCustomerOverConsecutiveRuns() {
    String previousTier = null;
    Integer runsBelow = null;
    List<String> history = new java.util.ArrayList<>();
    for (int points : new int[] {300, 600, 50, 50, 50, 50}) {
      Tiers.Tier t = Tiers.assign(points, previousTier, runsBelow, SETTINGS);
      previousTier = t.name();
      runsBelow = t.runsBelow();
      history.add(points + ": " + previousTier + " " + t.change() + " " + runsBelow);
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
