package io.segmentlake.loyalty;

import static io.segmentlake.loyalty.LoyaltyColumns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.segmentlake.Money;
import io.segmentlake.config.InteractionRule;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.TierSettings;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The stage's last step, once per customer. Every per-customer input comes in as rows of one shape
 * ({@link #IN}, one kind per source): the purchase totals of the {@link LinePass}, points earned
 * per event kind, the customers row, the previous run's tier, the RFM segment, the special groups
 * found so far and an employer share. In one pass per customer (one shuffle instead of a join per
 * source) it computes the purchase families, the customer-type multiplier, the rounded families and
 * their total, the tier and the rule groups, and returns the customer's loyalty_points row and
 * special-group rows ({@link #OUT}). A customer is scored when it has purchase totals, points
 * earned, an employer share or a previous tier.
 */
final class Assembly implements FlatMapGroupsFunction<String, Row, Row> {
  // The kinds of input rows.
  static final int TOTALS = 0;
  static final int EARNED = 1;
  static final int CUSTOMER = 2;
  static final int PREVIOUS = 3;
  static final int RFM = 4;
  static final int SPECIAL = 5;
  static final int SHARE = 6;

  // The kinds of output rows.
  static final int POINTS_ROW = 0;
  static final int SPECIAL_ROW = 1;

  // The kind column, named as in the line pass (its totals rows are inputs as they are).
  private static final String KIND = LinePass.KIND;
  // Per kind: event (earned), customer type, previous tier, RFM segment or special group.
  private static final String LABEL = "_label";
  // Per kind: legal kind (customer) or reason (special).
  private static final String DETAIL = "_detail";
  // Per kind: points earned or employer share.
  private static final String VALUE = "_value";
  // The previous run's runs below its tier.
  private static final String COUNT = "_count";

  /**
   * The input rows: kind and customer and the totals' columns (as the line pass has them), then the
   * other kinds' columns.
   */
  static final StructType IN =
      new StructType(
              concat(
                  LinePass.TOTALS_FIELDS,
                  new StructField[] {
                    DataTypes.createStructField(LABEL, DataTypes.StringType, true)
                  }))
          .add(DETAIL, DataTypes.StringType)
          .add(VALUE, DataTypes.DoubleType)
          .add(COUNT, DataTypes.IntegerType);

  /** The loyalty_points table's columns, in order. */
  static final StructType POINTS_COLUMNS = pointsColumns();

  /** The output rows: kind, the loyalty_points columns, then a special row's group and reason. */
  static final StructType OUT =
      new StructType(
          concat(
              new StructField[] {DataTypes.createStructField(KIND, DataTypes.IntegerType, false)},
              POINTS_COLUMNS.fields(),
              new StructField[] {
                DataTypes.createStructField(SPECIAL_GROUP, DataTypes.StringType, true),
                DataTypes.createStructField(REASON, DataTypes.StringType, true)
              }));

  private static final int FIELDS_IN = IN.size();
  private static final int F_FIRST = IN.fieldIndex(LinePass.FIRST_DAY);
  private static final int F_LAST = IN.fieldIndex(LinePass.LAST_DAY);
  private static final int F_SPEND = IN.fieldIndex(LinePass.S0);
  private static final int F_DAYS = IN.fieldIndex(PURCHASE_DAYS);
  private static final int F_MEDIAN = IN.fieldIndex(MEDIAN_INTERVAL_DAYS);
  private static final int F_CV = IN.fieldIndex(INTERVAL_CV);
  private static final int F_LABEL = IN.fieldIndex(LABEL);
  private static final int F_DETAIL = IN.fieldIndex(DETAIL);
  private static final int F_VALUE = IN.fieldIndex(VALUE);
  private static final int F_COUNT = IN.fieldIndex(COUNT);

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

  /** Groups the inputs by customer and assembles each one. */
  static Dataset<Row> run(List<Dataset<Row>> inputs, Assembly assembly) {
    Dataset<Row> all = inputs.get(0);
    for (Dataset<Row> more : inputs.subList(1, inputs.size())) {
      all = all.union(more);
    }
    return all.groupBy(col(CUSTOMER_ID))
        .as(Encoders.STRING(), Encoders.row(IN))
        .flatMapGroups(assembly, OUT_ROWS);
  }

  private static final Encoder<Row> OUT_ROWS = Encoders.row(OUT);

  /** The loyalty_points rows of the assembled output. */
  static Dataset<Row> points(Dataset<Row> assembled) {
    Column[] columns =
        Arrays.stream(POINTS_COLUMNS.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
    return assembled.where(col(KIND).equalTo(POINTS_ROW)).select(columns);
  }

  /** The special_customers rows of the assembled output. */
  static Dataset<Row> special(Dataset<Row> assembled) {
    return assembled
        .where(col(KIND).equalTo(SPECIAL_ROW))
        .select(col(SPECIAL_GROUP), col(CUSTOMER_ID), col(REASON));
  }

  // The inputs of each kind, from their sources.

  /** The totals rows of the line pass. */
  static Dataset<Row> totals(Dataset<Row> totals) {
    return input(totals, TOTALS, totalsColumns());
  }

  /** The totals' columns, by name. */
  private static Map<String, Column> totalsColumns() {
    Map<String, Column> set = new HashMap<>();
    for (int i = F_FIRST; i < F_LABEL; i++) {
      set.put(IN.fieldNames()[i], col(IN.fieldNames()[i]));
    }
    return set;
  }

  /** Points earned per event kind: rows (customer_id, event, earned). */
  static Dataset<Row> earned(Dataset<Row> earned) {
    return input(
        earned,
        EARNED,
        Map.of(LABEL, col(InteractionPoints.EVENT), VALUE, col(InteractionPoints.EARNED)));
  }

  /** The customers table: type and legal kind. */
  static Dataset<Row> customers(Dataset<Row> customers) {
    return input(customers, CUSTOMER, Map.of(LABEL, col(CUSTOMER_TYPE), DETAIL, col(LEGAL_KIND)));
  }

  /** The previous run's loyalty_points: tier and runs below it. */
  static Dataset<Row> previous(Dataset<Row> previous) {
    return input(previous, PREVIOUS, Map.of(LABEL, col(TIER), COUNT, col(RUNS_BELOW_TIER)));
  }

  /** The date's RFM scores: the segment. */
  static Dataset<Row> rfm(Dataset<Row> scores) {
    return input(scores, RFM, Map.of(LABEL, col(RFM_SEGMENT)));
  }

  /** Special-group rows (special_group, customer_id, reason). */
  static Dataset<Row> groups(Dataset<Row> groups) {
    return input(groups, SPECIAL, Map.of(LABEL, col(SPECIAL_GROUP), DETAIL, col(REASON)));
  }

  /** Employer shares: rows (customer_id, employer_share_points). */
  static Dataset<Row> shares(Dataset<Row> shares) {
    return input(shares, SHARE, Map.of(VALUE, col(EMPLOYER_SHARE_POINTS)));
  }

  /** Rows of a kind: the customer and the given columns, the others null. */
  private static Dataset<Row> input(Dataset<Row> source, int kind, Map<String, Column> set) {
    Column[] columns = new Column[FIELDS_IN];
    for (int i = 0; i < FIELDS_IN; i++) {
      StructField f = IN.fields()[i];
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

  /** A customer's own purchase points: the purchase families times the type multiplier. */
  static final String OWN = "_own_purchase_points";

  /**
   * The own purchase points of customers from their totals rows of the {@link LinePass} joined with
   * their customer_type and legal_kind: rows (customer_id, own purchase points).
   */
  Dataset<Row> ownPoints(Dataset<Row> totalsWithType) {
    Map<String, Column> set = totalsColumns();
    set.put(LABEL, col(CUSTOMER_TYPE));
    set.put(DETAIL, col(LEGAL_KIND));
    return input(totalsWithType, TOTALS, set)
        .map(
            (MapFunction<Row, Row>)
                r ->
                    RowFactory.create(
                        r.getString(1),
                        families(r).subtotal()
                            * multiplier(r.getString(F_LABEL), r.getString(F_DETAIL))),
            Encoders.row(
                new StructType()
                    .add(CUSTOMER_ID, DataTypes.StringType)
                    .add(OWN, DataTypes.DoubleType, false)));
  }

  /** The multiplier of a customer's purchase points by type (and legal kind), as configured. */
  double multiplier(String customerType, String legalKind) {
    String type =
        customerType == null ? null : LinePass.spacesTrimmed(customerType).toLowerCase(Locale.ROOT);
    if ("legal".equals(type)) {
      Double kind =
          legalKind == null
              ? null
              : legalKinds.get(LinePass.spacesTrimmed(legalKind).toLowerCase(Locale.ROOT));
      return kind == null ? types.legal() : kind;
    }
    return "natural".equals(type) ? types.natural() : 1.0;
  }

  /** A customer's purchase families from a totals row (columns as in {@link #IN}). */
  PurchasePoints.Families families(Row t) {
    return purchases.of(
        t.getDouble(F_SPEND),
        t.getDouble(F_SPEND + 1),
        t.getDouble(F_SPEND + 2),
        t.getDouble(F_SPEND + 3),
        t.getInt(F_DAYS),
        t.isNullAt(F_MEDIAN) ? null : t.getDouble(F_MEDIAN),
        t.isNullAt(F_CV) ? null : t.getDouble(F_CV));
  }

  @Override
  public Iterator<Row> call(String customer, Iterator<Row> rows) {
    Row totals = null;
    String type = null;
    String legalKind = null;
    boolean inPrevious = false;
    String previousTier = null;
    Integer previousRunsBelow = null;
    String segment = null;
    Double share = null;
    Map<String, Double> earned = null;
    List<String[]> groups = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      switch (r.getInt(0)) {
        case TOTALS -> totals = r;
        case EARNED -> {
          earned = earned == null ? new HashMap<>() : earned;
          earned.merge(r.getString(F_LABEL), r.getDouble(F_VALUE), Double::sum);
        }
        case CUSTOMER -> {
          type = r.getString(F_LABEL);
          legalKind = r.getString(F_DETAIL);
        }
        case PREVIOUS -> {
          inPrevious = true;
          previousTier = r.getString(F_LABEL);
          previousRunsBelow = r.isNullAt(F_COUNT) ? null : r.getInt(F_COUNT);
        }
        case RFM -> segment = r.getString(F_LABEL);
        case SPECIAL -> groups.add(new String[] {r.getString(F_LABEL), r.getString(F_DETAIL)});
        case SHARE -> share = (share == null ? 0 : share) + r.getDouble(F_VALUE);
        default -> throw new IllegalStateException("unknown input kind " + r.getInt(0));
      }
    }
    List<Row> out = new ArrayList<>();
    if (totals != null || earned != null || share != null || inPrevious) {
      out.add(
          score(
              customer,
              totals,
              type,
              legalKind,
              earned,
              share,
              previousTier,
              previousRunsBelow,
              segment,
              groups));
    }
    for (String[] g : groups) {
      Object[] values = new Object[OUT.size()];
      values[0] = SPECIAL_ROW;
      values[1] = customer;
      values[values.length - 2] = g[0];
      values[values.length - 1] = g[1];
      out.add(RowFactory.create(values));
    }
    return out.iterator();
  }

  /** A scored customer's loyalty_points row; adds the rule groups it is in to `groups`. */
  private Row score(
      String customer,
      Row totals,
      String type,
      String legalKind,
      Map<String, Double> earned,
      Double share,
      String previousTier,
      Integer previousRunsBelow,
      String segment,
      List<String[]> groups) {
    PurchasePoints.Families f = totals == null ? null : families(totals);
    double interaction = 0;
    Map<String, Decimal> byEvent = new LinkedHashMap<>();
    if (earned != null) {
      // In the order of the rules (every event earned is some rule's; each rule's event is unique).
      for (String event : events) {
        Double points = earned.get(event);
        if (points != null) {
          interaction += points;
          byEvent.put(event, Money.cents(points));
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
    Integer recency =
        totals == null || totals.isNullAt(F_LAST) ? null : asOfDay - totals.getInt(F_LAST);
    for (SpecialGroups.Rule rule : rules) {
      if (rule.matches(tier.name(), segment, recency, total)) {
        groups.add(new String[] {rule.group(), rule.reason()});
      }
    }
    // Sorted as Spark sorts strings (by their UTF-8 bytes), each group once.
    TreeSet<UTF8String> sorted = new TreeSet<>();
    groups.forEach(g -> sorted.add(UTF8String.fromString(g[0])));
    List<String> special = sorted.stream().map(UTF8String::toString).toList();

    List<Object> v = new ArrayList<>(OUT.size());
    v.add(POINTS_ROW);
    v.add(customer);
    v.add(points);
    v.add(tier.name());
    v.add(previousTier);
    v.add(tier.change());
    v.add(tier.pointsToNext() == null ? null : Money.cents(tier.pointsToNext()));
    v.add(tier.runsBelow());
    v.addAll(List.of(cents));
    v.add(CollectionConverters.asScala(byEvent));
    v.add(f == null ? null : Money.cents(f.netSpend()));
    v.add(totals == null ? null : totals.get(F_DAYS));
    v.add(totals == null ? null : totals.get(F_MEDIAN));
    v.add(totals == null ? null : totals.get(F_CV));
    v.add(date(totals, F_FIRST));
    v.add(date(totals, F_LAST));
    v.add(recency);
    v.add(type);
    v.add(legalKind);
    v.add(segment);
    v.add(CollectionConverters.asScala(special).toSeq());
    v.add(null);
    v.add(null);
    return RowFactory.create(v.toArray());
  }

  private static Date date(Row r, int field) {
    return r == null || r.isNullAt(field)
        ? null
        : Date.valueOf(LocalDate.ofEpochDay(r.getInt(field)));
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

  private static StructField[] concat(StructField[]... parts) {
    List<StructField> all = new ArrayList<>();
    for (StructField[] p : parts) {
      all.addAll(List.of(p));
    }
    return all.toArray(StructField[]::new);
  }
}
