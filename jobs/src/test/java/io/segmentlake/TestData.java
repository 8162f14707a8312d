package io.segmentlake;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared reference data sets and the committed sample lake are, from the test's cwd. */
public final class TestData {
  private TestData() {}

  /** The repository root (tests run with jobs/ as working directory). */
  public static Path repo() {
    Path cwd = Path.of("").toAbsolutePath();
    return Files.exists(cwd.resolve("data-sample")) ? cwd : cwd.getParent();
  }

  /** A file under ../shared beside the repository. */
  public static Path shared(String relative) {
    return repo().resolve("../shared").resolve(relative).normalize();
  }
}
