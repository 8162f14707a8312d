package io.segmentlake;

import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;

/**
 * Codes in the input tables (channel, event type), compared as the contract reads them: without
 * leading and trailing spaces and in lower case.
 */
public final class Codes {
  /** The channels the contract lists. */
  public static final List<String> CHANNELS = List.of("store", "web", "phone");

  /** The channel of web-store purchases. */
  public static final String WEB = "web";

  /** The event types the contract lists. */
  public static final List<String> EVENT_TYPES =
      List.of("referral", "club_login", "news_read", "comment", "web_visit");

  private Codes() {}

  /**
   * The code trimmed of spaces and in lower case. A value written exactly as one of the given forms
   * (each already trimmed and in lower case, e.g. the contract's values) is taken as it is: most
   * values are, and trimming and lower-casing copy every other value, row by row.
   */
  public static Column normalized(Column code, Collection<String> forms) {
    for (String form : forms) {
      if (!form.equals(normalized(form))) {
        throw new IllegalArgumentException("not a trimmed lower-case form: '" + form + "'");
      }
    }
    return when(code.isin(forms.toArray()), code).otherwise(lower(trim(code)));
  }

  /**
   * A code read in Java as {@link #normalized(Column, Collection)} reads it in Spark: trimmed of
   * spaces and in lower case (null stays null).
   */
  public static String normalized(String code) {
    return code == null ? null : spacesTrimmed(code).toLowerCase(Locale.ROOT);
  }

  /** The string without leading and trailing spaces (only spaces, like Spark SQL's trim). */
  private static String spacesTrimmed(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == ' ') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == ' ') {
      to--;
    }
    return s.substring(from, to);
  }

  /**
   * An event type as {@link #normalized(Column, Collection)} reads it, taking the contract's event
   * types and the given ones (e.g. the configured rules' events) as they are.
   */
  public static Column eventType(Column eventType, Collection<String> more) {
    Set<String> forms = new LinkedHashSet<>(EVENT_TYPES);
    forms.addAll(more);
    return normalized(eventType, forms);
  }

  /** Whether a line's channel is the web store (null for a null channel). */
  public static Column isWeb(Column channel) {
    return normalized(channel, CHANNELS).equalTo(WEB);
  }
}
