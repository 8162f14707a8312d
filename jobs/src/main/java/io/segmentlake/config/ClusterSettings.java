package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * K-means clusters: the features, k (fixed, or the best silhouette in a range on a bounded sample),
 * the seed, the iteration limits and how far a centroid may move and keep its id.
 */
public record ClusterSettings(
    List<Feature> features,
    OptionalInt fixedK,
    int kMin,
    int kMax,
    long seed,
    int starts,
    int silhouetteSample,
    int maxIterations,
    double tolerance,
    double maxMatchDistance) {

  /** A behavioural feature a customer is clustered on. */
  public enum Feature {
    RECENCY,
    FREQUENCY,
    MONETARY,
    PURCHASE_RATE,
    SPEND_RATE,
    AVERAGE_ORDER_VALUE,
    MARGIN,
    POINTS,
    MEDIAN_INTERVAL,
    TENURE,
    WEB_SHARE
  }

  /** Reads and validates segmentlake.clusters. */
  static ClusterSettings from(Config c) {
    String p = "segmentlake.clusters";
    String k = Keys.string(c, p + ".k").trim();
    OptionalInt fixed = OptionalInt.empty();
    if (!k.equals("auto")) {
      try {
        fixed = OptionalInt.of(Integer.parseInt(k));
      } catch (NumberFormatException e) {
        throw Keys.bad(p + ".k", k, "auto or a number of clusters from 2 to 50");
      }
      if (fixed.getAsInt() < 2 || fixed.getAsInt() > 50) {
        throw Keys.bad(p + ".k", k, "auto or a number of clusters from 2 to 50");
      }
    }
    int kMin = Keys.intIn(c, p + ".k-min", 2, 50);
    int kMax = Keys.intIn(c, p + ".k-max", 2, 50);
    if (kMax < kMin) {
      throw Keys.bad(p + ".k-max", kMax, "at least k-min (" + kMin + ")");
    }
    return new ClusterSettings(
        features(c, p + ".features"),
        fixed,
        kMin,
        kMax,
        Keys.longIn(c, p + ".seed", Long.MIN_VALUE, Long.MAX_VALUE),
        Keys.intIn(c, p + ".starts", 1, 100),
        Keys.intIn(c, p + ".silhouette-sample", 100, 200_000),
        Keys.intIn(c, p + ".max-iterations", 1, 10_000),
        Keys.doubleIn(c, p + ".tolerance", 0, 1),
        Keys.doubleBetween(c, p + ".max-match-distance", 0, 1000));
  }

  private static List<Feature> features(Config c, String path) {
    List<Feature> features = new ArrayList<>();
    for (String name : Keys.strings(c, path)) {
      Feature f = Keys.oneOf(path, name, Feature.class);
      if (features.contains(f)) {
        throw Keys.bad(path, Keys.strings(c, path), "each feature once");
      }
      features.add(f);
    }
    if (features.isEmpty()) {
      throw Keys.bad(path, features, "at least one feature");
    }
    return List.copyOf(features);
  }
}
