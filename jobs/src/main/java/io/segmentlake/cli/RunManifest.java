package io.segmentlake.cli;

import io.segmentlake.config.Settings;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** The manifest of one run, filled in as the run goes (JSON-ready maps). */
final class RunManifest {
  private final Map<String, Object> root = new LinkedHashMap<>();
  private final Map<String, Object> durations = new LinkedHashMap<>();
  private final Map<String, Object> peakHeap = new LinkedHashMap<>();
  private final Map<String, Object> tables = new LinkedHashMap<>();

  RunManifest(
      String command, LocalDate asOf, String runId, Settings settings, String sparkVersion) {
    root.put("as_of_date", asOf.toString());
    root.put("command", command);
    root.put("run_id", runId);
    root.put("status", "running");
    root.put("started_at", Instant.now().toString());
    root.put(
        "versions",
        Map.of(
            "segmentlake", String.valueOf(Main.class.getPackage().getImplementationVersion()),
            "spark", sparkVersion,
            "java", System.getProperty("java.version")));
    root.put("config", settings.configTree());
    root.put("stage_seconds", durations);
    root.put("stage_peak_heap_mib", peakHeap);
    root.put("tables_written", tables);
  }

  /** Sets a top-level entry. */
  void put(String key, Object value) {
    root.put(key, value);
  }

  /** Records a stage's duration in seconds and its peak heap. */
  void stage(String stage, Progress.Step step) {
    durations.put(stage, Math.round(step.seconds() * 1000) / 1000.0);
    peakHeap.put(stage, step.peakHeapMib());
  }

  /** Records the rows and files written for a table. */
  void table(String table, Map<String, Long> written) {
    tables.put(table, written);
  }

  /** Marks the outcome. */
  Map<String, Object> finish(String status, String error) {
    root.put("status", status);
    root.put("finished_at", Instant.now().toString());
    if (error != null) {
      root.put("error", error);
    }
    return root;
  }
}
