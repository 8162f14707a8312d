package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;

import io.segmentlake.Codes;
import io.segmentlake.DayGaps;
import io.segmentlake.Days;
import io.segmentlake.Schemas;
import io.segmentlake.config.InteractionRule;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.LoyaltySettings.Band;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * One pass over each customer's used lines and interactions for everything the stage takes from
 * them: the purchase totals ({@link PurchasePoints}), the customer's units per product and year for
 * the top buyers, the flagged products bought, and the capped points of web purchases and
 * interaction events. Each line and event is read once, as Spark's internal row with the columns as
 * cached: days, channels and event types are read in Java ({@link Days}, {@link CodeIndex}), and
 * ids are compared and looked up as their UTF-8 bytes, with no Row and no String per line. The
 * rules and the products table (reference data, one entry per product) are applied in Java. The
 * result has rows of four kinds ({@link #KIND}), each with its columns set: per customer with lines
 * a totals row with the points earned per interaction rule, or without lines an earned row with
 * them only; flagged rows; units rows (per customer, product and year) only for each task's
 * leaders, after the task's other rows. The customers' rows stay in the partitions of the inputs
 * ({@link ByCustomer}).
 */
final class LinePass {
  /**
   * The kinds of rows: a customer's totals (with the points earned per rule), units of a product in
   * a year, flagged products, points earned per rule by a customer without lines.
   */
  static final int TOTALS = 0;

  static final int UNITS = 1;
  static final int FLAGGED = 2;
  static final int EARNED = 3;

  static final String KIND = "_kind";
  static final String FIRST_DAY = "_first_day";
  static final String LAST_DAY = "_last_day";
  static final String S0 = "_spend";
  static final String S1 = "_spend_weighted";
  static final String S2 = "_spend_banded";
  static final String S3 = "_spend_recent";
  static final String YEAR = "_year";
  static final String UNITS_BOUGHT = "_units";
  static final String FLAG = "_flag";
  static final String PRODUCTS = "_products";
  // The points earned per interaction rule (by index; null where none counted).
  static final String EARNED_BY_RULE = "_earned_by_rule";

  // The columns of the lines read by a task after customer_id (column 0), in this order.
  private static final StructType LINE_COLUMNS =
      new StructType()
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(INVOICE_TS, DataTypes.TimestampType)
          .add(QUANTITY, DataTypes.IntegerType)
          .add(UNIT_PRICE, DataTypes.DoubleType)
          .add(PRODUCT_ID, DataTypes.StringType)
          .add(CHANNEL, DataTypes.StringType)
          .add(INVOICE_ID, DataTypes.StringType);

  private static final int L_TS = 1;
  private static final int L_QUANTITY = 2;
  private static final int L_PRICE = 3;
  private static final int L_PRODUCT = 4;
  private static final int L_CHANNEL = 5;
  private static final int L_INVOICE = 6;

  // The columns of the interactions read by a task after customer_id, in this order.
  private static final StructType EVENT_COLUMNS =
      new StructType()
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(EVENT_TS, DataTypes.TimestampType)
          .add(EVENT_TYPE, DataTypes.StringType);
  private static final int E_TS = 1;
  private static final int E_TYPE = 2;

  /** The pass's rows: customer (first, as in every pass's rows), kind and every kind's columns. */
  static final StructType ROWS =
      new StructType()
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(KIND, DataTypes.IntegerType, false)
          .add(FIRST_DAY, DataTypes.IntegerType)
          .add(LAST_DAY, DataTypes.IntegerType)
          .add(S0, DataTypes.DoubleType)
          .add(S1, DataTypes.DoubleType)
          .add(S2, DataTypes.DoubleType)
          .add(S3, DataTypes.DoubleType)
          .add(PURCHASE_DAYS, DataTypes.IntegerType)
          .add(MEDIAN_INTERVAL_DAYS, DataTypes.DoubleType)
          .add(INTERVAL_CV, DataTypes.DoubleType)
          .add(PRODUCT_ID, DataTypes.StringType)
          .add(YEAR, DataTypes.IntegerType)
          .add(UNITS_BOUGHT, DataTypes.LongType)
          .add(FLAG, DataTypes.StringType)
          .add(PRODUCTS, DataTypes.LongType)
          .add(EARNED_BY_RULE, DataTypes.createArrayType(DataTypes.DoubleType, true));

  private static final int FIELDS = ROWS.size();
  // Where each kind's own columns start.
  private static final int UNITS_FROM = ROWS.fieldIndex(PRODUCT_ID);

  /** A totals row's fields: customer, kind and the totals (the other kinds' columns follow). */
  static final StructField[] TOTALS_FIELDS = Arrays.copyOfRange(ROWS.fields(), 0, UNITS_FROM);

  private static final int FLAGGED_FROM = ROWS.fieldIndex(FLAG);
  private static final int EARNED_FROM = ROWS.fieldIndex(EARNED_BY_RULE);

  private LinePass() {}

  /**
   * The pass over the used lines and the interactions, a task per partition. Products and flags may
   * be absent (weights 1, no flagged groups), and so may the interactions. Both are read as they
   * are cached, column for column: the tasks compute the days, the web-store lines and the events'
   * rules from Spark's internal rows (no projection copies each row first). The result is kept
   * ({@link ByCustomer#keep}): the stage reads it three times.
   */
  static ByCustomer.Kept run(
      Dataset<Row> lines,
      Optional<Dataset<Row>> interactions,
      Optional<Dataset<Row>> products,
      LocalDate asOf,
      LoyaltySettings s) {
    Schemas.require(lines, "used invoices", LINE_COLUMNS.fieldNames());
    interactions.ifPresent(i -> Schemas.require(i, "interactions", EVENT_COLUMNS.fieldNames()));
    Rules rules = Rules.of(asOf, s, Days.of(lines.sparkSession()));
    // Broadcast: each executor reads the catalog once, instead of every task of every stage that
    // scans the cached result deserializing it with the plan's functions.
    Broadcast<Catalog> catalog =
        JavaSparkContext.fromSparkContext(lines.sparkSession().sparkContext())
            .broadcast(
                products.map(p -> Catalog.of(p, s, rules.marginWeights())).orElseGet(Catalog::new));
    List<ByCustomer.Input> inputs =
        new ArrayList<>(List.of(ByCustomer.Input.of(columns(lines, LINE_COLUMNS))));
    interactions.ifPresent(i -> inputs.add(ByCustomer.Input.of(columns(i, EVENT_COLUMNS))));
    return ByCustomer.keep(inputs, () -> new Customer(rules, catalog.value()), ROWS);
  }

  /**
   * The columns of the rows, each of the type the tasks read (the conformed inputs' types, so the
   * casts plan to nothing and the cached rows are read as they are).
   */
  private static Dataset<Row> columns(Dataset<Row> rows, StructType columns) {
    return rows.select(
        Arrays.stream(columns.fields())
            .map(f -> col(f.name()).cast(f.dataType()).as(f.name()))
            .toArray(Column[]::new));
  }

  /** The rows of one kind (the {@link #KIND} column) of a pass's result: this one's or links'. */
  static Dataset<Row> ofKind(Dataset<Row> pass, int kind) {
    return pass.where(col(KIND).equalTo(kind));
  }

  /**
   * The products by id (reference data: one entry per product, whatever the size of the base),
   * numbered 0 to size - 1.
   */
  record Catalog(StringIndex ids, List<Product> products) implements Serializable {
    Catalog() {
      this(new StringIndex(), List.of());
    }

    /** The number of products. */
    int size() {
      return products.size();
    }

    /** The number of the product in a row's id column, or -1 (null, or not in the catalog). */
    int indexOf(InternalRow row, int ordinal) {
      return ids.indexOf(row, ordinal);
    }

    /** The catalog of the products table, with the product weights from the margin bands. */
    static Catalog of(Dataset<Row> products, LoyaltySettings s, Bands margins) {
      Schemas.require(
          products, "products", PRODUCT_ID, CATEGORY, UNIT_COST, MARGIN_RATE, QUALITY_LEVEL, FLAGS);
      Set<String> wanted = new HashSet<>();
      s.special().flags().forEach(f -> wanted.add(f.trim().toLowerCase(Locale.ROOT)));
      Column category =
          PurchasePoints.lookup(lower(trim(col(CATEGORY))), s.categoryWeights(), lit(1.0));
      Column quality = PurchasePoints.lookup(col(QUALITY_LEVEL), s.qualityWeights(), lit(1.0));
      StringIndex ids = new StringIndex();
      List<Product> all = new ArrayList<>();
      for (Row r :
          products
              .select(
                  col(PRODUCT_ID), col(UNIT_COST), col(MARGIN_RATE), category, quality, col(FLAGS))
              .where(col(PRODUCT_ID).isNotNull())
              .collectAsList()) {
        Set<String> flags = new TreeSet<>();
        if (!r.isNullAt(5)) {
          for (Object f : r.getList(5)) {
            String flag = Codes.normalized(f == null ? null : f.toString());
            if (flag != null && wanted.contains(flag)) {
              flags.add(flag);
            }
          }
        }
        double cat = r.getDouble(3);
        double qual = r.getDouble(4);
        Product product =
            new Product(
                !r.isNullAt(1),
                r.isNullAt(1) ? 0 : r.getDouble(1),
                !r.isNullAt(2),
                r.isNullAt(2) ? 0 : margins.value(r.getDouble(2)) * cat * qual,
                cat,
                qual,
                flags.toArray(String[]::new));
        // A repeated id: its last row counts.
        int id = ids.add(UTF8String.fromString(r.getString(0)));
        if (id == all.size()) {
          all.add(product);
        } else {
          all.set(id, product);
        }
      }
      return new Catalog(ids, all);
    }
  }

  /**
   * A product's weights and the configured flags it carries (lower case): its unit cost and its
   * weight from margin_rate when known (each with whether it is), its category and quality weights.
   */
  record Product(
      boolean hasUnitCost,
      double unitCost,
      boolean hasMarginWeight,
      double marginWeight,
      double category,
      double quality,
      String[] flags)
      implements Serializable {

    /**
     * A line's product weight: the product's, or from the line's margin (1 - unit_cost / price)
     * when only unit_cost is known: margin band x category weight x quality weight.
     */
    double weight(double price, Rules rules) {
      if (hasMarginWeight) {
        return marginWeight;
      }
      double margin =
          hasUnitCost && price > 0 ? rules.marginWeights().value(1 - unitCost / price) : 1.0;
      // In this order (a product of doubles depends on it): margin, category, quality.
      return margin * category * quality;
    }
  }

  /** Configured bands (from, value) as arrays, in the listed order (looked up once per line). */
  record Bands(double[] from, double[] value) implements Serializable {
    static Bands of(List<Band> bands) {
      return new Bands(
          bands.stream().mapToDouble(Band::from).toArray(),
          bands.stream().mapToDouble(Band::value).toArray());
    }

    /**
     * The value of the band with the highest from at or below x (the last listed); 1 below all. NaN
     * is above every number, as in Spark SQL.
     */
    double value(double x) {
      double v = 1.0;
      for (int i = 0; i < from.length; i++) {
        if (x >= from[i] || Double.isNaN(x)) {
          v = value[i];
        }
      }
      return v;
    }

    /** The value of the first band (in the listed order) whose from x is below; 1 for none. */
    double firstAbove(double x) {
      for (int i = 0; i < from.length; i++) {
        if (x < from[i]) {
          return value[i];
        }
      }
      return 1.0;
    }
  }

  /**
   * The settings the executors need, as plain values, with the session's days, the channels (1 for
   * web, 0 for the others) and the rule that counts an interaction's event type (its index; -1 for
   * none). The two derived kinds are not counted from the interactions table, so that neither is
   * counted twice: referral (counted once the referred customer, named by customers.referred_by,
   * has bought) and web_purchase (from the invoices).
   */
  record Rules(
      Days days,
      CodeIndex channels,
      CodeIndex eventRules,
      int asOfDay,
      int windowDays,
      Bands marginWeights,
      Bands quantityBands,
      Bands recencyWindows,
      int[] yearStarts,
      int firstYear,
      int webRule,
      InteractionPoints.Caps caps)
      implements Serializable {

    static Rules of(LocalDate asOf, LoyaltySettings s, Days days) {
      int years = s.special().topBuyerYears();
      int firstYear = asOf.getYear() - years + 1;
      // The first day of each year counted for the top buyers and of the year after the as-of's
      // (the used lines are all up to the as-of date).
      int[] starts = new int[Math.max(0, years) + 1];
      for (int i = 0; i < starts.length; i++) {
        starts[i] = (int) LocalDate.of(firstYear + i, 1, 1).toEpochDay();
      }
      List<InteractionRule> rules = s.interactions();
      int web = -1;
      for (int i = 0; i < rules.size(); i++) {
        if (rules.get(i).event().equals(InteractionRule.WEB_PURCHASE)) {
          web = i;
          break;
        }
      }
      Map<String, Integer> channels = new HashMap<>();
      Codes.CHANNELS.forEach(c -> channels.put(c, c.equals(Codes.WEB) ? 1 : 0));
      // The contract's event types are known forms too (counted by no rule unless one names them).
      Map<String, Integer> types = new HashMap<>();
      Codes.EVENT_TYPES.forEach(t -> types.put(t, -1));
      for (int i = rules.size() - 1; i >= 0; i--) {
        if (rules.get(i).countsInteractions()) {
          types.put(rules.get(i).event(), i);
        }
      }
      return new Rules(
          days,
          new CodeIndex(channels, 0),
          new CodeIndex(types, -1),
          (int) asOf.toEpochDay(),
          s.windowDays(),
          Bands.of(s.marginWeights()),
          Bands.of(s.quantityBands()),
          Bands.of(s.recencyWindows()),
          starts,
          firstYear,
          web,
          InteractionPoints.Caps.of(rules));
    }

    boolean inWindow(int day) {
      return day > asOfDay - windowDays && day <= asOfDay;
    }

    /** The number of top-buyer years. */
    int years() {
      return yearStarts.length - 1;
    }

    /**
     * The index (from 0, the first counted year) of the day's calendar year when it counts for the
     * top buyers (the last `years` years up to the as-of date's), else -1.
     */
    int topBuyerYear(int day) {
      for (int i = 1; i < yearStarts.length; i++) {
        if (day >= yearStarts[i - 1] && day < yearStarts[i]) {
          return i - 1;
        }
      }
      return -1;
    }
  }

  /**
   * A task's pass over its lines (input 0, the columns L_*) and interactions (input 1, the columns
   * E_*). Each customer's totals, flagged and earned rows come as soon as its rows are read; the
   * units rows come last, only for the task's leaders: for each product and year, the customers
   * with the most net units in the task (ties kept). Only they can be the top buyers ({@link
   * SpecialGroups#topBuyers} compares the tasks' leaders). A product's number is its catalog
   * number; ids not in the catalog are numbered after it.
   */
  static final class Customer implements ByCustomer.Sums {
    private final Rules rules;
    private final Catalog products;
    private final StringIndex unknown = new StringIndex();
    // Per product number x years + year index: the task's leaders (null: none yet), and their
    // units (0: none yet), compared for every unit count without reaching the leaders' objects.
    private Leaders[] leaders = new Leaders[0];
    private long[] leaderUnits = new long[0];
    // Per product number: the last customer (by its count in the task) that bought it in a counted
    // year, and where in that customer's units it is.
    private int[] boughtBy;
    private int[] slot;
    private int customers;
    // Each customer's id by its count in the task (for the leaders' rows at the end).
    private UTF8String[] ids = new UTF8String[1024];
    // The window's purchase days (with repeats), reused for each customer.
    private int[] days = new int[64];

    private UTF8String id;
    // Whether the customer has lines (a customer with events only has no totals row).
    private boolean hasLines;
    private boolean bought;
    private int first;
    private int last;
    private double spend;
    private double weighted;
    private double banded;
    private double recent;
    private int dayCount;
    private int lastWindowDay;
    // The products bought in the counted years (numbers, in the order first bought) and their net
    // units per year: `years` entries per product, at its place in that order (no object per
    // product and customer).
    private int[] boughtProducts = new int[64];
    private long[] unitsByYear;
    private int boughtCount;
    // The products with configured flags bought in the window (numbers, each once), and per
    // catalog number the last customer (by its count in the task) that bought it in the window.
    private int[] flagged = new int[16];
    private final int[] flaggedBy;
    private int flaggedCount;
    private static final Comparator<UTF8String> INVOICES =
        Comparator.nullsFirst(UTF8String::binaryCompare);
    // The customer's web lines as runs of one invoice, in the order read, with each run's first
    // day (a customer's lines come invoice by invoice: most lines of a web invoice repeat the one
    // before, and most invoices make one run; a repeated invoice is merged in finish).
    private UTF8String[] webRuns = new UTF8String[16];
    private int[] webRunDays = new int[16];
    private int webRunCount;
    // The customer's counted events (interactions and web purchases).
    private InteractionPoints.Counter events;

    Customer(Rules rules, Catalog products) {
      this.rules = rules;
      this.products = products;
      boughtBy = new int[products.size() + 16];
      flaggedBy = new int[products.size()];
      slot = new int[boughtBy.length];
      unitsByYear = new long[boughtProducts.length * rules.years()];
    }

    @Override
    public void start(UTF8String customer) {
      id = customer;
      customers++;
      if (customers == ids.length) {
        ids = Arrays.copyOf(ids, customers * 2);
      }
      ids[customers] = id;
      hasLines = false;
      bought = false;
      first = 0;
      last = 0;
      spend = 0;
      weighted = 0;
      banded = 0;
      recent = 0;
      dayCount = 0;
      lastWindowDay = Integer.MIN_VALUE;
      boughtCount = 0;
      flaggedCount = 0;
      Arrays.fill(webRuns, 0, webRunCount, null);
      webRunCount = 0;
      events = null;
    }

    @Override
    public void add(int input, InternalRow row) {
      if (input == 0) {
        line(row);
      } else {
        event(row);
      }
    }

    /**
     * An interaction: counted when it is in the points window and a rule counts its type (the
     * window is tested first, so that the type of an event before it is not looked up).
     */
    private void event(InternalRow event) {
      if (event.isNullAt(E_TS)) {
        return;
      }
      int day = rules.days().day(event.getLong(E_TS));
      int rule = rules.inWindow(day) ? rules.eventRules().get(event, E_TYPE) : -1;
      if (rule >= 0) {
        if (events == null) {
          events = new InteractionPoints.Counter(rules.caps());
        }
        events.add(rule, day);
      }
    }

    private void line(InternalRow line) {
      hasLines = true;
      if (line.isNullAt(L_TS) || line.isNullAt(L_QUANTITY)) {
        return;
      }
      int day = rules.days().day(line.getLong(L_TS));
      int quantity = line.getInt(L_QUANTITY);
      boolean inWindow = rules.inWindow(day);
      boolean hasProduct = !line.isNullAt(L_PRODUCT);
      int index = hasProduct ? products.indexOf(line, L_PRODUCT) : -1;
      Product product = index < 0 ? null : products.products().get(index);
      if (quantity > 0) {
        first = bought ? Math.min(first, day) : day;
        last = bought ? Math.max(last, day) : day;
        bought = true;
        if (rules.webRule() >= 0 && rules.channels().get(line, L_CHANNEL) == 1) {
          web(line, day);
        }
        if (inWindow && day != lastWindowDay) {
          // A customer's lines come invoice by invoice: most repeat the day before them.
          if (dayCount == days.length) {
            days = Arrays.copyOf(days, days.length * 2);
          }
          days[dayCount++] = day;
          lastWindowDay = day;
        }
        if (inWindow
            && product != null
            && product.flags().length > 0
            && flaggedBy[index] != customers) {
          flaggedBy[index] = customers;
          if (flaggedCount == flagged.length) {
            flagged = Arrays.copyOf(flagged, flaggedCount * 2);
          }
          flagged[flaggedCount++] = index;
        }
      }
      if (inWindow && !line.isNullAt(L_PRICE)) {
        double price = line.getDouble(L_PRICE);
        double amount = quantity * price;
        double w = amount * (product == null ? 1.0 : product.weight(price, rules));
        double b = w * rules.quantityBands().value(Math.abs(quantity));
        spend += amount;
        weighted += w;
        banded += b;
        // The first window (in the listed order) whose from the line's age is below.
        recent += b * rules.recencyWindows().firstAbove(rules.asOfDay() - day);
      }
      int year = hasProduct ? rules.topBuyerYear(day) : -1;
      if (year >= 0) {
        int number =
            index >= 0 ? index : products.size() + unknown.add(line.getUTF8String(L_PRODUCT));
        units(number, year, quantity);
      }
    }

    /** A web-store purchase line on the day (its invoice compared in place). */
    private void web(InternalRow line, int day) {
      int run = webRunCount - 1;
      if (run >= 0 && BinaryStrings.same(line, L_INVOICE, webRuns[run])) {
        webRunDays[run] = Math.min(webRunDays[run], day);
        return;
      }
      if (webRunCount == webRuns.length) {
        webRuns = Arrays.copyOf(webRuns, webRunCount * 2);
        webRunDays = Arrays.copyOf(webRunDays, webRunCount * 2);
      }
      webRuns[webRunCount] = line.isNullAt(L_INVOICE) ? null : line.getUTF8String(L_INVOICE).copy();
      webRunDays[webRunCount++] = day;
    }

    /**
     * Counts each of the customer's web invoices once, on its first day (runs of the same invoice
     * merged; a missing invoice id counts as one invoice).
     */
    private void countWebInvoices() {
      if (!ascending()) {
        sortRuns();
      }
      for (int i = 0; i < webRunCount; ) {
        int day = webRunDays[i];
        int j = i + 1;
        while (j < webRunCount && Objects.equals(webRuns[j], webRuns[i])) {
          day = Math.min(day, webRunDays[j++]);
        }
        if (rules.inWindow(day)) {
          events.add(rules.webRule(), day);
        }
        i = j;
      }
    }

    /** Whether the runs' invoices ascend (so all differ): as the cached lines come, by invoice. */
    private boolean ascending() {
      for (int i = 1; i < webRunCount; i++) {
        if (INVOICES.compare(webRuns[i - 1], webRuns[i]) >= 0) {
          return false;
        }
      }
      return true;
    }

    /** Sorts the runs by invoice, so that the runs of one invoice are next to each other. */
    private void sortRuns() {
      Integer[] order = new Integer[webRunCount];
      for (int i = 0; i < webRunCount; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (a, b) -> INVOICES.compare(webRuns[a], webRuns[b]));
      UTF8String[] runs = new UTF8String[webRuns.length];
      int[] days = new int[webRunDays.length];
      for (int i = 0; i < webRunCount; i++) {
        runs[i] = webRuns[order[i]];
        days[i] = webRunDays[order[i]];
      }
      webRuns = runs;
      webRunDays = days;
    }

    private void units(int number, int year, int quantity) {
      if (number >= boughtBy.length) {
        boughtBy = Arrays.copyOf(boughtBy, number * 2);
        slot = Arrays.copyOf(slot, number * 2);
      }
      int years = rules.years();
      if (boughtBy[number] != customers) {
        if (boughtCount == boughtProducts.length) {
          boughtProducts = Arrays.copyOf(boughtProducts, boughtCount * 2);
          unitsByYear = Arrays.copyOf(unitsByYear, boughtProducts.length * years);
        }
        boughtBy[number] = customers;
        slot[number] = boughtCount;
        boughtProducts[boughtCount] = number;
        Arrays.fill(unitsByYear, boughtCount * years, (boughtCount + 1) * years, 0L);
        boughtCount++;
      }
      unitsByYear[slot[number] * years + year] += quantity;
    }

    /** Adds the customer's rows and counts its units for the leaders. */
    @Override
    public void finish(Deque<InternalRow> out) {
      UTF8String customer = id;
      // Web purchases are events of their own rule, counted with the customer's other events.
      if (rules.webRule() >= 0 && webRunCount > 0) {
        if (events == null) {
          events = new InteractionPoints.Counter(rules.caps());
        }
        countWebInvoices();
      }
      Double[] earned = events == null ? null : events.byRule();
      if (hasLines) {
        out.add(
            totals(
                customer,
                bought ? first : null,
                bought ? last : null,
                spend,
                weighted,
                banded,
                recent,
                DayGaps.distinct(days, dayCount),
                earned));
      } else if (earned != null) {
        out.add(row(EARNED, customer, EARNED_FROM, new GenericArrayData(earned)));
      }
      int years = rules.years();
      for (int i = 0; i < boughtCount; i++) {
        for (int y = 0; y < years; y++) {
          long n = unitsByYear[i * years + y];
          if (n > 0) {
            lead(boughtProducts[i] * years + y, n);
          }
        }
      }
      flagged(customer, out);
    }

    /** Adds the customer's flagged rows: per flag (in order), the distinct products bought. */
    private void flagged(UTF8String customer, Deque<InternalRow> out) {
      if (flaggedCount == 0) {
        return;
      }
      Map<String, Long> byFlag = new TreeMap<>();
      for (int i = 0; i < flaggedCount; i++) {
        for (String flag : products.products().get(flagged[i]).flags()) {
          byFlag.merge(flag, 1L, Long::sum);
        }
      }
      byFlag.forEach(
          (flag, n) ->
              out.add(row(FLAGGED, customer, FLAGGED_FROM, UTF8String.fromString(flag), n)));
    }

    /**
     * Counts the customer's net units of a product in a year (key: number x years + year) for the
     * leaders; only positive units (0 in leaderUnits means no leader yet).
     */
    private void lead(int key, long n) {
      if (key >= leaders.length) {
        leaders = Arrays.copyOf(leaders, Math.max(key + 1, leaders.length * 2));
        leaderUnits = Arrays.copyOf(leaderUnits, leaders.length);
      }
      if (n > leaderUnits[key]) {
        leaders[key] = new Leaders(customers);
        leaderUnits[key] = n;
      } else if (n == leaderUnits[key]) {
        leaders[key].add(customers);
      }
    }

    /** Adds the task's units rows: its leaders of each product and year. */
    @Override
    public void end(Deque<InternalRow> out) {
      for (int key = 0; key < leaders.length; key++) {
        Leaders top = leaders[key];
        if (top != null) {
          int number = key / rules.years();
          String product =
              number < products.size()
                  ? products.ids().key(number)
                  : unknown.key(number - products.size());
          for (int i = 0; i < top.size; i++) {
            out.add(
                row(
                    UNITS,
                    ids[top.customers[i]],
                    UNITS_FROM,
                    UTF8String.fromString(product),
                    rules.firstYear() + key % rules.years(),
                    leaderUnits[key]));
          }
        }
      }
    }
  }

  /**
   * The customers (by their count in the task) with the most net units of a product in a year so
   * far (ties kept).
   */
  private static final class Leaders {
    private int[] customers = new int[2];
    private int size;

    Leaders(int customer) {
      add(customer);
    }

    void add(int customer) {
      if (size == customers.length) {
        customers = Arrays.copyOf(customers, size * 2);
      }
      customers[size++] = customer;
    }
  }

  /** One customer's totals row (see {@link PurchasePoints}). */
  private static InternalRow totals(
      UTF8String customer,
      Integer first,
      Integer last,
      double spend,
      double weighted,
      double banded,
      double recent,
      int[] days,
      Double[] earned) {
    int[] gaps = DayGaps.gaps(days);
    Double cv = null;
    if (gaps.length > 0) {
      int n = gaps.length;
      double mean = (double) (days[days.length - 1] - days[0]) / n;
      double squares = 0;
      for (int gap : gaps) {
        squares += (gap - mean) * (gap - mean);
      }
      cv = Math.sqrt(squares / n) / mean;
    }
    Object[] values = new Object[FIELDS];
    values[0] = customer;
    values[1] = TOTALS;
    values[2] = first;
    values[3] = last;
    values[4] = spend;
    values[5] = weighted;
    values[6] = banded;
    values[7] = recent;
    values[8] = days.length;
    values[9] = DayGaps.median(gaps);
    values[10] = cv;
    values[EARNED_FROM] = earned == null ? null : new GenericArrayData(earned);
    return new GenericInternalRow(values);
  }

  /**
   * A row of the kind with the given values (Spark's internal values) from column `from` on (the
   * others null).
   */
  private static InternalRow row(int kind, UTF8String customer, int from, Object... set) {
    Object[] values = new Object[FIELDS];
    values[0] = customer;
    values[1] = kind;
    System.arraycopy(set, 0, values, from, set.length);
    return new GenericInternalRow(values);
  }
}
