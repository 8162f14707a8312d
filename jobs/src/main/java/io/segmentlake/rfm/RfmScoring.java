package io.segmentlake.rfm;

import static io.segmentlake.rfm.RfmColumns.FREQUENCY;
import static io.segmentlake.rfm.RfmColumns.F_SCORE;
import static io.segmentlake.rfm.RfmColumns.LAST_PURCHASE_DATE;
import static io.segmentlake.rfm.RfmColumns.MONETARY_UNITS;
import static io.segmentlake.rfm.RfmColumns.M_SCORE;
import static io.segmentlake.rfm.RfmColumns.RECENCY_DAYS;
import static io.segmentlake.rfm.RfmColumns.RFM_CELL;
import static io.segmentlake.rfm.RfmColumns.R_SCORE;
import static io.segmentlake.rfm.RfmColumns.UNITS_PER_CURRENCY;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.months_between;
import static org.apache.spark.sql.functions.percentile_approx;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Schemas;
import io.segmentlake.config.RfmSettings;
import io.segmentlake.config.RfmSettings.RfmThresholds.Period;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Scores RFM measures 1..bins (bins is best) against cut points; ties always share a score. */
final class RfmScoring {
  private static final double DAYS_PER_MONTH = 365.25 / 12;

  private RfmScoring() {}

  /** The values scored, per measure, in the units of the cut points. */
  record Values(Column recency, Column frequency, Column monetary) {}

  /** Base counts from the one aggregate over the measures, and the quantile cut points if asked. */
  record BaseSummary(long customers, long onlyReturns, List<List<Double>> quantiles) {}

  /** The scored values for a method: quantile scores the raw totals; thresholds their unit. */
  static Values values(RfmSettings rfm, LocalDate asOf) {
    Column money = col(MONETARY_UNITS).divide((double) UNITS_PER_CURRENCY);
    if (rfm.method() == RfmSettings.Method.QUANTILE) {
      return new Values(col(RECENCY_DAYS), col(FREQUENCY), money);
    }
    var t = rfm.thresholds();
    Column recency =
        switch (t.recencyUnit()) {
          case DAYS -> col(RECENCY_DAYS);
          case WEEKS -> col(RECENCY_DAYS).divide(7.0);
          case MONTHS -> months_between(lit(Date.valueOf(asOf)), col(LAST_PURCHASE_DATE));
        };
    return new Values(
        recency,
        col(FREQUENCY).divide(periods(rfm.lookbackDays(), t.frequencyPer())),
        money.divide(periods(rfm.lookbackDays(), t.monetaryPer())));
  }

  /**
   * Counts customers (with and without purchases) and, for the quantile method, computes the
   * distributed approximate quantiles at 1/bins .. (bins-1)/bins of each measure in the same pass.
   */
  static BaseSummary summarize(Dataset<Row> measures, RfmSettings rfm) {
    Schemas.require(measures, "rfm measures", RECENCY_DAYS, FREQUENCY, MONETARY_UNITS);
    Column purchased = col(LAST_PURCHASE_DATE).isNotNull();
    List<Column> aggs = new ArrayList<>();
    aggs.add(count(when(purchased, lit(1))));
    aggs.add(count(when(purchased.unary_$bang(), lit(1))));
    boolean quantile = rfm.method() == RfmSettings.Method.QUANTILE;
    if (quantile) {
      Column[] probs = new Column[rfm.bins() - 1];
      for (int i = 1; i < rfm.bins(); i++) {
        probs[i - 1] = lit((double) i / rfm.bins());
      }
      int accuracy = (int) Math.min(Integer.MAX_VALUE, Math.ceil(1 / rfm.relativeError()));
      for (Column measure : List.of(col(RECENCY_DAYS), col(FREQUENCY), col(MONETARY_UNITS))) {
        aggs.add(percentile_approx(when(purchased, measure), array(probs), lit(accuracy)));
      }
    }
    Row row =
        measures.agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new)).first();
    List<List<Double>> quantiles = new ArrayList<>();
    for (int i = 2; quantile && i < 5; i++) {
      quantiles.add(row.isNullAt(i) ? List.of() : toDoubles(row.getList(i)));
    }
    return new BaseSummary(row.getLong(0), row.getLong(1), quantiles);
  }

  /**
   * Cut points from quantiles q: each is the smallest step above q (one day, one invoice, one
   * ten-thousandth), so values equal to a quantile stay in the lower bin and a value equal to a cut
   * point falls in the upper bin, as with configured thresholds.
   */
  static CutPoints fromQuantiles(BaseSummary summary) {
    List<List<Double>> q = summary.quantiles();
    return new CutPoints(
        shift(q.get(0), 1),
        shift(q.get(1), 1),
        shiftMoney(q.get(2)),
        "days",
        "invoices",
        "currency");
  }

  /** Cut points from configuration. */
  static CutPoints fromThresholds(RfmSettings.RfmThresholds t) {
    return new CutPoints(
        t.recency().orElseThrow(),
        t.frequency().orElseThrow(),
        t.monetary().orElseThrow(),
        t.recencyUnit().name().toLowerCase(Locale.ROOT),
        per("invoices", t.frequencyPer()),
        per("currency", t.monetaryPer()));
  }

  /** Adds r_score, f_score, m_score and rfm_cell to customers with a purchase. */
  static Dataset<Row> score(Dataset<Row> measures, Values values, CutPoints cuts, int bins) {
    return measures
        .where(col(LAST_PURCHASE_DATE).isNotNull())
        .withColumn(R_SCORE, lit(bins + 1).minus(bin(values.recency(), cuts.recency())))
        .withColumn(F_SCORE, bin(values.frequency(), cuts.frequency()))
        .withColumn(M_SCORE, bin(values.monetary(), cuts.monetary()))
        .withColumn(
            RFM_CELL,
            concat(
                col(R_SCORE).cast("string"),
                col(F_SCORE).cast("string"),
                col(M_SCORE).cast("string")));
  }

  /** 1 + the number of cut points at or below the value. */
  static Column bin(Column value, List<Double> cuts) {
    Column bin = lit(1);
    for (double cut : cuts) {
      bin = bin.plus(when(value.geq(lit(cut)), lit(1)).otherwise(lit(0)));
    }
    return bin;
  }

  private static double periods(int lookbackDays, Period per) {
    return switch (per) {
      case TOTAL -> 1.0;
      case WEEK -> lookbackDays / 7.0;
      case MONTH -> lookbackDays / DAYS_PER_MONTH;
      case YEAR -> lookbackDays / 365.25;
    };
  }

  private static String per(String unit, Period period) {
    return period == Period.TOTAL ? unit : unit + " per " + period.name().toLowerCase(Locale.ROOT);
  }

  private static List<Double> shift(List<Double> quantiles, double step) {
    return quantiles.stream().map(q -> q + step).toList();
  }

  private static List<Double> shiftMoney(List<Double> unitQuantiles) {
    return unitQuantiles.stream().map(q -> (q + 1) / UNITS_PER_CURRENCY).toList();
  }

  private static List<Double> toDoubles(List<Object> values) {
    return values.stream().map(v -> ((Number) v).doubleValue()).toList();
  }
}
