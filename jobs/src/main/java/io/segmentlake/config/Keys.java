package io.segmentlake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.segmentlake.JobFailure;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, eager reads of configuration keys that fail with the key, the value and what was expected.
 */
final class Keys {
  private Keys() {}

  static String string(Config c, String path) {
    requireSet(c, path);
    return wrap(path, () -> c.getString(path));
  }

  static Optional<String> optionalString(Config c, String path) {
    return c.getIsNull(path) ? Optional.empty() : Optional.of(string(c, path));
  }

  static boolean bool(Config c, String path) {
    requireSet(c, path);
    return wrap(path, () -> c.getBoolean(path));
  }

  static int intIn(Config c, String path, int min, int max) {
    requireSet(c, path);
    int value = wrap(path, () -> c.getInt(path));
    if (value < min || value > max) {
      throw bad(path, value, "an integer from " + min + " to " + max);
    }
    return value;
  }

  static long longIn(Config c, String path, long min, long max) {
    requireSet(c, path);
    long value = wrap(path, () -> c.getLong(path));
    if (value < min || value > max) {
      throw bad(path, value, "an integer from " + min + " to " + max);
    }
    return value;
  }

  static double doubleIn(Config c, String path, double minExclusive, double max) {
    requireSet(c, path);
    double value = wrap(path, () -> c.getDouble(path));
    if (!(value > minExclusive && value <= max)) {
      throw bad(path, value, "a number above " + minExclusive + " and at most " + max);
    }
    return value;
  }

  static double doubleBetween(Config c, String path, double min, double max) {
    requireSet(c, path);
    double value = wrap(path, () -> c.getDouble(path));
    if (!(value >= min && value <= max)) {
      throw bad(path, value, "a number from " + min + " to " + max);
    }
    return value;
  }

  static <E extends Enum<E>> E oneOf(Config c, String path, Class<E> type) {
    return oneOf(path, string(c, path), type);
  }

  /** The constant named by a value read at path (kebab-case, any case). */
  static <E extends Enum<E>> E oneOf(String path, String value, Class<E> type) {
    String constant = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    return Arrays.stream(type.getEnumConstants())
        .filter(e -> e.name().equals(constant))
        .findFirst()
        .orElseThrow(() -> bad(path, value, "one of " + names(type)));
  }

  static Optional<List<Double>> optionalNumbers(Config c, String path) {
    return c.getIsNull(path)
        ? Optional.empty()
        : Optional.of(wrap(path, () -> c.getDoubleList(path)));
  }

  static List<Integer> ints(Config c, String path) {
    requireSet(c, path);
    return wrap(path, () -> c.getIntList(path));
  }

  static List<String> strings(Config c, String path) {
    requireSet(c, path);
    return wrap(path, () -> c.getStringList(path));
  }

  /** A free-form map of strings, e.g. column mappings or Spark settings (keys unquoted). */
  static Map<String, String> stringMap(Config c, String path) {
    Map<String, String> map = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigValue> e : wrap(path, () -> c.getObject(path)).entrySet()) {
      Object value = e.getValue().unwrapped();
      if (value == null || value instanceof Map || value instanceof List) {
        throw bad(path + "." + e.getKey(), value, "a string");
      }
      map.put(e.getKey(), value.toString());
    }
    return map;
  }

  static JobFailure bad(String path, Object value, String expected) {
    return JobFailure.usage(
        "configuration key '" + path + "' = " + value + ": expected " + expected);
  }

  private static void requireSet(Config c, String path) {
    if (c.getIsNull(path)) {
      throw JobFailure.usage("configuration key '" + path + "' must be set (it has no default)");
    }
  }

  private static <T> T wrap(String path, java.util.function.Supplier<T> read) {
    try {
      return read.get();
    } catch (ConfigException.WrongType e) {
      throw JobFailure.usage("configuration key '" + path + "': " + e.getMessage());
    }
  }

  private static <E extends Enum<E>> String names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .toList()
        .toString();
  }
}
