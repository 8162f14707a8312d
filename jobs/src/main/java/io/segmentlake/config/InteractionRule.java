package io.segmentlake.config;

import com.typesafe.config.Config;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Points per event of one kind, capped at {@code cap} counted events per customer and period;
 * once-per-day counts at most one event of the kind a day.
 */
public record InteractionRule(
    String event, double points, int cap, CapPeriod capPeriod, boolean isOncePerDay) {

  /**
   * The derived kind of a converted referral: counted once the referred customer (named by
   * customers.referred_by) has bought, not from the interactions table.
   */
  public static final String REFERRAL = "referral";

  /** The derived kind of a web-store purchase: an invoice of channel web. */
  public static final String WEB_PURCHASE = "web_purchase";

  /** The event is kept as events are compared (see {@link #eventName}). */
  public InteractionRule {
    event = eventName(event);
  }

  /** An event's name trimmed and in lower case. */
  static String eventName(String event) {
    return event.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether the rule counts rows of the interactions table (of its event type): all but the two
   * derived kinds, {@link #REFERRAL} and {@link #WEB_PURCHASE}.
   */
  public boolean countsInteractions() {
    return !event.equals(REFERRAL) && !event.equals(WEB_PURCHASE);
  }

  /** The event types whose rows of the interactions table the rules count. */
  public static List<String> interactionTypes(List<InteractionRule> rules) {
    return rules.stream()
        .filter(InteractionRule::countsInteractions)
        .map(InteractionRule::event)
        .toList();
  }

  /** The period a cap applies to. */
  public enum CapPeriod {
    DAY,
    WEEK,
    MONTH,
    YEAR,
    WINDOW
  }

  static List<InteractionRule> listFrom(Config c, String path) {
    Set<String> seen = new HashSet<>();
    return Item.list(c, path, "event", "points", "cap", "cap-period", "once-per-day").stream()
        .map(
            i -> {
              String event = eventName(i.string("event"));
              if (!seen.add(event)) {
                throw Keys.bad(i.where() + ".event", event, "each event listed once");
              }
              return new InteractionRule(
                  event,
                  i.number("points", -1e9, 1e9),
                  i.integer("cap", 0, Integer.MAX_VALUE),
                  period(i),
                  i.bool("once-per-day"));
            })
        .toList();
  }

  private static CapPeriod period(Item i) {
    String value = i.string("cap-period");
    try {
      return CapPeriod.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Keys.bad(i.where() + ".cap-period", value, "one of [day, week, month, year, window]");
    }
  }
}
