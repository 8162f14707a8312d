package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The loyalty rule set: how points are earned, the tiers on top of them and the special groups. */
public record LoyaltySettings(
    int windowDays,
    double spendPer,
    List<Band> spendSteps,
    List<Band> marginWeights,
    Map<String, Double> categoryWeights,
    Map<Integer, Double> qualityWeights,
    List<Band> quantityBands,
    List<Band> recencyWindows,
    Periodicity periodicity,
    CustomerTypes customerTypes,
    List<InteractionRule> interactions,
    double employerShare,
    TierSettings tiers,
    SpecialGroupSettings special) {

  private static final String P = "segmentlake.loyalty.";
  private static final double MAX_WEIGHT = 1000;

  /** A step or band: from `from` on (inclusive), `value` applies (points, weight or multiplier). */
  public record Band(double from, double value) implements java.io.Serializable {}

  /** The regular-purchase bonus and when it is earned. */
  public record Periodicity(
      double bonus, int minPurchaseDays, double maxMedianIntervalDays, double maxIntervalCv)
      implements java.io.Serializable {}

  /** Multipliers by customer type and legal kind. */
  public record CustomerTypes(double natural, double legal, Map<String, Double> legalKinds)
      implements java.io.Serializable {}

  /** Reads segmentlake.loyalty. */
  static LoyaltySettings from(Config c) {
    LoyaltySettings s = read(c);
    List<String> tiers = s.tiers().names();
    List<SpecialGroupSettings.GroupRule> rules = s.special().rules();
    for (int i = 0; i < rules.size(); i++) {
      SpecialGroupSettings.GroupRule rule = rules.get(i);
      if (rule.minRecencyDays().isPresent()
          && rule.maxRecencyDays().isPresent()
          && rule.minRecencyDays().get() > rule.maxRecencyDays().get()) {
        throw Keys.bad(
            P + "special.rules[" + i + "].min-recency-days",
            rule.minRecencyDays().get().toString(),
            "at most max-recency-days ("
                + rule.maxRecencyDays().get()
                + "): the group would be empty");
      }
      for (String tier : rule.tiers()) {
        if (!tiers.contains(tier)) {
          throw Keys.bad(
              P + "special.rules[" + i + "].tiers",
              tier,
              "one of the tiers " + new java.util.TreeSet<>(tiers));
        }
      }
    }
    return s;
  }

  private static LoyaltySettings read(Config c) {
    return new LoyaltySettings(
        Keys.intIn(c, P + "window-days", 1, 100_000),
        Keys.doubleIn(c, P + "purchase.per", 0, Double.MAX_VALUE),
        bands(c, P + "purchase.steps", "from", "points", true),
        bands(c, P + "weights.margin", "from", "weight", false),
        weights(c, P + "weights.category"),
        qualityWeights(c),
        bands(c, P + "quantity-bands", "from", "multiplier", false),
        bands(c, P + "recency", "within-days", "multiplier", false),
        new Periodicity(
            Keys.doubleBetween(c, P + "periodicity.bonus", 0, 1e9),
            Keys.intIn(c, P + "periodicity.min-purchase-days", 2, 100_000),
            Keys.doubleIn(c, P + "periodicity.max-median-interval-days", 0, 100_000),
            Keys.doubleBetween(c, P + "periodicity.max-interval-cv", 0, 1000)),
        new CustomerTypes(
            Keys.doubleBetween(c, P + "customer-type.natural", 0, MAX_WEIGHT),
            Keys.doubleBetween(c, P + "customer-type.legal", 0, MAX_WEIGHT),
            weights(c, P + "customer-type.legal-kind")),
        InteractionRule.listFrom(c, P + "interactions"),
        Keys.doubleBetween(c, P + "employer-share", 0, 1),
        TierSettings.from(c, P + "tiers"),
        SpecialGroupSettings.from(c, P + "special"));
  }

  /** Bands in strictly ascending order of `from`; steps must start at 0. */
  private static List<Band> bands(
      Config c, String path, String fromKey, String valueKey, boolean startAtZero) {
    List<Band> bands =
        Item.list(c, path, fromKey, valueKey).stream()
            .map(
                i ->
                    new Band(
                        i.number(fromKey, -1e12, 1e12), i.number(valueKey, 0, Double.MAX_VALUE)))
            .toList();
    for (int i = 1; i < bands.size(); i++) {
      if (bands.get(i).from() <= bands.get(i - 1).from()) {
        throw Keys.bad(
            path, render(bands, fromKey), "bands in strictly ascending '" + fromKey + "'");
      }
    }
    if (startAtZero && (bands.isEmpty() || bands.get(0).from() != 0)) {
      throw Keys.bad(path, render(bands, fromKey), "steps whose first '" + fromKey + "' is 0");
    }
    return bands;
  }

  private static String render(List<Band> bands, String fromKey) {
    return bands.stream().map(b -> fromKey + " = " + b.from()).toList().toString();
  }

  private static Map<String, Double> weights(Config c, String path) {
    Map<String, Double> weights = new LinkedHashMap<>();
    Keys.stringMap(c, path)
        .forEach(
            (key, value) -> {
              try {
                double w = Double.parseDouble(value);
                if (!(w >= 0 && w <= MAX_WEIGHT)) {
                  throw new NumberFormatException();
                }
                weights.put(key, w);
              } catch (NumberFormatException e) {
                throw Keys.bad(path + "." + key, value, "a weight from 0 to " + MAX_WEIGHT);
              }
            });
    return Map.copyOf(weights);
  }

  private static Map<Integer, Double> qualityWeights(Config c) {
    String path = P + "weights.quality-level";
    Map<Integer, Double> weights = new LinkedHashMap<>();
    weights(c, path)
        .forEach(
            (level, w) -> {
              try {
                weights.put(Integer.parseInt(level.replace("\"", "")), w);
              } catch (NumberFormatException e) {
                throw Keys.bad(path + "." + level, w, "a quality level (an integer) as the key");
              }
            });
    return Map.copyOf(weights);
  }
}
