package io.segmentlake.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.segmentlake.JobFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes run manifests under {@code <output>/_runs/as_of_date=D/}: every attempt as {@code
 * attempts/<run-id>.json}, and for a published run the marker {@code manifest.json}, written last.
 */
public final class RunLog {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Configuration hadoop;
  private final Path runs;

  /** A run log for one as-of date. */
  public RunLog(Configuration hadoop, String outputRoot, LocalDate asOf) {
    this.hadoop = hadoop;
    this.runs = new Path(outputRoot, "_runs/as_of_date=" + asOf);
  }

  /** Where the marker of a published run is. */
  public Path marker() {
    return new Path(runs, "manifest.json");
  }

  /** Records an attempt (successful or not); never fails the run for it. */
  public Path recordAttempt(String runId, Map<String, Object> manifest) {
    Path attempt = new Path(runs, "attempts/" + runId + ".json");
    try {
      write(attempt, manifest);
    } catch (IOException e) {
      // The attempt record is diagnostic; the run's own outcome decides the exit code.
    }
    return attempt;
  }

  /** Writes the run marker, which makes the run visible to orchestrators and readers. */
  public void markPublished(String runId, Map<String, Object> manifest) {
    Path tmp = new Path(runs, "_manifest-" + runId + ".tmp");
    try {
      FileSystem fs = runs.getFileSystem(hadoop);
      write(tmp, manifest);
      fs.delete(marker(), false);
      if (!fs.rename(tmp, marker())) {
        throw new IOException("rename " + tmp + " -> " + marker() + " failed");
      }
    } catch (IOException e) {
      throw JobFailure.publishFailed(
          "could not write the run marker " + marker() + ": " + Publisher.rootCause(e), e);
    }
  }

  private void write(Path path, Map<String, Object> manifest) throws IOException {
    FileSystem fs = path.getFileSystem(hadoop);
    try (OutputStream out = fs.create(path, true)) {
      JSON.writeValue(out, manifest);
    }
  }
}
