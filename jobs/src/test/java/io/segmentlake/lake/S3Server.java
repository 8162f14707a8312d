package io.segmentlake.lake;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-API server for tests: s3proxy (copied from Maven into target/test-tools by the build)
 * in its own JVM, bound to 127.0.0.1 on a free port, storing objects under a folder so that a
 * restarted server sees what an earlier one stored. Stopped by close(), pass or fail.
 */
public final class S3Server implements AutoCloseable {
  /** Test-only keys of the server; the jobs get them from the AWS default chain. */
  public static final String ACCESS_KEY = "segmentlakeTestAccessKey";

  /** Test-only secret of the server. */
  public static final String SECRET_KEY = "segmentlakeTestSecretKey0123456789";

  private static final Path JAR = Path.of("target/test-tools/s3proxy.jar");
  private final Path dir;
  private final int port;
  private Process process;

  private S3Server(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server storing under {@code dir} on a free loopback port. */
  public static S3Server start(Path dir) throws IOException, InterruptedException {
    S3Server server = new S3Server(dir, freePort());
    server.restart();
    return server;
  }

  /** Starts (again) on the same port and folder. */
  public void restart() throws IOException, InterruptedException {
    if (!Files.exists(JAR)) {
      throw new IllegalStateException(JAR.toAbsolutePath() + " is missing: run the Maven build");
    }
    Path blobs = Files.createDirectories(dir.resolve("blobs"));
    Path properties = dir.resolve("s3proxy.properties");
    Files.write(
        properties,
        List.of(
            "s3proxy.endpoint=" + endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET_KEY,
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + blobs,
            "jclouds.identity=" + ACCESS_KEY,
            "jclouds.credential=" + SECRET_KEY),
        StandardCharsets.UTF_8);
    String java = ProcessHandle.current().info().command().orElse("java");
    process =
        new ProcessBuilder(
                java, "-Xmx256m", "-jar", JAR.toString(), "--properties", properties.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("s3proxy.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!accepting()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        close();
        throw new IllegalStateException(
            "s3proxy did not start; its log:\n" + Files.readString(dir.resolve("s3proxy.log")));
      }
      Thread.sleep(100);
    }
  }

  /** The endpoint URL, e.g. http://127.0.0.1:41234. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Creates a bucket (s3a never creates buckets). */
  public void createBucket(String bucket) {
    try (S3Client s3 = client()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
  }

  /** An SDK client with the server's keys, for test set-up and for reading back raw objects. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
        .build();
  }

  /** The --set arguments that point the jobs at this server. */
  public List<String> settings() {
    return List.of(
        "--set",
        "s3.endpoint=\"" + endpoint() + "\"",
        "--set",
        "s3.region=\"us-east-1\"",
        "--set",
        "s3.path-style-access=true");
  }

  /** Stops the server process (and waits for it). */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
