package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.List;

/** The segment tables for BI: age bands, the champions segment and the at-risk churn bands. */
public record ReportSettings(List<Integer> ageBands, String championsSegment, List<String> atRisk) {

  /** Reads segmentlake.reports. */
  static ReportSettings from(Config c) {
    String path = "segmentlake.reports.age-bands";
    List<Integer> bands = Keys.ints(c, path);
    if (bands.isEmpty()) {
      throw Keys.bad(path, bands, "at least one age, e.g. [25, 35, 45, 55, 65]");
    }
    for (int i = 0; i < bands.size(); i++) {
      if (bands.get(i) <= 0 || (i > 0 && bands.get(i) <= bands.get(i - 1))) {
        throw Keys.bad(path, bands, "ascending ages in years above 0, e.g. [25, 35, 45, 55, 65]");
      }
    }
    String champions = Keys.string(c, "segmentlake.reports.champions-segment");
    if (champions.isBlank()) {
      throw Keys.bad("segmentlake.reports.champions-segment", champions, "a segment name");
    }
    List<String> atRisk = Keys.strings(c, "segmentlake.reports.at-risk");
    for (String band : atRisk) {
      if (!List.of("low", "medium", "high").contains(band)) {
        throw Keys.bad(
            "segmentlake.reports.at-risk", atRisk, "churn-risk bands: low, medium, high");
      }
    }
    return new ReportSettings(List.copyOf(bands), champions, List.copyOf(atRisk));
  }
}
