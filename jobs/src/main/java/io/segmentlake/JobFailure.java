package io.segmentlake;

/** A failure a person can act on, carrying the process exit code that SPEC assigns to its kind. */
public final class JobFailure extends RuntimeException {
  /** Exit code: usage or configuration error, nothing read. */
  public static final int USAGE = 2;

  /** Exit code: input data rejected, nothing published. */
  public static final int INPUT_REJECTED = 3;

  /** Exit code: output could not be published, previous output intact. */
  public static final int PUBLISH_FAILED = 4;

  private final int exitCode;

  private JobFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A usage or configuration error (exit 2). */
  public static JobFailure usage(String message) {
    return new JobFailure(USAGE, message, null);
  }

  /** Input data that cannot be used (exit 3). */
  public static JobFailure inputRejected(String message) {
    return new JobFailure(INPUT_REJECTED, message, null);
  }

  /** Input data that cannot be used, with the underlying cause (exit 3). */
  public static JobFailure inputRejected(String message, Throwable cause) {
    return new JobFailure(INPUT_REJECTED, message, cause);
  }

  /** Output that could not be published (exit 4). */
  public static JobFailure publishFailed(String message, Throwable cause) {
    return new JobFailure(PUBLISH_FAILED, message, cause);
  }

  /** The process exit code for this failure. */
  public int exitCode() {
    return exitCode;
  }
}
