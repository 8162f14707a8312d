package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;

/**
 * Special customer groups: top buyers per product and year, flagged-product buyers, rule groups.
 */
public record SpecialGroupSettings(int topBuyerYears, List<String> flags, List<GroupRule> rules) {

  /**
   * A group by rule: every condition that is given must hold (empty lists and absent numbers match
   * everyone).
   */
  public record GroupRule(
      String group,
      List<String> tiers,
      List<String> rfmSegments,
      Optional<Double> minRecencyDays,
      Optional<Double> maxRecencyDays,
      Optional<Double> minPoints) {

    /** Whether the rule needs the RFM segments of the date. */
    public boolean needsRfm() {
      return !rfmSegments.isEmpty();
    }
  }

  static SpecialGroupSettings from(Config c, String path) {
    List<GroupRule> rules =
        Item.list(
                c,
                path + ".rules",
                "group",
                "tiers",
                "rfm-segments",
                "min-recency-days",
                "max-recency-days",
                "min-points")
            .stream()
            .map(
                i ->
                    new GroupRule(
                        i.string("group"),
                        i.strings("tiers"),
                        i.strings("rfm-segments"),
                        i.optionalNumber("min-recency-days", 0, 1e6),
                        i.optionalNumber("max-recency-days", 0, 1e6),
                        i.optionalNumber("min-points", -1e15, 1e15)))
            .toList();
    return new SpecialGroupSettings(
        Keys.intIn(c, path + ".top-buyer-years", 0, 1000),
        List.copyOf(Keys.strings(c, path + ".flags")),
        rules);
  }
}
