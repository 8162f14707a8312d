package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Where one input table is read from, in which format, and how its columns map to the contract. */
public record TableSource(
    String table,
    String path,
    Format format,
    Map<String, String> columns,
    Map<String, String> options,
    Optional<String> timestampFormat) {

  /** Input file formats. */
  public enum Format {
    PARQUET,
    CSV,
    JSON;

    /** The name Spark's reader knows the format by. */
    public String sparkName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The table and its path, as error messages name them. */
  public String describe() {
    return "input '" + table + "' (" + path + ")";
  }

  /** Where the table was read from, for the manifest. */
  public java.util.Map<String, String> toManifest() {
    return java.util.Map.of("path", path, "format", format.sparkName());
  }

  /** Reads segmentlake.input.<table>, the path defaulting to <root>/<table>. */
  static TableSource from(Config c, String root, String table) {
    String prefix = "segmentlake.input." + table + ".";
    String path =
        Keys.optionalString(c, prefix + "path").orElse(root.replaceAll("/+$", "") + "/" + table);
    return new TableSource(
        table,
        path,
        Keys.oneOf(c, prefix + "format", Format.class),
        Map.copyOf(Keys.stringMap(c, prefix + "columns")),
        Map.copyOf(Keys.stringMap(c, prefix + "options")),
        Keys.optionalString(c, prefix + "timestamp-format"));
  }
}
