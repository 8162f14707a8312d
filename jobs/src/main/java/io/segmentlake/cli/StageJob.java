package io.segmentlake.cli;

import io.segmentlake.JobFailure;
import io.segmentlake.clusters.ClustersStage;
import io.segmentlake.config.ClusterSettings;
import io.segmentlake.config.Settings;
import io.segmentlake.lake.LakeReader;
import io.segmentlake.lake.Publisher;
import io.segmentlake.lake.Publisher.Table;
import io.segmentlake.lake.RunLog;
import io.segmentlake.loyalty.LoyaltyStage;
import io.segmentlake.predict.PredictStage;
import io.segmentlake.quality.Quarantine;
import io.segmentlake.reports.ReportsStage;
import io.segmentlake.rfm.RfmStage;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The stage commands, `rfm`, `loyalty`, `clusters`, `predict` and `reports`, and `run` with every
 * stage: ingest, the stages, publish, mark. Within one application a stage uses what the stage
 * before it still holds; run alone, it reads what the earlier stage published.
 */
final class StageJob {
  /** The stages each command runs, in order. */
  private static final Map<String, List<String>> STAGES =
      Map.of(
          "run", List.of("rfm", "loyalty", "clusters", "predict", "reports"),
          "rfm", List.of("rfm"),
          "loyalty", List.of("loyalty"),
          "clusters", List.of("clusters"),
          "predict", List.of("predict"),
          "reports", List.of("reports"));

  private static final List<String> OPTIONAL_TABLES =
      List.of("products", "customers", "interactions");

  private final Settings settings;
  private final LocalDate asOf;
  private final String command;
  private final String runId;
  private final Progress progress = new Progress();
  private final List<Ingest> ingested = new ArrayList<>();
  private final Map<String, Object> inputs = new LinkedHashMap<>();
  private final Map<String, Object> rowCounts = new LinkedHashMap<>();
  private final Map<String, Optional<Dataset<Row>>> optionalTables = new LinkedHashMap<>();
  private RunManifest manifest;

  StageJob(Settings settings, LocalDate asOf, String command) {
    this.settings = settings;
    this.asOf = asOf;
    this.command = command;
    this.runId =
        asOf
            + "_"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS"));
  }

  /** Runs the job; a failure is recorded as an attempt and propagates as a JobFailure. */
  int run() {
    SparkSession spark = Sessions.open(settings);
    double ready = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
    progress.done(
        "session",
        String.format(
            Locale.ROOT,
            "Spark %s, master %s, ready %.1f s after JVM start",
            spark.version(),
            spark.sparkContext().master(),
            ready));
    manifest = new RunManifest(command, asOf, runId, settings, spark.version());
    manifest.put("session_ready_seconds", ready);
    manifest.put("inputs", inputs);
    manifest.put("row_counts", rowCounts);
    RunLog runLog =
        new RunLog(spark.sparkContext().hadoopConfiguration(), settings.outputRoot(), asOf);
    try {
      Publisher publisher =
          new Publisher(spark, settings.outputRoot(), settings.outputRowsPerFile(), asOf, runId);
      stageTables(spark, publisher);
      publisher.commit();
      manifest.stage("publish", progress.done("publish", "run marker " + runLog.marker()));
      Map<String, Object> done = manifest.finish("published", null);
      runLog.recordAttempt(runId, done);
      runLog.markPublished(runId, done);
      publisher.cleanUp();
      return 0;
    } catch (RuntimeException e) {
      runLog.recordAttempt(runId, manifest.finish("failed", e.getMessage()));
      throw e;
    }
  }

  /** Ingests, applies the gates, runs the stages and writes every table to staging. */
  private void stageTables(SparkSession spark, Publisher publisher) {
    List<String> stages = STAGES.get(command);
    // Every stage but reports reads the invoices; reports reads what the stages wrote.
    Ingest invoices =
        stages.equals(List.of("reports"))
            ? null
            : ingest(Ingest.invoices(spark, settings, asOf, progress));
    Optional<RfmStage.Result> rfm =
        stages.contains("rfm") ? Optional.of(rfm(invoices, publisher)) : Optional.empty();
    Optional<LoyaltyStage.Result> loyalty =
        stages.contains("loyalty")
            ? Optional.of(loyalty(spark, invoices, rfm.map(RfmStage.Result::scores), publisher))
            : Optional.empty();
    rfm.ifPresent(r -> r.release().run());
    // Each input's rows are freed once no later stage reads them (memory for the later stages).
    releaseRows("interactions");
    if (stages.contains("clusters")) {
      clusters(spark, invoices, loyalty.map(LoyaltyStage.Result::points), publisher);
    }
    loyalty.ifPresent(l -> l.release().run());
    releaseRows("products");
    if (stages.contains("predict")) {
      predict(invoices, publisher);
    }
    releaseRows("invoices");
    if (stages.contains("reports")) {
      reports(spark, publisher);
    }

    progress.start();
    // One sub-partition per input table read: a command replaces the rows of the tables it read
    // and leaves those another command wrote for the same date.
    for (Ingest in : ingested) {
      String table = in.source().table();
      manifest.table(
          "quarantine/" + Quarantine.partitionOf(table),
          publisher.stage(
              "quarantine",
              Quarantine.partitionOf(table),
              in.quarantined(),
              in.counts().quarantinedTotal()));
    }
    ingested.forEach(Ingest::release);
  }

  /** Stages the tables at the same time ({@link Publisher#stage(List)}) and records them. */
  private void stage(Publisher publisher, Table... tables) {
    stage(publisher, List.of(tables));
  }

  private void stage(Publisher publisher, List<Table> tables) {
    publisher.stage(tables).forEach(manifest::table);
  }

  /** Frees the classified rows of an input table read in this run (its quarantine stays). */
  private void releaseRows(String table) {
    ingested.stream().filter(in -> in.source().table().equals(table)).forEach(Ingest::releaseRows);
  }

  private RfmStage.Result rfm(Ingest invoices, Publisher publisher) {
    progress.start();
    RfmStage.Result rfm = RfmStage.run(invoices.used(), asOf, settings.rfm());
    stage(
        publisher,
        new Table("rfm_scores", rfm.scores(), rfm.customersScored()),
        new Table("rfm_thresholds", rfm.thresholds(), 1));
    manifest.put("rfm", rfm.summary());
    manifest.stage(
        "rfm", progress.done("rfm", Progress.n(rfm.customersScored()) + " customers scored"));
    return rfm;
  }

  /** Runs loyalty; the caller releases the result once the stages after it are done with it. */
  private LoyaltyStage.Result loyalty(
      SparkSession spark, Ingest invoices, Optional<Dataset<Row>> rfmHere, Publisher publisher) {
    OPTIONAL_TABLES.forEach(t -> optional(spark, t));
    progress.start();
    LakeReader lake = new LakeReader(spark);
    String out = settings.outputRoot();
    Optional<Dataset<Row>> rfmScores =
        rfmHere.isPresent() ? rfmHere : lake.partition(out, "rfm_scores", asOf);
    var previous = lake.latestBefore(out, "loyalty_points", asOf);
    LoyaltyStage.Result loyalty =
        LoyaltyStage.run(
            new LoyaltyStage.Inputs(
                invoices.used(),
                optionalTables.get("products"),
                optionalTables.get("customers"),
                optionalTables.get("interactions"),
                rfmScores,
                previous.map(Map.Entry::getValue)),
            asOf,
            settings.loyalty());
    stage(
        publisher,
        new Table("loyalty_points", loyalty.points(), loyalty.customers()),
        new Table("special_customers", loyalty.special(), loyalty.customers()));
    Map<String, Object> summary = new LinkedHashMap<>(loyalty.summary());
    summary.put("previous_run_date", previous.map(p -> p.getKey().toString()).orElse(null));
    manifest.put("loyalty", summary);
    Map<String, List<String>> unknownSegments = settings.groupRuleSegmentsNotConfigured();
    summary.put("group_rule_segments_not_configured", unknownSegments);
    if (!unknownSegments.isEmpty()) {
      Progress.log(
          "warning: loyalty: special-group rules name RFM segments that rfm.segments does not"
              + " define (no customer can be in them): "
              + unknownSegments);
    }
    if (!((Map<?, ?>) summary.get("previous_tiers_not_configured")).isEmpty()) {
      Progress.log(
          "warning: loyalty: previous tiers no longer configured (customers counted as new): "
              + summary.get("previous_tiers_not_configured"));
    }
    manifest.stage(
        "loyalty",
        progress.done(
            "loyalty",
            Progress.n(loyalty.customers())
                + " customers, by tier "
                + summary.get("customers_by_tier")
                + (previous.isPresent()
                    ? ", previous run " + previous.get().getKey()
                    : ", first run")));
    return loyalty;
  }

  private void clusters(
      SparkSession spark, Ingest invoices, Optional<Dataset<Row>> pointsHere, Publisher publisher) {
    ClusterSettings s = settings.clusters();
    Optional<Dataset<Row>> products =
        s.features().contains(ClusterSettings.Feature.MARGIN)
            ? optional(spark, "products")
            : Optional.empty();
    progress.start();
    LakeReader lake = new LakeReader(spark);
    String out = settings.outputRoot();
    Optional<Dataset<Row>> points =
        pointsHere.isPresent() || !s.features().contains(ClusterSettings.Feature.POINTS)
            ? pointsHere
            : lake.partition(out, "loyalty_points", asOf);
    var previous = lake.latestBefore(out, "cluster_profiles", asOf);
    ClustersStage.Result clusters =
        ClustersStage.run(
            new ClustersStage.Inputs(
                invoices.used(), products, points, previous.map(Map.Entry::getValue)),
            asOf,
            s);
    stage(
        publisher,
        new Table("customer_clusters", clusters.assignments(), clusters.customers()),
        new Table("cluster_profiles", clusters.profiles(), 1));
    Map<String, Object> summary = new LinkedHashMap<>(clusters.summary());
    summary.put("previous_run_date", previous.map(p -> p.getKey().toString()).orElse(null));
    manifest.put("clusters", summary);
    clusters.release().run();
    manifest.stage(
        "clusters",
        progress.done(
            "clusters",
            Progress.n(clusters.customers())
                + " customers; "
                + clusters.description()
                + (previous.isPresent() ? " (" + previous.get().getKey() + ")" : " (first run)")));
  }

  /**
   * The segment tables from this run's stage tables (staged) or, for a stage this command did not
   * run, the ones published for the date; rfm_scores is required.
   */
  private void reports(SparkSession spark, Publisher publisher) {
    Optional<Dataset<Row>> customers = optional(spark, "customers");
    progress.start();
    LakeReader lake = new LakeReader(spark);
    String out = settings.outputRoot();
    Function<String, Optional<Dataset<Row>>> table =
        t -> publisher.staged(t).or(() -> lake.partition(out, t, asOf));
    Dataset<Row> rfm =
        table
            .apply("rfm_scores")
            .orElseThrow(
                () ->
                    JobFailure.inputRejected(
                        "reports: no rfm_scores for "
                            + asOf
                            + " under "
                            + out
                            + "; run `rfm` (or `run`) for that date first"));
    var previous = lake.latestBefore(out, "customer_segments", asOf);
    ReportsStage.Result reports =
        ReportsStage.run(
            new ReportsStage.Inputs(
                rfm,
                table.apply("loyalty_points"),
                table.apply("customer_clusters"),
                table.apply("customer_predictions"),
                customers,
                previous),
            asOf,
            settings.reports(),
            PredictStage.scoreColumns(settings.predict()));
    stage(
        publisher,
        reports.tables().entrySet().stream()
            .map(
                t ->
                    new Table(
                        t.getKey(),
                        t.getValue(),
                        t.getKey().equals("customer_segments") ? reports.customers() : 1))
            .toList());
    manifest.put("reports", reports.summary());
    reports.release().run();
    List<String> missing = reports.sourcesMissing();
    manifest.stage(
        "reports",
        progress.done(
            "reports",
            Progress.n(reports.customers())
                + " customers in customer_segments"
                + (missing.isEmpty() ? "" : "; without " + missing)
                + (previous.isPresent()
                    ? "; migration since " + previous.get().getKey()
                    : "; first run (no migration yet)")));
  }

  /** An optional input table, ingested once per run (empty when it is not there). */
  private Optional<Dataset<Row>> optional(SparkSession spark, String table) {
    return optionalTables.computeIfAbsent(
        table,
        t ->
            Ingest.optional(spark, settings, t, asOf, progress)
                .map(this::ingest)
                .map(Ingest::used));
  }

  private void predict(Ingest invoices, Publisher publisher) {
    progress.start();
    PredictStage.Result predict = PredictStage.run(invoices.used(), asOf, settings.predict());
    predict.warnings().forEach(w -> Progress.log("warning: " + w));
    List<Table> tables =
        new ArrayList<>(
            List.of(
                new Table("customer_predictions", predict.predictions(), predict.customers()),
                new Table("model_params", predict.params(), 1)));
    predict.holdout().ifPresent(h -> tables.add(new Table("model_holdout", h, 1)));
    stage(publisher, tables);
    manifest.put("predict", predict.summary());
    predict.release().run();
    manifest.stage(
        "predict",
        progress.done(
            "predict", Progress.n(predict.customers()) + " customers; " + predict.description()));
  }

  /**
   * Records an ingested table and its ingest time in the manifest ("ingest" for the invoices,
   * "ingest_<table>" for the others), applies its gate and keeps it for the quarantine.
   */
  private Ingest ingest(Ingest in) {
    String table = in.source().table();
    manifest.stage(table.equals("invoices") ? "ingest" : "ingest_" + table, progress.last());
    inputs.put(table, in.source().toManifest());
    rowCounts.put(in.source().table(), in.counts().toManifest());
    in.checkGate(settings);
    ingested.add(in);
    return in;
  }
}
