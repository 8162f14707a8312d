package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;

import io.segmentlake.Codes;
import io.segmentlake.Money;
import io.segmentlake.Schemas;
import io.segmentlake.config.InteractionRule;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.TierSettings;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The stage's last step, once per customer. A customer's inputs come from two sources, brought
 * together by {@link ByCustomer} without a shuffle of the first: the rows of the {@link LinePass}
 * (purchase totals, flagged products and points earned per event kind), and the other per-customer
 * rows in one shape ({@link #OTHERS}, one kind per source): the customers row, the previous run's
 * tier, the RFM segment, the special groups found across customers (top buyers), an employer share
 * and points earned by converted referrals. In one pass per customer it computes the purchase
 * families, the customer-type multiplier, the rounded families and their total, the tier and the
 * rule groups, and returns the customer's loyalty_points row with its special-group rows in a
 * column ({@link #OUT}). A customer is scored when it has purchase totals, points earned, an
 * employer share, a previous tier or a special group (top buyers and buyers of flagged products
 * have purchase totals).
 */
final class Assembly implements ByCustomer.Task {
  // The kinds of the other rows.
  static final int CUSTOMER = 0;
  static final int PREVIOUS = 1;
  static final int RFM = 2;
  static final int SPECIAL = 3;
  static final int SHARE = 4;
  static final int EARNED = 5;

  // The kind column, named as in the line pass.
  private static final String KIND = LinePass.KIND;
  // Per kind: event (earned), customer type, previous tier, RFM segment or special group.
  private static final String LABEL = "_label";
  // Per kind: legal kind (customer) or reason (special).
  private static final String DETAIL = "_detail";
  // Per kind: points earned or employer share.
  private static final String VALUE = "_value";
  // The previous run's runs below its tier.
  private static final String COUNT = "_count";

  /** The other rows: customer, kind and the kinds' columns. */
  static final StructType OTHERS =
      new StructType()
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(KIND, DataTypes.IntegerType, false)
          .add(LABEL, DataTypes.StringType)
          .add(DETAIL, DataTypes.StringType)
          .add(VALUE, DataTypes.DoubleType)
          .add(COUNT, DataTypes.IntegerType);

  private static final int O_KIND = 1;
  private static final int O_LABEL = 2;
  private static final int O_DETAIL = 3;
  private static final int O_VALUE = 4;
  private static final int O_COUNT = 5;

  // The columns of the line pass's rows.
  private static final int P_KIND = LinePass.ROWS.fieldIndex(KIND);
  private static final int P_FLAG = LinePass.ROWS.fieldIndex(LinePass.FLAG);
  private static final int P_PRODUCTS = LinePass.ROWS.fieldIndex(LinePass.PRODUCTS);
  private static final int P_EARNED = LinePass.ROWS.fieldIndex(LinePass.EARNED_BY_RULE);

  /** The loyalty_points table's columns, in order. */
  static final StructType POINTS_COLUMNS = pointsColumns();

  // The customer's special_customers rows: (group, reason) each.
  private static final String SPECIAL_ROWS = "_special";

  /** The output rows: the loyalty_points columns, then the customer's special-group rows. */
  static final StructType OUT =
      POINTS_COLUMNS.add(
          SPECIAL_ROWS,
          DataTypes.createArrayType(
              new StructType()
                  .add(SPECIAL_GROUP, DataTypes.StringType)
                  .add(REASON, DataTypes.StringType)));

  private final int asOfDay;
  private final PurchasePoints purchases;
  private final LoyaltySettings.CustomerTypes types;
  // The configured legal kinds in lower case.
  private final Map<String, Double> legalKinds = new HashMap<>();
  private final TierSettings tiers;
  private final List<SpecialGroups.Rule> rules;
  // The interaction events in the order of the rules (points by event are listed in it).
  private final List<String> events;

  Assembly(LocalDate asOf, LoyaltySettings s, List<SpecialGroups.Rule> rules) {
    this.asOfDay = (int) asOf.toEpochDay();
    this.purchases = new PurchasePoints(s);
    this.types = s.customerTypes();
    types.legalKinds().forEach((k, v) -> legalKinds.put(k.toLowerCase(Locale.ROOT), v));
    this.tiers = s.tiers();
    this.rules = List.copyOf(rules);
    this.events = s.interactions().stream().map(InteractionRule::event).toList();
  }

  /**
   * Assembles each customer from the rows of the line pass (as it left them: in their customers'
   * partitions) and each source of other rows (each brought to its customers' partitions on its
   * own: the ingested customers table and the RFM scores of the same run already are, and are not
   * shuffled).
   */
  static ByCustomer.Kept run(Dataset<Row> pass, List<Dataset<Row>> others, Assembly assembly) {
    List<ByCustomer.Input> inputs = new ArrayList<>();
    inputs.add(ByCustomer.Input.ofPass(pass.where(col(KIND).notEqual(LinePass.UNITS))));
    others.forEach(o -> inputs.add(ByCustomer.Input.of(o)));
    return ByCustomer.keep(inputs, assembly, OUT);
  }

  /** The loyalty_points rows of the assembled output. */
  static Dataset<Row> points(Dataset<Row> assembled) {
    Column[] columns =
        Arrays.stream(POINTS_COLUMNS.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    return assembled.select(columns);
  }

  /** The special_customers rows of the assembled output. */
  static Dataset<Row> special(Dataset<Row> assembled) {
    String row = "_row";
    return assembled
        .select(col(CUSTOMER_ID), explode(col(SPECIAL_ROWS)).as(row))
        .select(
            col(row).getField(SPECIAL_GROUP).as(SPECIAL_GROUP),
            col(CUSTOMER_ID),
            col(row).getField(REASON).as(REASON));
  }

  // The other rows of each kind, from their sources.

  /** Points earned per event kind: rows (customer_id, event, earned). */
  static Dataset<Row> earned(Dataset<Row> earned) {
    return other(
        earned,
        EARNED,
        Map.of(LABEL, col(InteractionPoints.EVENT), VALUE, col(InteractionPoints.EARNED)));
  }

  /** The customers table: type and legal kind. */
  static Dataset<Row> customers(Dataset<Row> customers) {
    return other(customers, CUSTOMER, Map.of(LABEL, col(CUSTOMER_TYPE), DETAIL, col(LEGAL_KIND)));
  }

  /** The previous run's loyalty_points: tier and runs below it. */
  static Dataset<Row> previous(Dataset<Row> previous) {
    return other(previous, PREVIOUS, Map.of(LABEL, col(TIER), COUNT, col(RUNS_BELOW_TIER)));
  }

  /** The date's RFM scores: the segment. */
  static Dataset<Row> rfm(Dataset<Row> scores) {
    return other(scores, RFM, Map.of(LABEL, col(RFM_SEGMENT)));
  }

  /** Special-group rows (special_group, customer_id, reason). */
  static Dataset<Row> groups(Dataset<Row> groups) {
    return other(groups, SPECIAL, Map.of(LABEL, col(SPECIAL_GROUP), DETAIL, col(REASON)));
  }

  /** Employer shares: rows (customer_id, employer_share_points). */
  static Dataset<Row> shares(Dataset<Row> shares) {
    return other(shares, SHARE, Map.of(VALUE, col(EMPLOYER_SHARE_POINTS)));
  }

  /** Other rows of a kind: the customer and the given columns, the others null. */
  private static Dataset<Row> other(Dataset<Row> source, int kind, Map<String, Column> set) {
    Column[] columns = new Column[OTHERS.size()];
    for (int i = 0; i < OTHERS.size(); i++) {
      StructField f = OTHERS.fields()[i];
      Column c =
          f.name().equals(KIND)
              ? lit(kind)
              : f.name().equals(CUSTOMER_ID)
                  ? col(CUSTOMER_ID)
                  : set.getOrDefault(f.name(), lit(null));
      columns[i] = c.cast(f.dataType()).as(f.name());
    }
    return source.select(columns);
  }

  /** A legal customer's own purchase points: the purchase families times the type multiplier. */
  static final String OWN = "_own_purchase_points";

  // The kinds of link rows: a legal customer's own purchase points (OWN), and a referrer with the
  // first purchase day of a customer it referred (REFERRED_DAY).
  static final int OWN_ROW = 0;

  static final int REFERRED_ROW = 1;
  static final String REFERRED_DAY = "_referred_first_day";

  /** The link rows: the customer (the legal customer, or the referrer), kind, points or day. */
  private static final StructType LINKS =
      new StructType()
          .add(CUSTOMER_ID, DataTypes.StringType)
          .add(KIND, DataTypes.IntegerType, false)
          .add(OWN, DataTypes.DoubleType)
          .add(REFERRED_DAY, DataTypes.IntegerType);

  /**
   * What the customers table links across customers, from one pass over the totals rows of the
   * {@link LinePass} (in their customers' partitions) and the customers table (hash-partitioned by
   * customer when ingested), so that neither is shuffled, only these few rows: per legal customer
   * with used lines, its own purchase points (the purchase families times its type multiplier;
   * OWN_ROW); per customer referred by another who has bought, the referrer and the day of the
   * first purchase (REFERRED_ROW; a customer with only returns has no first purchase). A referred
   * row is keyed by the referrer: link rows are not in their customers' partitions.
   */
  ByCustomer.Kept links(Dataset<Row> totals, Dataset<Row> customers) {
    Schemas.require(customers, "customers", CUSTOMER_ID, CUSTOMER_TYPE, LEGAL_KIND, REFERRED_BY);
    return ByCustomer.keep(
        List.of(
            ByCustomer.Input.ofPass(totals),
            ByCustomer.Input.of(
                customers.select(
                    col(CUSTOMER_ID), col(CUSTOMER_TYPE), col(LEGAL_KIND), col(REFERRED_BY)))),
        () -> new Links(),
        LINKS);
  }

  /** A task's links: each customer's totals (input 0) and customers rows (input 1). */
  private final class Links implements ByCustomer.Sums {
    private UTF8String customer;
    private Totals totals;
    private final List<InternalRow> rows = new ArrayList<>();

    @Override
    public void start(UTF8String id) {
      customer = id;
      totals = null;
      rows.clear();
    }

    @Override
    public void add(int input, InternalRow r) {
      if (input == 0) {
        totals = Totals.of(r);
        return;
      }
      // A customers row (customer_id, customer_type, legal_kind, referred_by): the totals, if
      // any, came before it. A null id links nothing (as in a join).
      if (totals == null || customer == null) {
        return;
      }
      String type = string(r, 1);
      if (isLegal(type)) {
        double own = families(totals).subtotal() * multiplier(type, string(r, 2));
        rows.add(new GenericInternalRow(new Object[] {customer, OWN_ROW, own, null}));
      }
      if (!r.isNullAt(3) && totals.first() != null) {
        rows.add(
            new GenericInternalRow(
                new Object[] {r.getUTF8String(3).copy(), REFERRED_ROW, null, totals.first()}));
      }
    }

    @Override
    public void finish(Deque<InternalRow> out) {
      out.addAll(rows);
    }
  }

  /** Whether a customer type is legal (compared trimmed and in lower case). */
  private static boolean isLegal(String customerType) {
    return "legal".equals(Codes.normalized(customerType));
  }

  /** The multiplier of a customer's purchase points by type (and legal kind), as configured. */
  double multiplier(String customerType, String legalKind) {
    String type = Codes.normalized(customerType);
    if ("legal".equals(type)) {
      Double kind = legalKinds.get(Codes.normalized(legalKind));
      return kind == null ? types.legal() : kind;
    }
    return "natural".equals(type) ? types.natural() : 1.0;
  }

  /** A customer's purchase families from its totals. */
  PurchasePoints.Families families(Totals t) {
    return purchases.of(
        t.spend(), t.weighted(), t.banded(), t.recent(), t.days(), t.median(), t.cv());
  }

  /** A customer's totals from the line pass (a copy of its totals row's columns). */
  record Totals(
      Integer first,
      Integer last,
      double spend,
      double weighted,
      double banded,
      double recent,
      int days,
      Double median,
      Double cv) {
    private static final StructType FIELDS = new StructType(LinePass.TOTALS_FIELDS);
    private static final int FIRST = FIELDS.fieldIndex(LinePass.FIRST_DAY);
    private static final int LAST = FIELDS.fieldIndex(LinePass.LAST_DAY);
    private static final int SPEND = FIELDS.fieldIndex(LinePass.S0);
    private static final int DAYS = FIELDS.fieldIndex(PURCHASE_DAYS);
    private static final int MEDIAN = FIELDS.fieldIndex(MEDIAN_INTERVAL_DAYS);
    private static final int CV = FIELDS.fieldIndex(INTERVAL_CV);

    /** The totals of a row whose first columns are the line pass's totals columns. */
    static Totals of(InternalRow r) {
      return new Totals(
          r.isNullAt(FIRST) ? null : r.getInt(FIRST),
          r.isNullAt(LAST) ? null : r.getInt(LAST),
          r.getDouble(SPEND),
          r.getDouble(SPEND + 1),
          r.getDouble(SPEND + 2),
          r.getDouble(SPEND + 3),
          r.getInt(DAYS),
          r.isNullAt(MEDIAN) ? null : r.getDouble(MEDIAN),
          r.isNullAt(CV) ? null : r.getDouble(CV));
    }
  }

  @Override
  public ByCustomer.Sums sums() {
    return new Customer();
  }

  /**
   * A task's assembly of each customer from its rows of the line pass (input 0) and its other rows
   * (the other inputs).
   */
  private final class Customer implements ByCustomer.Sums {
    private UTF8String customer;
    private Totals totals;
    private String type;
    private String legalKind;
    private boolean inPrevious;
    private String previousTier;
    private Integer previousRunsBelow;
    private String segment;
    private Double share;
    private Map<String, Double> earned;
    private final List<String[]> groups = new ArrayList<>();

    @Override
    public void start(UTF8String id) {
      customer = id;
      totals = null;
      type = null;
      legalKind = null;
      inPrevious = false;
      previousTier = null;
      previousRunsBelow = null;
      segment = null;
      share = null;
      earned = null;
      groups.clear();
    }

    @Override
    public void add(int input, InternalRow r) {
      if (input == 0) {
        switch (r.getInt(P_KIND)) {
          case LinePass.TOTALS -> {
            totals = Totals.of(r);
            earnedByRule(r);
          }
          case LinePass.FLAGGED -> {
            String flag = r.getUTF8String(P_FLAG).toString();
            groups.add(SpecialGroups.flagged(flag, r.getLong(P_PRODUCTS)));
          }
          case LinePass.EARNED -> earnedByRule(r);
          default ->
              throw new IllegalStateException("unexpected line-pass row " + r.getInt(P_KIND));
        }
        return;
      }
      switch (r.getInt(O_KIND)) {
        case EARNED -> earn(string(r, O_LABEL), r.getDouble(O_VALUE));
        case CUSTOMER -> {
          type = string(r, O_LABEL);
          legalKind = string(r, O_DETAIL);
        }
        case PREVIOUS -> {
          inPrevious = true;
          previousTier = string(r, O_LABEL);
          previousRunsBelow = r.isNullAt(O_COUNT) ? null : r.getInt(O_COUNT);
        }
        case RFM -> segment = string(r, O_LABEL);
        case SPECIAL -> groups.add(new String[] {string(r, O_LABEL), string(r, O_DETAIL)});
        case SHARE -> share = (share == null ? 0 : share) + r.getDouble(O_VALUE);
        default -> throw new IllegalStateException("unknown input kind " + r.getInt(O_KIND));
      }
    }

    /** The points earned per interaction rule of a line-pass row (rules by index). */
    private void earnedByRule(InternalRow r) {
      if (!r.isNullAt(P_EARNED)) {
        ArrayData byRule = r.getArray(P_EARNED);
        for (int i = 0; i < byRule.numElements(); i++) {
          if (!byRule.isNullAt(i)) {
            earn(events.get(i), byRule.getDouble(i));
          }
        }
      }
    }

    private void earn(String event, double points) {
      earned = earned == null ? new HashMap<>() : earned;
      earned.merge(event, points, Double::sum);
    }

    @Override
    public void finish(Deque<InternalRow> out) {
      if (totals != null || earned != null || share != null || inPrevious || !groups.isEmpty()) {
        out.add(score());
      }
    }

    /**
     * A scored customer's row: its loyalty_points columns and special-group rows (adding the rule
     * groups it is in to `groups`), as Spark's internal values.
     */
    private InternalRow score() {
      PurchasePoints.Families f = totals == null ? null : families(totals);
      double interaction = 0;
      List<UTF8String> eventsEarned = new ArrayList<>();
      List<Decimal> pointsByEvent = new ArrayList<>();
      if (earned != null) {
        // In the order of the rules (every event earned is some rule's; each rule's event is
        // unique).
        for (String event : events) {
          Double points = earned.get(event);
          if (points != null) {
            interaction += points;
            eventsEarned.add(UTF8String.fromString(event));
            pointsByEvent.add(Money.cents(points));
          }
        }
      }
      double subtotal = f == null ? 0 : f.subtotal();
      double[] family = {
        f == null ? 0 : f.purchase(),
        f == null ? 0 : f.weighting(),
        f == null ? 0 : f.quantity(),
        f == null ? 0 : f.recency(),
        f == null ? 0 : f.periodicity(),
        subtotal * (multiplier(type, legalKind) - 1),
        interaction,
        share == null ? 0 : share
      };
      Decimal[] cents = new Decimal[family.length];
      long sum = 0;
      for (int i = 0; i < family.length; i++) {
        cents[i] = Money.cents(family[i]);
        sum += cents[i].toUnscaledLong();
      }
      Decimal points = Money.ofCents(sum);
      double total = points.toJavaBigDecimal().doubleValue();
      Tiers.Tier tier = Tiers.assign(total, previousTier, previousRunsBelow, tiers);
      Integer recency = totals == null || totals.last() == null ? null : asOfDay - totals.last();
      for (SpecialGroups.Rule rule : rules) {
        if (rule.matches(tier.name(), segment, recency, total)) {
          groups.add(new String[] {rule.group(), rule.reason()});
        }
      }
      // The groups' names sorted as Spark sorts strings (by their UTF-8 bytes), each once; the
      // rows in the order found.
      TreeSet<UTF8String> names = new TreeSet<>();
      Object[] rows = new Object[groups.size()];
      for (int i = 0; i < rows.length; i++) {
        UTF8String group = UTF8String.fromString(groups.get(i)[0]);
        names.add(group);
        rows[i] = new GenericInternalRow(new Object[] {group, utf8(groups.get(i)[1])});
      }

      List<Object> v = new ArrayList<>(OUT.size());
      v.add(customer);
      v.add(points);
      v.add(utf8(tier.name()));
      v.add(utf8(previousTier));
      v.add(utf8(tier.change()));
      v.add(tier.pointsToNext() == null ? null : Money.cents(tier.pointsToNext()));
      v.add(tier.runsBelow());
      v.addAll(List.of(cents));
      v.add(
          new ArrayBasedMapData(
              new GenericArrayData(eventsEarned.toArray()),
              new GenericArrayData(pointsByEvent.toArray())));
      v.add(f == null ? null : Money.cents(f.netSpend()));
      v.add(totals == null ? null : totals.days());
      v.add(totals == null ? null : totals.median());
      v.add(totals == null ? null : totals.cv());
      // Dates as Spark holds them: day numbers.
      v.add(totals == null ? null : totals.first());
      v.add(totals == null ? null : totals.last());
      v.add(recency);
      v.add(utf8(type));
      v.add(utf8(legalKind));
      v.add(utf8(segment));
      v.add(new GenericArrayData(names.toArray()));
      v.add(new GenericArrayData(rows));
      return new GenericInternalRow(v.toArray());
    }
  }

  private static String string(InternalRow r, int field) {
    return r.isNullAt(field) ? null : r.getUTF8String(field).toString();
  }

  private static UTF8String utf8(String s) {
    return UTF8String.fromString(s);
  }

  private static StructType pointsColumns() {
    StructType t =
        new StructType()
            .add(CUSTOMER_ID, DataTypes.StringType)
            .add(POINTS, Money.TYPE)
            .add(TIER, DataTypes.StringType)
            .add(PREVIOUS_TIER, DataTypes.StringType)
            .add(TIER_CHANGE, DataTypes.StringType)
            .add(POINTS_TO_NEXT_TIER, Money.TYPE)
            .add(RUNS_BELOW_TIER, DataTypes.IntegerType);
    for (String family : FAMILIES) {
      t = t.add(family, Money.TYPE);
    }
    return t.add(
            INTERACTION_POINTS_BY_EVENT, DataTypes.createMapType(DataTypes.StringType, Money.TYPE))
        .add(NET_SPEND, Money.TYPE)
        .add(PURCHASE_DAYS, DataTypes.IntegerType)
        .add(MEDIAN_INTERVAL_DAYS, DataTypes.DoubleType)
        .add(INTERVAL_CV, DataTypes.DoubleType)
        .add(FIRST_PURCHASE_DATE, DataTypes.DateType)
        .add(LAST_PURCHASE_DATE, DataTypes.DateType)
        .add(RECENCY_DAYS, DataTypes.IntegerType)
        .add(CUSTOMER_TYPE, DataTypes.StringType)
        .add(LEGAL_KIND, DataTypes.StringType)
        .add(RFM_SEGMENT, DataTypes.StringType)
        .add(SPECIAL_GROUPS, DataTypes.createArrayType(DataTypes.StringType));
  }
}
