package io.segmentlake.generate;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.Column;

/** Behaviour archetypes that drive how often, when, how much and where a customer buys. */
enum Archetype {
  CHAMPIONS("champions", 0.09, 9, 0.45, 0.45, 0.45, 0.04, 0.35, 0.70, 1.0, 0.15),
  LOYAL_REGULARS("loyal_regulars", 0.24, 30, 0.20, 0.10, 0.35, 0.03, 0.10, 0.50, 0.5, 0.04),
  BIG_SPENDERS_RARE("big_spenders_rare", 0.07, 0, 0, 0.50, 0.25, 0.05, 1.10, 0.30, 0.25, 0.15),
  ONE_TIMERS("one_timers", 0.30, 0, 0, 0.50, 0.40, 0.03, 0.0, 0.08, 0.2, 0.10),
  LAPSED("lapsed", 0.30, 18, 0.50, 0.45, 0.40, 0.06, 0.10, 0.25, 0.4, 0.15),
  NEW_CUSTOMERS("new_customers", 0, 0, 0, 0.50, 0.55, 0.04, 0.0, 0.20, 0.6, 0.15);

  final String label;

  /** Share among customers older than three months (new customers are chosen by age). */
  final double weight;

  /** Median days between purchases; 0 when the invoice count is drawn directly. */
  final double intervalDays;

  final double intervalSigma;

  /** Purchase-time jitter in slots: 0 is clockwork, 0.5 is irregular. */
  final double jitter;

  final double webShare;
  final double returnRate;

  /** Log-scale offset of line quantities. */
  final double quantityMu;

  final double clubShare;
  final double loginsPerWeek;

  /** Probability that a purchase is moved into the Nov-Dec holiday season. */
  final double holidayShare;

  Archetype(
      String label,
      double weight,
      double intervalDays,
      double intervalSigma,
      double jitter,
      double webShare,
      double returnRate,
      double quantityMu,
      double clubShare,
      double loginsPerWeek,
      double holidayShare) {
    this.label = label;
    this.weight = weight;
    this.intervalDays = intervalDays;
    this.intervalSigma = intervalSigma;
    this.jitter = jitter;
    this.webShare = webShare;
    this.returnRate = returnRate;
    this.quantityMu = quantityMu;
    this.clubShare = clubShare;
    this.loginsPerWeek = loginsPerWeek;
    this.holidayShare = holidayShare;
  }

  /** Column holding the given parameter of the archetype whose ordinal is in {@code ordinal}. */
  static Column param(ToDoubleFunction<Archetype> parameter, Column ordinal) {
    Object[] table = Arrays.stream(values()).map(a -> parameter.applyAsDouble(a)).toArray();
    return Randoms.lookup(table, ordinal);
  }

  /** Column holding the label of the archetype whose ordinal is in {@code ordinal}. */
  static Column label(Column ordinal) {
    return Randoms.lookup(Arrays.stream(values()).map(a -> a.label).toArray(), ordinal);
  }

  /** Whether the ordinal column equals this archetype. */
  Column is(Column ordinal) {
    return ordinal.equalTo(ordinal());
  }
}
