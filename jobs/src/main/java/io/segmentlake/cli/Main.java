package io.segmentlake.cli;

import io.segmentlake.JobFailure;
import io.segmentlake.config.ConfigLoader;
import io.segmentlake.config.Settings;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The one entry point: {@code segmentlake <command> [--as-of D] [--config FILE] [--set k=v]…}. */
@Command(
    name = "segmentlake",
    mixinStandardHelpOptions = true,
    version = "segmentlake 0.1.0",
    description = "Ranks and segments a whole customer base from invoices in a data lake.",
    footer = {
      "",
      "Commands: run, rfm, loyalty, clusters, predict, reports, generate, validate, bench",
      "Exit codes: 0 success, 2 usage or configuration error, 3 input data rejected,",
      "            4 output could not be published, 1 anything else."
    })
public final class Main implements Callable<Integer> {
  static final List<String> COMMANDS =
      List.of("run", "rfm", "loyalty", "clusters", "predict", "reports", "generate", "validate");

  @Parameters(
      index = "0",
      paramLabel = "COMMAND",
      description = "run | rfm | loyalty | clusters | predict | reports | generate | validate")
  String command;

  @Option(
      names = "--as-of",
      paramLabel = "YYYY-MM-DD",
      description = "Logical date (default: today).")
  String asOf;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "HOCON file layered over the defaults.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "One setting (repeatable).")
  List<String> sets = new ArrayList<>();

  @Option(
      names = "--holdout-days",
      paramLabel = "N",
      description = "predict, run: validate BG/NBD on the last N days (predict.holdout-days).")
  Integer holdoutDays;

  @Option(names = "--customers", description = "generate: number of customers.")
  Long customers;

  @Option(names = "--seed", description = "generate: seed.")
  Long seed;

  @Option(names = "--out", paramLabel = "DIR", description = "generate: where the lake is written.")
  String out;

  /** Runs the CLI and exits with the code of the outcome. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code (for tests and the benchmark). */
  public static int execute(String... args) {
    if (args.length > 0 && args[0].equals("bench")) {
      return bench(args);
    }
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof JobFailure failure) {
            Progress.log("error: " + failure.getMessage());
            return failure.exitCode();
          }
          Progress.log("error: " + e);
          e.printStackTrace();
          return 1;
        });
    return cli.execute(args);
  }

  /**
   * The benchmark ships in the test jar (it needs DuckDB); the launcher puts it on the classpath.
   */
  private static int bench(String... args) {
    try {
      Class.forName("io.segmentlake.bench.Benchmark")
          .getMethod("main", String[].class)
          .invoke(null, (Object) java.util.Arrays.copyOfRange(args, 1, args.length));
      return 0;
    } catch (ClassNotFoundException e) {
      Progress.log("error: bench needs the test jar: run it through jobs/bin/segmentlake bench");
      return JobFailure.USAGE;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof JobFailure failure) {
        Progress.log("error: " + failure.getMessage());
        return failure.exitCode();
      }
      Progress.log("error: bench failed: " + e.getCause());
      return 1;
    } catch (ReflectiveOperationException e) {
      Progress.log("error: bench failed: " + e);
      return 1;
    }
  }

  @Override
  public Integer call() {
    if (!COMMANDS.contains(command)) {
      throw JobFailure.usage("unknown command '" + command + "'; expected one of " + COMMANDS);
    }
    List<String> all = new ArrayList<>(sets);
    Optional.ofNullable(holdoutDays).ifPresent(h -> all.add("predict.holdout-days=" + h));
    Optional.ofNullable(customers).ifPresent(c -> all.add("generate.customers=" + c));
    Optional.ofNullable(seed).ifPresent(s -> all.add("generate.seed=" + s));
    Optional.ofNullable(out).ifPresent(o -> all.add("generate.out=\"" + o + "\""));
    Settings settings = Settings.from(ConfigLoader.load(Optional.ofNullable(config), all));
    LocalDate date = asOfDate(settings);
    return switch (command) {
      case "generate" -> GenerateJob.run(settings);
      case "validate" -> ValidateJob.run(settings, date);
      default -> new StageJob(settings, date, command).run();
    };
  }

  private LocalDate asOfDate(Settings settings) {
    if (asOf == null) {
      return LocalDate.now(settings.timeZone());
    }
    try {
      return LocalDate.parse(asOf);
    } catch (DateTimeParseException e) {
      throw JobFailure.usage("--as-of " + asOf + ": expected a date YYYY-MM-DD");
    }
  }
}
