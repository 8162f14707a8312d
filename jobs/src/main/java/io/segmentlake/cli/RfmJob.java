package io.segmentlake.cli;

import io.segmentlake.JobFailure;
import io.segmentlake.config.Settings;
import io.segmentlake.lake.Publisher;
import io.segmentlake.lake.RunLog;
import io.segmentlake.quality.Quarantine;
import io.segmentlake.rfm.RfmStage;
import java.lang.management.ManagementFactory;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** `rfm` (and, until the later stages exist, `run`): ingest, score, publish, mark. */
final class RfmJob {
  /** Stages of the full pipeline that this build does not have yet; `run` reports them. */
  private static final List<String> NOT_YET = List.of("loyalty", "clusters", "predict", "reports");

  private final Settings settings;
  private final LocalDate asOf;
  private final String command;
  private final String runId;
  private final Progress progress = new Progress();

  RfmJob(Settings settings, LocalDate asOf, String command) {
    this.settings = settings;
    this.asOf = asOf;
    this.command = command;
    this.runId =
        asOf
            + "_"
            + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS"));
  }

  /** Runs the job; a failure is recorded as an attempt and propagates as {@link JobFailure}. */
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
    RunManifest manifest = new RunManifest(command, asOf, runId, settings, spark.version());
    manifest.put("session_ready_seconds", ready);
    RunLog runLog =
        new RunLog(spark.sparkContext().hadoopConfiguration(), settings.outputRoot(), asOf);
    try {
      Publisher publisher =
          new Publisher(spark, settings.outputRoot(), settings.outputRowsPerFile(), asOf, runId);
      stageTables(spark, manifest, publisher);
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

  /** Ingests, applies the gate, scores, and writes every table to staging. */
  private void stageTables(SparkSession spark, RunManifest manifest, Publisher publisher) {
    Ingest ingest = Ingest.invoices(spark, settings, asOf, progress);
    manifest.stage("ingest", progress.last());
    manifest.put("inputs", Map.of("invoices", ingest.source().toManifest()));
    manifest.put("row_counts", Map.of("invoices", ingest.counts().toManifest()));
    ingest.checkGate(settings);

    progress.start();
    RfmStage.Result rfm = RfmStage.run(ingest.used(), asOf, settings.rfm());
    manifest.table(
        "rfm_scores", publisher.stage("rfm_scores", rfm.scores(), rfm.customersScored()));
    manifest.table("rfm_thresholds", publisher.stage("rfm_thresholds", rfm.thresholds(), 1));
    rfm.release().run();
    manifest.put("rfm", rfm.summary());
    manifest.stage(
        "rfm", progress.done("rfm", Progress.n(rfm.customersScored()) + " customers scored"));

    progress.start();
    manifest.table(
        "quarantine",
        publisher.stage(
            "quarantine",
            Quarantine.rows(ingest.classified(), ingest.source().table()),
            ingest.counts().quarantinedTotal()));
    ingest.release();
    if (command.equals("run")) {
      manifest.put("stages_not_available", NOT_YET);
      Progress.log("run: stages not available in this build yet: " + NOT_YET);
    }
  }
}
