package io.segmentlake.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.SharedSpark;
import io.segmentlake.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * generate and rfm against a real S3-API server through s3a: the tables read back equal a local
 * run's, the zero-rename committer wrote them, no credential shows up anywhere, and a store that
 * goes away mid-run gives exit 4 with earlier output intact.
 */
class S3LakeTest {
  private static final String AS_OF = "2025-12-31";
  @TempDir static Path dir;
  private static S3Server s3;

  @BeforeAll
  static void start() throws Exception {
    SharedSpark.session();
    s3 = S3Server.start(dir.resolve("s3"));
    // The AWS default chain reads these (as it reads AWS_ACCESS_KEY_ID in production).
    System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    s3.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    // Forget cached s3a clients bound to this server.
    FileSystem.closeAll();
  }

  private static int cli(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(s3.settings());
    return Main.execute(all.toArray(String[]::new));
  }

  private static Dataset<Row> table(String root, String table) {
    return SharedSpark.session().read().parquet(root + "/" + table);
  }

  @Test
  void generateAndRunThroughS3MatchALocalRunAndLeakNoCredential() throws Exception {
    s3.createBucket("lake");
    String local = dir.resolve("local").toString();
    Captured run =
        Captured.during(
            () -> {
              assertThat(cli("generate", "--customers", "300", "--out", "s3a://lake/in"))
                  .isEqualTo(0);
              assertThat(
                      cli(
                          "run",
                          "--as-of",
                          AS_OF,
                          "--set",
                          "input.root=\"s3a://lake/in\"",
                          "--set",
                          "output.root=\"s3a://lake/out\""))
                  .isEqualTo(0);
            });
    assertThat(cli("generate", "--customers", "300", "--out", local + "/in")).isEqualTo(0);
    assertThat(
            cli(
                "run",
                "--as-of",
                AS_OF,
                "--set",
                "input.root=\"" + local + "/in\"",
                "--set",
                "output.root=\"" + local + "/out\""))
        .isEqualTo(0);

    Dataset<Row> fromS3 = table("s3a://lake/out", "rfm_scores");
    assertThat(fromS3.count()).isGreaterThan(250);
    SharedSpark.base().assertDataFrameNoOrderEquals(table(local + "/out", "rfm_scores"), fromS3);
    Dataset<Row> loyaltyFromS3 =
        table("s3a://lake/out", "loyalty_points").drop("interaction_points_by_event");
    assertThat(loyaltyFromS3.count()).isGreaterThan(250);
    SharedSpark.base()
        .assertDataFrameNoOrderEquals(
            table(local + "/out", "loyalty_points").drop("interaction_points_by_event"),
            loyaltyFromS3);
    SharedSpark.base()
        .assertDataFrameNoOrderEquals(
            table(local + "/out", "special_customers"),
            table("s3a://lake/out", "special_customers"));
    SharedSpark.base()
        .assertDataFrameNoOrderEquals(
            table(local + "/in", "invoices"), table("s3a://lake/in", "invoices"));

    try (S3Client client = s3.client()) {
      String success = text(client, "out/rfm_scores/as_of_date=" + AS_OF + "/_SUCCESS");
      assertThat(success).as("an S3A committer writes a JSON _SUCCESS").contains("\"committer\"");
      assertThat(success).contains("magic");
      assertThat(text(client, "out/_runs/as_of_date=" + AS_OF + "/manifest.json"))
          .contains("\"status\" : \"published\"");

      List<String> leaks = new ArrayList<>();
      for (S3Object object : client.listObjectsV2Paginator(b -> b.bucket("lake")).contents()) {
        String body = text(client, object.key());
        if (body.contains(S3Server.ACCESS_KEY) || body.contains(S3Server.SECRET_KEY)) {
          leaks.add(object.key());
        }
      }
      assertThat(leaks).as("objects holding a credential").isEmpty();
    }
    assertThat(run.output()).contains("[segmentlake] rfm").contains("s3a://lake/out");
    assertThat(run.output())
        .doesNotContain(S3Server.ACCESS_KEY)
        .doesNotContain(S3Server.SECRET_KEY);
  }

  @Test
  void aStoreThatGoesAwayMidRunFailsWithExit4AndLeavesEarlierOutputReadable() throws Exception {
    s3.createBucket("flaky");
    String sample = io.segmentlake.TestData.repo().resolve("data-sample/lake").toString();
    String[] input = {"--set", "input.root=\"" + sample + "\""};
    String[] output = {"--set", "output.root=\"s3a://flaky/out\""};
    assertThat(cli(concat(new String[] {"rfm", "--as-of", "2025-06-30"}, input, output)))
        .isEqualTo(0);
    long published = table("s3a://flaky/out", "rfm_scores").count();

    // Stop the server as soon as the next run's first Spark job ends (while it reads its input).
    SparkContext context = SharedSpark.session().sparkContext();
    SparkListener killer =
        new SparkListener() {
          @Override
          public void onJobEnd(SparkListenerJobEnd jobEnd) {
            try {
              s3.close();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    context.addSparkListener(killer);
    Captured failed;
    try {
      failed =
          Captured.during(
              () ->
                  assertThat(cli(concat(new String[] {"rfm", "--as-of", AS_OF}, input, output)))
                      .isEqualTo(4));
    } finally {
      context.removeSparkListener(killer);
      s3.restart();
    }
    assertThat(failed.output()).contains("error:").contains("s3a://flaky/out");

    SparkSession spark = SharedSpark.session();
    assertThat(table("s3a://flaky/out", "rfm_scores").count()).isEqualTo(published);
    assertThat(
            spark
                .read()
                .parquet("s3a://flaky/out/rfm_scores")
                .where("as_of_date = '" + AS_OF + "'")
                .count())
        .as("the failed date was not published")
        .isZero();
  }

  private static String text(S3Client client, String key) {
    ResponseBytes<GetObjectResponse> bytes =
        client.getObjectAsBytes(b -> b.bucket("lake").key(key));
    return new String(bytes.asByteArray(), StandardCharsets.ISO_8859_1);
  }

  private static String[] concat(String[]... parts) {
    return Arrays.stream(parts).flatMap(Arrays::stream).toArray(String[]::new);
  }

  /** What a block of work printed: our progress lines, and every log line at DEBUG and above. */
  private record Captured(String output) {
    static Captured during(Runnable work) {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PrintStream original = System.err;
      StringWriter logs = new StringWriter();
      LoggerContext context = (LoggerContext) LogManager.getContext(false);
      Configuration config = context.getConfiguration();
      Appender appender =
          WriterAppender.newBuilder()
              .setName("capture")
              .setTarget(logs)
              .setLayout(PatternLayout.createDefaultLayout(config))
              .build();
      appender.start();
      config.getRootLogger().addAppender(appender, Level.ALL, null);
      Configurator.setLevel("org.apache.hadoop.fs.s3a", Level.DEBUG);
      context.updateLoggers();
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      try {
        work.run();
      } finally {
        System.setErr(original);
        Configurator.setLevel("org.apache.hadoop.fs.s3a", Level.WARN);
        config.getRootLogger().removeAppender("capture");
        context.updateLoggers();
        appender.stop();
      }
      String printed = err.toString(StandardCharsets.UTF_8);
      original.print(printed);
      return new Captured(printed + logs);
    }
  }
}
