package io.segmentlake;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;

/**
 * Calendar days of timestamps in the session time zone, as days since 1970-01-01, computed in Java
 * from a timestamp as Spark holds it (microseconds since the epoch): the value of {@code
 * unix_date(to_date(ts))}, for code that reads Spark's internal rows. Serializable, for the
 * executors.
 */
public final class Days implements Serializable {
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private final ZoneId zone;
  // The zone's offset in microseconds when it is fixed (UTC, the default), else null.
  private final Long fixedOffset;

  private Days(ZoneId zone) {
    this.zone = zone;
    ZoneRules rules = zone.getRules();
    this.fixedOffset =
        rules.isFixedOffset()
            ? rules.getOffset(Instant.EPOCH).getTotalSeconds() * 1_000_000L
            : null;
  }

  /** Days in the session's time zone (spark.sql.session.timeZone, as Spark reads it). */
  public static Days of(SparkSession spark) {
    return in(DateTimeUtils.getZoneId(spark.conf().get("spark.sql.session.timeZone")));
  }

  /** Days in the time zone. */
  public static Days in(ZoneId zone) {
    return new Days(zone);
  }

  /**
   * The day number of the timestamp's local date. In a zone with a fixed offset it is plain
   * arithmetic on the microseconds; in others, Spark's own conversion.
   */
  public int day(long micros) {
    return fixedOffset == null
        ? DateTimeUtils.microsToDays(micros, zone)
        : (int) Math.floorDiv(micros + fixedOffset, MICROS_PER_DAY);
  }
}
