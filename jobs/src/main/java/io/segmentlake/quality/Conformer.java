package io.segmentlake.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.try_to_timestamp;
import static org.apache.spark.sql.functions.when;

import io.segmentlake.JobFailure;
import io.segmentlake.config.TableSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Maps a source table onto its contract: renames or computes columns from the configured mapping,
 * casts them to the contract types, and keeps the raw row and the names of values that did not
 * parse.
 */
public final class Conformer {
  /**
   * The source row as a struct of its columns, kept for the quarantine table. A struct costs little
   * per row; the rules turn it into JSON only for rows that are not used.
   */
  public static final String RAW = "_raw";

  /** Comma-separated names of contract columns whose source value did not parse, else null. */
  public static final String UNPARSABLE = "_unparsable";

  private static final String IDENTIFIER = "`?[A-Za-z_][A-Za-z0-9_ ]*`?";

  private Conformer() {}

  /** Conforms a raw source table, failing with the table, path and columns when one is missing. */
  public static Dataset<Row> conform(Dataset<Row> raw, TableSource source) {
    Set<String> found =
        Arrays.stream(raw.columns())
            .map(c -> c.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    List<Column> typed = new ArrayList<>();
    List<Column> parseFailures = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Contract.Column column : Contract.columns(source.table())) {
      String mapping = source.columns().getOrDefault(column.name(), column.name());
      boolean plainName = mapping.matches(IDENTIFIER);
      String bare = mapping.replace("`", "").toLowerCase(Locale.ROOT);
      if (plainName && !found.contains(bare)) {
        if (column.required()) {
          missing.add(
              column.name().equals(mapping) ? mapping : column.name() + " (" + mapping + ")");
        }
        typed.add(lit(null).cast(column.type()).as(column.name()));
        continue;
      }
      Column value = plainName ? col("`" + mapping.replace("`", "") + "`") : expr(mapping);
      DataType sourceType = typeOf(raw, value, source, column.name(), mapping);
      Column cast = cast(value, sourceType, column.type(), source);
      typed.add(cast.as(column.name()));
      if (!sourceType.equals(column.type())) {
        parseFailures.add(when(value.isNotNull().and(cast.isNull()), lit(column.name())));
      }
    }
    if (!missing.isEmpty()) {
      throw JobFailure.inputRejected(
          source.describe()
              + ": missing columns "
              + missing
              + "; found "
              + Arrays.toString(raw.columns()));
    }
    typed.add(
        parseFailures.isEmpty()
            ? lit(null).cast(DataTypes.StringType).as(UNPARSABLE)
            : when(
                    concat_ws(",", parseFailures.toArray(Column[]::new)).notEqual(""),
                    concat_ws(",", parseFailures.toArray(Column[]::new)))
                .as(UNPARSABLE));
    typed.add(struct(quotedColumns(raw)).as(RAW));
    return raw.select(typed.toArray(Column[]::new));
  }

  private static DataType typeOf(
      Dataset<Row> raw, Column value, TableSource source, String name, String mapping) {
    try {
      return raw.select(value).schema().fields()[0].dataType();
    } catch (Exception e) {
      throw JobFailure.inputRejected(
          source.describe()
              + ": column mapping "
              + name
              + " = \""
              + mapping
              + "\" is not valid here ("
              + firstLine(e.getMessage())
              + "); found "
              + Arrays.toString(raw.columns()),
          e);
    }
  }

  private static Column cast(Column value, DataType from, DataType to, TableSource source) {
    if (from.equals(to)) {
      return value;
    }
    if (to.equals(DataTypes.TimestampType) && from.equals(DataTypes.StringType)) {
      return source
          .timestampFormat()
          .map(format -> try_to_timestamp(value, lit(format)))
          .orElseGet(() -> try_to_timestamp(value));
    }
    if (to instanceof ArrayType && from.equals(DataTypes.StringType)) {
      return split(value, "[;|]");
    }
    return value.try_cast(to);
  }

  private static Column[] quotedColumns(Dataset<Row> raw) {
    return Arrays.stream(raw.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
