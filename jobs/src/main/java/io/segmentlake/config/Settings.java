package io.segmentlake.config;

import com.typesafe.config.Config;
import io.segmentlake.JobFailure;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/** Every setting of a run, read eagerly and validated before a Spark session exists. */
public record Settings(
    ZoneId timeZone,
    SparkSettings spark,
    S3Settings s3,
    Map<String, TableSource> inputs,
    String outputRoot,
    long outputRowsPerFile,
    QualitySettings quality,
    RfmSettings rfm,
    LoyaltySettings loyalty,
    ClusterSettings clusters,
    PredictSettings predict,
    ReportSettings reports,
    GenerateSettings generate,
    Config source) {

  /** The input tables of the contract, in reading order. */
  public static final java.util.List<String> INPUT_TABLES =
      java.util.List.of("invoices", "products", "customers", "interactions");

  private static final String CREDENTIAL_KEY =
      "(?i).*(access[._-]?key|secret|session[._-]?token|password).*";

  /** Reads and validates all settings from a loaded configuration. */
  public static Settings from(Config c) {
    refuseCredentials(c);
    String inputRoot = Keys.string(c, "segmentlake.input.root");
    Map<String, TableSource> inputs = new java.util.LinkedHashMap<>();
    for (String table : INPUT_TABLES) {
      inputs.put(table, TableSource.from(c, inputRoot, table));
    }
    return new Settings(
        zone(Keys.string(c, "segmentlake.time-zone")),
        SparkSettings.from(c),
        S3Settings.from(c),
        Map.copyOf(inputs),
        Keys.string(c, "segmentlake.output.root"),
        Keys.longIn(c, "segmentlake.output.rows-per-file", 1, Long.MAX_VALUE),
        QualitySettings.from(c),
        RfmSettings.from(c),
        LoyaltySettings.from(c),
        ClusterSettings.from(c),
        PredictSettings.from(c),
        ReportSettings.from(c),
        GenerateSettings.from(c, inputRoot),
        c);
  }

  /**
   * Refuses configuration that carries an access key, secret key or session token (for example
   * spark.conf."spark.hadoop.fs.s3a.secret.key"): S3 credentials come only from the AWS default
   * chain. The message names the key, never the value.
   */
  private static void refuseCredentials(Config c) {
    for (var entry : c.getConfig("segmentlake").entrySet()) {
      String key = entry.getKey();
      if (key.replace("\"", "").matches(CREDENTIAL_KEY)) {
        throw JobFailure.usage(
            "configuration key 'segmentlake."
                + key
                + "' carries a credential; S3 credentials are never read from configuration."
                + " Provide them through the AWS default chain instead: the environment"
                + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), a profile in"
                + " ~/.aws (AWS_PROFILE), or the instance or container role");
      }
    }
  }

  /**
   * Per special-group rule, the RFM segments it lists that no customer can be in (not a name of
   * rfm.segments nor Others): not an error, since changing rfm.segments alone should not break the
   * group rules, but such a group is smaller than meant, so the run warns.
   */
  public Map<String, List<String>> groupRuleSegmentsNotConfigured() {
    List<String> names = rfm.segmentNames();
    Map<String, List<String>> out = new java.util.TreeMap<>();
    for (SpecialGroupSettings.GroupRule rule : loyalty.special().rules()) {
      List<String> unknown = rule.rfmSegments().stream().filter(n -> !names.contains(n)).toList();
      if (!unknown.isEmpty()) {
        out.put(rule.group(), unknown);
      }
    }
    return out;
  }

  /**
   * The configuration under segmentlake as plain maps, for the run manifest (it holds no secret:
   * the loader refuses configuration that carries one).
   */
  public Map<String, Object> configTree() {
    return sorted(source.getConfig("segmentlake").root().unwrapped());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> sorted(Map<String, Object> map) {
    Map<String, Object> out = new java.util.TreeMap<>();
    map.forEach(
        (key, value) ->
            out.put(
                key,
                value instanceof Map<?, ?> nested ? sorted((Map<String, Object>) nested) : value));
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
