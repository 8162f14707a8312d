package io.segmentlake.generate;

import static io.segmentlake.generate.LakeColumns.CATEGORY;
import static io.segmentlake.generate.LakeColumns.FLAGS;
import static io.segmentlake.generate.LakeColumns.LIST_PRICE;
import static io.segmentlake.generate.LakeColumns.PID;
import static io.segmentlake.generate.LakeColumns.PRODUCT_ID;
import static io.segmentlake.generate.LakeColumns.QUALITY_LEVEL;
import static io.segmentlake.generate.LakeColumns.UNIT_COST;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import java.util.stream.IntStream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** Product catalogue: categories with their own price levels and margins. */
final class ProductGenerator {
  /** Money columns are decimal(12,2). */
  static final DataType MONEY = DataTypes.createDecimalType(12, 2);

  private static final String[] CATEGORIES = {
    "electronics",
    "home_kitchen",
    "garden",
    "books",
    "fashion",
    "beauty",
    "toys",
    "sports",
    "grocery",
    "office"
  };
  private static final double[] CATEGORY_WEIGHTS = {
    0.12, 0.14, 0.09, 0.12, 0.14, 0.09, 0.08, 0.08, 0.09, 0.05
  };
  private static final Double[] BASE_PRICES = {
    120.0, 40.0, 35.0, 14.0, 38.0, 20.0, 25.0, 50.0, 5.0, 12.0
  };
  private static final Double[] MARGINS = {
    0.18, 0.38, 0.42, 0.30, 0.55, 0.60, 0.45, 0.40, 0.22, 0.35
  };
  private static final double LOSS_LEADER_SHARE = 0.03;
  private static final double SPECIAL_SHARE = 0.025;

  /** Popularity skew: the top 10 % of product keys get about 40 % of the picks. */
  private static final double POPULARITY_SKEW = 2.5;

  private final LakeGenerator.Spec spec;
  private final Randoms rnd;
  private final int idWidth;

  ProductGenerator(LakeGenerator.Spec spec, Randoms rnd) {
    this.spec = spec;
    this.rnd = rnd;
    this.idWidth = Math.max(5, Long.toString(spec.products()).length());
  }

  /** The public products table. */
  Dataset<Row> products(SparkSession spark) {
    Column pid = col(PID);
    return spark
        .range(1, spec.products() + 1)
        .toDF(PID)
        .select(
            productId(pid).as(PRODUCT_ID),
            Randoms.lookup(CATEGORIES, category(pid)).as(CATEGORY),
            unitCost(pid).cast(MONEY).as(UNIT_COST),
            listPrice(pid).cast(MONEY).as(LIST_PRICE),
            quality(pid).as(QUALITY_LEVEL),
            flags(pid).as(FLAGS));
  }

  /** Public product id ("P" + zero-padded key). */
  Column productId(Column pid) {
    return concat(lit("P"), lpad(pid.cast("string"), idWidth, "0"));
  }

  /** A product key drawn by popularity (low keys are the best sellers). */
  Column popularPick(int salt, Column... keys) {
    Column skewed = pow(rnd.uniform(salt, keys), POPULARITY_SKEW).multiply(spec.products());
    return least(lit(spec.products()), floor(skewed).plus(1));
  }

  /** List price (two decimals, mostly ending in .99) of a product key. */
  Column listPrice(Column pid) {
    Column qualityBoost = quality(pid).minus(3).multiply(0.2);
    Column raw =
        Randoms.lookup(BASE_PRICES, category(pid))
            .multiply(exp(qualityBoost.plus(rnd.normal(203, pid).multiply(0.6))));
    Column charm = when(raw.geq(5), ceil(raw).minus(0.01)).otherwise(round(raw, 2));
    return greatest(lit(0.49), charm);
  }

  private Column category(Column pid) {
    Object[] ordinals = IntStream.range(0, CATEGORIES.length).boxed().toArray();
    return rnd.pick(ordinals, CATEGORY_WEIGHTS, 201, pid);
  }

  private Column quality(Column pid) {
    return rnd.pick(new Object[] {1, 2, 3, 4, 5}, new double[] {.08, .2, .37, .25, .1}, 202, pid);
  }

  private Column margin(Column pid) {
    Column regular = categoryMargin(pid).plus(rnd.normal(206, pid).multiply(0.07));
    return when(rnd.chance(lit(LOSS_LEADER_SHARE), 204, pid), rnd.uniform(205, pid).multiply(-0.08))
        .otherwise(least(lit(0.85), regular));
  }

  private Column categoryMargin(Column pid) {
    return Randoms.lookup(MARGINS, category(pid));
  }

  private Column unitCost(Column pid) {
    Column cost = listPrice(pid).multiply(lit(1.0).minus(margin(pid)));
    return greatest(lit(0.01), round(cost, 2));
  }

  private Column flags(Column pid) {
    Column highMargin = margin(pid).gt(categoryMargin(pid).plus(0.1));
    Column special = rnd.chance(lit(SPECIAL_SHARE), 207, pid);
    return array_compact(array(when(highMargin, "high_margin"), when(special, "special")));
  }
}
