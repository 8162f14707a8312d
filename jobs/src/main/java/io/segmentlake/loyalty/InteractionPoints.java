package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.segmentlake.config.InteractionRule;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Points per interaction: events from the interactions table and web-store purchases (both counted
 * in the {@link LinePass}) and converted referrals, each kind with its points and a cap of counted
 * events per customer and period.
 */
final class InteractionPoints {
  static final String EVENT = "_event";
  static final String EARNED = "_earned";
  private static final String DAY = "_day";
  private static final String RULE = "_rule";

  private InteractionPoints() {}

  /**
   * One referral event for the referrer of each customer who has bought, on the day of the referred
   * customer's first purchase, from the referred rows of {@link Assembly#links}; none without a
   * referral rule.
   */
  static Optional<Dataset<Row>> referrals(Dataset<Row> links, List<InteractionRule> rules) {
    int rule =
        rules.stream().map(InteractionRule::event).toList().indexOf(InteractionRule.REFERRAL);
    if (rule < 0) {
      return Optional.empty();
    }
    return Optional.of(
        LinePass.ofKind(links, Assembly.REFERRED_ROW)
            .select(col(CUSTOMER_ID), lit(rule).as(RULE), col(Assembly.REFERRED_DAY).as(DAY)));
  }

  /** The rows (with a day number) in the points window. */
  private static Dataset<Row> inWindow(Dataset<Row> rows, LocalDate asOf, int windowDays) {
    int asOfDay = (int) asOf.toEpochDay();
    return rows.where(col(DAY).gt(asOfDay - windowDays).and(col(DAY).leq(asOfDay)));
  }

  /**
   * Capped points per customer and event kind from coded events (customer_id, rule index, day
   * number) of one source: each customer's events in the window are counted by a {@link Counter} in
   * one pass. (The interactions' events are counted in the {@link LinePass}.)
   */
  static Dataset<Row> perEvent(
      Dataset<Row> coded, List<InteractionRule> rules, LocalDate asOf, int windowDays) {
    Caps caps = Caps.of(rules);
    return ByCustomer.pass(inWindow(coded, asOf, windowDays), () -> new Events(caps), EARNED_ROWS);
  }

  /**
   * A task's count of each customer's coded events (customer, rule index, day; a null index counts
   * for nothing): rows (customer_id, event, earned). Used for the referrals.
   */
  static final class Events implements ByCustomer.Sums {
    private final Caps rules;
    private UTF8String customer;
    private Counter counter;

    Events(Caps rules) {
      this.rules = rules;
    }

    @Override
    public void start(UTF8String id) {
      customer = id;
      counter = new Counter(rules);
    }

    @Override
    public void add(int input, InternalRow event) {
      if (!event.isNullAt(1)) {
        counter.add(event.getInt(1), event.getInt(2));
      }
    }

    @Override
    public void finish(Deque<InternalRow> out) {
      counter.forEach(
          (event, earned) ->
              out.add(
                  new GenericInternalRow(
                      new Object[] {customer, UTF8String.fromString(event), earned})));
    }
  }

  private static final StructType EARNED_ROWS =
      new StructType()
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(EVENT, DataTypes.StringType)
          .add(EARNED, DataTypes.DoubleType, false);

  /** The rules by index, as the executors need them. */
  record Caps(
      String[] events,
      boolean[] oncePerDay,
      int[] caps,
      double[] points,
      InteractionRule.CapPeriod[] periods)
      implements Serializable {
    static Caps of(List<InteractionRule> rules) {
      int n = rules.size();
      Caps c =
          new Caps(
              new String[n],
              new boolean[n],
              new int[n],
              new double[n],
              new InteractionRule.CapPeriod[n]);
      for (int i = 0; i < n; i++) {
        c.events[i] = rules.get(i).event();
        c.oncePerDay[i] = rules.get(i).isOncePerDay();
        c.caps[i] = rules.get(i).cap();
        c.points[i] = rules.get(i).points();
        c.periods[i] = rules.get(i).capPeriod();
      }
      return c;
    }

    /**
     * The number of the rule's cap period that a day (days since 1970-01-01) falls in: the day, its
     * week (from Monday), its month or year; 0 for the window.
     */
    int period(int rule, int day) {
      return switch (periods[rule]) {
        case DAY -> day;
        case WEEK -> Math.floorDiv(day + 3, 7); // 1970-01-01 was a Thursday.
        case MONTH -> {
          LocalDate d = LocalDate.ofEpochDay(day);
          yield d.getYear() * 12 + d.getMonthValue() - 1;
        }
        case YEAR -> LocalDate.ofEpochDay(day).getYear();
        case WINDOW -> 0;
      };
    }
  }

  /**
   * One customer's points per event kind: an event of a once-per-day rule counts once a day; each
   * kind's count per cap period is capped; the points are the capped counts x points per event,
   * summed over the periods in a fixed order (by period number). Events are kept as numbers (rule
   * and day in one long) and counted by sorting them: no boxing, no map per customer.
   */
  static final class Counter {
    private final Caps rules;
    private long[] events = new long[16];
    private int size;

    Counter(Caps rules) {
      this.rules = rules;
    }

    /** Counts an event of the rule (by index) on the day. */
    void add(int rule, int day) {
      if (size == events.length) {
        events = Arrays.copyOf(events, size * 2);
      }
      events[size++] = key(rule, day);
    }

    /** The points of each event kind with a counted event, in the rules' order. */
    void forEach(BiConsumer<String, Double> earned) {
      Double[] byRule = byRule();
      for (int i = 0; i < byRule.length; i++) {
        if (byRule[i] != null) {
          earned.accept(rules.events()[i], byRule[i]);
        }
      }
    }

    /** The points of each rule (by index); null for a rule without a counted event. */
    Double[] byRule() {
      // By rule and day: an event of a once-per-day rule on the day of the one before it is not
      // counted; the others become (rule, cap period).
      Arrays.sort(events, 0, size);
      long previous = 0;
      int periods = 0;
      for (int i = 0; i < size; i++) {
        long event = events[i];
        int rule = (int) (event >>> 32);
        boolean repeat = i > 0 && event == previous;
        previous = event;
        if (!repeat || !rules.oncePerDay()[rule]) {
          // Written at or before i: the events still to read are not overwritten.
          events[periods++] = key(rule, rules.period(rule, (int) event));
        }
      }
      Arrays.sort(events, 0, periods);
      int n = rules.events().length;
      double[] points = new double[n];
      boolean[] counted = new boolean[n];
      for (int i = 0; i < periods; ) {
        int from = i;
        while (i < periods && events[i] == events[from]) {
          i++;
        }
        int rule = (int) (events[from] >>> 32);
        points[rule] += Math.min(i - from, rules.caps()[rule]) * rules.points()[rule];
        counted[rule] = true;
      }
      Double[] byRule = new Double[n];
      for (int i = 0; i < n; i++) {
        if (counted[i]) {
          byRule[i] = points[i];
        }
      }
      return byRule;
    }
  }

  /** A rule's index and a day or period number in one long. */
  private static long key(int rule, int number) {
    return ((long) rule << 32) | (number & 0xFFFFFFFFL);
  }
}
