package io.segmentlake.cli;

import static io.segmentlake.cli.CliTest.cli;
import static io.segmentlake.cli.CliTest.manifest;
import static io.segmentlake.cli.CliTest.table;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentlake.SharedSpark;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run` on the sample lake after an earlier run a week before: the segment tables, their migration
 * between the runs, every output table read back by DuckDB as a BI engine would, a publish that
 * fails after staging and after some swaps (the previous run is put back) followed by a re-run with
 * the same rows, the example dashboard queries and the notebooks.
 */
class RunCliTest {
  private static final String BEFORE = "2025-12-24";
  private static final String AS_OF = "2025-12-31";
  private static final List<String> REPORTS =
      List.of(
          "customer_segments",
          "segment_summary",
          "segment_migration",
          "sales_rep_performance",
          "channel_effectiveness");

  @TempDir static Path out;

  @BeforeAll
  static void twoRuns() {
    SharedSpark.session();
    for (String command : List.of("rfm", "loyalty", "reports")) {
      assertThat(cli(out, command, "--as-of", BEFORE)).as(command).isEqualTo(0);
    }
    // With a holdout, so that model_holdout is among the tables read back and declared.
    assertThat(cli(out, "run", "--as-of", AS_OF, "--holdout-days", "90")).isEqualTo(0);
  }

  private static Dataset<Row> at(String table, String date) {
    return table(out, table).where(functions.col("as_of_date").equalTo(date)).drop("as_of_date");
  }

  @Test
  void runPublishesTheSegmentTablesAndTheirMigrationSinceTheWeekBefore() throws Exception {
    JsonNode m = manifest(out, AS_OF);
    assertThat(m.get("command").asText()).isEqualTo("run");
    assertThat(m.at("/reports/previous_run_date").asText()).isEqualTo(BEFORE);
    assertThat(m.at("/reports/sources_missing").size()).isZero();
    for (String t : REPORTS) {
      assertThat(m.at("/tables_written/" + t + "/rows").asLong()).as(t).isPositive();
      assertThat(m.at("/tables_written/" + t + "/files").asLong()).as(t).isEqualTo(1);
    }
    Dataset<Row> segments = at("customer_segments", AS_OF);
    long customers = segments.count();
    assertThat(customers)
        .isEqualTo(m.at("/reports/customers").asLong())
        .isEqualTo(segments.select("customer_id").distinct().count())
        .isEqualTo(at("loyalty_points", AS_OF).count()); // every customer with points or scores
    // The wide table agrees with the stage tables it joins.
    for (String[] check :
        new String[][] {
          {"rfm_scores", "rfm_segment"},
          {"loyalty_points", "tier"},
          {"customer_clusters", "cluster_id"},
          {"customer_predictions", "churn_risk"}
        }) {
      Dataset<Row> stage = at(check[0], AS_OF).select("customer_id", check[1]);
      assertThat(stage.exceptAll(segments.select("customer_id", check[1])).count())
          .as(check[0])
          .isZero();
    }
    // Per dimension the summary adds up to every customer and to the revenue.
    BigDecimal revenue = (BigDecimal) segments.agg(functions.sum("monetary")).first().get(0);
    for (Row r :
        at("segment_summary", AS_OF)
            .groupBy("dimension")
            .agg(functions.sum("customers"), functions.sum("revenue"), functions.sum("share"))
            .collectAsList()) {
      assertThat(r.getLong(1)).as(r.getString(0)).isEqualTo(customers);
      assertThat(r.getDecimal(2)).as(r.getString(0)).isEqualByComparingTo(revenue);
      assertThat(r.getDouble(3)).isCloseTo(1.0, within(1e-9));
    }
    assertThat(
            at("channel_effectiveness", AS_OF)
                .orderBy(functions.col("revenue_rank").desc())
                .first()
                .<Double>getAs("cumulative_revenue_share"))
        .isCloseTo(1.0, within(1e-9));
    assertThat(
            at("sales_rep_performance", AS_OF).agg(functions.sum("customers")).first().getLong(0))
        .isEqualTo(customers);

    // Migration: from the week before's segments to this run's, for RFM segments and tiers.
    Dataset<Row> migration = at("segment_migration", AS_OF);
    long before = at("customer_segments", BEFORE).count();
    for (String dimension : List.of("rfm_segment", "tier")) {
      Dataset<Row> d = migration.where(functions.col("dimension").equalTo(dimension));
      assertThat(sum(d.where("from_value <> '(new)'"))).as(dimension).isEqualTo(before);
      assertThat(sum(d.where("to_value <> '(gone)'"))).as(dimension).isEqualTo(customers);
      assertThat(sum(d.where("not moved"))).as(dimension).isGreaterThan(customers / 2);
      assertThat(d.where("previous_as_of_date <> DATE'" + BEFORE + "'").count()).isZero();
    }
  }

  private static long sum(Dataset<Row> migration) {
    Row r = migration.agg(functions.sum("customers")).first();
    return r.isNullAt(0) ? 0 : r.getLong(0);
  }

  @Test
  void everyOutputTableReadsBackInDuckDbWithTheSameRowsTypesAndSums() throws Exception {
    List<String> tables;
    try (Stream<Path> folders = Files.list(out)) {
      tables =
          folders
              .map(p -> p.getFileName().toString())
              .filter(n -> !n.startsWith("_"))
              .sorted()
              .toList();
    }
    assertThat(tables).containsAll(REPORTS).contains("rfm_scores", "model_params", "quarantine");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (String t : tables) {
        String source =
            "read_parquet('" + out.resolve(t) + "/**/*.parquet', hive_partitioning = true)";
        Dataset<Row> spark = table(out, t);
        Map<String, String> types = new LinkedHashMap<>();
        try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
          while (r.next()) {
            types.put(r.getString("column_name"), r.getString("column_type"));
          }
        }
        List<Column> sums = new ArrayList<>();
        List<String> duck = new ArrayList<>();
        for (StructField f : spark.schema().fields()) {
          assertThat(f.name()).as(t).matches("[a-z][a-z0-9_]*");
          assertThat(types.get(f.name())).as(t + "." + f.name()).isEqualTo(duckType(f.dataType()));
          if (f.dataType() instanceof NumericType) {
            sums.add(functions.sum(f.name()));
            duck.add("sum(" + f.name() + ")");
          }
        }
        assertThat(types).as(t).hasSize(spark.schema().size());
        try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + source)) {
          r.next();
          assertThat(r.getLong(1)).as(t).isEqualTo(spark.count());
        }
        try (ResultSet r =
            s.executeQuery(
                "SELECT count(*) FROM parquet_schema('"
                    + out.resolve(t)
                    + "/**/*.parquet')"
                    + " WHERE type = 'INT96'")) {
          r.next();
          assertThat(r.getLong(1)).as(t + ": INT96 columns").isZero();
        }
        if (sums.isEmpty()) {
          continue;
        }
        Row expected =
            spark.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
        try (ResultSet r =
            s.executeQuery("SELECT " + String.join(", ", duck) + " FROM " + source)) {
          r.next();
          for (int i = 0; i < duck.size(); i++) {
            Object e = expected.get(i);
            if (e == null) {
              r.getObject(i + 1);
              assertThat(r.wasNull()).as(t + " " + duck.get(i)).isTrue();
            } else if (e instanceof BigDecimal || e instanceof Long) {
              assertThat(r.getBigDecimal(i + 1))
                  .as(t + " " + duck.get(i))
                  .isEqualByComparingTo(new BigDecimal(e.toString()));
            } else {
              double v = ((Number) e).doubleValue();
              assertThat(r.getDouble(i + 1))
                  .as(t + " " + duck.get(i))
                  .isCloseTo(v, within(1e-9 * Math.max(1, Math.abs(v))));
            }
          }
        }
      }
    }
  }

  /**
   * Every notebook in notebooks/ runs headless (jupyter nbconvert --execute) on this run, without
   * an error and with its charts; the committed notebooks carry no outputs. Debian's Jupyter has no
   * Parquet reader, so the notebooks read CSV exports (made by DuckDB) of the run's tables here.
   */
  @Test
  void theAnalystNotebooksRunHeadlessOnThisRun() throws Exception {
    Path csv = Files.createTempDirectory("notebook-tables");
    Path executed = Files.createTempDirectory("notebooks-executed");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      for (String t :
          List.of(
              "customer_segments",
              "segment_summary",
              "segment_migration",
              "sales_rep_performance",
              "channel_effectiveness",
              "cluster_profiles")) {
        s.execute(
            "COPY (SELECT * FROM read_parquet('"
                + out.resolve(t + "/as_of_date=" + AS_OF)
                + "/*.parquet')) TO '"
                + csv.resolve(t + ".csv")
                + "' (HEADER)");
      }
    }
    Path notebooks = io.segmentlake.TestData.repo().resolve("notebooks");
    List<Path> books;
    try (Stream<Path> files = Files.list(notebooks)) {
      books = files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
    }
    assertThat(books).hasSizeGreaterThanOrEqualTo(5);
    ObjectMapper json = new ObjectMapper();
    for (Path book : books) {
      for (JsonNode cell : json.readTree(book.toFile()).get("cells")) {
        if (cell.get("cell_type").asText().equals("code")) {
          assertThat(cell.get("outputs").size()).as(book + ": committed without outputs").isZero();
        }
      }
      ProcessBuilder nbconvert =
          new ProcessBuilder(
                  "jupyter",
                  "nbconvert",
                  "--to",
                  "notebook",
                  "--execute",
                  "--output-dir",
                  executed.toString(),
                  book.toString())
              .redirectErrorStream(true);
      nbconvert.environment().put("SEGMENTLAKE_OUTPUT", out.toString());
      nbconvert.environment().put("SEGMENTLAKE_CSV", csv.toString());
      Process p;
      try {
        p = nbconvert.start();
      } catch (java.io.IOException e) {
        throw new AssertionError(
            "the notebook test needs Jupyter, pandas and matplotlib (.ci/run installs them):"
                + " apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel"
                + " python3-pandas python3-matplotlib",
            e);
      }
      String log = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(book + "\n" + log).isZero();
      int images = 0;
      for (JsonNode cell :
          json.readTree(executed.resolve(book.getFileName()).toFile()).get("cells")) {
        for (JsonNode output : cell.path("outputs")) {
          assertThat(output.path("output_type").asText()).as(book.toString()).isNotEqualTo("error");
          images += output.path("data").has("image/png") ? 1 : 0;
        }
      }
      assertThat(images).as(book + ": charts").isGreaterThanOrEqualTo(2);
    }
    FileUtils.deleteDirectory(csv.toFile());
    FileUtils.deleteDirectory(executed.toFile());
  }

  /** Map columns as sorted entry arrays: set operations refuse maps. */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    Dataset<Row> out = rows;
    for (StructField f : rows.schema().fields()) {
      if (f.dataType() instanceof MapType) {
        out =
            out.withColumn(
                f.name(), functions.array_sort(functions.map_entries(functions.col(f.name()))));
      }
    }
    return out;
  }

  /**
   * conf/sql/trino.sql declares every output table with the columns, types and partition columns
   * that were written (athena.sql and hive.sql come from the same column lists).
   */
  @Test
  void theCatalogDdlDeclaresTheColumnsAndTypesWritten() throws Exception {
    String ddl = Files.readString(io.segmentlake.TestData.repo().resolve("conf/sql/trino.sql"));
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(
                "CREATE TABLE IF NOT EXISTS segmentlake\\.(\\w+) \\((.*?)\\n\\)",
                java.util.regex.Pattern.DOTALL)
            .matcher(ddl);
    List<String> declaredTables = new ArrayList<>();
    while (m.find()) {
      String t = m.group(1);
      declaredTables.add(t);
      List<String> declared =
          m.group(2)
              .lines()
              .map(String::strip)
              .filter(l -> !l.isEmpty())
              .map(l -> l.replaceAll(",$", ""))
              .toList();
      List<String> written = new ArrayList<>();
      for (StructField f : table(out, t).schema().fields()) {
        written.add(f.name() + " " + trinoType(f.dataType()));
      }
      assertThat(declared).as(t).isEqualTo(written);
    }
    List<String> tables;
    try (Stream<Path> folders = Files.list(out)) {
      tables =
          folders.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("_")).toList();
    }
    assertThat(declaredTables).containsExactlyInAnyOrderElementsOf(tables);
  }

  private static String trinoType(DataType t) {
    if (t instanceof DecimalType d) {
      return "decimal(" + d.precision() + "," + d.scale() + ")";
    }
    if (t instanceof ArrayType a) {
      return "array(" + trinoType(a.elementType()) + ")";
    }
    if (t instanceof MapType mt) {
      return "map(" + trinoType(mt.keyType()) + ", " + trinoType(mt.valueType()) + ")";
    }
    return Map.of(
            DataTypes.StringType, "varchar",
            DataTypes.IntegerType, "integer",
            DataTypes.LongType, "bigint",
            DataTypes.DoubleType, "double",
            DataTypes.BooleanType, "boolean",
            DataTypes.DateType, "date",
            DataTypes.TimestampType, "timestamp")
        .get(t);
  }

  /**
   * The example dashboard queries of conf/sql run on this output (DuckDB standing in for Trino).
   */
  @Test
  void theExampleDashboardQueriesRunOnThisOutput() throws Exception {
    String queries =
        Files.readString(io.segmentlake.TestData.repo().resolve("conf/sql/dashboard_queries.sql"));
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA segmentlake");
      for (String t :
          List.of(
              "segment_summary",
              "segment_migration",
              "customer_segments",
              "sales_rep_performance",
              "channel_effectiveness")) {
        s.execute(
            "CREATE VIEW segmentlake."
                + t
                + " AS SELECT * FROM read_parquet('"
                + out.resolve(t)
                + "/**/*.parquet', hive_partitioning = true)");
      }
      int ran = 0;
      String code = String.join("\n", queries.lines().filter(l -> !l.startsWith("--")).toList());
      for (String sql : code.split(";")) {
        if (sql.isBlank()) {
          continue;
        }
        try (ResultSet r = s.executeQuery(sql)) {
          assertThat(r.next()).as(sql).isTrue();
        }
        ran++;
      }
      assertThat(ran).isGreaterThanOrEqualTo(7);
    }
  }

  /** The type DuckDB gives a Parquet column Spark wrote with this type. */
  private static String duckType(DataType t) {
    if (t instanceof DecimalType d) {
      return "DECIMAL(" + d.precision() + "," + d.scale() + ")";
    }
    if (t instanceof ArrayType a) {
      return duckType(a.elementType()) + "[]";
    }
    if (t instanceof MapType m) {
      return "MAP(" + duckType(m.keyType()) + ", " + duckType(m.valueType()) + ")";
    }
    Map<DataType, String> simple =
        Map.of(
            DataTypes.StringType, "VARCHAR",
            DataTypes.IntegerType, "INTEGER",
            DataTypes.LongType, "BIGINT",
            DataTypes.DoubleType, "DOUBLE",
            DataTypes.BooleanType, "BOOLEAN",
            DataTypes.DateType, "DATE",
            DataTypes.TimestampType, "TIMESTAMP WITH TIME ZONE");
    assertThat(simple).as("a type the output tables use").containsKey(t);
    return simple.get(t);
  }

  @Test
  void aPublishThatFailsAfterStagingLeavesThePreviousRunAndARerunWritesTheSameRows()
      throws Exception {
    Path copy = Files.createTempDirectory("reports-before");
    for (String t : REPORTS) {
      FileUtils.copyDirectory(
          out.resolve(t + "/as_of_date=" + AS_OF).toFile(), copy.resolve(t).toFile());
    }
    String runId = manifest(out, AS_OF).get("run_id").asText();
    // The command swaps the report tables in first and the customers' quarantine rows last; a file
    // in place of the quarantine's partition makes that last swap fail, after the five report
    // tables have been swapped: they must be put back.
    Path quarantine = out.resolve("quarantine/as_of_date=" + AS_OF);
    Path aside = Files.createTempDirectory("quarantine-aside").resolve("partition");
    FileUtils.moveDirectory(quarantine.toFile(), aside.toFile());
    Files.writeString(quarantine, "in the way");
    try {
      assertThat(cli(out, "reports", "--as-of", AS_OF)).isEqualTo(4);
    } finally {
      Files.delete(quarantine);
      FileUtils.moveDirectory(aside.toFile(), quarantine.toFile());
    }
    assertThat(manifest(out, AS_OF).get("run_id").asText()).isEqualTo(runId);
    assertSameRows(copy);

    assertThat(cli(out, "reports", "--as-of", AS_OF)).isEqualTo(0);
    assertThat(manifest(out, AS_OF).get("command").asText()).isEqualTo("reports");
    assertSameRows(copy);
    FileUtils.deleteDirectory(copy.toFile());
  }

  private static void assertSameRows(Path copy) {
    for (String t : REPORTS) {
      Dataset<Row> now = comparable(at(t, AS_OF));
      Dataset<Row> then =
          comparable(SharedSpark.session().read().parquet(copy.resolve(t).toString()));
      assertThat(now.exceptAll(then).count()).as(t).isZero();
      assertThat(then.exceptAll(now).count()).as(t).isZero();
    }
  }
}
