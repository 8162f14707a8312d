package io.segmentlake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One named-segment rule: inclusive R/F/M score ranges, or a set of RFM cells such as "545". A
 * missing range matches every score.
 */
public record SegmentRule(String name, int[] r, int[] f, int[] m, Set<String> cells) {

  /** Whether the rule is given as a list of cells rather than score ranges. */
  public boolean isByCells() {
    return !cells.isEmpty();
  }

  /** Reads the ordered rule list, checking ranges against the number of bins. */
  static List<SegmentRule> listFrom(Config c, String path, int bins) {
    List<SegmentRule> rules = new ArrayList<>();
    List<? extends Config> entries;
    try {
      entries = c.getConfigList(path);
    } catch (ConfigException e) {
      throw Keys.bad(path, "(not a list of rules)", "a list of {name, r, f, m} or {name, cells}");
    }
    for (int i = 0; i < entries.size(); i++) {
      rules.add(from(entries.get(i), path + "[" + i + "]", bins));
    }
    return List.copyOf(rules);
  }

  private static SegmentRule from(Config rule, String where, int bins) {
    if (!rule.hasPath("name")) {
      throw Keys.bad(where, rule.root().render(), "a rule with a name");
    }
    Set<String> cells = rule.hasPath("cells") ? Set.copyOf(rule.getStringList("cells")) : Set.of();
    for (String cell : cells) {
      if (!cell.matches("[1-" + bins + "]{3}")) {
        throw Keys.bad(
            where + ".cells",
            cell,
            "three digits from 1 to "
                + bins
                + " (set segmentlake.rfm.segments for "
                + bins
                + " bins)");
      }
    }
    boolean hasRanges = rule.hasPath("r") || rule.hasPath("f") || rule.hasPath("m");
    if (cells.isEmpty() == !hasRanges) {
      throw Keys.bad(where, rule.root().render(), "either score ranges (r, f, m) or cells");
    }
    return new SegmentRule(
        rule.getString("name"),
        range(rule, "r", where, bins),
        range(rule, "f", where, bins),
        range(rule, "m", where, bins),
        cells);
  }

  private static int[] range(Config rule, String key, String where, int bins) {
    if (!rule.hasPath(key)) {
      return new int[] {1, bins};
    }
    List<Integer> range = rule.getIntList(key);
    if (range.size() != 2
        || range.get(0) < 1
        || range.get(1) > bins
        || range.get(0) > range.get(1)) {
      throw Keys.bad(
          where + "." + key,
          range,
          "[lo, hi] with 1 <= lo <= hi <= "
              + bins
              + " (set segmentlake.rfm.segments for "
              + bins
              + " bins)");
    }
    return new int[] {range.get(0), range.get(1)};
  }
}
