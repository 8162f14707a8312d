package io.segmentlake.predict;

/**
 * Minimises a smooth function of a few variables within a box |x_i| ≤ bound: BFGS on the inverse
 * Hessian with a backtracking (Armijo) line search. A point outside the box, or a non-finite value,
 * counts as outside the domain: the step is shortened.
 */
final class Bfgs {
  /** A function and its gradient: returns f(x) and writes the gradient into {@code gradient}. */
  interface Objective {
    double valueAndGradient(double[] x, double[] gradient);
  }

  /** Where the search ended. */
  record Outcome(
      double[] x, double value, double gradientNorm, int iterations, boolean converged) {}

  /** Largest step in any coordinate (the coordinates are log-parameters). */
  private static final double MAX_STEP = 5;

  private Bfgs() {}

  /** Searches from {@code start} until the largest gradient component is below tolerance. */
  static Outcome minimise(
      Objective f, double[] start, double bound, int maxIterations, double tolerance) {
    int n = start.length;
    double[] x = start.clone();
    double[] g = new double[n];
    double fx = f.valueAndGradient(x, g);
    if (!Double.isFinite(fx)) {
      return new Outcome(x, fx, Double.NaN, 0, false);
    }
    double[][] h = identity(n);
    boolean fresh = true;
    int iteration = 0;
    while (iteration < maxIterations && norm(g) >= tolerance) {
      iteration++;
      double[] d = times(h, g, -1);
      double slope = dot(g, d);
      if (!(slope < 0)) {
        h = identity(n);
        fresh = true;
        d = times(h, g, -1);
        slope = dot(g, d);
      }
      double step = Math.min(1, MAX_STEP / norm(d));
      double[] next = new double[n];
      double[] gNext = new double[n];
      double fNext = Double.NaN;
      while (step > 1e-20) {
        for (int i = 0; i < n; i++) {
          next[i] = x[i] + step * d[i];
        }
        fNext = norm(next) <= bound ? f.valueAndGradient(next, gNext) : Double.NaN;
        // The small allowance keeps the search moving where f is flat to rounding.
        if (Double.isFinite(fNext) && fNext <= fx + 1e-4 * step * slope + 1e-15 * Math.abs(fx)) {
          break;
        }
        step /= 2;
      }
      if (step <= 1e-20) {
        if (fresh) {
          break;
        }
        h = identity(n);
        fresh = true;
        continue;
      }
      double[] s = new double[n];
      double[] y = new double[n];
      for (int i = 0; i < n; i++) {
        s[i] = next[i] - x[i];
        y[i] = gNext[i] - g[i];
      }
      double sy = dot(s, y);
      if (sy > 1e-300) {
        if (fresh) {
          double scale = sy / dot(y, y);
          h = identity(n);
          for (int i = 0; i < n; i++) {
            h[i][i] = scale;
          }
        }
        h = update(h, s, y, sy);
        fresh = false;
      }
      x = next;
      g = gNext;
      fx = fNext;
    }
    double gn = norm(g);
    return new Outcome(x, fx, gn, iteration, gn < tolerance);
  }

  /** H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / sᵀy. */
  private static double[][] update(double[][] h, double[] s, double[] y, double sy) {
    int n = s.length;
    double rho = 1 / sy;
    double[] hy = times(h, y, 1);
    double yhy = dot(y, hy);
    double[][] out = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        out[i][j] =
            h[i][j] - rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
      }
    }
    return out;
  }

  private static double[][] identity(int n) {
    double[][] m = new double[n][n];
    for (int i = 0; i < n; i++) {
      m[i][i] = 1;
    }
    return m;
  }

  private static double[] times(double[][] m, double[] v, double sign) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      for (int j = 0; j < v.length; j++) {
        out[i] += sign * m[i][j] * v[j];
      }
    }
    return out;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  private static double norm(double[] v) {
    double m = 0;
    for (double e : v) {
      m = Math.max(m, Math.abs(e));
    }
    return m;
  }
}
