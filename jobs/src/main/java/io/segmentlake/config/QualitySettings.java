package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Optional;

/** Row rules and the quality gate for input data. */
public record QualitySettings(
    double maxQuarantinedRatio,
    Optional<String> cancelledInvoicePrefix,
    List<String> cancelledStatuses) {

  /** Reads segmentlake.quality. */
  static QualitySettings from(Config c) {
    double ratio = c.getDouble("segmentlake.quality.max-quarantined-ratio");
    if (ratio < 0 || ratio > 1) {
      throw Keys.bad("segmentlake.quality.max-quarantined-ratio", ratio, "a share from 0 to 1");
    }
    return new QualitySettings(
        ratio,
        Keys.optionalString(c, "segmentlake.quality.cancelled-invoice-prefix"),
        List.copyOf(Keys.strings(c, "segmentlake.quality.cancelled-statuses")));
  }
}
