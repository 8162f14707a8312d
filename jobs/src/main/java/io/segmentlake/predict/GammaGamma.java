package io.segmentlake.predict;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.Arrays;
import java.util.List;

/**
 * The Gamma-Gamma model of spend per purchase (Fader and Hardie 2013) on compressed statistics: the
 * distinct (x, mean repeat spend) of the customers with repeat purchases, with how many customers
 * have each.
 */
final class GammaGamma extends Likelihood {
  static final String MODEL = "gamma_gamma";
  static final List<String> PARAMETERS = List.of("p", "q", "gamma");

  private final int[] xIndex;
  private final double[] xs;
  private final double[] m;
  private final double[] lnM;

  /** Distinct statistics: repeat purchases x (> 0), mean repeat spend m (> 0), customers. */
  GammaGamma(int[] x, double[] m, double[] count) {
    super(MODEL, PARAMETERS, count);
    double[] xd = Arrays.stream(x).asDoubleStream().toArray();
    this.xs = Arrays.stream(xd).distinct().sorted().toArray();
    this.xIndex = Arrays.stream(xd).mapToInt(v -> Arrays.binarySearch(xs, v)).toArray();
    this.m = m.clone();
    this.lnM = Arrays.stream(m).map(Math::log).toArray();
  }

  /** Fits by maximum likelihood from the default starts. */
  Fit fit(int maxIterations, double tolerance) {
    double mean = 0;
    for (int i = 0; i < m.length; i++) {
      mean += count[i] * m[i] / customers;
    }
    double scale = Math.max(mean, 1e-6);
    return fit(
        List.of(
            new double[] {1, 1, 1}, new double[] {2, 3, scale}, new double[] {10, 5, scale / 2}),
        maxIterations,
        tolerance);
  }

  /**
   * −LL / customers over log-parameters, and its gradient. Per customer: LL = ln Γ(px+q) − ln Γ(px)
   * − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + x m).
   */
  @Override
  double meanNegativeLogLikelihood(double[] logParams, double[] gradient) {
    double p = Math.exp(logParams[0]);
    double q = Math.exp(logParams[1]);
    double gamma = Math.exp(logParams[2]);
    double lnGamma = Math.log(gamma);
    double lgq = logGamma(q);
    double psiQ = digamma(q);
    double[] c = new double[xs.length];
    double[] cp = new double[xs.length];
    double[] cq = new double[xs.length];
    for (int j = 0; j < xs.length; j++) {
      double x = xs[j];
      double px = p * x;
      double lnX = Math.log(x);
      c[j] = logGamma(px + q) - logGamma(px) - lgq + q * lnGamma + px * lnX;
      cp[j] = x * (digamma(px + q) - digamma(px) + lnX);
      cq[j] = digamma(px + q) - psiQ + lnGamma;
    }
    double[] sums =
        ChunkedSums.of(
            count.length,
            4,
            (from, to, out) -> {
              for (int i = from; i < to; i++) {
                int j = xIndex[i];
                double x = xs[j];
                double n = count[i];
                double px = p * x;
                double spend = gamma + x * m[i];
                double lnSpend = Math.log(spend);
                out[0] += n * (c[j] + (px - 1) * lnM[i] - (px + q) * lnSpend);
                out[1] += n * (cp[j] + x * lnM[i] - x * lnSpend);
                out[2] += n * (cq[j] - lnSpend);
                out[3] += n * (q / gamma - (px + q) / spend);
              }
            });
    double ll = sums[0];
    double gp = sums[1];
    double gq = sums[2];
    double gg = sums[3];
    gradient[0] = -gp * p / customers;
    gradient[1] = -gq * q / customers;
    gradient[2] = -gg * gamma / customers;
    return -ll / customers;
  }
}
