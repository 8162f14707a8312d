package io.segmentlake.rfm;

import static io.segmentlake.rfm.RfmColumns.F_SCORE;
import static io.segmentlake.rfm.RfmColumns.M_SCORE;
import static io.segmentlake.rfm.RfmColumns.RFM_CELL;
import static io.segmentlake.rfm.RfmColumns.RFM_SEGMENT;
import static io.segmentlake.rfm.RfmColumns.R_SCORE;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.Schemas;
import io.segmentlake.config.RfmSettings;
import io.segmentlake.config.SegmentRule;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Names RFM segments from an ordered rule table: the first matching rule wins, else "Others". */
final class RfmSegments {
  private RfmSegments() {}

  /** Adds rfm_segment to scored customers. */
  static Dataset<Row> assign(Dataset<Row> scored, List<SegmentRule> rules) {
    Schemas.require(scored, "rfm scores", R_SCORE, F_SCORE, M_SCORE, RFM_CELL);
    Column segment = lit(RfmSettings.OTHERS);
    for (int i = rules.size() - 1; i >= 0; i--) {
      SegmentRule rule = rules.get(i);
      segment = when(matches(rule), lit(rule.name())).otherwise(segment);
    }
    return scored.withColumn(RFM_SEGMENT, segment);
  }

  private static Column matches(SegmentRule rule) {
    if (rule.isByCells()) {
      return col(RFM_CELL).isin(rule.cells().stream().sorted().toArray());
    }
    return col(R_SCORE)
        .between(rule.r()[0], rule.r()[1])
        .and(col(F_SCORE).between(rule.f()[0], rule.f()[1]))
        .and(col(M_SCORE).between(rule.m()[0], rule.m()[1]));
  }
}
