package io.segmentlake.config;

import com.typesafe.config.Config;
import io.segmentlake.JobFailure;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** Size, seed and destination of a generated synthetic lake. */
public record GenerateSettings(
    long customers, long seed, LocalDate endDate, int years, String out) {

  /** Reads segmentlake.generate; the destination defaults to the input root. */
  static GenerateSettings from(Config c, String inputRoot) {
    String end = Keys.string(c, "segmentlake.generate.end-date");
    LocalDate endDate;
    try {
      endDate = LocalDate.parse(end);
    } catch (DateTimeParseException e) {
      throw JobFailure.usage(
          "configuration key 'segmentlake.generate.end-date' = " + end + ": expected YYYY-MM-DD");
    }
    return new GenerateSettings(
        Keys.longIn(c, "segmentlake.generate.customers", 1, 1_000_000_000L),
        c.getLong("segmentlake.generate.seed"),
        endDate,
        Keys.intIn(c, "segmentlake.generate.years", 1, 50),
        Keys.optionalString(c, "segmentlake.generate.out").orElse(inputRoot));
  }
}
