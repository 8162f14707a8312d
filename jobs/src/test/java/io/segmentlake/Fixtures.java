package io.segmentlake;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Named test fixtures with explicit schemas. */
public final class Fixtures {
  /** Conformed invoice lines, as the stages see them. */
  public static final StructType INVOICES =
      new StructType()
          .add("invoice_id", DataTypes.StringType)
          .add("customer_id", DataTypes.StringType)
          .add("invoice_ts", DataTypes.TimestampType)
          .add("product_id", DataTypes.StringType)
          .add("quantity", DataTypes.IntegerType)
          .add("unit_price", DataTypes.DoubleType);

  private Fixtures() {}

  /** An invoice line: id, customer, local timestamp "yyyy-MM-ddTHH:mm", quantity, unit price. */
  public static Row line(String invoice, String customer, String ts, int quantity, double price) {
    return RowFactory.create(
        invoice, customer, Timestamp.valueOf(LocalDateTime.parse(ts)), "P1", quantity, price);
  }

  /** A Dataset of invoice lines. */
  public static Dataset<Row> invoices(Row... lines) {
    return SharedSpark.session().createDataFrame(new ArrayList<>(Arrays.asList(lines)), INVOICES);
  }

  /** Settings from the defaults with {@code --set} overrides (keys without "segmentlake."). */
  public static io.segmentlake.config.Settings settings(String... sets) {
    return io.segmentlake.config.Settings.from(
        io.segmentlake.config.ConfigLoader.load(java.util.Optional.empty(), List.of(sets)));
  }

  /** A Dataset of rows with a schema. */
  public static Dataset<Row> rows(StructType schema, List<Row> rows) {
    return SharedSpark.session().createDataFrame(rows, schema);
  }
}
