package io.segmentlake.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * A maximum-likelihood fit: the parameters by name, the total log-likelihood, and how the best of
 * the optimiser's starts ended.
 */
record Fit(
    String model,
    List<String> names,
    double[] values,
    double logLikelihood,
    int iterations,
    boolean converged,
    int startsConverged,
    int starts,
    double customers,
    int statistics,
    double seconds) {

  /** Log-parameters stay within ±20: every parameter between 2e-9 and 4.9e8. */
  private static final double LOG_BOUND = 20;

  /** The parameter called {@code name}. */
  double value(String name) {
    return values[names.indexOf(name)];
  }

  /**
   * Minimises {@code meanNegativeLogLikelihood} (over log-parameters) from every start and keeps
   * the lowest value (its own convergence is reported); a start is given in natural parameters and
   * moved inside the box if outside.
   */
  static Fit best(
      String model,
      List<String> names,
      Bfgs.Objective meanNegativeLogLikelihood,
      List<double[]> starts,
      double customers,
      int statistics,
      int maxIterations,
      double tolerance) {
    long started = System.nanoTime();
    Bfgs.Outcome best = null;
    int converged = 0;
    for (double[] start : starts) {
      double[] logStart = new double[start.length];
      for (int i = 0; i < start.length; i++) {
        logStart[i] = Math.max(-LOG_BOUND, Math.min(LOG_BOUND, Math.log(start[i])));
      }
      Bfgs.Outcome o =
          Bfgs.minimise(meanNegativeLogLikelihood, logStart, LOG_BOUND, maxIterations, tolerance);
      converged += o.converged() ? 1 : 0;
      if (Double.isFinite(o.value()) && (best == null || o.value() < best.value())) {
        best = o;
      }
    }
    if (best == null) {
      throw new IllegalStateException(model + ": the log-likelihood is not finite at any start");
    }
    double[] values = new double[best.x().length];
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(best.x()[i]);
    }
    return new Fit(
        model,
        names,
        values,
        -best.value() * customers,
        best.iterations(),
        best.converged(),
        converged,
        starts.size(),
        customers,
        statistics,
        (System.nanoTime() - started) / 1e9);
  }

  /** The model_params rows of this fit: (parameter, value). */
  List<Object[]> rows() {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      rows.add(new Object[] {names.get(i), values[i]});
    }
    rows.add(new Object[] {"log_likelihood", logLikelihood});
    rows.add(new Object[] {"iterations", (double) iterations});
    rows.add(new Object[] {"converged", converged ? 1.0 : 0.0});
    rows.add(new Object[] {"starts", (double) starts});
    rows.add(new Object[] {"starts_converged", (double) startsConverged});
    rows.add(new Object[] {"customers", customers});
    rows.add(new Object[] {"distinct_statistics", (double) statistics});
    return rows;
  }
}
