package io.segmentlake.config;

import com.typesafe.config.Config;
import io.segmentlake.JobFailure;
import java.util.List;
import java.util.Optional;

/** How RFM measures are scored and named. */
public record RfmSettings(
    Method method,
    int bins,
    int lookbackDays,
    double relativeError,
    RfmThresholds thresholds,
    List<SegmentRule> segments) {

  /** The segment of a customer whom no rule matches. */
  public static final String OTHERS = "Others";

  /** Every segment a customer can be given: the rules' names, then {@link #OTHERS}. */
  public List<String> segmentNames() {
    List<String> names =
        new java.util.ArrayList<>(segments.stream().map(SegmentRule::name).toList());
    names.add(OTHERS);
    return names;
  }

  /** Scoring methods. */
  public enum Method {
    QUANTILE,
    THRESHOLDS
  }

  /** Reads segmentlake.rfm and checks that thresholds and segment rules fit the number of bins. */
  static RfmSettings from(Config c) {
    int bins = Keys.intIn(c, "segmentlake.rfm.bins", 2, 9);
    Method method = Keys.oneOf(c, "segmentlake.rfm.method", Method.class);
    RfmThresholds thresholds = RfmThresholds.from(c, bins);
    if (method == Method.THRESHOLDS && !thresholds.isComplete()) {
      throw JobFailure.usage(
          "segmentlake.rfm.method = thresholds needs segmentlake.rfm.thresholds.recency, "
              + ".frequency and .monetary, each a list of "
              + (bins - 1)
              + " ascending cut points");
    }
    return new RfmSettings(
        method,
        bins,
        Keys.intIn(c, "segmentlake.rfm.lookback-days", 1, 100_000),
        Keys.doubleIn(c, "segmentlake.rfm.relative-error", 0, 0.1),
        thresholds,
        SegmentRule.listFrom(c, "segmentlake.rfm.segments", bins));
  }

  /** Configured cut points, when method = thresholds. */
  public record RfmThresholds(
      Optional<List<Double>> recency,
      Optional<List<Double>> frequency,
      Optional<List<Double>> monetary,
      RecencyUnit recencyUnit,
      Period frequencyPer,
      Period monetaryPer) {

    /** Units for recency cut points. */
    public enum RecencyUnit {
      DAYS,
      WEEKS,
      MONTHS
    }

    /**
     * Whether frequency or monetary cut points apply to the window's total or to an average per
     * period.
     */
    public enum Period {
      TOTAL,
      WEEK,
      MONTH,
      YEAR
    }

    static RfmThresholds from(Config c, int bins) {
      String p = "segmentlake.rfm.thresholds.";
      return new RfmThresholds(
          cuts(c, p + "recency", bins),
          cuts(c, p + "frequency", bins),
          cuts(c, p + "monetary", bins),
          Keys.oneOf(c, p + "recency-unit", RecencyUnit.class),
          Keys.oneOf(c, p + "frequency-per", Period.class),
          Keys.oneOf(c, p + "monetary-per", Period.class));
    }

    boolean isComplete() {
      return recency.isPresent() && frequency.isPresent() && monetary.isPresent();
    }

    private static Optional<List<Double>> cuts(Config c, String path, int bins) {
      Optional<List<Double>> cuts = Keys.optionalNumbers(c, path);
      cuts.ifPresent(
          list -> {
            boolean ascending = true;
            for (int i = 1; i < list.size(); i++) {
              ascending &= list.get(i) > list.get(i - 1);
            }
            if (list.size() != bins - 1 || !ascending) {
              throw Keys.bad(path, list, (bins - 1) + " strictly ascending cut points");
            }
          });
      return cuts;
    }
  }
}
