package io.segmentlake.quality;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** The input contract of SPEC: each table's columns, their types and which are required. */
public final class Contract {
  /** One contract column. */
  public record Column(String name, DataType type, boolean required) {}

  static final String INVOICE_ID = "invoice_id";
  static final String CUSTOMER_ID = "customer_id";
  static final String INVOICE_TS = "invoice_ts";
  static final String PRODUCT_ID = "product_id";
  static final String QUANTITY = "quantity";
  static final String UNIT_PRICE = "unit_price";
  static final String LINE_NO = "line_no";
  static final String STATUS = "status";

  private static final DataType STRING = DataTypes.StringType;
  private static final DataType TIMESTAMP = DataTypes.TimestampType;

  private static final Map<String, List<Column>> TABLES =
      Map.of(
          "invoices",
          List.of(
              new Column(INVOICE_ID, STRING, true),
              new Column(CUSTOMER_ID, STRING, true),
              new Column(INVOICE_TS, TIMESTAMP, true),
              new Column(PRODUCT_ID, STRING, true),
              new Column(QUANTITY, DataTypes.IntegerType, true),
              new Column(UNIT_PRICE, DataTypes.DoubleType, true),
              new Column(LINE_NO, DataTypes.IntegerType, false),
              new Column("channel", STRING, false),
              new Column("sales_rep_id", STRING, false),
              new Column(STATUS, STRING, false),
              new Column("currency", STRING, false)),
          "products",
          List.of(
              new Column(PRODUCT_ID, STRING, true),
              new Column("category", STRING, false),
              new Column("unit_cost", DataTypes.DoubleType, false),
              new Column("margin_rate", DataTypes.DoubleType, false),
              new Column("quality_level", DataTypes.IntegerType, false),
              new Column("flags", DataTypes.createArrayType(STRING), false)),
          "customers",
          List.of(
              new Column(CUSTOMER_ID, STRING, true),
              new Column("customer_type", STRING, false),
              new Column("legal_kind", STRING, false),
              new Column("employer_id", STRING, false),
              new Column("gender", STRING, false),
              new Column("birth_date", DataTypes.DateType, false),
              new Column("city", STRING, false),
              new Column("region", STRING, false),
              new Column("country", STRING, false),
              new Column("acquisition_channel", STRING, false),
              new Column("referred_by", STRING, false),
              new Column("signup_ts", TIMESTAMP, false),
              new Column("sales_rep_id", STRING, false)),
          "interactions",
          List.of(
              new Column(CUSTOMER_ID, STRING, true),
              new Column("event_ts", TIMESTAMP, true),
              new Column("event_type", STRING, true),
              new Column("event_id", STRING, false)));

  private Contract() {}

  /** The contract columns of a table. */
  public static List<Column> columns(String table) {
    List<Column> columns = TABLES.get(table);
    if (columns == null) {
      throw new IllegalArgumentException("no contract for table " + table);
    }
    return columns;
  }
}
