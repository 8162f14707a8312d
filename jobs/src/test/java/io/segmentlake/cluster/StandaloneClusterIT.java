package io.segmentlake.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import io.segmentlake.TestData;
import io.segmentlake.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar submitted with SparkSubmit to a real standalone cluster (a Master and two Workers,
 * each its own JVM) gives the same rfm tables as a local run, also when an executor is killed while
 * the job runs.
 */
class StandaloneClusterIT {
  private static final String AS_OF = "2025-12-31";
  private static final Path JAR = Path.of("target/segmentlake.jar").toAbsolutePath();
  private static final String SAMPLE = TestData.repo().resolve("data-sample/lake").toString();
  @TempDir static Path dir;
  private static StandaloneCluster cluster;
  private static Path localOut;

  @BeforeAll
  static void start() throws Exception {
    SharedSpark.session();
    cluster = StandaloneCluster.start(dir, 2);
    localOut = dir.resolve("local-out");
    assertThat(Main.execute(args(localOut))).isEqualTo(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String[] args(Path out) {
    return new String[] {
      "rfm",
      "--as-of",
      AS_OF,
      "--set",
      "input.root=\"" + SAMPLE + "\"",
      "--set",
      "output.root=\"" + out + "\""
    };
  }

  /** SparkSubmit of the shaded jar with the CLI arguments after it, as README's recipe does. */
  private static Process submit(Path out, Path log) throws Exception {
    List<String> command =
        cluster.java(
            "org.apache.spark.deploy.SparkSubmit",
            concat(
                new String[] {
                  "--master",
                  cluster.masterUrl(),
                  "--deploy-mode",
                  "client",
                  "--class",
                  "io.segmentlake.cli.Main",
                  "--conf",
                  "spark.executor.memory=1g",
                  "--conf",
                  "spark.driver.host=127.0.0.1",
                  JAR.toString()
                },
                args(out)));
    return cluster.processBuilder(command, log).start();
  }

  private static Dataset<Row> table(Path out, String table) {
    return SharedSpark.session().read().parquet(out.resolve(table).toString());
  }

  private static void assertSameAsLocal(Path out) {
    for (String table : List.of("rfm_scores", "rfm_thresholds", "quarantine")) {
      SharedSpark.base().assertDataFrameNoOrderEquals(table(localOut, table), table(out, table));
    }
  }

  @Test
  void theShadedJarOnTheClusterWritesWhatALocalRunWrites() throws Exception {
    Path out = dir.resolve("cluster-out");
    Path log = dir.resolve("submit.log");
    Process submit = submit(out, log);
    assertThat(submit.waitFor(5, TimeUnit.MINUTES)).as("finished within 5 minutes").isTrue();
    String printed = Files.readString(log);
    assertThat(submit.exitValue()).as(printed).isEqualTo(0);
    assertThat(printed).contains("master spark://127.0.0.1");
    assertSameAsLocal(out);
  }

  @Test
  void killingAnExecutorMidJobStillSucceedsWithTheSameOutput() throws Exception {
    Path out = dir.resolve("cluster-out-killed");
    Path log = dir.resolve("submit-killed.log");
    Process submit = submit(out, log);
    // Kill one executor once the job has read its input (the ingest line is printed after the
    // first stages ran on the executors), while the RFM stage and the writes are still to come.
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    boolean killed = false;
    while (!killed && submit.isAlive() && System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("[segmentlake] ingest")) {
        List<ProcessHandle> executors = cluster.executors();
        assertThat(executors).as("executors running").isNotEmpty();
        executors.get(0).destroyForcibly();
        killed = true;
      }
      Thread.sleep(100);
    }
    assertThat(killed).as("an executor was killed mid-job").isTrue();
    assertThat(submit.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String printed = Files.readString(log);
    assertThat(submit.exitValue()).as(printed).isEqualTo(0);
    assertThat(printed).containsPattern("(?i)executor .*(lost|exited|removed)");
    assertSameAsLocal(out);
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
