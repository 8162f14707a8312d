package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.MODEL;
import static io.segmentlake.predict.PredictColumns.PARAMETER;
import static io.segmentlake.predict.PredictColumns.VALUE;

import io.segmentlake.Money;
import io.segmentlake.config.PredictSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The predict stage: used invoice lines in; customer_predictions, model_params and (with a holdout)
 * model_holdout out.
 */
public final class PredictStage {
  private static final StructType PARAMS =
      new StructType()
          .add(MODEL, DataTypes.StringType, false)
          .add(PARAMETER, DataTypes.StringType, false)
          .add(VALUE, DataTypes.DoubleType, true);

  private PredictStage() {}

  /** What the stage produced; release() frees what it cached. */
  public record Result(
      Dataset<Row> predictions,
      Dataset<Row> params,
      Optional<Dataset<Row>> holdout,
      long customers,
      Map<String, Object> summary,
      List<String> warnings,
      String description,
      Runnable release) {}

  /**
   * The per-customer scores of customer_predictions for these settings, in order (without the model
   * inputs x, t_x, T): what customer_segments carries of the predictions.
   */
  public static StructType scoreColumns(PredictSettings s) {
    StructType t = new StructType().add(PredictColumns.P_ALIVE, DataTypes.DoubleType);
    for (int h : s.horizonsDays()) {
      t = t.add(PredictColumns.expectedPurchases(h), DataTypes.DoubleType);
    }
    t = t.add(PredictColumns.noPurchase(s.noPurchaseDays()), DataTypes.DoubleType);
    t = t.add(PredictColumns.EXPECTED_AVG_SPEND, Money.TYPE);
    for (int h : s.horizonsDays()) {
      t = t.add(PredictColumns.clv(h), Money.TYPE);
    }
    return t.add(PredictColumns.CHURN_RISK, DataTypes.StringType);
  }

  /** Fits both models on the purchases up to the as-of date and scores every customer. */
  public static Result run(Dataset<Row> usedInvoices, LocalDate asOf, PredictSettings s) {
    Dataset<Row> summaries =
        Summaries.calibration(usedInvoices, asOf, asOf).persist(StorageLevel.MEMORY_AND_DISK());
    long started = System.nanoTime();
    Fit bg = Models.bgnbd(summaries, s, "up to " + asOf);
    Models.Spend spend = Models.gammaGamma(summaries, s);
    double fitSeconds = (System.nanoTime() - started) / 1e9;
    Optional<Fit> gg = spend.fit();
    List<Row> params = new ArrayList<>(rows(bg.model(), bg));
    params.add(RowFactory.create(BgNbd.MODEL, "time_unit_days", (double) s.timeUnit().days()));
    gg.ifPresent(g -> params.addAll(spendRows(g, spend)));
    Optional<Holdout.Result> holdout =
        s.holdoutDays() > 0
            ? Optional.of(Holdout.validate(usedInvoices, asOf, s))
            : Optional.empty();
    holdout.ifPresent(h -> params.addAll(holdoutRows(h)));
    List<String> warnings = warnings(bg, spend, s);
    holdout
        .filter(h -> !h.fit().converged())
        .ifPresent(
            h ->
                warnings.add(
                    "predict: the holdout's calibration fit did not converge; see model_params"
                        + " (bgnbd_calibration)"));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("customers", (long) bg.customers());
    summary.put("time_unit", s.timeUnit().name().toLowerCase(Locale.ROOT));
    summary.put("fit_seconds_with_statistics", fitSeconds);
    summary.put(BgNbd.MODEL, fitSummary(bg));
    gg.ifPresent(g -> summary.put(GammaGamma.MODEL, fitSummary(g)));
    summary.put("frequency_spend_correlation", spend.correlation());
    holdout.ifPresent(h -> summary.put("holdout", h.figures()));
    summary.put("warnings", warnings);
    SparkSession spark = usedInvoices.sparkSession();
    return new Result(
        Scoring.score(summaries, bg, gg, s),
        spark.createDataFrame(params, PARAMS),
        holdout.map(h -> spark.createDataFrame(h.bins(), Holdout.BINS)),
        (long) bg.customers(),
        summary,
        warnings,
        describe(bg) + gg.map(g -> "; " + describe(g)).orElse(""),
        summaries::unpersist);
  }

  private static List<String> warnings(Fit bg, Models.Spend spend, PredictSettings s) {
    List<String> warnings = new ArrayList<>();
    Double correlation = spend.correlation();
    if (correlation != null && Math.abs(correlation) > s.correlationWarning()) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "predict: frequency and spend per purchase correlate (%.3f, above %.2f): the"
                  + " Gamma-Gamma independence assumption is doubtful",
              correlation,
              s.correlationWarning()));
    }
    if (spend.fit().isEmpty()) {
      warnings.add("predict: fewer than 2 customers with repeat purchases: no spend or CLV");
    } else if (spend.fit().get().value("q") <= 1) {
      warnings.add(
          "predict: Gamma-Gamma q <= 1 (the population's mean spend is unbounded): no spend or"
              + " CLV for customers with few purchases");
    }
    for (Fit f : spend.fit().isPresent() ? List.of(bg, spend.fit().get()) : List.of(bg)) {
      if (!f.converged()) {
        warnings.add("predict: the " + f.model() + " fit did not converge; see model_params");
      }
    }
    return warnings;
  }

  private static List<Row> rows(String model, Fit fit) {
    return fit.rows().stream().map(r -> RowFactory.create(model, r[0], r[1])).toList();
  }

  private static List<Row> spendRows(Fit gg, Models.Spend spend) {
    List<Row> rows = new ArrayList<>(rows(gg.model(), gg));
    double q = gg.value("q");
    rows.add(
        RowFactory.create(
            GammaGamma.MODEL,
            "population_mean_spend",
            q > 1 ? gg.value("p") * gg.value("gamma") / (q - 1) : null));
    rows.add(
        RowFactory.create(GammaGamma.MODEL, "frequency_spend_correlation", spend.correlation()));
    rows.add(
        RowFactory.create(
            GammaGamma.MODEL, "customers_excluded_non_positive_spend", (double) spend.excluded()));
    return rows;
  }

  private static List<Row> holdoutRows(Holdout.Result h) {
    List<Row> rows = new ArrayList<>(rows(BgNbd.MODEL + "_calibration", h.fit()));
    h.figures().forEach((k, v) -> rows.add(RowFactory.create(BgNbd.MODEL + "_holdout", k, v)));
    return rows;
  }

  /** For the progress line: "bgnbd r=0.243 alpha=4.41 … (converged in 21 iterations)". */
  private static String describe(Fit f) {
    StringBuilder b = new StringBuilder(f.model());
    for (int i = 0; i < f.names().size(); i++) {
      b.append(String.format(Locale.ROOT, " %s=%.4g", f.names().get(i), f.values()[i]));
    }
    return b.append(
            f.converged()
                ? " (converged in " + f.iterations() + " iterations)"
                : " (NOT converged after " + f.iterations() + " iterations)")
        .toString();
  }

  private static Map<String, Object> fitSummary(Fit f) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < f.names().size(); i++) {
      m.put(f.names().get(i), f.values()[i]);
    }
    m.put("log_likelihood", f.logLikelihood());
    m.put("iterations", f.iterations());
    m.put("converged", f.converged());
    m.put("starts_converged", f.startsConverged() + " of " + f.starts());
    m.put("distinct_statistics", f.statistics());
    m.put("optimiser_seconds", f.seconds());
    return m;
  }
}
