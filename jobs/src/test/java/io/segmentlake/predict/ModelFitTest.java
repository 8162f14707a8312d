package io.segmentlake.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.segmentlake.TestData;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The likelihoods and the optimiser against the published CDNOW numbers (datasets/cdnow/README.md),
 * on the exact 39-week calibration summary of the 2,357 sample customers, one customer per row.
 */
class ModelFitTest {
  private static BgNbd bgnbd;
  private static GammaGamma gammaGamma;

  @BeforeAll
  static void summary() throws IOException {
    List<String[]> rows =
        Files.readAllLines(TestData.shared("datasets/cdnow/cdnow_sample_summary_cal39w.csv"))
            .stream()
            .skip(1)
            .map(l -> l.split(","))
            .toList();
    int n = rows.size();
    int[] x = new int[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] ones = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Integer.parseInt(rows.get(i)[3]);
      tx[i] = Double.parseDouble(rows.get(i)[4]);
      t[i] = Double.parseDouble(rows.get(i)[5]);
      ones[i] = 1;
    }
    bgnbd = new BgNbd(x, tx, t, ones);
    List<String[]> repeat = rows.stream().filter(r -> !r[3].equals("0")).toList();
    gammaGamma =
        new GammaGamma(
            repeat.stream().mapToInt(r -> Integer.parseInt(r[3])).toArray(),
            repeat.stream().mapToDouble(r -> Double.parseDouble(r[6])).toArray(),
            repeat.stream().mapToDouble(r -> 1).toArray());
  }

  @Test
  void bgnbdMatchesThePublishedFit() {
    Fit fit = bgnbd.fit(500, 1e-9);
    assertThat(fit.converged()).isTrue();
    assertThat(threeFigures(fit.value("r"))).isEqualTo(threeFigures(0.243));
    assertThat(threeFigures(fit.value("alpha"))).isEqualTo(threeFigures(4.414));
    assertThat(threeFigures(fit.value("a"))).isEqualTo(threeFigures(0.793));
    assertThat(threeFigures(fit.value("b"))).isEqualTo(threeFigures(2.426));
    assertThat(fit.logLikelihood()).isCloseTo(-9582.4, within(0.05));
    assertThat(fit.customers()).isEqualTo(2357);
  }

  @Test
  void bgnbdLikelihoodAtThePublishedParameters() {
    // BTYD's parameters give LL −9582.429207 (the dataset README's reproduction).
    assertThat(bgnbd.logLikelihood(0.2425982, 4.4136842, 0.7929899, 2.4261667))
        .isCloseTo(-9582.429207, within(1e-5));
  }

  @Test
  void gammaGammaMatchesThePublishedFit() {
    Fit fit = gammaGamma.fit(500, 1e-9);
    assertThat(fit.converged()).isTrue();
    assertThat(threeFigures(fit.value("p"))).isEqualTo(threeFigures(6.25));
    assertThat(threeFigures(fit.value("q"))).isEqualTo(threeFigures(3.74));
    assertThat(threeFigures(fit.value("gamma"))).isEqualTo(threeFigures(15.44));
    assertThat(fit.logLikelihood()).isCloseTo(-4055.92, within(0.005));
    assertThat(fit.customers()).isEqualTo(946);
  }

  @Test
  void aStartFarFromTheOptimumStillConverges() {
    Fit bg = bgnbd.fit(List.<double[]>of(new double[] {50, 0.01, 30, 0.02}), 2000, 1e-9);
    assertThat(bg.converged()).isTrue();
    assertThat(threeFigures(bg.value("r"))).isEqualTo(threeFigures(0.243));
    assertThat(threeFigures(bg.value("b"))).isEqualTo(threeFigures(2.426));
    Fit gg = gammaGamma.fit(List.<double[]>of(new double[] {0.01, 200, 5000}), 2000, 1e-9);
    assertThat(gg.converged()).isTrue();
    assertThat(threeFigures(gg.value("gamma"))).isEqualTo(threeFigures(15.44));
  }

  /** The value rounded to three significant figures, as the published numbers are. */
  static double threeFigures(double value) {
    return new BigDecimal(value).round(new MathContext(3)).doubleValue();
  }
}
