package io.segmentlake.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import io.segmentlake.JobFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Loads the layered HOCON configuration: reference.conf, then --config FILE, then --set keys. */
public final class ConfigLoader {
  private static final String ROOT = "segmentlake";

  /**
   * Keys under these parents are free-form maps (Spark settings, column mappings, reader options).
   */
  private static final List<String> OPEN_MAPS =
      List.of(
          ".spark.conf.",
          ".columns.",
          ".options.",
          ".weights.category.",
          ".weights.quality-level.",
          ".customer-type.legal-kind.");

  private ConfigLoader() {}

  /**
   * Loads and resolves the configuration, rejecting a missing file, bad syntax and unknown keys.
   */
  public static Config load(Optional<Path> file, List<String> sets) {
    try {
      Config reference =
          ConfigFactory.parseResources(
              ConfigLoader.class.getClassLoader(),
              "reference.conf",
              ConfigParseOptions.defaults().setAllowMissing(false));
      Config user = ConfigFactory.empty();
      if (file.isPresent()) {
        user = parseFile(file.get());
      }
      for (String set : sets) {
        user = parseSet(set).withFallback(user);
      }
      rejectUnknownKeys(user, reference);
      return user.withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw JobFailure.usage("configuration error: " + e.getMessage());
    }
  }

  private static Config parseFile(Path file) {
    if (!Files.isRegularFile(file)) {
      throw JobFailure.usage("configuration file not found: " + file.toAbsolutePath());
    }
    return ConfigFactory.parseFile(
        file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
  }

  /** Parses one --set key=value; the value is HOCON (lists, numbers) or else a plain string. */
  static Config parseSet(String set) {
    int eq = set.indexOf('=');
    if (eq <= 0) {
      throw JobFailure.usage("--set expects key=value, got '" + set + "'");
    }
    String key = set.substring(0, eq).trim();
    String value = set.substring(eq + 1).trim();
    if (!key.startsWith(ROOT + ".")) {
      key = ROOT + "." + key;
    }
    try {
      return ConfigFactory.parseString(key + " = " + value);
    } catch (ConfigException.Parse notHocon) {
      return ConfigFactory.parseMap(Map.of(key, value), "--set " + key);
    }
  }

  private static void rejectUnknownKeys(Config user, Config reference) {
    List<String> known = leafPaths(reference.root(), "");
    for (String path : leafPaths(user.root(), "")) {
      if (!path.startsWith(ROOT + ".") || isKnown(path, reference)) {
        continue;
      }
      String origin = describe(user, path);
      throw JobFailure.usage(
          "unknown configuration key '" + path + "'" + origin + suggestion(path, known));
    }
  }

  private static boolean isKnown(String path, Config reference) {
    if (reference.hasPathOrNull(path)) {
      return true;
    }
    for (String open : OPEN_MAPS) {
      int at = path.indexOf(open);
      if (at > 0 && reference.hasPathOrNull(path.substring(0, at + open.length() - 1))) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Config user, String path) {
    ConfigValue value = user.root();
    for (String key : com.typesafe.config.ConfigUtil.splitPath(path)) {
      value = value instanceof ConfigObject o ? o.get(key) : null;
    }
    return value == null ? "" : " (" + value.origin().description() + ")";
  }

  private static String suggestion(String path, List<String> known) {
    return known.stream()
        .min(Comparator.comparingInt(k -> distance(k, path)))
        .filter(best -> distance(best, path) <= Math.max(3, path.length() / 4))
        .map(best -> "; did you mean '" + best + "'?")
        .orElse("");
  }

  /** Every leaf path under an object, null leaves included (entrySet() leaves them out). */
  private static List<String> leafPaths(ConfigObject object, String prefix) {
    List<String> paths = new ArrayList<>();
    for (String key : new TreeSet<>(object.keySet())) {
      ConfigValue value = object.get(key);
      String path = prefix + quoteIfNeeded(key);
      if (value instanceof ConfigObject nested && !nested.isEmpty()) {
        paths.addAll(leafPaths(nested, path + "."));
      } else {
        paths.add(path);
      }
    }
    return paths;
  }

  private static String quoteIfNeeded(String key) {
    return key.matches("[A-Za-z0-9_-]+") ? key : "\"" + key + "\"";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      int[] cur = new int[b.length() + 1];
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      prev = cur;
    }
    return prev[b.length()];
  }
}
