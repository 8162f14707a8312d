package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.CUSTOMER_ID;
import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A pass over each customer's rows, read as Spark's internal rows: a task hands its partition's
 * rows to a {@link Sums}, customer by customer, and passes on the rows it returns. This skips what
 * groupBy(..).as(..).flatMapGroups costs per row (a Row, a String per id and a comparison of keys
 * as objects): customer ids are compared as their UTF-8 bytes.
 */
final class ByCustomer {
  private ByCustomer() {}

  /** What a task computes from each customer's rows (the customer id in column 0). */
  interface Sums {
    /**
     * The next customer's rows begin (null for rows without an id); the id is reused after the
     * call.
     */
    void start(UTF8String customer);

    /** One of the current customer's rows; the row and its strings are reused after the call. */
    void add(InternalRow row);

    /** Adds the current customer's result rows. */
    void finish(Deque<Row> out);

    /** Adds the task's last rows, after its last customer's. */
    default void end(Deque<Row> out) {}
  }

  /** Makes the sums of a task (on the executor). */
  interface Task extends Serializable {
    Sums sums();
  }

  /**
   * The result rows (with the given schema) of a pass over the rows, whose first column is
   * customer_id. Each customer's rows are brought together in one partition, one after the other:
   * rows that already are (the ingested tables are hash-partitioned and sorted by customer) are
   * neither shuffled nor sorted again.
   */
  static Dataset<Row> pass(Dataset<Row> rows, Task task, StructType schema) {
    Dataset<Row> clustered =
        rows.repartition(col(CUSTOMER_ID)).sortWithinPartitions(col(CUSTOMER_ID));
    // The plan's internal rows, as Dataset.rdd() reads them before it makes each one a Row.
    JavaRDD<Row> out =
        clustered
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitions(partition -> rows(partition, task.sums()));
    return rows.sparkSession().createDataFrame(out, schema);
  }

  /** The sums' result rows of a partition's rows (each customer's rows one after the other). */
  static Iterator<Row> rows(Iterator<InternalRow> rows, Sums sums) {
    Deque<Row> ready = new ArrayDeque<>();
    return new Iterator<>() {
      private boolean open;
      private UTF8String customer;
      private boolean done;

      @Override
      public boolean hasNext() {
        while (ready.isEmpty() && !done) {
          if (rows.hasNext()) {
            InternalRow row = rows.next();
            UTF8String id = row.isNullAt(0) ? null : row.getUTF8String(0);
            if (!open || !Objects.equals(customer, id)) {
              if (open) {
                sums.finish(ready);
              }
              open = true;
              customer = id == null ? null : id.copy();
              sums.start(id);
            }
            sums.add(row);
          } else {
            if (open) {
              sums.finish(ready);
            }
            sums.end(ready);
            done = true;
          }
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }
}
