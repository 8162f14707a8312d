package io.segmentlake.generate;

import static io.segmentlake.generate.LakeColumns.*;
import static io.segmentlake.generate.Randoms.DAY;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Customer master data plus the hidden per-customer behaviour parameters. */
final class CustomerGenerator {
  /** Customers are grouped in blocks of this size, each holding exactly two legal entities. */
  private static final int LEGAL_BLOCK = 25;

  /** Signup position exponent below 1: the business grows, so signups get denser over time. */
  private static final double GROWTH = 0.75;

  private static final long NEW_CUSTOMER_AGE = 90 * DAY;
  private static final double EMPLOYED_SHARE = 0.10;

  /** Invoice numbers reserve 11 bits per customer. */
  static final int MAX_INVOICES = 2047;

  private static final String[] LEGAL_KINDS = {"government", "private", "semi_private"};
  private static final String[] ACQUISITION = {
    "organic", "paid_search", "social", "referral", "store_walk_in", "partner", "email"
  };
  private static final double[] ACQUISITION_WEIGHTS = {0.30, 0.18, 0.14, 0.12, 0.16, 0.06, 0.04};

  private final LakeGenerator.Spec spec;
  private final Randoms rnd;
  private final int idWidth;
  private final int repWidth;
  private final long lapseGap;

  CustomerGenerator(LakeGenerator.Spec spec, Randoms rnd) {
    this.spec = spec;
    this.rnd = rnd;
    this.idWidth = Math.max(7, Long.toString(spec.customers()).length());
    this.repWidth = Math.max(4, Long.toString(spec.reps()).length());
    this.lapseGap = Math.min(365 * DAY, (long) (spec.spanSec() * 0.35));
  }

  /** One row per customer with the public columns and the internal behaviour parameters. */
  Dataset<Row> profiles(SparkSession spark) {
    Dataset<Row> base =
        spark
            .range(1, spec.customers() + 1, 1, spec.partitions())
            .toDF(CID)
            .withColumn(SIGNUP_SEC, signupSec(col(CID)))
            .withColumn(LEGAL, when(isLegal(col(CID)), 1).otherwise(0));
    return behaviour(demographics(base));
  }

  /** The public customers table. */
  static Dataset<Row> customers(Dataset<Row> profiles) {
    return profiles.select(
        CUSTOMER_ID,
        CUSTOMER_TYPE,
        LEGAL_KIND,
        EMPLOYER_ID,
        GENDER,
        BIRTH_DATE,
        CITY,
        REGION,
        COUNTRY,
        ACQUISITION_CHANNEL,
        REFERRED_BY,
        SIGNUP_TS,
        SALES_REP_ID,
        ARCHETYPE);
  }

  /** Public customer id ("C" + zero-padded key) for a numeric key column. */
  Column customerId(Column cid) {
    return concat(lit("C"), lpad(cid.cast("string"), idWidth, "0"));
  }

  /** Public sales rep id ("R" + zero-padded number) for a key column in [1, reps]. */
  Column repId(Column repKey) {
    return concat(lit("R"), lpad(repKey.cast("string"), repWidth, "0"));
  }

  /** A uniformly chosen sales rep number in [1, reps] for the given keys. */
  Column randomRep(int salt, Column... keys) {
    return rnd.between(1, lit(spec.reps()), salt, keys);
  }

  /** Signup time (epoch seconds) of a customer key; increases with the key. */
  Column signupSec(Column cid) {
    Column position = cid.minus(1).plus(rnd.uniform(101, cid)).divide(spec.customers());
    Column offset = floor(pow(position, GROWTH).multiply((double) (spec.spanSec() - DAY)));
    return offset.plus(spec.startSec());
  }

  /** Whether a customer key belongs to a legal entity (exactly 2 per block of 25 keys). */
  Column isLegal(Column cid) {
    Column block = floor(cid.minus(1).divide(LEGAL_BLOCK));
    Column offset = pmod(cid.minus(1), lit((long) LEGAL_BLOCK));
    return offset.equalTo(legalOffset(block, 0)).or(offset.equalTo(legalOffset(block, 1)));
  }

  private Column legalOffset(Column block, int which) {
    Column first = rnd.between(0, lit(LEGAL_BLOCK), 102, block);
    if (which == 0) {
      return first;
    }
    Column gap = rnd.between(1, lit(LEGAL_BLOCK - 1), 103, block);
    return pmod(first.plus(gap), lit((long) LEGAL_BLOCK));
  }

  private Dataset<Row> demographics(Dataset<Row> base) {
    Column cid = col(CID);
    Column legal = col(LEGAL).equalTo(1);
    Column natural = col(LEGAL).equalTo(0);
    Column ageYears =
        greatest(lit(18.0), least(lit(88.0), rnd.normal(104, cid).multiply(14).plus(41)));
    Column birthDay = floor(col(SIGNUP_SEC).divide(DAY).minus(ageYears.multiply(365.25)));
    Column location = floor(pow(rnd.uniform(105, cid), 1.6).multiply(Locations.CITIES.length));
    return base.withColumn(CUSTOMER_ID, customerId(cid))
        .withColumn(CUSTOMER_TYPE, when(legal, "legal").otherwise("natural"))
        .withColumn(
            LEGAL_KIND, when(legal, rnd.pick(LEGAL_KINDS, new double[] {.15, .65, .2}, 106, cid)))
        .withColumn(EMPLOYER_ID, when(natural, employer(cid)))
        .withColumn(
            GENDER,
            when(natural, rnd.pick(new String[] {"f", "m"}, new double[] {.52, .48}, 107, cid)))
        .withColumn(BIRTH_DATE, when(natural, date_from_unix_date(birthDay.cast("int"))))
        .withColumn(CITY, Randoms.lookup(Locations.CITIES, location))
        .withColumn(REGION, Randoms.lookup(Locations.REGIONS, location))
        .withColumn(COUNTRY, Randoms.lookup(Locations.COUNTRIES, location))
        .withColumn(ACQUISITION_CHANNEL, acquisition(cid))
        .withColumn(
            REFERRER,
            when(
                col(ACQUISITION_CHANNEL).equalTo("referral"),
                rnd.between(1, cid.minus(1), 109, cid)))
        .withColumn(REFERRED_BY, customerId(col(REFERRER)))
        .withColumn(SIGNUP_TS, timestamp_seconds(col(SIGNUP_SEC)))
        .withColumn(SALES_REP_ID, repId(randomRep(110, cid)));
  }

  private Column acquisition(Column cid) {
    Column drawn = rnd.pick(ACQUISITION, ACQUISITION_WEIGHTS, 108, cid);
    return when(drawn.equalTo("referral").and(cid.equalTo(1)), "organic").otherwise(drawn);
  }

  private Column employer(Column cid) {
    long fullBlocks = spec.customers() / LEGAL_BLOCK;
    if (fullBlocks == 0) {
      return lit(null).cast("string");
    }
    Column block = rnd.between(0, lit(fullBlocks), 111, cid);
    Column offset =
        when(rnd.chance(lit(0.5), 112, cid), legalOffset(block, 0))
            .otherwise(legalOffset(block, 1));
    Column employerKey = block.multiply(LEGAL_BLOCK).plus(offset).plus(1);
    return when(rnd.chance(lit(EMPLOYED_SHARE), 113, cid), customerId(employerKey));
  }

  private Dataset<Row> behaviour(Dataset<Row> customers) {
    Column cid = col(CID);
    Column arch = col(ARCH);
    Column age = lit(spec.endSec()).minus(col(SIGNUP_SEC));
    Column jitter =
        Archetype.param(a -> a.jitter, arch)
            .multiply(rnd.uniform(123, cid).multiply(0.8).plus(0.6));
    Column web = Archetype.param(a -> a.webShare, arch).plus(rnd.normal(124, cid).multiply(0.22));
    Column webShare = greatest(lit(0.02), least(lit(0.95), web));
    Column spendLevel =
        Archetype.param(a -> a.quantityMu, arch).plus(rnd.normal(125, cid).multiply(0.45));
    Column lapsedActivity = least(lit(spec.endSec()), col(WIN_END).plus(120 * DAY));
    return customers
        .withColumn(ARCH, archetype(cid, age))
        .withColumn(ARCHETYPE, Archetype.label(arch))
        .withColumn(WIN_START, col(SIGNUP_SEC).plus(300))
        .withColumn(WIN_END, windowEnd(cid, arch, age).cast("long"))
        .withColumn(N_INVOICES, invoiceCount(cid, arch).cast("int"))
        .withColumn(
            ACTIVE_END, when(Archetype.LAPSED.is(arch), lapsedActivity).otherwise(spec.endSec()))
        .withColumn(JITTER, least(lit(0.5), jitter))
        .withColumn(
            WEB_SHARE, when(col(LEGAL).equalTo(1), webShare.multiply(0.5)).otherwise(webShare))
        .withColumn(SPEND_LEVEL, spendLevel);
  }

  private Column archetype(Column cid, Column age) {
    Archetype[] drawable = {
      Archetype.CHAMPIONS,
      Archetype.LOYAL_REGULARS,
      Archetype.BIG_SPENDERS_RARE,
      Archetype.ONE_TIMERS,
      Archetype.LAPSED
    };
    Object[] ordinals = new Object[drawable.length];
    double[] weights = new double[drawable.length];
    for (int i = 0; i < drawable.length; i++) {
      ordinals[i] = drawable[i].ordinal();
      weights[i] = drawable[i].weight;
    }
    Column drawn = rnd.pick(ordinals, weights, 120, cid);
    Column tooYoungToLapse = Archetype.LAPSED.is(drawn).and(age.lt(lapseGap + NEW_CUSTOMER_AGE));
    return when(age.lt(NEW_CUSTOMER_AGE), Archetype.NEW_CUSTOMERS.ordinal())
        .when(tooYoungToLapse, Archetype.ONE_TIMERS.ordinal())
        .otherwise(drawn);
  }

  private Column windowEnd(Column cid, Column arch, Column age) {
    Column start = col(WIN_START);
    Column activeSpan = age.minus(lapseGap + 60 * DAY + 300).multiply(rnd.uniform(121, cid));
    return when(Archetype.LAPSED.is(arch), start.plus(60 * DAY).plus(activeSpan))
        .when(Archetype.ONE_TIMERS.is(arch), least(start.plus(2 * DAY), lit(spec.endSec())))
        .otherwise(spec.endSec());
  }

  private Column invoiceCount(Column cid, Column arch) {
    Column interval =
        Archetype.param(a -> a.intervalDays, arch)
            .multiply(DAY)
            .multiply(
                exp(Archetype.param(a -> a.intervalSigma, arch).multiply(rnd.normal(122, cid))));
    Column byInterval =
        floor(col(WIN_END).minus(col(WIN_START)).divide(greatest(interval, lit(1.0))));
    Column minimum = when(Archetype.LAPSED.is(arch), 3).otherwise(1);
    return when(
            Archetype.BIG_SPENDERS_RARE.is(arch),
            least(lit(6), floor(rnd.exponential(1.25, 126, cid)).plus(1)))
        .when(Archetype.ONE_TIMERS.is(arch), 1)
        .when(
            Archetype.NEW_CUSTOMERS.is(arch), when(rnd.chance(lit(0.35), 127, cid), 2).otherwise(1))
        .otherwise(least(lit(MAX_INVOICES), greatest(minimum, byInterval)));
  }
}
