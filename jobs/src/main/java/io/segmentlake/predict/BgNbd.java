package io.segmentlake.predict;

import static org.apache.commons.math3.special.Gamma.digamma;
import static org.apache.commons.math3.special.Gamma.logGamma;

import java.util.Arrays;
import java.util.List;

/**
 * The BG/NBD model (Fader, Hardie and Lee 2005) on compressed statistics: the distinct (x, t_x, T)
 * of the customers with how many customers have each. Its work grows with the number of distinct
 * statistics, not with the base.
 */
final class BgNbd extends Likelihood {
  static final String MODEL = "bgnbd";
  static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b");

  private final int[] xIndex;
  private final int[] tIndex;
  private final int[] txIndex;
  private final double[] xs;
  private final double[] ts;
  private final double[] txs;

  /**
   * Distinct statistics: repeat purchases x, time of the last repeat purchase t_x and age T (in the
   * time unit), and the number of customers with them.
   */
  BgNbd(int[] x, double[] tx, double[] t, double[] count) {
    super(MODEL, PARAMETERS, count);
    this.xs = distinct(Arrays.stream(x).asDoubleStream().toArray());
    this.ts = distinct(t);
    this.txs = distinct(tx);
    this.xIndex = indexes(Arrays.stream(x).asDoubleStream().toArray(), xs);
    this.tIndex = indexes(t, ts);
    this.txIndex = indexes(tx, txs);
  }

  /** Fits by maximum likelihood from the default starts. */
  Fit fit(int maxIterations, double tolerance) {
    double meanT = 0;
    for (int i = 0; i < count.length; i++) {
      meanT += count[i] * ts[tIndex[i]] / customers;
    }
    double scale = Math.max(meanT, 1e-3);
    return fit(
        List.of(
            new double[] {1, scale, 1, 1},
            new double[] {0.2, scale / 10, 0.5, 2},
            new double[] {2, scale * 2, 2, 8}),
        maxIterations,
        tolerance);
  }

  /**
   * −LL / customers over log-parameters, and its gradient. Per customer (FHL 2005, eq. 6): LL = ln
   * Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b) + ln(e^A3 + δ(x>0) e^A4), with A3 =
   * −(r+x) ln(α+T) and A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x); the terms in x alone are computed
   * once per distinct x, the logarithms once per distinct T and t_x.
   */
  @Override
  double meanNegativeLogLikelihood(double[] logParams, double[] gradient) {
    double r = Math.exp(logParams[0]);
    double alpha = Math.exp(logParams[1]);
    double a = Math.exp(logParams[2]);
    double b = Math.exp(logParams[3]);
    int nx = xs.length;
    double[] c = new double[nx];
    double[] cr = new double[nx];
    double[] ca = new double[nx];
    double[] cb = new double[nx];
    double[] lnB = new double[nx];
    double lnAlpha = Math.log(alpha);
    double common = logGamma(a + b) - logGamma(b) - logGamma(r);
    double psiAb = digamma(a + b);
    for (int j = 0; j < nx; j++) {
      double x = xs[j];
      c[j] = logGamma(r + x) + r * lnAlpha + common + logGamma(b + x) - logGamma(a + b + x);
      cr[j] = digamma(r + x) - digamma(r) + lnAlpha;
      ca[j] = psiAb - digamma(a + b + x);
      cb[j] = psiAb + digamma(b + x) - digamma(b) - digamma(a + b + x);
      lnB[j] = x > 0 ? Math.log(b + x - 1) : 0;
    }
    double[] lnT = logsOfSum(alpha, ts);
    double[] lnTx = logsOfSum(alpha, txs);
    double[] invT = inversesOfSum(alpha, ts);
    double[] invTx = inversesOfSum(alpha, txs);
    double lnA = Math.log(a);
    double[] sums =
        ChunkedSums.of(
            count.length,
            5,
            (from, to, out) -> {
              for (int i = from; i < to; i++) {
                int j = xIndex[i];
                double x = xs[j];
                double n = count[i];
                double rx = r + x;
                double lnAt = lnT[tIndex[i]];
                double a3 = -rx * lnAt;
                double dAlpha3 = -rx * invT[tIndex[i]];
                double lse = a3;
                double w4 = 0;
                double dAlpha4 = 0;
                double dr4 = 0;
                if (x > 0) {
                  double lnAtx = lnTx[txIndex[i]];
                  double a4 = lnA - lnB[j] - rx * lnAtx;
                  double m = Math.max(a3, a4);
                  double e3 = Math.exp(a3 - m);
                  double e4 = Math.exp(a4 - m);
                  lse = m + Math.log(e3 + e4);
                  w4 = e4 / (e3 + e4);
                  dAlpha4 = -rx * invTx[txIndex[i]];
                  dr4 = -lnAtx;
                }
                double w3 = 1 - w4;
                out[0] += n * (c[j] + lse);
                out[1] += n * (cr[j] - w3 * lnAt + w4 * dr4);
                out[2] += n * (r / alpha + w3 * dAlpha3 + w4 * dAlpha4);
                out[3] += n * (ca[j] + w4 / a);
                out[4] += n * (cb[j] - (x > 0 ? w4 / (b + x - 1) : 0));
              }
            });
    gradient[0] = -sums[1] * r / customers;
    gradient[1] = -sums[2] * alpha / customers;
    gradient[2] = -sums[3] * a / customers;
    gradient[3] = -sums[4] * b / customers;
    return -sums[0] / customers;
  }

  private static double[] inversesOfSum(double alpha, double[] values) {
    double[] out = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      out[k] = 1 / (alpha + values[k]);
    }
    return out;
  }

  private static double[] logsOfSum(double alpha, double[] values) {
    double[] out = new double[values.length];
    for (int k = 0; k < values.length; k++) {
      out[k] = Math.log(alpha + values[k]);
    }
    return out;
  }

  private static double[] distinct(double[] values) {
    return Arrays.stream(values).distinct().sorted().toArray();
  }

  private static int[] indexes(double[] values, double[] distinct) {
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Arrays.binarySearch(distinct, values[i]);
    }
    return out;
  }
}
