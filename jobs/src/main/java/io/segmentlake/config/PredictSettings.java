package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.List;

/**
 * BG/NBD and Gamma-Gamma predictions: the time unit, the horizons, CLV discounting, churn bands,
 * holdout validation and the optimiser's limits.
 */
public record PredictSettings(
    TimeUnit timeUnit,
    List<Integer> horizonsDays,
    double discountRateAnnual,
    int clvStepDays,
    int noPurchaseDays,
    double highRiskFrom,
    double mediumRiskFrom,
    int holdoutDays,
    int maxIterations,
    double gradientTolerance,
    double correlationWarning) {

  /** The unit of x, t_x and T. */
  public enum TimeUnit {
    DAYS(1),
    WEEKS(7);

    private final int days;

    TimeUnit(int days) {
      this.days = days;
    }

    /** Days in one unit. */
    public int days() {
      return days;
    }
  }

  /** Most CLV steps up to the longest horizon (each is one series column per distinct age). */
  static final int MAX_CLV_STEPS = 120;

  /** Reads and validates segmentlake.predict. */
  static PredictSettings from(Config c) {
    String p = "segmentlake.predict";
    List<Integer> horizons = horizons(c, p + ".horizons-days");
    int step = Keys.intIn(c, p + ".clv-step-days", 1, 3660);
    int longest = horizons.get(horizons.size() - 1);
    if (longest > (long) step * MAX_CLV_STEPS) {
      throw Keys.bad(
          p + ".clv-step-days",
          step,
          "at least "
              + (longest + MAX_CLV_STEPS - 1) / MAX_CLV_STEPS
              + " days (at most "
              + MAX_CLV_STEPS
              + " steps up to the longest horizon, "
              + longest
              + " days)");
    }
    double high = Keys.doubleBetween(c, p + ".churn-risk.high-from", 0, 1);
    double medium = Keys.doubleBetween(c, p + ".churn-risk.medium-from", 0, 1);
    if (medium > high) {
      throw Keys.bad(
          p + ".churn-risk.medium-from", medium, "at most churn-risk.high-from (" + high + ")");
    }
    return new PredictSettings(
        Keys.oneOf(c, p + ".time-unit", TimeUnit.class),
        horizons,
        Keys.doubleBetween(c, p + ".discount-rate-annual", 0, 10),
        step,
        Keys.intIn(c, p + ".no-purchase-days", 1, 36_600),
        high,
        medium,
        Keys.intIn(c, p + ".holdout-days", 0, 36_600),
        Keys.intIn(c, p + ".fit.max-iterations", 10, 100_000),
        Keys.doubleIn(c, p + ".fit.gradient-tolerance", 0, 1),
        Keys.doubleBetween(c, p + ".gamma-gamma-correlation-warning", 0, 1));
  }

  /** The same settings with another holdout length (the --holdout-days option). */
  public PredictSettings withHoldoutDays(int days) {
    return new PredictSettings(
        timeUnit,
        horizonsDays,
        discountRateAnnual,
        clvStepDays,
        noPurchaseDays,
        highRiskFrom,
        mediumRiskFrom,
        days,
        maxIterations,
        gradientTolerance,
        correlationWarning);
  }

  private static List<Integer> horizons(Config c, String path) {
    List<Double> values =
        Keys.optionalNumbers(c, path).orElseThrow(() -> Keys.bad(path, null, "a list of days"));
    if (values.isEmpty()) {
      throw Keys.bad(path, values, "at least one horizon");
    }
    for (int i = 0; i < values.size(); i++) {
      double v = values.get(i);
      if (v != Math.rint(v) || v < 1 || v > 36_600 || (i > 0 && v <= values.get(i - 1))) {
        throw Keys.bad(path, values, "ascending whole numbers of days from 1 to 36600");
      }
    }
    return values.stream().map(Double::intValue).toList();
  }
}
