package io.segmentlake.generate;

import static io.segmentlake.generate.LakeColumns.*;
import static io.segmentlake.generate.Randoms.DAY;
import static io.segmentlake.generate.Randoms.HOUR;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Club activity (logins, news reads, comments), web visits and referral events. */
final class InteractionGenerator {
  private static final int CLUB = 0;
  private static final int VISIT = 1;
  private static final int REFERRAL = 2;
  private static final long SEQ_SLOTS = 1L << 20;
  private static final long SUB_SLOTS = 16;
  private static final int MAX_SESSIONS = 20_000;
  private static final int MAX_VISITS = 3_000;

  private final LakeGenerator.Spec spec;
  private final Randoms rnd;
  private final CustomerGenerator customers;
  private final int idWidth;

  InteractionGenerator(LakeGenerator.Spec spec, Randoms rnd, CustomerGenerator customers) {
    this.spec = spec;
    this.rnd = rnd;
    this.customers = customers;
    long maxKey = (spec.customers() + 1) * 4 * SEQ_SLOTS * SUB_SLOTS;
    this.idWidth = Long.toString(maxKey).length();
  }

  /** The public interactions table. */
  Dataset<Row> interactions(Dataset<Row> profiles) {
    return clubEvents(profiles)
        .unionByName(webVisits(profiles))
        .unionByName(referrals(profiles))
        .filter(col(TS_SEC).lt(spec.endSec()))
        .select(
            col(CUSTOMER_ID),
            timestamp_seconds(col(TS_SEC)).as(EVENT_TS),
            col(EVENT_TYPE),
            col(EVENT_ID));
  }

  private Column eventId(Column cid, int group, Column seq, Column sub) {
    Column key =
        cid.multiply(4).plus(group).multiply(SEQ_SLOTS).plus(seq).multiply(SUB_SLOTS).plus(sub);
    return concat(lit("E"), lpad(key.cast("string"), idWidth, "0"));
  }

  private Column eveningClock(Column day, int salt, Column... keys) {
    Column hours = pmod(rnd.normal(salt, keys).multiply(3.5).plus(19.5), lit(24.0));
    return floor(day.divide(DAY)).multiply(DAY).plus(floor(hours.multiply(HOUR)));
  }

  private Dataset<Row> clubEvents(Dataset<Row> profiles) {
    Column cid = col(CID);
    Column clubStart = col(SIGNUP_SEC).plus(floor(rnd.exponential(15 * DAY, 401, cid)));
    Column member =
        rnd.chance(Archetype.param(a -> a.clubShare, col(ARCH)), 400, cid)
            .and(clubStart.lt(col(ACTIVE_END).minus(DAY)));
    Column weeks = col(ACTIVE_END).minus(clubStart).divide(7.0 * DAY);
    Column rate =
        Archetype.param(a -> a.loginsPerWeek, col(ARCH))
            .multiply(rnd.lognormal(lit(0.0), lit(0.7), 402, cid));
    Column sessions =
        least(lit(MAX_SESSIONS), greatest(lit(1), round(weeks.multiply(rate)).cast("int")));
    Dataset<Row> members =
        profiles
            .filter(member)
            .select(
                col(CID),
                col(CUSTOMER_ID),
                clubStart.as(CLUB_START),
                col(ACTIVE_END),
                sessions.as(N_SESSIONS));
    return sessionEvents(members.withColumn(SEQ, explode(sequence(lit(1), col(N_SESSIONS)))));
  }

  private Dataset<Row> sessionEvents(Dataset<Row> sessions) {
    Column cid = col(CID);
    Column seq = col(SEQ);
    Column slot = seq.minus(1).plus(rnd.uniform(403, cid, seq));
    Column start = col(CLUB_START);
    Column day = start.plus(col(ACTIVE_END).minus(start).multiply(slot).divide(col(N_SESSIONS)));
    Column extraLogins =
        when(
                rnd.chance(lit(0.2), 404, cid, seq),
                floor(rnd.exponential(0.8, 405, cid, seq)).plus(1))
            .otherwise(0);
    Column reads =
        when(rnd.chance(lit(0.45), 406, cid, seq), rnd.between(1, lit(2), 407, cid, seq))
            .otherwise(0);
    Column comments = when(rnd.chance(lit(0.06), 408, cid, seq), 1).otherwise(0);
    Column sub = col(SUB);
    Column gap = rnd.uniform(409, cid, seq).multiply(3 * HOUR).plus(600);
    Column offset = sub.minus(1).multiply(gap).plus(rnd.uniform(410, cid, seq, sub).multiply(600));
    return sessions
        .withColumn(TS_SEC, eveningClock(day, 411, cid, seq))
        .withColumn(N_LOGINS, least(lit(4L), extraLogins.plus(1)).cast("int"))
        .withColumn(N_READS, reads.cast("int"))
        .withColumn(SUB, explode(sequence(lit(1), col(N_LOGINS).plus(col(N_READS)).plus(comments))))
        .select(
            col(CUSTOMER_ID),
            col(TS_SEC).plus(floor(offset)).as(TS_SEC),
            clubEventType(sub).as(EVENT_TYPE),
            eventId(cid, CLUB, seq, sub).as(EVENT_ID));
  }

  private static Column clubEventType(Column sub) {
    return when(sub.leq(col(N_LOGINS)), "club_login")
        .when(sub.leq(col(N_LOGINS).plus(col(N_READS))), "news_read")
        .otherwise("comment");
  }

  private Dataset<Row> webVisits(Dataset<Row> profiles) {
    Column cid = col(CID);
    Column seq = col(SEQ);
    Column expected =
        col(N_INVOICES)
            .multiply(col(WEB_SHARE))
            .multiply(3)
            .multiply(rnd.lognormal(lit(0.0), lit(0.5), 420, cid));
    Column browsing = when(rnd.chance(lit(0.5), 421, cid), 1).otherwise(0);
    Column visits = least(lit(MAX_VISITS), round(expected).cast("int").plus(browsing));
    Column start = col(WIN_START);
    Column day = start.plus(col(WIN_END).minus(start).multiply(rnd.uniform(422, cid, seq)));
    return profiles
        .withColumn(N_SESSIONS, visits)
        .filter(col(N_SESSIONS).gt(0))
        .withColumn(SEQ, explode(sequence(lit(1), col(N_SESSIONS))))
        .select(
            col(CUSTOMER_ID),
            greatest(col(SIGNUP_SEC), eveningClock(day, 423, cid, seq)).as(TS_SEC),
            lit("web_visit").as(EVENT_TYPE),
            eventId(cid, VISIT, seq, lit(0)).as(EVENT_ID));
  }

  private Dataset<Row> referrals(Dataset<Row> profiles) {
    Column cid = col(CID);
    Column referrer = col(REFERRER);
    Column beforeSignup =
        col(SIGNUP_SEC).minus(60).minus(floor(rnd.exponential(2 * DAY, 430, cid)));
    return profiles
        .filter(referrer.isNotNull())
        .select(
            customers.customerId(referrer).as(CUSTOMER_ID),
            greatest(customers.signupSec(referrer).plus(60), beforeSignup).as(TS_SEC),
            lit("referral").as(EVENT_TYPE),
            eventId(cid, REFERRAL, lit(0), lit(0)).as(EVENT_ID));
  }
}
