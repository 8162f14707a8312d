package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Club tiers: ordered levels by minimum points, the name below them, and the downgrade grace. */
public record TierSettings(List<Level> levels, String none, int graceRuns)
    implements java.io.Serializable {

  /** A tier earned from {@code minPoints} points on. */
  public record Level(String name, double minPoints) implements java.io.Serializable {}

  /** Every tier name: the one below the levels, then the levels in order. */
  public List<String> names() {
    List<String> names = new ArrayList<>(List.of(none));
    levels.forEach(level -> names.add(level.name()));
    return names;
  }

  static TierSettings from(Config c, String path) {
    List<Level> levels =
        Item.list(c, path + ".levels", "name", "min-points").stream()
            .map(i -> new Level(i.string("name"), i.number("min-points", 0, 1e15)))
            .toList();
    String none = Keys.string(c, path + ".none");
    Set<String> names = new HashSet<>(Set.of(none));
    for (int i = 0; i < levels.size(); i++) {
      if (!names.add(levels.get(i).name())) {
        throw Keys.bad(path + ".levels[" + i + "].name", levels.get(i).name(), "a unique name");
      }
      if (i > 0 && levels.get(i).minPoints() <= levels.get(i - 1).minPoints()) {
        throw Keys.bad(
            path + ".levels[" + i + "].min-points",
            levels.get(i).minPoints(),
            "more than the tier before (" + levels.get(i - 1).minPoints() + ")");
      }
    }
    if (levels.isEmpty()) {
      throw Keys.bad(path + ".levels", "[]", "at least one tier");
    }
    return new TierSettings(levels, none, Keys.intIn(c, path + ".grace-runs", 0, 10_000));
  }
}
