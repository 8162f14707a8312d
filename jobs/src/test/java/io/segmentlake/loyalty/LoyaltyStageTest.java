package io.segmentlake.loyalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.segmentlake.Days;
import io.segmentlake.Fixtures;
import io.segmentlake.SharedSpark;
import io.segmentlake.config.ConfigLoader;
import io.segmentlake.config.InteractionRule;
import io.segmentlake.config.LoyaltySettings;
import io.segmentlake.config.Settings;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/**
 * The loyalty rules on a hand-made base, every expected value computed by hand (README's worked
 * example is customer W): default rules, books weighted 1.2, as of 2024-12-31.
 */
class LoyaltyStageTest {
  private static final LocalDate AS_OF = LocalDate.parse("2024-12-31");
  private static final StructType LINES = Fixtures.INVOICES.add("channel", DataTypes.StringType);
  private static final StructType PRODUCTS =
      new StructType()
          .add("product_id", DataTypes.StringType)
          .add("category", DataTypes.StringType)
          .add("unit_cost", DataTypes.DoubleType)
          .add("margin_rate", DataTypes.DoubleType)
          .add("quality_level", DataTypes.IntegerType)
          .add("flags", DataTypes.createArrayType(DataTypes.StringType));
  private static final StructType CUSTOMERS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("customer_type", DataTypes.StringType)
          .add("legal_kind", DataTypes.StringType)
          .add("employer_id", DataTypes.StringType)
          .add("referred_by", DataTypes.StringType);
  private static final StructType EVENTS =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("event_ts", DataTypes.TimestampType)
          .add("event_type", DataTypes.StringType);
  private static final StructType RFM =
      new StructType()
          .add("customer_id", DataTypes.StringType)
          .add("rfm_segment", DataTypes.StringType);

  @BeforeAll
  static void spark() {
    SharedSpark.session();
  }

  static LoyaltySettings settings(String... sets) {
    List<String> all = new ArrayList<>(List.of("loyalty.weights.category.books=1.2"));
    all.addAll(Arrays.asList(sets));
    return Settings.from(ConfigLoader.load(Optional.empty(), all)).loyalty();
  }

  private static Timestamp ts(String localDateTime) {
    return Timestamp.valueOf(LocalDateTime.parse(localDateTime));
  }

  private static Row line(
      String invoice, String customer, String day, String product, int qty, double price) {
    return line(invoice, customer, day, product, qty, price, "store");
  }

  private static Row line(
      String invoice,
      String customer,
      String day,
      String product,
      int qty,
      double price,
      String channel) {
    return RowFactory.create(invoice, customer, ts(day + "T12:00"), product, qty, price, channel);
  }

  private static Row event(String customer, String at, String type) {
    return RowFactory.create(customer, ts(at), type);
  }

  private static Dataset<Row> lines() {
    List<Row> rows =
        new ArrayList<>(
            List.of(
                // W, a private company: the worked example.
                line("w1", "W", "2024-12-01", "P1", 20, 10, "web"),
                line("w2", "W", "2024-08-01", "P2", 1, 900),
                line("w3", "W", "2024-03-01", "P1", 60, 10),
                line("w4", "W", "2024-03-10", "P1", -10, 10),
                line("w0", "W", "2023-06-01", "P2", 1, 500),
                // Q buys every 30 days; I buys in bursts.
                line("q1", "Q", "2024-10-01", "P9", 1, 100),
                line("q2", "Q", "2024-10-31", "P9", 1, 100),
                line("q3", "Q", "2024-11-30", "P9", 1, 100),
                line("q4", "Q", "2024-12-30", "P9", 1, 100),
                line("i1", "I", "2024-12-01", "P9", 1, 10),
                line("i2", "I", "2024-12-02", "P9", 1, 10),
                line("i3", "I", "2024-12-30", "P9", 1, 10),
                line("i4", "I", "2024-12-31", "P9", 1, 10),
                // R, referred by W, bought once; X only returned goods.
                line("r1", "R", "2024-11-15", "P9", 1, 50),
                line("x1", "X", "2024-06-01", "P9", -1, 30),
                // Z bought every 30 days, then returned more than it bought: no bonus either.
                line("z1", "Z", "2024-09-01", "P9", 1, 10),
                line("z2", "Z", "2024-10-01", "P9", 1, 10),
                line("z3", "Z", "2024-10-31", "P9", 1, 10),
                line("z4", "Z", "2024-11-30", "P9", 1, 10),
                line("z5", "Z", "2024-12-01", "P9", -10, 10)));
    return Fixtures.rows(LINES, rows);
  }

  private static LoyaltyStage.Inputs inputs() {
    Dataset<Row> products =
        Fixtures.rows(
            PRODUCTS,
            List.of(
                RowFactory.create("P1", "books", 6.0, null, 3, new String[0]),
                RowFactory.create("P2", "electronics", null, 0.2, 5, new String[] {" Special"})));
    Dataset<Row> customers =
        Fixtures.rows(
            CUSTOMERS,
            List.of(
                RowFactory.create("W", "legal", "private", null, null),
                RowFactory.create("E", "natural", null, "W", null),
                RowFactory.create("E2", "natural", null, "W", null),
                RowFactory.create("R", "natural", null, null, "W"),
                RowFactory.create("R2", "natural", null, null, "W"),
                RowFactory.create("C", "natural", null, null, null),
                // A company that bought nothing, and its employee: neither is scored.
                RowFactory.create("L", "legal", "private", null, null),
                RowFactory.create("LE", "natural", null, "L", null)));
    List<Row> events =
        new ArrayList<>(
            List.of(
                event("W", "2024-12-05T09:00", "club_login"),
                event("W", "2024-12-05T10:00", "club_login"),
                event("W", "2024-12-05T11:00", "club_login"),
                event("W", "2024-12-06T09:00", " club_login "),
                event("W", "2024-12-07T09:00", "news_read"),
                event("W", "2024-12-07T09:05", "news_read"),
                event("W", "2024-12-07T09:10", "News_Read"),
                event("W", "2024-11-10T09:00", "referral"),
                event("W", "2024-12-08T09:00", "web_purchase"),
                event("C", "2024-07-01T09:00", "club_login"),
                event("C", "2024-07-01T21:00", "club_login"),
                event("C", "2023-07-01T09:00", "club_login"),
                event("C", "2024-07-02T09:00", "web_visit")));
    for (int day = 1; day <= 25; day++) {
      events.add(event("C", String.format("2024-06-%02dT20:00", day), "club_login"));
    }
    Dataset<Row> rfm =
        Fixtures.rows(
            RFM, List.of(RowFactory.create("W", "Lost"), RowFactory.create("Q", "Champions")));
    return new LoyaltyStage.Inputs(
        lines(),
        Optional.of(products),
        Optional.of(customers),
        Optional.of(Fixtures.rows(EVENTS, events)),
        Optional.of(rfm),
        Optional.empty());
  }

  private static Map<String, Row> byCustomer(Dataset<Row> points) {
    return points.collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("customer_id"), r -> r));
  }

  private static String families(Row r) {
    StringBuilder s = new StringBuilder();
    for (String family : LoyaltyColumns.FAMILIES) {
      s.append(((BigDecimal) r.getAs(family)).toPlainString()).append(' ');
    }
    return s.append("= ").append(((BigDecimal) r.getAs("points")).toPlainString()).toString();
  }

  @Test
  void everyRuleFamilyByHand() {
    LoyaltySettings s =
        settings(
            "loyalty.special.rules=[{group = big, min-points = 60},"
                + " {group = lapsed, min-recency-days = 20, rfm-segments = [Lost]}]");
    LoyaltyStage.Result result = LoyaltyStage.run(inputs(), AS_OF, s);
    Map<String, Row> c = byCustomer(result.points());
    // Families: purchase, weighting, quantity band, recency, periodicity, customer type,
    // interactions, employer share. W: net spend 1,600 -> 10 + 600 x 1.5 / 100 = 19 base points;
    // 19/1600 per unit of spend times (weighted - unweighted) spend for each factor in turn;
    // x 1.1 (private company); web purchase 3 + logins 2 (once a day) + reads 1.5 + referral 25.
    assertThat(families(c.get("W"))).isEqualTo("19.00 3.73 2.66 4.08 0.00 2.95 31.50 0.00 = 63.92");
    // Q: 4 purchases 30 days apart -> regular-purchase bonus 50; no product data, no type.
    assertThat(families(c.get("Q"))).isEqualTo("4.00 0.00 0.00 1.70 50.00 0.00 0.00 0.00 = 55.70");
    assertThat((Double) c.get("Q").getAs("median_interval_days")).isEqualTo(30.0);
    assertThat((Double) c.get("Q").getAs("interval_cv")).isEqualTo(0.0);
    // I: gaps 1, 28, 1: median 1 but a CV of 1.27, so no bonus.
    assertThat(families(c.get("I"))).isEqualTo("0.40 0.00 0.00 0.20 0.00 0.00 0.00 0.00 = 0.60");
    assertThat((Double) c.get("I").getAs("median_interval_days")).isEqualTo(1.0);
    assertThat((Double) c.get("I").getAs("interval_cv")).isCloseTo(1.2728, within(1e-4));
    // C: 25 logins in June capped at 20, two on 1 July count once; 2023 and web visits earn none.
    assertThat(families(c.get("C"))).isEqualTo("0.00 0.00 0.00 0.00 0.00 0.00 21.00 0.00 = 21.00");
    // E: an employee of W gets 10 % of W's purchase points (29.469 x 1.1).
    assertThat(families(c.get("E"))).isEqualTo("0.00 0.00 0.00 0.00 0.00 0.00 0.00 3.24 = 3.24");
    assertThat(families(c.get("R"))).isEqualTo("0.50 0.00 0.00 0.25 0.00 0.00 0.00 0.00 = 0.75");
    // X only returned goods: in the base, with nothing earned.
    assertThat(families(c.get("X"))).isEqualTo("0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 = 0.00");
    assertThat(c.get("C").<String>getAs("customer_type")).isEqualTo("natural");
    assertThat(c.get("W").<String>getAs("legal_kind")).isEqualTo("private");
    assertThat(families(c.get("Z"))).isEqualTo("0.00 0.00 0.00 0.00 0.00 0.00 0.00 0.00 = 0.00");
    assertThat(c).doesNotContainKeys("R2", "L", "LE");

    Row w = c.get("W");
    // Points by event are money-like decimals that add up to interaction_points; none: empty.
    Map<String, BigDecimal> byEvent = w.getJavaMap(w.fieldIndex("interaction_points_by_event"));
    assertThat(byEvent)
        .containsOnly(
            Map.entry("web_purchase", new BigDecimal("3.00")),
            Map.entry("club_login", new BigDecimal("2.00")),
            Map.entry("news_read", new BigDecimal("1.50")),
            Map.entry("referral", new BigDecimal("25.00")));
    Row x = c.get("X");
    assertThat(x.getJavaMap(x.fieldIndex("interaction_points_by_event"))).isEmpty();
    assertThat(w.<String>getAs("tier")).isEqualTo("Bronze");
    assertThat(w.<String>getAs("tier_change")).isEqualTo("new");
    assertThat(w.<BigDecimal>getAs("points_to_next_tier")).isEqualByComparingTo("136.08");
    assertThat(w.<Date>getAs("first_purchase_date")).isEqualTo(Date.valueOf("2023-06-01"));
    assertThat(w.<Integer>getAs("recency_days")).isEqualTo(30);
    assertThat(c.get("X").<String>getAs("tier")).isEqualTo("None");
    assertThat(c.get("X").<BigDecimal>getAs("points_to_next_tier")).isEqualByComparingTo("1");
    List<String> groups = w.getList(w.fieldIndex("special_groups"));
    assertThat(groups).containsExactly("big", "bought_special", "lapsed", "top_buyer");
    // W's line of 2023-06-01 and C's login of 2023-07-01 are older than the window: expired.
    assertThat(result.customers()).isEqualTo(9);
    assertThat(result.summary().get("rules_skipped")).isEqualTo(List.of());
  }

  @Test
  void interactionCapsPerDayWeekAndWindow() {
    LoyaltySettings s =
        settings(
            "loyalty.interactions=["
                + "{event = comment, points = 1, cap = 2, cap-period = week, once-per-day = false},"
                + " {event = news_read, points = 1, cap = 3, cap-period = window,"
                + " once-per-day = true},"
                + " {event = club_login, points = 1, cap = 1, cap-period = day, once-per-day = false}]");
    List<Row> events =
        List.of(
            // Comments: Monday 2 December twice and Wednesday (one week: 3, capped at 2), then
            // Monday 9 December (the next week: 1) -> 3.
            event("K", "2024-12-02T09:00", "comment"),
            event("K", "2024-12-02T10:00", "comment"),
            event("K", "2024-12-04T09:00", "comment"),
            event("K", "2024-12-09T09:00", "comment"),
            // Reads once a day on 4 days (two on the 1st), capped at 3 in the window -> 3.
            event("K", "2024-12-01T09:00", "news_read"),
            event("K", "2024-12-01T19:00", "news_read"),
            event("K", "2024-12-02T09:00", "news_read"),
            event("K", "2024-12-03T09:00", "news_read"),
            event("K", "2024-12-04T09:00", "news_read"),
            // Logins capped at 1 a day: 3 on the 5th and 1 on the 6th -> 2.
            event("K", "2024-12-05T09:00", "club_login"),
            event("K", "2024-12-05T10:00", "club_login"),
            event("K", "2024-12-05T11:00", "club_login"),
            event("K", "2024-12-06T09:00", "club_login"));
    LoyaltyStage.Inputs in =
        new LoyaltyStage.Inputs(
            lines(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Fixtures.rows(EVENTS, events)),
            Optional.empty(),
            Optional.empty());
    Row k = byCustomer(LoyaltyStage.run(in, AS_OF, s).points()).get("K");
    assertThat(k.getJavaMap(k.fieldIndex("interaction_points_by_event")))
        .containsOnly(
            Map.entry("comment", new BigDecimal("3.00")),
            Map.entry("news_read", new BigDecimal("3.00")),
            Map.entry("club_login", new BigDecimal("2.00")));
    assertThat(k.<BigDecimal>getAs("interaction_points")).isEqualByComparingTo("8");
    // K has events but no lines: no purchase measures (not zeros).
    assertThat(k.<Object>getAs("net_spend")).isNull();
    assertThat(k.<Object>getAs("purchase_days")).isNull();
  }

  @Test
  void cappedCountsOncePerDayWithinEachPeriodAndSkipsEventsOfNoRule() {
    InteractionPoints.Caps caps =
        InteractionPoints.Caps.of(
            List.of(
                new InteractionRule("club_login", 1, 2, InteractionRule.CapPeriod.MONTH, true),
                new InteractionRule("comment", 0.5, 10, InteractionRule.CapPeriod.YEAR, false),
                new InteractionRule("web_visit", 1, 1, InteractionRule.CapPeriod.WEEK, false)));
    // Coded events: customer, rule index (null: no rule), day number (day 90 is 1970-04-01).
    Integer[][] events = {
      // Logins on 3 days of one month, one of them twice: 3 counted, capped at 2.
      {0, 100},
      {0, 100},
      {0, 101},
      {0, 102},
      // A login in a month before 1970 (negative day numbers): 1 more.
      {0, -40},
      // Three comments, two of them on one day, in 1970 and 1969: 3 x 0.5.
      {1, 100},
      {1, 100},
      {1, -5},
      // Visits on Sun 1969-12-28, Mon 12-29, Sun 1970-01-04 and Mon 01-05, once a week (weeks
      // from Monday, as Spark's date_trunc): 3 weeks.
      {2, -4},
      {2, -3},
      {2, 3},
      {2, 4},
      // An event of no rule counts for nothing.
      {null, 100}
    };
    List<InternalRow> rows = new ArrayList<>();
    for (Integer[] e : events) {
      rows.add(new GenericInternalRow(new Object[] {UTF8String.fromString("K"), e[0], e[1]}));
    }
    Map<String, Double> earned = new java.util.HashMap<>();
    ByCustomer.rows(rows.iterator(), new InteractionPoints.Events(caps))
        .forEachRemaining(r -> earned.put(r.getUTF8String(1).toString(), r.getDouble(2)));
    assertThat(earned)
        .containsOnly(
            Map.entry("club_login", 3.0), Map.entry("comment", 1.5), Map.entry("web_visit", 3.0));
  }

  @Test
  void specialGroupsWithReasonsAndTiesKept() {
    LoyaltySettings s = settings("loyalty.special.rules=[]");
    List<String> rows =
        LoyaltyStage.run(inputs(), AS_OF, s).special().collectAsList().stream()
            .map(r -> r.getString(0) + " " + r.getString(1) + ": " + r.getString(2))
            .sorted()
            .toList();
    assertThat(rows)
        .containsExactly(
            "bought_special W: bought 1 product(s) flagged 'special' in the points window",
            "top_buyer I: top buyer of P9 in 2024 (4 units)",
            "top_buyer Q: top buyer of P9 in 2024 (4 units)",
            "top_buyer W: top buyer of P1 in 2024 (70 units)",
            "top_buyer W: top buyer of P2 in 2023 (1 units)",
            "top_buyer W: top buyer of P2 in 2024 (1 units)");
  }

  @Test
  void flaggedProductsCountOncePerProductAlsoOnTheSameDay() {
    Dataset<Row> products =
        Fixtures.rows(
            PRODUCTS,
            List.of(
                RowFactory.create("P2", "books", null, 0.2, 5, new String[] {"special"}),
                RowFactory.create("P3", "books", null, 0.2, 5, new String[] {" SPECIAL ", "x"}),
                RowFactory.create("P4", "books", null, 0.2, 5, new String[] {"x"})));
    Dataset<Row> lines =
        Fixtures.rows(
            LINES,
            List.of(
                // Two flagged products on one invoice, one of them again the same day: 2.
                line("f1", "F", "2024-12-01", "P2", 1, 10),
                line("f1", "F", "2024-12-01", "P3", 1, 10),
                line("f2", "F", "2024-12-01", "P2", 2, 10),
                // Not flagged 'special'; a return; before the points window: none count.
                line("f3", "F", "2024-12-02", "P4", 1, 10),
                line("f4", "G", "2024-12-02", "P2", -1, 10),
                line("f5", "G", "2022-12-02", "P3", 1, 10),
                // Others buying the same flagged products (with two tasks, two of F, H and I
                // share one, whose marks of the products bought must not carry over): 1 each.
                line("h1", "H", "2024-12-03", "P2", 1, 10),
                line("h2", "H", "2024-12-04", "P2", 1, 10),
                line("i1", "I", "2024-12-03", "P3", 1, 10)));
    LoyaltyStage.Inputs in =
        new LoyaltyStage.Inputs(
            lines,
            Optional.of(products),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    List<String> rows =
        LoyaltyStage.run(in, AS_OF, settings("loyalty.special.rules=[]"))
            .special()
            .collectAsList()
            .stream()
            .map(r -> r.getString(0) + " " + r.getString(1) + ": " + r.getString(2))
            .filter(r -> r.startsWith("bought_"))
            .toList();
    assertThat(rows)
        .containsExactlyInAnyOrder(
            "bought_special F: bought 2 product(s) flagged 'special' in the points window",
            "bought_special H: bought 1 product(s) flagged 'special' in the points window",
            "bought_special I: bought 1 product(s) flagged 'special' in the points window");
  }

  @Test
  void missingOptionalTablesSkipTheirRulesAndSaySo() {
    LoyaltyStage.Inputs full = inputs();
    LoyaltyStage.Inputs bare =
        new LoyaltyStage.Inputs(
            full.usedInvoices(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    LoyaltyStage.Result result = LoyaltyStage.run(bare, AS_OF, settings());
    Map<String, Row> c = byCustomer(result.points());
    // W without product weights and customer type: base 19 with quantity band and recency only.
    // Spend 1,600; banded 200 x 1.1 + 900 + 600 x 1.25 - 100 = 1,770; recent 330 + 1,080 + 650 =
    // 2,060.
    assertThat(families(c.get("W"))).isEqualTo("19.00 0.00 2.02 3.44 0.00 0.00 3.00 0.00 = 27.46");
    assertThat(c).doesNotContainKeys("C", "E", "E2");
    assertThat((List<?>) result.summary().get("rules_skipped")).hasSize(5);
  }

  @Test
  void aWebInvoiceCountsOnceOnItsFirstDayHoweverItsLinesComeAndCapsApply() {
    List<Row> rows = new ArrayList<>();
    // V: invoice v1 has lines on 2024-12-01 (two) and one dated 2023-12-28, before the window;
    // v2 is one line; s1 is a store invoice. Each web invoice counts once, on its first day: v1
    // falls before the window, so only v2 earns (3 points). Channels are read trimmed and in lower
    // case.
    rows.add(line("v1", "V", "2024-12-01", "P9", 1, 10, "web"));
    rows.add(line("v1", "V", "2024-12-01", "P9", 2, 10, "web"));
    rows.add(line("v2", "V", "2024-12-02", "P9", 1, 10, " Web "));
    rows.add(line("v1", "V", "2023-12-28", "P9", 1, 10, "web"));
    rows.add(line("s1", "V", "2024-12-03", "P9", 1, 10, "store"));
    // U: twelve web invoices in December, capped at ten (3 points each), and a web return that
    // counts for nothing.
    for (int i = 1; i <= 12; i++) {
      rows.add(
          line(
              "u" + i, "U", String.format("2024-12-%02d", i), "P9", 1, 10, i == 1 ? "WEB" : "web"));
    }
    rows.add(line("u13", "U", "2024-12-20", "P9", -1, 10, "web"));
    LoyaltyStage.Inputs in =
        new LoyaltyStage.Inputs(
            Fixtures.rows(LINES, rows),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    Map<String, Row> c = byCustomer(LoyaltyStage.run(in, AS_OF, settings()).points());
    Row v = c.get("V");
    assertThat(v.getJavaMap(v.fieldIndex("interaction_points_by_event")))
        .containsOnly(Map.entry("web_purchase", new BigDecimal("3.00")));
    Row u = c.get("U");
    assertThat(u.getJavaMap(u.fieldIndex("interaction_points_by_event")))
        .containsOnly(Map.entry("web_purchase", new BigDecimal("30.00")));
  }

  @Test
  void daysAreCalendarDaysInTheSessionTimeZone() {
    // The 365-day points window that ends on 2024-12-31 starts on 2024-01-02 (a leap year).
    // 2024-01-01 23:30 UTC is 2024-01-02 00:30 in Amsterdam: in the window there, the day before it
    // in UTC. The line's spend, its web purchase and the club login count only there.
    Timestamp at = Timestamp.from(Instant.parse("2024-01-01T23:30:00Z"));
    LoyaltyStage.Inputs in =
        new LoyaltyStage.Inputs(
            Fixtures.rows(LINES, List.of(RowFactory.create("z1", "Z", at, "P9", 1, 100.0, "web"))),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Fixtures.rows(EVENTS, List.of(RowFactory.create("Z", at, "club_login")))),
            Optional.empty(),
            Optional.empty());
    SparkSession spark = SharedSpark.session();
    try {
      Row utc = byCustomer(LoyaltyStage.run(in, AS_OF, settings()).points()).get("Z");
      spark.conf().set("spark.sql.session.timeZone", "Europe/Amsterdam");
      Row amsterdam = byCustomer(LoyaltyStage.run(in, AS_OF, settings()).points()).get("Z");
      assertThat(utc.<BigDecimal>getAs("net_spend")).isEqualByComparingTo("0");
      assertThat(utc.getJavaMap(utc.fieldIndex("interaction_points_by_event"))).isEmpty();
      assertThat(amsterdam.<BigDecimal>getAs("net_spend")).isEqualByComparingTo("100");
      assertThat(amsterdam.getJavaMap(amsterdam.fieldIndex("interaction_points_by_event")))
          .containsOnlyKeys("club_login", "web_purchase");
    } finally {
      spark.conf().set("spark.sql.session.timeZone", "UTC");
    }
  }

  @Test
  void aPreviousTierThatIsNoLongerConfiguredCountsAsNewAndIsReported() {
    LoyaltyStage.Inputs full = inputs();
    StructType previousSchema =
        new StructType()
            .add("customer_id", DataTypes.StringType)
            .add("tier", DataTypes.StringType)
            .add("runs_below_tier", DataTypes.IntegerType);
    Dataset<Row> previous =
        SharedSpark.session()
            .createDataFrame(
                List.of(
                    RowFactory.create("W", "Platinum", 0),
                    RowFactory.create("C", "Platinum", 0),
                    RowFactory.create("I", "None", 0),
                    // Only in the previous run: one in the customers table, one not.
                    RowFactory.create("R2", "Silver", 0),
                    RowFactory.create("GONE", "Bronze", 1)),
                previousSchema);
    LoyaltyStage.Inputs withPrevious =
        new LoyaltyStage.Inputs(
            full.usedInvoices(),
            full.products(),
            full.customers(),
            full.interactions(),
            full.rfmScores(),
            Optional.of(previous));
    LoyaltyStage.Result result = LoyaltyStage.run(withPrevious, AS_OF, settings());
    Map<String, Row> c = byCustomer(result.points());
    assertThat(c.get("W").<String>getAs("previous_tier")).isEqualTo("Platinum");
    assertThat(c.get("W").<String>getAs("tier_change")).isEqualTo("new");
    assertThat(c.get("I").<String>getAs("tier_change")).isEqualTo("same");
    // Customers of the previous run without points now keep their tier in grace (2 runs).
    assertThat(c.get("R2").<String>getAs("tier")).isEqualTo("Silver");
    assertThat(c.get("R2").<Integer>getAs("runs_below_tier")).isEqualTo(1);
    assertThat(c.get("R2").<String>getAs("customer_type")).isEqualTo("natural");
    assertThat(c.get("GONE").<String>getAs("tier")).isEqualTo("Bronze");
    assertThat(c.get("GONE").<Integer>getAs("runs_below_tier")).isEqualTo(2);
    assertThat(c.get("GONE").<String>getAs("customer_type")).isNull();
    assertThat(c).doesNotContainKeys("L", "LE");
    assertThat(result.summary().get("previous_tiers_not_configured"))
        .isEqualTo(Map.of("Platinum", 2L));
  }

  @Test
  void topBuyersTiedAcrossPartitionsAreAllKept() {
    // A and B tie on P1 in 2024 (3 + 2 and 5 units), C has 4; spread over four partitions, each
    // partition only knows its own best units. D's net units are 0 (a return): it tops nothing.
    Dataset<Row> spread =
        Fixtures.rows(
                LINES,
                List.of(
                    line("1", "A", "2024-02-01", "P1", 3, 1),
                    line("2", "A", "2024-05-01", "P1", 2, 1),
                    line("3", "B", "2024-03-01", "P1", 5, 1),
                    line("4", "C", "2024-04-01", "P1", 4, 1),
                    line("5", "D", "2024-04-01", "P2", 2, 1),
                    line("6", "D", "2024-06-01", "P2", -2, 1)))
            .repartition(4, org.apache.spark.sql.functions.col("invoice_id"));
    List<String> top =
        SpecialGroups.topBuyers(
                LinePass.run(spread, Optional.empty(), Optional.empty(), AS_OF, settings()).rows())
            .collectAsList()
            .stream()
            .map(r -> r.<String>getAs("customer_id") + ": " + r.<String>getAs("reason"))
            .sorted()
            .toList();
    assertThat(top)
        .containsExactly(
            "A: top buyer of P1 in 2024 (5 units)", "B: top buyer of P1 in 2024 (5 units)");
  }

  @Test
  void aTaskPassesEachCustomersRowsOnThenOnlyItsLeadersOfEachProductAndYear() throws Exception {
    int day = (int) LocalDate.parse("2024-06-01").toEpochDay();
    int yearBefore = (int) LocalDate.parse("2023-06-01").toEpochDay();
    // In 2024: C (4 units of P1), A (5), B (5, a tie), D (3 of P1, 2 of P2); in 2023: D (1 of P1),
    // E (3 of P1, returned).
    List<InternalRow> lines = new ArrayList<>();
    for (Object[] c :
        new Object[][] {
          {"A", "P1", 5, day},
          {"B", "P1", 5, day},
          {"C", "P1", 4, day},
          {"D", "P1", 3, day},
          {"D", "P2", 2, day},
          {"D", "P1", 1, yearBefore},
          {"E", "P1", 3, yearBefore},
          {"E", "P1", -3, yearBefore}
        }) {
      lines.add(
          new GenericInternalRow(
              new Object[] {
                UTF8String.fromString((String) c[0]),
                // invoice_ts (microseconds), quantity, unit_price, product_id, channel, invoice_id.
                (int) c[3] * 86_400_000_000L,
                c[2],
                1.0,
                UTF8String.fromString((String) c[1]),
                UTF8String.fromString("store"),
                UTF8String.fromString("I" + c[0])
              }));
    }
    List<String> out = new ArrayList<>();
    ByCustomer.rows(
            lines.iterator(),
            new LinePass.Customer(
                LinePass.Rules.of(AS_OF, settings(), Days.in(ZoneOffset.UTC)),
                new LinePass.Catalog()))
        .forEachRemaining(
            r ->
                out.add(
                    r.getInt(1) == LinePass.UNITS
                        ? r.getUTF8String(0)
                            + " "
                            + r.getUTF8String(11)
                            + " "
                            + r.getInt(12)
                            + " "
                            + r.getLong(13)
                        : r.getUTF8String(0).toString()));
    // The totals rows first (in the customers' order), then the leaders: A and B tie on P1 in
    // 2024, D leads P2 in 2024 and P1 in 2023 (E's net units are 0).
    assertThat(out.subList(0, 5)).containsExactly("A", "B", "C", "D", "E");
    assertThat(out.subList(5, out.size()))
        .containsExactlyInAnyOrder("A P1 2024 5", "B P1 2024 5", "D P2 2024 2", "D P1 2023 1");
  }

  @Test
  void aBlockGivesBackItsRowsAcrossChunksAndRowsLargerThanAChunk() {
    StructType schema =
        new StructType().add("n", DataTypes.IntegerType).add("s", DataTypes.StringType);
    List<InternalRow> rows = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      // 3,000 rows of 1-2 kB (several chunks of 1 MB), one of 1.5 MB and one null string.
      int length = i == 1_500 ? 1_500_000 : 1_000 + i % 1_000;
      String s = i == 2_000 ? null : String.valueOf((char) ('a' + i % 26)).repeat(length);
      rows.add(
          new GenericInternalRow(new Object[] {i, s == null ? null : UTF8String.fromString(s)}));
    }
    List<String> back = new ArrayList<>();
    // As kept on disk: through Spark's default (Java) serializer.
    SerializerInstance java = new JavaSerializer(new SparkConf()).newInstance();
    ByCustomer.Block block = ByCustomer.Block.of(rows.iterator(), schema);
    ByCustomer.Block read =
        java.deserialize(
            java.serialize(block, ClassTag$.MODULE$.apply(ByCustomer.Block.class)),
            ClassTag$.MODULE$.apply(ByCustomer.Block.class));
    assertThat(ByCustomer.Block.of(Collections.emptyIterator(), schema).rows(2).hasNext())
        .isFalse();
    read.rows(schema.size())
        .forEachRemaining(
            r -> back.add(r.getInt(0) + ":" + (r.isNullAt(1) ? null : r.getUTF8String(1))));
    assertThat(back)
        .containsExactlyElementsOf(
            rows.stream().map(r -> r.getInt(0) + ":" + r.getUTF8String(1)).toList());
  }

  @Test
  void aPassMergesItsInputsCustomerByCustomerInputByInput() {
    // Input 0: A, C; input 1: a row without id, B, C twice, D. Ids sort as Spark's (nulls first).
    List<String> seen = new ArrayList<>();
    ByCustomer.Sums record =
        new ByCustomer.Sums() {
          @Override
          public void start(UTF8String customer) {
            seen.add("start " + customer);
          }

          @Override
          public void add(int input, InternalRow row) {
            seen.add(input + ":" + row.getInt(1));
          }

          @Override
          public void finish(java.util.Deque<InternalRow> out) {
            seen.add("finish");
          }
        };
    List<Iterator<InternalRow>> inputs =
        List.of(
            idRows(new String[] {"A", "C"}, 1).iterator(),
            idRows(new String[] {null, "B", "C", "C", "D"}, 10).iterator());
    ByCustomer.rows(inputs, record, null).forEachRemaining(r -> {});
    assertThat(String.join(", ", seen))
        .isEqualTo(
            "start null, 1:10, finish, start A, 0:1, finish, start B, 1:11, finish,"
                + " start C, 0:2, 1:12, 1:13, finish, start D, 1:14, finish");
    // Rows out of order are an error, not a customer split between groups.
    Iterator<InternalRow> unsorted =
        ByCustomer.rows(List.of(idRows(new String[] {"B", "A"}, 1).iterator()), record, null);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> unsorted.forEachRemaining(r -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not sorted by customer");
  }

  @Test
  void idsOfBinaryRowsAreComparedAsTheirUtf8BytesWithNullsFirst() {
    // "A" before "AB" (a prefix), "z" before "é" (bytes compared unsigned), null first.
    List<String> seen = new ArrayList<>();
    ByCustomer.Sums record =
        new ByCustomer.Sums() {
          @Override
          public void start(UTF8String customer) {
            seen.add(String.valueOf(customer));
          }

          @Override
          public void add(int input, InternalRow row) {}

          @Override
          public void finish(java.util.Deque<InternalRow> out) {}
        };
    ByCustomer.rows(
            List.of(
                idRows(new String[] {null, "AB", "é"}, 1).iterator(),
                idRows(new String[] {"A", "z"}, 10).iterator()),
            record,
            null)
        .forEachRemaining(r -> {});
    assertThat(seen).containsExactly("null", "A", "AB", "z", "é");
  }

  /** Binary rows (customer id, number from `first` on), as the cached inputs come. */
  private static List<InternalRow> idRows(String[] ids, int first) {
    UnsafeProjection binary =
        UnsafeProjection.create(
            new StructType().add("id", DataTypes.StringType).add("n", DataTypes.IntegerType));
    List<InternalRow> rows = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      rows.add(
          binary
              .apply(
                  new GenericInternalRow(
                      new Object[] {
                        ids[i] == null ? null : UTF8String.fromString(ids[i]), first + i
                      }))
              .copy());
    }
    return rows;
  }

  @Test
  void releaseFreesTheRowsTheStageKept() {
    JavaSparkContext context =
        JavaSparkContext.fromSparkContext(SharedSpark.session().sparkContext());
    Set<Integer> before = new HashSet<>(context.getPersistentRDDs().keySet());
    LoyaltyStage.Result result = LoyaltyStage.run(inputs(), AS_OF, settings());
    assertThat(result.points().count()).isEqualTo(result.customers());
    Set<Integer> kept = new HashSet<>(context.getPersistentRDDs().keySet());
    kept.removeAll(before);
    // Only the assembled rows: the line pass's rows and the links were freed once read.
    assertThat(kept).hasSize(1);
    result.release().run();
    assertThat(context.getPersistentRDDs().keySet()).doesNotContainAnyElementsOf(kept);
  }

  @Test
  void aLegalTypeIsComparedTrimmedAndInLowerCaseAndAReferralCountsOnlyAPurchase() {
    LoyaltyStage.Inputs in = inputs();
    Dataset<Row> customers =
        Fixtures.rows(
            CUSTOMERS,
            List.of(
                RowFactory.create("W", " LEGAL ", "private", null, null),
                RowFactory.create("E", "natural", null, "W", null),
                RowFactory.create("R", "natural", null, null, "W"),
                // X only returned goods: no first purchase, so W earns no referral for it.
                RowFactory.create("X", "natural", null, null, "W")));
    Map<String, Row> c =
        byCustomer(
            LoyaltyStage.run(
                    new LoyaltyStage.Inputs(
                        in.usedInvoices(),
                        in.products(),
                        Optional.of(customers),
                        in.interactions(),
                        in.rfmScores(),
                        in.previous()),
                    AS_OF,
                    settings())
                .points());
    // As in everyRuleFamilyByHand: W a private company, E its employee, one referral for R.
    assertThat(families(c.get("W"))).isEqualTo("19.00 3.73 2.66 4.08 0.00 2.95 31.50 0.00 = 63.92");
    assertThat(families(c.get("E"))).isEqualTo("0.00 0.00 0.00 0.00 0.00 0.00 0.00 3.24 = 3.24");
  }

  @Test
  void anEmptyInteractionsTableScoresAsNone() {
    LoyaltyStage.Inputs none =
        new LoyaltyStage.Inputs(
            lines(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    LoyaltyStage.Inputs empty =
        new LoyaltyStage.Inputs(
            lines(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Fixtures.rows(EVENTS, List.of())),
            Optional.empty(),
            Optional.empty());
    assertThat(LoyaltyStage.run(empty, AS_OF, settings()).points().collectAsList())
        .containsExactlyInAnyOrderElementsOf(
            LoyaltyStage.run(none, AS_OF, settings()).points().collectAsList());
  }

  @Test
  void aLinesProductWeightIsMarginTimesCategoryTimesQualityInThatOrder() {
    LinePass.Rules rules =
        LinePass.Rules.of(
            AS_OF,
            settings("loyalty.weights.margin=[{from = 0.1, weight = 0.8}]"),
            Days.in(ZoneOffset.UTC));
    // Unit cost 50 at a price of 100: margin 0.5, weight 0.8; category 0.8, quality 0.9. The
    // product of doubles depends on the order: (0.8 x 0.8) x 0.9 = 0.5760000000000002, while
    // 0.8 x (0.8 x 0.9) = 0.5760000000000001.
    LinePass.Product product = new LinePass.Product(true, 50, false, 0, 0.8, 0.9, new String[0]);
    assertThat(product.weight(100, rules)).isEqualTo(0.5760000000000002);
    assertThat(product.weight(0, rules)).isEqualTo(0.8 * 0.9);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
