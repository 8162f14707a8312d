"""The single-machine reference for the benchmark: BG/NBD and Gamma-Gamma fitted with numpy/scipy on
the compressed statistics (distinct x, t_x, T with counts; distinct x, mean spend with counts) that
the benchmark exports. Vectorised log-likelihoods, scipy BFGS over log-parameters from the same three
starts as the Spark stage. Prints one line per model: seconds, parameters, log-likelihood."""
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln


def bgnbd(path, unit):
    x, tx, t, n = np.loadtxt(path, delimiter=",", skiprows=1, unpack=True)
    tx, t = tx / unit, t / unit
    total = n.sum()
    repeat = x > 0

    def nll(log_params):
        r, alpha, a, b = np.exp(log_params)
        c = (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + gammaln(a + b) + gammaln(b + x)
             - gammaln(b) - gammaln(a + b + x))
        a3 = -(r + x) * np.log(alpha + t)
        a4 = np.where(repeat, np.log(a) - np.log(np.maximum(b + x - 1, 1e-300))
                      - (r + x) * np.log(alpha + tx), -np.inf)
        return -np.sum(n * (c + np.logaddexp(a3, a4))) / total

    scale = max(np.sum(n * t) / total, 1e-3)
    starts = [[1, scale, 1, 1], [0.2, scale / 10, 0.5, 2], [2, scale * 2, 2, 8]]
    return fit(nll, starts, total, len(x))


def gamma_gamma(path):
    x, m, n = np.loadtxt(path, delimiter=",", skiprows=1, unpack=True)
    keep = m > 0
    x, m, n = x[keep], m[keep], n[keep]
    total = n.sum()

    def nll(log_params):
        p, q, g = np.exp(log_params)
        ll = (gammaln(p * x + q) - gammaln(p * x) - gammaln(q) + q * np.log(g)
              + (p * x - 1) * np.log(m) + p * x * np.log(x) - (p * x + q) * np.log(g + x * m))
        return -np.sum(n * ll) / total

    mean = max(np.sum(n * m) / total, 1e-6)
    return fit(nll, [[1, 1, 1], [2, 3, mean], [10, 5, mean / 2]], total, len(x))


def fit(nll, starts, total, rows):
    started = time.perf_counter()
    best = min((minimize(nll, np.log(s), method="BFGS", options={"gtol": 1e-7}) for s in starts),
               key=lambda o: o.fun)
    seconds = time.perf_counter() - started
    return seconds, np.exp(best.x), -best.fun * total, rows


if __name__ == "__main__":
    directory, unit = sys.argv[1], float(sys.argv[2])
    for name, result in (("bgnbd", bgnbd(directory + "/bgnbd.csv", unit)),
                         ("gamma_gamma", gamma_gamma(directory + "/gamma_gamma.csv"))):
        seconds, params, ll, rows = result
        print("%s %.3f s on %d distinct statistics: params %s, LL %.2f"
              % (name, seconds, rows, " ".join("%.4g" % v for v in params), ll))
