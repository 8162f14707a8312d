package io.segmentlake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.segmentlake.JobFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One object of a configured list (a tier, a band, an interaction rule), read with its position in
 * error messages, e.g. {@code segmentlake.loyalty.tiers.levels[1].min-points}. Unknown fields are
 * rejected, as unknown keys are elsewhere.
 */
record Item(Config c, String where) {

  /** The objects of the list at path, each checked to hold only the given fields. */
  static List<Item> list(Config c, String path, String... fields) {
    List<? extends Config> entries;
    try {
      entries = c.getConfigList(path);
    } catch (ConfigException e) {
      throw Keys.bad(
          path, "(not a list of objects)", "a list of {" + String.join(", ", fields) + "}");
    }
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Item item = new Item(entries.get(i), path + "[" + i + "]");
      Set<String> unknown = new TreeSet<>(item.c.root().keySet());
      unknown.removeAll(Set.of(fields));
      if (!unknown.isEmpty()) {
        throw JobFailure.usage(
            "unknown field(s) "
                + unknown
                + " in '"
                + item.where
                + "'; expected "
                + List.of(fields));
      }
      items.add(item);
    }
    return List.copyOf(items);
  }

  String string(String key) {
    require(key);
    return read(key, () -> c.getString(key));
  }

  double number(String key, double min, double max) {
    require(key);
    double value = read(key, () -> c.getDouble(key));
    if (!(value >= min && value <= max)) {
      throw Keys.bad(where + "." + key, value, "a number from " + min + " to " + max);
    }
    return value;
  }

  Optional<Double> optionalNumber(String key, double min, double max) {
    return c.hasPath(key) ? Optional.of(number(key, min, max)) : Optional.empty();
  }

  int integer(String key, int min, int max) {
    require(key);
    int value = read(key, () -> c.getInt(key));
    if (value < min || value > max) {
      throw Keys.bad(where + "." + key, value, "an integer from " + min + " to " + max);
    }
    return value;
  }

  boolean bool(String key) {
    require(key);
    return read(key, () -> c.getBoolean(key));
  }

  List<String> strings(String key) {
    return c.hasPath(key) ? read(key, () -> List.copyOf(c.getStringList(key))) : List.of();
  }

  private void require(String key) {
    if (!c.hasPath(key)) {
      throw Keys.bad(where, c.root().render(), "an object with '" + key + "'");
    }
  }

  private <T> T read(String key, java.util.function.Supplier<T> value) {
    try {
      return value.get();
    } catch (ConfigException.WrongType e) {
      throw Keys.bad(where + "." + key, c.getValue(key).render(), e.getMessage());
    }
  }
}
