package io.segmentlake.cli;

import io.segmentlake.JobFailure;
import io.segmentlake.config.Settings;
import io.segmentlake.lake.Publisher;
import io.segmentlake.lake.RunLog;
import io.segmentlake.quality.Quarantine;
import io.segmentlake.rfm.RfmStage;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** `rfm` (and, until the later stages exist, `run`): ingest, score, publish, mark. */
final class RfmJob {
  /** Stages of the full pipeline that this build does not have yet; `run` reports them. */
  private static final List<String> NOT_YET = List.of("loyalty", "clusters", "predict", "reports");

  private final Settings settings;
  private final LocalDate asOf;
  private final String command;
  private final String runId;

  RfmJob(Settings settings, LocalDate asOf, String command) {
    this.settings = settings;
    this.asOf = asOf;
    this.command = command;
    this.runId =
        asOf + "_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS"));
  }

  /** Runs the job; failures propagate as {@link JobFailure} after the attempt is recorded. */
  int run() {
    Progress progress = new Progress();
    SparkSession spark = Sessions.open(settings);
    progress.done("session", "Spark " + spark.version() + ", master " + spark.sparkContext().master());
    RunManifest manifest = new RunManifest(command, asOf, runId, settings, spark.version());
    RunLog runLog =
        new RunLog(spark.sparkContext().hadoopConfiguration(), settings.outputRoot(), asOf);
    try {
      publish(spark, manifest, progress);
      return 0;
    } catch (RuntimeException e) {
      runLog.recordAttempt(runId, manifest.finish("failed", e.getMessage()));
      throw e;
    }
  }

  private void publish(SparkSession spark, RunManifest manifest, Progress progress) {
    Ingest ingest = Ingest.invoices(spark, settings, asOf, progress);
    manifest.duration("ingest", progress.seconds());
    manifest.put("inputs", Map.of("invoices", Map.of("path", ingest.source().path(),
        "format", ingest.source().format().sparkName())));
    manifest.put("row_counts", Map.of("invoices", ingest.counts().toManifest()));
    ingest.checkGate(settings);

    progress.start();
    RfmStage.Result rfm = RfmStage.run(ingest.used(), asOf, settings.rfm());
    Publisher publisher = new Publisher(spark, settings.outputRoot(), asOf, runId);
    manifest.table("rfm_scores", publisher.stage("rfm_scores", rfm.scores()));
    manifest.table("rfm_thresholds", publisher.stage("rfm_thresholds", rfm.thresholds()));
    rfm.release().run();
    manifest.put("rfm", rfm.summary());
    manifest.duration(
        "rfm",
        progress.done(
            "rfm",
            Progress.n((Long) rfm.summary().get("customers_scored")) + " customers scored"));

    progress.start();
    Dataset<Row> quarantine = Quarantine.rows(ingest.classified(), ingest.source().table());
    manifest.table("quarantine", publisher.stage("quarantine", quarantine));
    if (command.equals("run")) {
      manifest.put("stages_not_available", NOT_YET);
      Progress.log("run: stages not available in this build yet: " + NOT_YET);
    }
    publisher.commit();
    RunLog runLog =
        new RunLog(spark.sparkContext().hadoopConfiguration(), settings.outputRoot(), asOf);
    Map<String, Object> done = manifest.finish("published", null);
    runLog.recordAttempt(runId, done);
    runLog.markPublished(runId, done);
    publisher.cleanUp();
    manifest.duration("publish", progress.done("publish", "run marker " + runLog.marker()));
  }
}
