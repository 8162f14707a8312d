package io.segmentlake.cli;

import java.util.Locale;

/** One line per step on standard error, with rows and seconds, for a person following a run. */
final class Progress {
  private long started = System.nanoTime();

  /** Starts timing the next step. */
  void start() {
    started = System.nanoTime();
  }

  /** Seconds since the step started. */
  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** Prints a finished step and returns its seconds. */
  double done(String step, String what) {
    double seconds = seconds();
    log(String.format(Locale.ROOT, "%-10s %s (%.1f s)", step, what, seconds));
    return seconds;
  }

  /** Prints a line. */
  static void log(String line) {
    System.err.println("[segmentlake] " + line);
  }

  /** Formats a count with thousands separators. */
  static String n(long count) {
    return String.format(Locale.ROOT, "%,d", count);
  }
}
