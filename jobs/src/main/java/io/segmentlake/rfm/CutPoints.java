package io.segmentlake.rfm;

import java.util.List;

/**
 * Ascending cut points per measure, in the units the scored value is compared in. A value equal to
 * a cut point falls in the upper bin; bin b of n holds values in [cut[b-1], cut[b]).
 */
record CutPoints(
    List<Double> recency,
    List<Double> frequency,
    List<Double> monetary,
    String recencyUnit,
    String frequencyUnit,
    String monetaryUnit) {}
