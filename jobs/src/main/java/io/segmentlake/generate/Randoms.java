package io.segmentlake.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import org.apache.spark.sql.Column;

/** Partitioning-independent random variates derived from hashes of row keys. */
final class Randoms {
  static final long DAY = 86_400L;
  static final long HOUR = 3_600L;

  private static final long PRIME = 1_000_000_007L;
  private static final int SECOND_DRAW = 1 << 20;
  private static final long SCRAMBLE_MUL = 7_368_791L;
  private static final long SCRAMBLE_ADD = 104_729L;

  private final long seed;

  Randoms(long seed) {
    this.seed = seed;
  }

  /** Uniform double in [0, 1) determined by (seed, salt, keys). */
  Column uniform(int salt, Column... keys) {
    Column[] parts = new Column[keys.length + 2];
    parts[0] = lit(seed);
    parts[1] = lit(salt);
    System.arraycopy(keys, 0, parts, 2, keys.length);
    return pmod(xxhash64(parts), lit(PRIME)).divide(lit((double) PRIME));
  }

  /** Standard normal variate (Box-Muller). */
  Column normal(int salt, Column... keys) {
    Column radius = sqrt(log(lit(1.0).minus(uniform(salt, keys))).multiply(-2.0));
    return radius.multiply(cos(uniform(salt + SECOND_DRAW, keys).multiply(2 * Math.PI)));
  }

  /** Exponential variate with the given mean. */
  Column exponential(double mean, int salt, Column... keys) {
    return log(lit(1.0).minus(uniform(salt, keys))).multiply(-mean);
  }

  /** Lognormal variate exp(mu + sigma * N(0,1)), with mu and sigma as columns. */
  Column lognormal(Column mu, Column sigma, int salt, Column... keys) {
    return exp(mu.plus(sigma.multiply(normal(salt, keys))));
  }

  /** Bernoulli draw: true with probability p. */
  Column chance(Column p, int salt, Column... keys) {
    return uniform(salt, keys).lt(p);
  }

  /** Uniform long in [from, from + count) (count is a column). */
  Column between(long from, Column count, int salt, Column... keys) {
    return floor(uniform(salt, keys).multiply(count)).plus(from);
  }

  /** Weighted categorical pick among values (weights need not sum to 1). */
  Column pick(Object[] values, double[] weights, int salt, Column... keys) {
    Column u = uniform(salt, keys).multiply(Arrays.stream(weights).sum());
    double cumulative = 0;
    Column result = null;
    for (int i = 0; i < values.length - 1; i++) {
      cumulative += weights[i];
      Column branch = u.lt(cumulative);
      result = result == null ? when(branch, values[i]) : result.when(branch, values[i]);
    }
    Object last = values[values.length - 1];
    return result == null ? lit(last) : result.otherwise(last);
  }

  /** The element of a constant table at a zero-based int index column. */
  static Column lookup(Object[] table, Column zeroBasedIndex) {
    Column[] literals = Arrays.stream(table).map(v -> lit(v)).toArray(Column[]::new);
    return element_at(array(literals), zeroBasedIndex.plus(1).cast("int"));
  }

  /** Bijective scramble of a non-negative key below 10^12 into [0, 10^12). */
  static Column scramble(Column key) {
    return pmod(key.multiply(SCRAMBLE_MUL).plus(SCRAMBLE_ADD), lit(1_000_000_000_000L));
  }
}
