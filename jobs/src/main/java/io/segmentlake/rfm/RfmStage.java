package io.segmentlake.rfm;

import static io.segmentlake.rfm.RfmColumns.CUSTOMER_ID;
import static io.segmentlake.rfm.RfmColumns.FIRST_PURCHASE_DATE;
import static io.segmentlake.rfm.RfmColumns.FREQUENCY;
import static io.segmentlake.rfm.RfmColumns.F_SCORE;
import static io.segmentlake.rfm.RfmColumns.LAST_PURCHASE_DATE;
import static io.segmentlake.rfm.RfmColumns.MONETARY;
import static io.segmentlake.rfm.RfmColumns.MONETARY_UNITS;
import static io.segmentlake.rfm.RfmColumns.M_SCORE;
import static io.segmentlake.rfm.RfmColumns.RECENCY_DAYS;
import static io.segmentlake.rfm.RfmColumns.RFM_CELL;
import static io.segmentlake.rfm.RfmColumns.RFM_SEGMENT;
import static io.segmentlake.rfm.RfmColumns.R_SCORE;
import static io.segmentlake.rfm.RfmColumns.UNITS_PER_CURRENCY;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.segmentlake.Money;
import io.segmentlake.config.RfmSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The RFM stage: used invoice lines in, rfm_scores and rfm_thresholds out. */
public final class RfmStage {
  /** Money is published as a decimal with cents. */
  private RfmStage() {}

  /** What the stage produced; release() frees the cached per-customer measures. */
  public record Result(
      Dataset<Row> scores,
      long customersScored,
      Dataset<Row> thresholds,
      Map<String, Object> summary,
      Runnable release) {}

  /**
   * Scores every customer with a purchase up to the as-of date. The per-customer measures are
   * computed once and cached: one small aggregate gives counts and quantiles, the scores reuse
   * them.
   */
  public static Result run(Dataset<Row> usedInvoices, LocalDate asOf, RfmSettings rfm) {
    Dataset<Row> measures = RfmMeasures.compute(usedInvoices, asOf, rfm.lookbackDays()).persist();
    RfmScoring.Values values = RfmScoring.values(rfm, asOf);
    RfmScoring.BaseSummary base = RfmScoring.summarize(measures, rfm);
    CutPoints cuts =
        rfm.method() == RfmSettings.Method.QUANTILE
            ? RfmScoring.fromQuantiles(base)
            : RfmScoring.fromThresholds(rfm.thresholds());
    Dataset<Row> scores =
        RfmSegments.assign(RfmScoring.score(measures, values, cuts, rfm.bins()), rfm.segments())
            .select(
                col(CUSTOMER_ID),
                col(RECENCY_DAYS),
                col(FREQUENCY),
                col(MONETARY_UNITS)
                    .cast(DataTypes.createDecimalType(22, 0))
                    .divide(lit(java.math.BigDecimal.valueOf(UNITS_PER_CURRENCY)))
                    .cast(Money.TYPE)
                    .as(MONETARY),
                col(R_SCORE),
                col(F_SCORE),
                col(M_SCORE),
                col(RFM_CELL),
                col(RFM_SEGMENT),
                col(FIRST_PURCHASE_DATE),
                col(LAST_PURCHASE_DATE));
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("method", rfm.method().name().toLowerCase(java.util.Locale.ROOT));
    summary.put("customers_scored", base.customers());
    summary.put("customers_with_only_returns", base.onlyReturns());
    summary.put("cut_points", cutPointsForManifest(cuts));
    return new Result(
        scores,
        base.customers(),
        thresholdsTable(measures.sparkSession(), cuts, rfm),
        summary,
        measures::unpersist);
  }

  /** The rfm_thresholds rows: one per measure and score, with the value range of that score. */
  static Dataset<Row> thresholdsTable(SparkSession spark, CutPoints cuts, RfmSettings rfm) {
    StructType schema =
        new StructType()
            .add("measure", DataTypes.StringType, false)
            .add("score", DataTypes.IntegerType, false)
            .add("lower_bound", DataTypes.DoubleType, true)
            .add("upper_bound", DataTypes.DoubleType, true)
            .add("unit", DataTypes.StringType, false)
            .add("method", DataTypes.StringType, false);
    String method = rfm.method().name().toLowerCase(java.util.Locale.ROOT);
    List<Row> rows = new ArrayList<>();
    addBins(rows, RECENCY_DAYS, cuts.recency(), cuts.recencyUnit(), method, rfm.bins(), true);
    addBins(rows, FREQUENCY, cuts.frequency(), cuts.frequencyUnit(), method, rfm.bins(), false);
    addBins(rows, MONETARY, cuts.monetary(), cuts.monetaryUnit(), method, rfm.bins(), false);
    return spark.createDataFrame(rows, schema);
  }

  private static void addBins(
      List<Row> rows,
      String measure,
      List<Double> cuts,
      String unit,
      String method,
      int bins,
      boolean lowerIsBetter) {
    for (int bin = 1; bin <= bins; bin++) {
      Double lower = bin == 1 || cuts.isEmpty() ? null : cuts.get(bin - 2);
      Double upper = bin == bins || cuts.isEmpty() ? null : cuts.get(bin - 1);
      int score = lowerIsBetter ? bins + 1 - bin : bin;
      rows.add(RowFactory.create(measure, score, lower, upper, unit, method));
    }
  }

  private static Map<String, Object> cutPointsForManifest(CutPoints cuts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(RECENCY_DAYS, Map.of("unit", cuts.recencyUnit(), "cuts", cuts.recency()));
    m.put(FREQUENCY, Map.of("unit", cuts.frequencyUnit(), "cuts", cuts.frequency()));
    m.put(MONETARY, Map.of("unit", cuts.monetaryUnit(), "cuts", cuts.monetary()));
    return m;
  }
}
