package io.segmentlake.predict;

import java.util.Arrays;
import java.util.List;

/**
 * A model's log-likelihood over compressed statistics (distinct statistics with the number of
 * customers that have each); fitting and evaluating it is the same for every model.
 */
abstract class Likelihood {
  private final String model;
  private final List<String> parameters;

  /** Customers per distinct statistic. */
  final double[] count;

  /** Customers the statistics stand for. */
  final double customers;

  Likelihood(String model, List<String> parameters, double[] count) {
    this.model = model;
    this.parameters = parameters;
    this.count = count.clone();
    this.customers = Arrays.stream(count).sum();
  }

  /** −LL / customers over log-parameters; writes the gradient. */
  abstract double meanNegativeLogLikelihood(double[] logParams, double[] gradient);

  /** Fits by maximum likelihood from the given starts (natural parameters). */
  final Fit fit(List<double[]> starts, int maxIterations, double tolerance) {
    return Fit.best(
        model,
        parameters,
        this::meanNegativeLogLikelihood,
        starts,
        customers,
        count.length,
        maxIterations,
        tolerance);
  }

  /** The total log-likelihood at the given (natural) parameters. */
  final double logLikelihood(double... params) {
    double[] log = Arrays.stream(params).map(Math::log).toArray();
    return -meanNegativeLogLikelihood(log, new double[params.length]) * customers;
  }
}
