package io.segmentlake.clusters;

import io.segmentlake.config.ClusterSettings.Feature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names a person understands, from a centroid's position against the whole base (in standard
 * deviations of the transformed features) and its frequency in purchases: "Recent frequent high
 * spenders", "Lapsed one-timers", and the RFM segment the description corresponds to.
 */
final class Naming {
  /** How far from the base's mean, in standard deviations, a centroid counts as high or low. */
  static final double NOTABLE = 0.5;

  /** Tenure this far below the mean (and not lapsed) makes a cluster "New". */
  static final double NEW = 0.75;

  /** Rate or spend this far above the mean is "very frequent" or "top". */
  static final double VERY = 1.5;

  /** A cluster whose customers average fewer purchases than this is one-timers. */
  static final double ONE_TIMER_BELOW = 1.5;

  private Naming() {}

  /** A cluster's name and the RFM segment it corresponds to. */
  record Name(String name, String rfmCounterpart) {}

  /**
   * Names each cluster from its centroid (z: standardised coordinates by clustering feature) and
   * its customers' means (original units, at least recency, frequency and monetary); names that
   * would still repeat get the cluster id appended.
   */
  static List<Name> names(
      List<Map<Feature, Double>> z, List<Map<Feature, Double>> averages, int[] ids) {
    List<Name> names = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < z.size(); i++) {
      Name n = name(z.get(i), averages.get(i));
      names.add(n);
      seen.merge(n.name(), 1, Integer::sum);
    }
    for (int i = 0; i < names.size(); i++) {
      Name n = names.get(i);
      if (seen.get(n.name()) > 1) {
        names.set(i, new Name(n.name() + " (" + ids[i] + ")", n.rfmCounterpart()));
      }
    }
    return names;
  }

  /**
   * The name of one centroid; features that are not clustered on are not mentioned. How often and
   * how much a cluster buys is read from the rates when they are clustered on (they do not grow
   * with tenure), else from the totals.
   */
  static Name name(Map<Feature, Double> z, Map<Feature, Double> averages) {
    int recency = level(z.get(Feature.RECENCY)); // high recency is long ago
    int frequency = level(first(z, Feature.PURCHASE_RATE, Feature.FREQUENCY));
    int spend = level(first(z, Feature.SPEND_RATE, Feature.MONETARY, Feature.AVERAGE_ORDER_VALUE));
    Double tenure = z.get(Feature.TENURE);
    Double purchases = averages.get(Feature.FREQUENCY);
    boolean oneTimers = purchases != null && purchases < ONE_TIMER_BELOW;
    boolean lapsed = recency > 0;
    boolean recent = recency < 0;
    boolean isNew = !lapsed && tenure != null && tenure <= -NEW;
    List<String> words = new ArrayList<>();
    if (isNew) {
      words.add("new");
    } else if (recent) {
      words.add("recent");
    } else if (lapsed) {
      words.add("lapsed");
    }
    if (oneTimers) {
      if (spend != 0) {
        words.add(spend > 0 ? "high-spending" : "low-spending");
      }
      words.add("one-timers");
    } else {
      if (frequency != 0) {
        words.add(frequency > 1 ? "very frequent" : frequency > 0 ? "frequent" : "occasional");
      }
      words.add(
          spend > 1
              ? "top spenders"
              : spend > 0 ? "high spenders" : spend < 0 ? "low spenders" : "buyers");
    }
    if (words.size() == 1 && words.get(0).equals("buyers")) {
      words.set(0, "typical customers");
    }
    String name = String.join(" ", words);
    name = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1);
    return new Name(name, counterpart(isNew, recent, lapsed, oneTimers, frequency, spend));
  }

  private static String counterpart(
      boolean isNew, boolean recent, boolean lapsed, boolean oneTimers, int frequency, int spend) {
    if (isNew) {
      return "New Customers";
    }
    if (lapsed) {
      if (oneTimers) {
        return "Lost";
      }
      if (frequency > 0 && spend > 0) {
        return "Can't Lose Them";
      }
      return frequency > 0 || spend > 0 ? "At Risk" : "Hibernating";
    }
    if (recent) {
      if (oneTimers) {
        return "Promising";
      }
      if (frequency > 0) {
        return spend > 0 ? "Champions" : "Loyal";
      }
      return "Potential Loyalist";
    }
    if (oneTimers) {
      return "About To Sleep";
    }
    return frequency > 0 ? "Loyal" : "Need Attention";
  }

  /** The value of the first of the features that is clustered on, else null. */
  private static Double first(Map<Feature, Double> z, Feature... features) {
    for (Feature f : features) {
      if (z.containsKey(f)) {
        return z.get(f);
      }
    }
    return null;
  }

  /**
   * -1, 0, 1 or 2: below, near, above or far above the base's mean (0 when the feature is not
   * clustered on).
   */
  private static int level(Double z) {
    if (z == null) {
      return 0;
    }
    return z >= VERY ? 2 : z >= NOTABLE ? 1 : z <= -NOTABLE ? -1 : 0;
  }
}
