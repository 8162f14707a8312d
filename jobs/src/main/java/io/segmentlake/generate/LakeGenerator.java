package io.segmentlake.generate;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Builds a deterministic, realistic synthetic customer lake as lazy Spark Datasets. */
public final class LakeGenerator {
  /** Upper bound on customers; keeps every generated identifier within its numeric space. */
  public static final long MAX_CUSTOMERS = 50_000_000L;

  private static final long CUSTOMERS_PER_PARTITION = 20_000L;
  private static final long CUSTOMERS_PER_PRODUCT = 20L;
  private static final long MIN_PRODUCTS = 50L;
  private static final long MAX_PRODUCTS = 50_000L;
  private static final long CUSTOMERS_PER_REP = 500L;
  private static final long MIN_REPS = 5L;

  private LakeGenerator() {}

  /** The four generated tables. */
  public record GeneratedLake(
      Dataset<Row> invoices,
      Dataset<Row> products,
      Dataset<Row> customers,
      Dataset<Row> interactions) {}

  /** Sizes and time range shared by the table generators. */
  record Spec(
      long customers, long startSec, long endSec, long products, long reps, int partitions) {

    /** Length of the history in seconds. */
    long spanSec() {
      return endSec - startSec;
    }
  }

  /**
   * Generates a lake of {@code customers} customers whose events fall in the {@code years} years
   * before {@code endDate} (UTC); identical inputs give identical rows.
   */
  public static GeneratedLake generate(
      SparkSession spark, long customers, long seed, LocalDate endDate, int years) {
    if (customers < 1 || customers > MAX_CUSTOMERS) {
      throw new IllegalArgumentException("customers must be in [1, " + MAX_CUSTOMERS + "]");
    }
    if (years < 1) {
      throw new IllegalArgumentException("years must be at least 1");
    }
    Spec spec = spec(spark, customers, endDate, years);
    Randoms rnd = new Randoms(seed);
    ProductGenerator products = new ProductGenerator(spec, rnd);
    CustomerGenerator customerGenerator = new CustomerGenerator(spec, rnd);
    Dataset<Row> profiles = customerGenerator.profiles(spark);
    return new GeneratedLake(
        new InvoiceGenerator(spec, rnd, products, customerGenerator).invoices(profiles),
        products.products(spark),
        CustomerGenerator.customers(profiles),
        new InteractionGenerator(spec, rnd, customerGenerator).interactions(profiles));
  }

  private static Spec spec(SparkSession spark, long customers, LocalDate endDate, int years) {
    long endSec = endDate.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long startSec = endDate.minusYears(years).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    long products =
        Math.min(MAX_PRODUCTS, Math.max(MIN_PRODUCTS, customers / CUSTOMERS_PER_PRODUCT));
    long reps = Math.max(MIN_REPS, (customers + CUSTOMERS_PER_REP - 1) / CUSTOMERS_PER_REP);
    long byVolume = (customers + CUSTOMERS_PER_PARTITION - 1) / CUSTOMERS_PER_PARTITION;
    int partitions = (int) Math.max(spark.sparkContext().defaultParallelism(), byVolume);
    return new Spec(customers, startSec, endSec, products, reps, partitions);
  }
}
