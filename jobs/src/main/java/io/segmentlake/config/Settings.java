package io.segmentlake.config;

import com.typesafe.config.Config;
import io.segmentlake.JobFailure;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

/** Every setting of a run, read eagerly and validated before a Spark session exists. */
public record Settings(
    ZoneId timeZone,
    SparkSettings spark,
    Map<String, TableSource> inputs,
    String outputRoot,
    long outputRowsPerFile,
    QualitySettings quality,
    RfmSettings rfm,
    GenerateSettings generate,
    Config source) {

  /** The input tables of the contract, in reading order. */
  public static final java.util.List<String> INPUT_TABLES =
      java.util.List.of("invoices", "products", "customers", "interactions");

  /** Reads and validates all settings from a loaded configuration. */
  public static Settings from(Config c) {
    String inputRoot = Keys.string(c, "segmentlake.input.root");
    Map<String, TableSource> inputs = new java.util.LinkedHashMap<>();
    for (String table : INPUT_TABLES) {
      inputs.put(table, TableSource.from(c, inputRoot, table));
    }
    return new Settings(
        zone(Keys.string(c, "segmentlake.time-zone")),
        SparkSettings.from(c),
        Map.copyOf(inputs),
        Keys.string(c, "segmentlake.output.root"),
        Keys.longIn(c, "segmentlake.output.rows-per-file", 1, Long.MAX_VALUE),
        QualitySettings.from(c),
        RfmSettings.from(c),
        GenerateSettings.from(c, inputRoot),
        c);
  }

  /** The configuration under segmentlake as plain maps, with secret-looking values redacted. */
  public Map<String, Object> redactedConfig() {
    return redact(source.getConfig("segmentlake").root().unwrapped());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> redact(Map<String, Object> map) {
    Map<String, Object> out = new java.util.TreeMap<>();
    map.forEach(
        (key, value) -> {
          if (value instanceof Map<?, ?> nested) {
            out.put(key, redact((Map<String, Object>) nested));
          } else if (key.matches("(?i).*(secret|password|token|credential|access[.-]?key).*")) {
            out.put(key, "*****");
          } else {
            out.put(key, value);
          }
        });
    return out;
  }

  private static ZoneId zone(String id) {
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      throw JobFailure.usage(
          "configuration key 'segmentlake.time-zone' = " + id + ": expected an IANA zone id");
    }
  }
}
