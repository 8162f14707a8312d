package io.segmentlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.segmentlake.JobFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * `segmentlake bench`: generates a lake (once per size and seed), runs `run` (ingest, rfm, loyalty,
 * predict) or one stage command through the launcher in its own JVM, then the same RFM aggregation
 * and quantile scoring in DuckDB (2 threads) on the same files, and the same model fits in
 * numpy/scipy on compressed statistics that DuckDB computes; prints wall time per stage, rows/s,
 * peak memory, the ratios rfm / DuckDB, loyalty / rfm, predict / rfm, and optimiser / scipy.
 *
 * <p>Usage: {@code jobs/bin/segmentlake bench [--customers N] [--dir DIR] [--runs K] [--command
 * run|predict]}
 */
public final class Benchmark {
  private static final String AS_OF = "2025-12-31";
  private static final String USAGE =
      "usage: jobs/bin/segmentlake bench [--customers N (500000)] [--dir DIR (target/bench)]"
          + " [--runs K (2)] [--command run|predict (run)]";

  private Benchmark() {}

  /** A positive whole number given to an option. */
  private static long number(String option, String value) {
    try {
      long n = Long.parseLong(value);
      if (n > 0 && n <= Integer.MAX_VALUE) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw JobFailure.usage(
        option + " needs a positive whole number, not '" + value + "'; " + USAGE);
  }

  /** Entry point (dispatched from the CLI's `bench` command). */
  public static void main(String[] args) throws Exception {
    long customers = 500_000;
    Path dir = Path.of("target/bench");
    int runs = 2;
    String command = "run";
    for (int i = 0; i < args.length; i += 2) {
      if (args[i].equals("--help") || args[i].equals("-h")) {
        System.out.println(USAGE);
        return;
      }
      if (i + 1 == args.length) {
        throw JobFailure.usage("bench option " + args[i] + " needs a value; " + USAGE);
      }
      switch (args[i]) {
        case "--customers" -> customers = number(args[i], args[i + 1]);
        case "--dir" -> dir = Path.of(args[i + 1]);
        case "--runs" -> runs = (int) number(args[i], args[i + 1]);
        case "--command" -> command = args[i + 1];
        default -> throw JobFailure.usage("unknown bench option " + args[i] + "; " + USAGE);
      }
    }
    Path lake = dir.resolve("lake-" + customers).toAbsolutePath();
    if (!Files.exists(lake.resolve("invoices"))) {
      Measured gen = launch("generate", "--customers", "" + customers, "--out", lake.toString());
      System.out.printf(Locale.ROOT, "generate  %,d customers in %.1f s%n", customers, gen.seconds);
    }
    long lines = DuckDb.count(lake);
    System.out.printf(Locale.ROOT, "lake      %s: %,d invoice lines%n", lake, lines);
    for (int run = 1; run <= runs; run++) {
      Path out = dir.resolve("out-" + customers).toAbsolutePath();
      Measured spark =
          launch(
              command,
              "--as-of",
              AS_OF,
              "--set",
              "input.root=\"" + lake + "\"",
              "--set",
              "output.root=\"" + out + "\"");
      JsonNode manifest =
          new ObjectMapper()
              .readTree(out.resolve("_runs/as_of_date=" + AS_OF + "/manifest.json").toFile());
      double ingest = manifest.at("/stage_seconds/ingest").asDouble();
      System.out.printf(
          Locale.ROOT,
          "run %d     %s: spark process %.1f s, session ready %.1f s, ingest %.1f s (read, conform,"
              + " quality rules, de-duplication), %,.0f lines/s through ingest; peak heap per stage"
              + " (MiB) %s; peak RSS %d MiB%n",
          run,
          command,
          spark.seconds,
          manifest.at("/session_ready_seconds").asDouble(),
          ingest,
          lines / ingest,
          manifest.get("stage_peak_heap_mib"),
          spark.peakRssKib / 1024);
      JsonNode seconds = manifest.get("stage_seconds");
      if (seconds.has("rfm")) {
        double rfm = seconds.get("rfm").asDouble();
        double duck = DuckDb.rfm(lake, AS_OF);
        System.out.printf(
            Locale.ROOT,
            "          rfm %.1f s | duckdb %.2f s | ratio rfm/duckdb %.1fx, ingest+rfm/duckdb %.1fx%n",
            rfm,
            duck,
            rfm / duck,
            (ingest + rfm) / duck);
        if (seconds.has("loyalty")) {
          double optional = 0;
          for (String table : List.of("products", "customers", "interactions")) {
            optional += seconds.path("ingest_" + table).asDouble();
          }
          double loyalty = seconds.get("loyalty").asDouble();
          System.out.printf(
              Locale.ROOT,
              "          ingest of products, customers, interactions %.1f s, loyalty %.1f s (%.2fx"
                  + " rfm)%n",
              optional,
              loyalty,
              loyalty / rfm);
        }
        if (seconds.has("clusters")) {
          JsonNode c = manifest.get("clusters");
          System.out.printf(
              Locale.ROOT,
              "          clusters %.1f s (%.2fx rfm; k search on the %,d-customer sample %.1f s, fit"
                  + " on all %,d customers %.1f s in %d iterations), k = %d, silhouette by k %s,"
                  + " adjusted Rand index against the generator's archetypes %.3f"
                  + " (scikit-learn, same search: 20 s with one start, 44 s with ten)%n",
              seconds.get("clusters").asDouble(),
              seconds.get("clusters").asDouble() / rfm,
              c.get("silhouette_sample_customers").asLong(),
              c.get("k_search_seconds").asDouble(),
              c.get("customers").asLong(),
              c.get("fit_seconds").asDouble(),
              c.get("iterations").asInt(),
              c.get("k").asInt(),
              c.get("silhouette_by_k"),
              DuckDb.adjustedRand(lake, out, AS_OF));
        }
        if (seconds.has("predict")) {
          System.out.printf(
              Locale.ROOT,
              "          predict %.2fx rfm%n",
              seconds.get("predict").asDouble() / rfm);
        }
      }
      if (seconds.has("predict")) {
        predict(manifest, lake);
      }
      System.out.printf(
          Locale.ROOT, "          publish %.1f s%n", seconds.path("publish").asDouble());
      double total = 0;
      List<String> split = new ArrayList<>();
      for (var stage : (Iterable<java.util.Map.Entry<String, JsonNode>>) seconds::fields) {
        total += stage.getValue().asDouble();
        split.add(
            String.format(Locale.ROOT, "%s %.1f", stage.getKey(), stage.getValue().asDouble()));
      }
      long files = 0;
      int tables = 0;
      for (JsonNode table : manifest.get("tables_written")) {
        files += table.get("files").asLong();
        tables++;
      }
      System.out.printf(
          Locale.ROOT,
          "          stages (s): %s; all stages %.1f s, session start included %.1f s; %d table"
              + " partitions in %d files%n",
          String.join(", ", split),
          total,
          total + manifest.at("/session_ready_seconds").asDouble(),
          tables,
          files);
    }
  }

  /** The predict stage's figures, and the same fits in numpy/scipy on DuckDB's statistics. */
  private static void predict(JsonNode manifest, Path lake) throws Exception {
    JsonNode p = manifest.get("predict");
    double bg = p.at("/bgnbd/optimiser_seconds").asDouble();
    double gg = p.at("/gamma_gamma/optimiser_seconds").asDouble();
    System.out.printf(
        Locale.ROOT,
        "          predict %.1f s for %,d customers: statistics and fits %.1f s, optimiser bgnbd %.2f"
            + " s (%,d distinct statistics, %d iterations), gamma_gamma %.2f s (%,d, %d"
            + " iterations)%n",
        manifest.at("/stage_seconds/predict").asDouble(),
        p.get("customers").asLong(),
        p.get("fit_seconds_with_statistics").asDouble(),
        bg,
        p.at("/bgnbd/distinct_statistics").asLong(),
        p.at("/bgnbd/iterations").asInt(),
        gg,
        p.at("/gamma_gamma/distinct_statistics").asLong(),
        p.at("/gamma_gamma/iterations").asInt());
    Path stats = Files.createTempDirectory("bench-predict");
    DuckDb.predictStatistics(lake, AS_OF, stats);
    Process python =
        new ProcessBuilder(
                "python3",
                "jobs/src/test/resources/bench/reference_fit.py",
                stats.toString(),
                p.get("time_unit").asText().equals("weeks") ? "7" : "1")
            .redirectErrorStream(true)
            .start();
    String out = new String(python.getInputStream().readAllBytes()).trim();
    if (python.waitFor() != 0) {
      System.out.println("          scipy reference failed: " + out);
      return;
    }
    for (String line : out.split("\n")) {
      String model = line.substring(0, line.indexOf(' '));
      double reference = Double.parseDouble(line.split(" ")[1]);
      double ours = model.equals("bgnbd") ? bg : gg;
      System.out.printf(
          Locale.ROOT,
          "          scipy %s | ratio optimiser/scipy %.2fx%n",
          line,
          ours / reference);
    }
  }

  private record Measured(double seconds, long peakRssKib) {}

  /** Runs the launcher with the arguments, polling its peak resident memory. */
  private static Measured launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("jobs/bin/segmentlake"));
    command.addAll(List.of(args));
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).inheritIO().start();
    long peak = 0;
    while (p.isAlive()) {
      peak = Math.max(peak, peakRss(p.pid()));
      Thread.sleep(200);
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue());
    }
    return new Measured((System.nanoTime() - start) / 1e9, peak);
  }

  private static long peakRss(long pid) {
    long peak = 0;
    for (ProcessHandle h :
        ProcessHandle.of(pid).stream()
            .flatMap(
                ph ->
                    java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(ph), ph.descendants()))
            .toList()) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
          if (line.startsWith("VmHWM:")) {
            peak = Math.max(peak, Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
      } catch (IOException | NumberFormatException gone) {
        // The process ended between listing and reading.
      }
    }
    return peak;
  }

  /** The reference engine: the same work in DuckDB with 2 threads. */
  static final class DuckDb {
    private DuckDb() {}

    static long count(Path lake) throws Exception {
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery("SELECT count(*) FROM " + invoices(lake))) {
        r.next();
        return r.getLong(1);
      }
    }

    /**
     * Seconds for: used rows, per-customer R/F/M, quantile cut points, scores written to Parquet.
     */
    static double rfm(Path lake, String asOf) throws Exception {
      Path out = Files.createTempFile("duckdb-rfm", ".parquet");
      String sql =
          """
          COPY (
            WITH used AS (
              SELECT customer_id, invoice_id, CAST(invoice_ts AS DATE) AS day, quantity,
                     CAST(round(unit_price * 10000) AS BIGINT) AS price_units
              FROM %1$s
              WHERE invoice_ts < DATE '%2$s' + INTERVAL 1 DAY AND coalesce(status, '') <> 'cancelled'
                AND customer_id IS NOT NULL AND quantity <> 0 AND unit_price >= 0),
            m AS (
              SELECT customer_id,
                     DATE '%2$s' - max(CASE WHEN quantity > 0 THEN day END) AS recency_days,
                     count(DISTINCT CASE WHEN quantity > 0 AND day > DATE '%2$s' - 365 THEN invoice_id END) AS frequency,
                     coalesce(sum(CASE WHEN day > DATE '%2$s' - 365 THEN quantity * price_units END), 0) AS monetary
              FROM used GROUP BY customer_id),
            q AS (
              SELECT quantile_disc(recency_days, [0.2, 0.4, 0.6, 0.8]) AS rq,
                     quantile_disc(frequency, [0.2, 0.4, 0.6, 0.8]) AS fq,
                     quantile_disc(monetary, [0.2, 0.4, 0.6, 0.8]) AS mq
              FROM m WHERE recency_days IS NOT NULL)
            SELECT customer_id, recency_days, frequency, monetary,
                   6 - (1 + (recency_days > rq[1])::INT + (recency_days > rq[2])::INT + (recency_days > rq[3])::INT + (recency_days > rq[4])::INT) AS r_score,
                   1 + (frequency > fq[1])::INT + (frequency > fq[2])::INT + (frequency > fq[3])::INT + (frequency > fq[4])::INT AS f_score,
                   1 + (monetary > mq[1])::INT + (monetary > mq[2])::INT + (monetary > mq[3])::INT + (monetary > mq[4])::INT AS m_score
            FROM m, q WHERE recency_days IS NOT NULL
          ) TO '%3$s' (FORMAT parquet)
          """
              .formatted(invoices(lake), asOf, out);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement()) {
        s.execute("SET threads = 2");
        long start = System.nanoTime();
        s.execute(sql);
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.deleteIfExists(out);
        return seconds;
      }
    }

    /** Adjusted Rand index of customer_clusters' cluster_id against customers.archetype. */
    static double adjustedRand(Path lake, Path out, String asOf) throws Exception {
      String sql =
          """
          WITH c AS (
            SELECT k.archetype AS a, c.cluster_id AS b, count(*)::DOUBLE AS n
            FROM read_parquet('%1$s/customer_clusters/as_of_date=%3$s/*.parquet') c
            JOIN read_parquet('%2$s/customers/**/*.parquet') k USING (customer_id) GROUP BY 1, 2),
          s AS (SELECT sum(n * (n - 1) / 2) AS pairs, sum(n) * (sum(n) - 1) / 2 AS total FROM c),
          ra AS (SELECT sum(x * (x - 1) / 2) AS sa FROM (SELECT sum(n) AS x FROM c GROUP BY a)),
          rb AS (SELECT sum(x * (x - 1) / 2) AS sb FROM (SELECT sum(n) AS x FROM c GROUP BY b))
          SELECT (pairs - sa * sb / total) / ((sa + sb) / 2 - sa * sb / total) FROM s, ra, rb
          """
              .formatted(out, lake, asOf);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement();
          ResultSet r = s.executeQuery(sql)) {
        r.next();
        return r.getDouble(1);
      }
    }

    /**
     * The models' compressed statistics, by the predict stage's rules (a purchase is a customer-day
     * with a purchase line, at its net amount), as CSV: bgnbd.csv (x, t_x, T in days, n) and
     * gamma_gamma.csv (x, mean repeat spend, n).
     */
    static void predictStatistics(Path lake, String asOf, Path dir) throws Exception {
      String summaries =
          """
          CREATE TEMP TABLE c AS
          WITH used AS (
            SELECT customer_id, CAST(invoice_ts AS DATE) AS day, quantity,
                   CAST(round(unit_price * 100) AS BIGINT) AS cents
            FROM %1$s
            WHERE invoice_ts < DATE '%2$s' + INTERVAL 1 DAY AND coalesce(status, '') <> 'cancelled'
              AND customer_id IS NOT NULL AND quantity <> 0 AND unit_price >= 0),
          p AS (
            SELECT customer_id, day, sum(quantity * cents) AS cents FROM used
            GROUP BY 1, 2 HAVING bool_or(quantity > 0))
          SELECT customer_id, count(*) - 1 AS x, max(day) - min(day) AS t_x,
                 DATE '%2$s' - min(day) AS t,
                 CASE WHEN count(*) > 1
                      THEN (sum(cents) - arg_min(cents, day)) / 100.0 / (count(*) - 1) ELSE 0 END AS m
          FROM p GROUP BY 1
          """
              .formatted(invoices(lake), asOf);
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement s = c.createStatement()) {
        s.execute("SET threads = 2");
        s.execute(summaries);
        s.execute(
            "COPY (SELECT x, t_x, t, count(*) AS n FROM c GROUP BY 1, 2, 3) TO '%s' (HEADER)"
                .formatted(dir.resolve("bgnbd.csv")));
        s.execute(
            "COPY (SELECT x, m, count(*) AS n FROM c WHERE x > 0 GROUP BY 1, 2) TO '%s' (HEADER)"
                .formatted(dir.resolve("gamma_gamma.csv")));
      }
    }

    private static String invoices(Path lake) {
      return "read_parquet('" + lake.resolve("invoices") + "/*.parquet')";
    }
  }
}
