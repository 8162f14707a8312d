package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.CUSTOMER_ID;
import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.plans.physical.HashPartitioning;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A pass over each customer's rows from one or more inputs, read as Spark's internal rows. Every
 * input is hash-partitioned by customer into the same partitions and sorted by customer within
 * them, so that a task reads the same customers from each input, in the same order, and merges them
 * without a shuffle of the inputs together: the ingested tables already are (when ingested into as
 * many partitions, Spark plans neither a shuffle nor a sort for them), and a pass's own result is
 * (its rows stay in the partitions of its inputs). A task hands each customer's rows to a {@link
 * Sums}, input by input, and passes on the rows it returns, which are Spark's internal rows (with
 * internal values: UTF8String, Decimal, day numbers, ArrayData) and need no conversion from a
 * {@link Row}. Customer ids are compared as their UTF-8 bytes.
 */
final class ByCustomer {
  private ByCustomer() {}

  /** What a task computes from each customer's rows (the customer id in column 0 of each input). */
  interface Sums {
    /**
     * The next customer's rows begin (null for rows without an id); the id is the task's own copy
     * and may be kept.
     */
    void start(UTF8String customer);

    /**
     * One of the current customer's rows, from the input of that index (a customer's rows come
     * input by input); the row and its strings are reused after the call.
     */
    void add(int input, InternalRow row);

    /** Adds the current customer's result rows. */
    void finish(Deque<InternalRow> out);

    /** Adds the task's last rows, after its last customer's. */
    default void end(Deque<InternalRow> out) {}
  }

  /** Makes the sums of a task (on the executor). */
  interface Task extends Serializable {
    Sums sums();
  }

  /**
   * Rows whose first column is customer_id. {@code ofPass}: the rows of an earlier pass's result
   * (or a filter of them), which already are in their customers' partitions, in order.
   */
  record Input(Dataset<Row> rows, boolean ofPass) {
    static Input of(Dataset<Row> rows) {
      return new Input(rows, false);
    }

    static Input ofPass(Dataset<Row> rows) {
      return new Input(rows, true);
    }
  }

  /** The result rows (with the given schema) of a pass over one input's rows. */
  static Dataset<Row> pass(Dataset<Row> rows, Task task, StructType schema) {
    return pass(List.of(Input.of(rows)), task, schema);
  }

  /**
   * The result rows (with the given schema) of a pass over the inputs' rows, customer by customer.
   * Each input is hash-partitioned by customer into spark.sql.shuffle.partitions partitions and
   * sorted within them, unless it already is.
   */
  static Dataset<Row> pass(List<Input> inputs, Task task, StructType schema) {
    return dataset(inputs, rdd(inputs, task), schema);
  }

  /**
   * A pass's result that the stage keeps: its rows and what frees them. Each task's rows are kept
   * in memory (spilling to disk) as one {@link Block} of Spark's binary rows: no columnar cache is
   * built and decoded, as {@link Dataset#persist} would, and the garbage collector sees arrays of a
   * megabyte, not two objects per row. Spark computes them once, in the first query that reads
   * them. (A block is built whole before Spark's memory store sees it, so a task's partition must
   * fit in the heap: about 50 MB per task at 400 k customers in 8 partitions.)
   */
  record Kept(Dataset<Row> rows, Runnable release) {}

  /** A pass (see {@link #pass}) whose result rows are kept. */
  static Kept keep(List<Input> inputs, Task task, StructType schema) {
    JavaRDD<Block> blocks =
        rdd(inputs, task)
            .mapPartitions(rows -> List.of(Block.of(rows, schema)).iterator())
            .persist(StorageLevel.MEMORY_AND_DISK());
    int fields = schema.size();
    JavaRDD<InternalRow> rows = blocks.mapPartitions(b -> b.next().rows(fields));
    return new Kept(dataset(inputs, rows, schema), () -> blocks.unpersist(false));
  }

  /**
   * A task's rows as Spark's binary rows (UnsafeRow), back to back in arrays of about a megabyte (a
   * larger row has one of its own).
   */
  static final class Block implements Serializable {
    private static final int CHUNK = 1 << 20;
    private final List<byte[]> chunks = new ArrayList<>();
    // While the block is built: the last chunk and the bytes used in it.
    private transient byte[] chunk = new byte[0];
    private transient int used;
    private int[] sizes = new int[1024];
    private int count;

    /** The rows (of the schema) in a block. */
    static Block of(Iterator<InternalRow> rows, StructType schema) {
      UnsafeProjection binary = UnsafeProjection.create(schema);
      Block b = new Block();
      while (rows.hasNext()) {
        b.add(binary.apply(rows.next()));
      }
      if (b.used < b.chunk.length) {
        b.chunks.set(b.chunks.size() - 1, Arrays.copyOf(b.chunk, b.used));
      }
      b.chunk = null;
      b.sizes = Arrays.copyOf(b.sizes, b.count);
      return b;
    }

    private void add(UnsafeRow row) {
      int size = row.getSizeInBytes();
      if (used + size > chunk.length) {
        chunk = new byte[Math.max(CHUNK, size)];
        chunks.add(chunk);
        used = 0;
      }
      row.writeToMemory(chunk, Platform.BYTE_ARRAY_OFFSET + used);
      used += size;
      if (count == sizes.length) {
        sizes = Arrays.copyOf(sizes, 2 * count);
      }
      sizes[count++] = size;
    }

    /**
     * The rows, each read in place by one reused row (of that many fields): a row that did not fit
     * in the rest of a chunk is at the start of the next.
     */
    Iterator<InternalRow> rows(int fields) {
      UnsafeRow row = new UnsafeRow(fields);
      return new Iterator<>() {
        private int next;
        private int chunkIndex = -1;
        private byte[] bytes = new byte[0];
        private int at;

        @Override
        public boolean hasNext() {
          return next < count;
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          int size = sizes[next++];
          if (at + size > bytes.length) {
            bytes = chunks.get(++chunkIndex);
            at = 0;
          }
          row.pointTo(bytes, Platform.BYTE_ARRAY_OFFSET + at, size);
          at += size;
          return row;
        }
      };
    }
  }

  /** The rows as a Dataset of the schema, read as they are (no conversion from a Row). */
  private static Dataset<Row> dataset(
      List<Input> inputs, JavaRDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) inputs.get(0).rows().sparkSession())
        .internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /** The task's result rows of the pass, a task per partition. */
  private static JavaRDD<InternalRow> rdd(List<Input> inputs, Task task) {
    SparkSession spark = inputs.get(0).rows().sparkSession();
    int partitions = Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
    List<JavaRDD<InternalRow>> rdds = new ArrayList<>();
    for (Input in : inputs) {
      Dataset<Row> clustered =
          in.ofPass()
              ? in.rows()
              : in.rows()
                  .repartition(partitions, col(CUSTOMER_ID))
                  .sortWithinPartitions(col(CUSTOMER_ID));
      JavaRDD<InternalRow> rdd = internalRows(clustered);
      if (rdd.getNumPartitions() == 0) {
        // Rows Spark knows to be none at planning (no shuffle is planned for them).
        rdd =
            JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(List.of(), partitions);
      } else if (rdd.getNumPartitions() != partitions) {
        throw new IllegalStateException(
            "an input of a pass has "
                + rdd.getNumPartitions()
                + " partitions, not spark.sql.shuffle.partitions = "
                + partitions
                + " (was the setting changed during the stage?)");
      }
      rdds.add(rdd);
    }
    // Each task holds its partition of every input: a list of iterators, one input added at a
    // time (zipPartitions takes two).
    JavaRDD<List<Iterator<InternalRow>>> zipped =
        rdds.get(0).mapPartitions(rows -> List.of(List.of(rows)).iterator());
    for (JavaRDD<InternalRow> next : rdds.subList(1, rdds.size())) {
      zipped =
          zipped.zipPartitions(
              next,
              (held, rows) -> {
                List<Iterator<InternalRow>> all = new ArrayList<>(held.next());
                all.add(rows);
                return List.of(all).iterator();
              });
    }
    return zipped.mapPartitionsWithIndex(
        (index, held) -> rows(held.next(), task.sums(), new Partition(partitions, index)), false);
  }

  /**
   * The plan's internal rows, as Dataset.rdd() reads them before it makes each one a Row. Planned
   * without adaptive execution: an adaptive plan runs its shuffles as soon as it is planned, so the
   * inputs of a pass would run theirs one input after another, each in a job of its own; a plain
   * plan leaves them to the pass's job, as stages that Spark runs side by side (a broadcast, as in
   * the top buyers, still runs in a job of its own when the plan is made). The inputs need no
   * adaptive step: their partitions are set, and their joins are of per-customer rows. The setting
   * is the session's: the stages plan from one thread, and this one restores it (a lock keeps two
   * plans here from interleaving).
   */
  private static JavaRDD<InternalRow> internalRows(Dataset<Row> rows) {
    RuntimeConfig conf = rows.sparkSession().conf();
    String adaptive = "spark.sql.adaptive.enabled";
    synchronized (ByCustomer.class) {
      boolean wasSet = conf.contains(adaptive);
      String before = conf.get(adaptive);
      conf.set(adaptive, false);
      try {
        return rows.queryExecution().toRdd().toJavaRDD();
      } finally {
        if (wasSet) {
          conf.set(adaptive, before);
        } else {
          conf.unset(adaptive);
        }
      }
    }
  }

  /**
   * Checks that every customer's rows are in the partition that Spark's hash partitioning gives it:
   * a wrongly partitioned input would split a customer's rows between tasks.
   */
  static final class Partition {
    private final int number;
    private final Expression id;

    /** The check for partition `number` of `partitions`. */
    Partition(int partitions, int number) {
      this.number = number;
      this.id =
          new HashPartitioning(
                  CollectionConverters.asScala(
                          List.<Expression>of(new BoundReference(0, DataTypes.StringType, true)))
                      .toSeq(),
                  partitions)
              .partitionIdExpression();
    }

    void check(InternalRow row) {
      Object p = id.eval(row);
      if (!Objects.equals(p, number)) {
        throw new IllegalStateException(
            "customer "
                + row.getUTF8String(0)
                + " is in partition "
                + number
                + " but hashes to "
                + p
                + ": the inputs of a pass are not partitioned alike");
      }
    }
  }

  /** The sums' result rows of one input's rows (each customer's rows one after the other). */
  static Iterator<InternalRow> rows(Iterator<InternalRow> rows, Sums sums) {
    return rows(List.of(rows), sums, null);
  }

  /**
   * The sums' result rows of the inputs' rows, each sorted by customer: customers in order, and
   * each customer's rows input by input.
   */
  static Iterator<InternalRow> rows(
      List<Iterator<InternalRow>> inputs, Sums sums, Partition partition) {
    int n = inputs.size();
    InternalRow[] heads = new InternalRow[n];
    for (int i = 0; i < n; i++) {
      heads[i] = inputs.get(i).hasNext() ? inputs.get(i).next() : null;
    }
    Deque<InternalRow> ready = new ArrayDeque<>();
    return new Iterator<>() {
      private UTF8String previous;
      private boolean started;
      private boolean done;

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && !done) {
          int first = -1;
          for (int i = 0; i < n; i++) {
            if (heads[i] != null
                && (first < 0 || BinaryStrings.compare(heads[i], heads[first], 0) < 0)) {
              first = i;
            }
          }
          if (first < 0) {
            sums.end(ready);
            done = true;
          } else {
            next(heads[first]);
          }
        }
        return !ready.isEmpty();
      }

      /** Passes on the rows of the customer of the row, from every input. */
      private void next(InternalRow row) {
        UTF8String id = id(row);
        if (started && compareIds(id, previous) <= 0) {
          throw new IllegalStateException("the rows of a pass are not sorted by customer");
        }
        if (partition != null) {
          partition.check(row);
        }
        started = true;
        previous = id == null ? null : id.copy();
        sums.start(previous);
        for (int i = 0; i < n; i++) {
          Iterator<InternalRow> input = inputs.get(i);
          while (heads[i] != null && BinaryStrings.same(heads[i], 0, previous)) {
            sums.add(i, heads[i]);
            heads[i] = input.hasNext() ? input.next() : null;
          }
        }
        sums.finish(ready);
      }

      @Override
      public InternalRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  private static UTF8String id(InternalRow row) {
    return row.isNullAt(0) ? null : row.getUTF8String(0);
  }

  /** Ids in Spark's ascending order: nulls first, then by their UTF-8 bytes. */
  private static int compareIds(UTF8String a, UTF8String b) {
    return a == null ? (b == null ? 0 : -1) : b == null ? 1 : a.compareTo(b);
  }
}
