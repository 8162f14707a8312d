package io.segmentlake.predict;

import static io.segmentlake.predict.PredictColumns.ACTUAL_MEAN;
import static io.segmentlake.predict.PredictColumns.CALIBRATION_FREQUENCY;
import static io.segmentlake.predict.PredictColumns.COUNT;
import static io.segmentlake.predict.PredictColumns.HOLDOUT_PURCHASES;
import static io.segmentlake.predict.PredictColumns.PREDICTED_MEAN;
import static io.segmentlake.predict.PredictColumns.X;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.segmentlake.config.PredictSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Holdout validation: BG/NBD fitted on the purchases up to D − N only, its expected repeat
 * purchases over the last N days compared with what the same customers did.
 */
final class Holdout {
  /** Calibration frequencies from 0 to this, and this or more in one group ("7+"). */
  private static final int LAST_BIN = 7;

  static final StructType BINS =
      new StructType()
          .add(CALIBRATION_FREQUENCY, DataTypes.StringType, false)
          .add(COUNT, DataTypes.LongType, false)
          .add(ACTUAL_MEAN, DataTypes.DoubleType, false)
          .add(PREDICTED_MEAN, DataTypes.DoubleType, false);

  /** The calibration fit, the figures for model_params, and the table by calibration frequency. */
  record Result(Fit fit, Map<String, Double> figures, List<Row> bins) {}

  private Holdout() {}

  /** Validates on the purchases of the N days up to the as-of date. */
  static Result validate(Dataset<Row> usedInvoices, LocalDate asOf, PredictSettings s) {
    LocalDate end = asOf.minusDays(s.holdoutDays());
    Dataset<Row> calibration = Summaries.calibration(usedInvoices, end, asOf).persist();
    try {
      Fit fit =
          Models.bgnbd(
              calibration,
              s,
              "up to "
                  + end
                  + " (the as-of date less predict.holdout-days = "
                  + s.holdoutDays()
                  + ")");
      Dataset<Row> compared = Scoring.expectedPurchases(calibration, fit, s.holdoutDays(), s);
      Column bin = least(col(X), lit(LAST_BIN));
      List<Row> byBin =
          compared
              .groupBy(bin.as("_bin"))
              .agg(
                  count(lit(1)),
                  avg(col(HOLDOUT_PURCHASES)),
                  avg(col(Scoring.PREDICTED)),
                  sum(col(HOLDOUT_PURCHASES)),
                  sum(col(Scoring.PREDICTED)),
                  sum(abs(col(HOLDOUT_PURCHASES).minus(col(Scoring.PREDICTED)))))
              .orderBy("_bin")
              .collectAsList();
      List<Row> bins = new ArrayList<>();
      double actual = 0;
      double predicted = 0;
      double absolute = 0;
      long customers = 0;
      for (Row r : byBin) {
        int b = r.getInt(0);
        String label = b == LAST_BIN ? LAST_BIN + "+" : Integer.toString(b);
        bins.add(RowFactory.create(label, r.getLong(1), r.getDouble(2), r.getDouble(3)));
        customers += r.getLong(1);
        actual += r.getLong(4);
        predicted += r.getDouble(5);
        absolute += r.getDouble(6);
      }
      Map<String, Double> figures = new LinkedHashMap<>();
      figures.put("holdout_days", (double) s.holdoutDays());
      figures.put("customers", (double) customers);
      figures.put("actual_total", actual);
      figures.put("predicted_total", predicted);
      figures.put("mean_absolute_error", customers == 0 ? 0 : absolute / customers);
      return new Result(fit, figures, bins);
    } finally {
      calibration.unpersist();
    }
  }
}
