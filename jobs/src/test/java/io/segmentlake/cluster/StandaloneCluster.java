package io.segmentlake.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real multi-JVM Spark standalone cluster on 127.0.0.1 from the Maven classpath (no Spark
 * download): a Master and two one-core Workers, each its own process, with a SPARK_HOME made of
 * links to the build's jars. close() stops every process it started (and their children) by PID.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Path TARGET = Path.of("target");
  private final Path home;
  private final int port;
  private final int webPort;
  private final List<Process> processes = new ArrayList<>();

  private StandaloneCluster(Path home, int port, int webPort) {
    this.home = home;
    this.port = port;
    this.webPort = webPort;
  }

  /** Starts a Master and {@code workers} Workers of one core each; returns when all are ALIVE. */
  static StandaloneCluster start(Path dir, int workers) throws Exception {
    Path home = sparkHome(dir.resolve("spark-home"));
    StandaloneCluster cluster = new StandaloneCluster(home, freePort(), freePort());
    try {
      cluster.launch(
          "master",
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          "" + cluster.port,
          "--webui-port",
          "" + cluster.webPort);
      for (int i = 1; i <= workers; i++) {
        Path work = Files.createDirectories(dir.resolve("worker-" + i));
        cluster.launch(
            "worker-" + i,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            "1",
            "--memory",
            "1536m",
            "--webui-port",
            "" + freePort(),
            "--work-dir",
            work.toString(),
            cluster.masterUrl());
      }
      cluster.awaitAliveWorkers(workers);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /** The JVM command that runs {@code mainClass} with the cluster's classpath and Spark's flags. */
  List<String> java(String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx1g");
    command.addAll(jvmFlags());
    command.add("-cp");
    command.add(home.resolve("conf") + ":" + home.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** A process builder with the cluster's environment, logging to {@code log}. */
  ProcessBuilder processBuilder(List<String> command, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_SCALA_VERSION", "2.13");
    return builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
  }

  /** The PIDs of the executor JVMs the Workers are running now. */
  List<ProcessHandle> executors() {
    return processes.stream()
        .flatMap(Process::descendants)
        .filter(
            p ->
                p.info()
                    .commandLine()
                    .orElse("")
                    .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"))
        .toList();
  }

  @Override
  public void close() {
    List<Process> newestFirst = new ArrayList<>(processes);
    java.util.Collections.reverse(newestFirst);
    for (Process p : newestFirst) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }

  private void launch(String name, String mainClass, String... args) throws IOException {
    Path log = home.getParent().resolve(name + ".log");
    processes.add(processBuilder(java(mainClass, args), log).start());
  }

  private void awaitAliveWorkers(int workers) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI status = URI.create("http://127.0.0.1:" + webPort + "/json/");
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      try {
        String json =
            http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = alive.matcher(json);
        if (m.find() && Integer.parseInt(m.group(1)) >= workers) {
          return;
        }
      } catch (IOException notYet) {
        // The Master's web UI is not up yet.
      }
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a cluster process exited with " + p.exitValue() + "; logs in " + home.getParent());
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("workers not ALIVE after 90 s; logs in " + home.getParent());
  }

  /** A folder that acts as SPARK_HOME: jars/ links to the build's jars, conf/ the log config. */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Path classpath = TARGET.resolve("launcher-classpath.txt");
    if (!Files.exists(classpath)) {
      throw new IllegalStateException(classpath.toAbsolutePath() + " is missing: run mvn package");
    }
    for (String jar : Files.readString(classpath).trim().split(":")) {
      Path source = Path.of(jar);
      Path link = jars.resolve(source.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, source);
      }
    }
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.copy(Path.of("../conf/log4j2.properties"), conf.resolve("log4j2.properties"));
    return home;
  }

  private static List<String> jvmFlags() throws IOException {
    return Files.readAllLines(Path.of("../.mvn/jvm.config")).stream()
        .map(String::trim)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
