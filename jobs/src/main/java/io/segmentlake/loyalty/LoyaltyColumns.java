package io.segmentlake.loyalty;

/** Column names of the loyalty stage's inputs and tables (SPEC fixes the first six outputs). */
final class LoyaltyColumns {
  // Inputs (the contract's names).
  static final String CUSTOMER_ID = "customer_id";
  static final String INVOICE_ID = "invoice_id";
  static final String INVOICE_TS = "invoice_ts";
  static final String PRODUCT_ID = "product_id";
  static final String QUANTITY = "quantity";
  static final String UNIT_PRICE = "unit_price";
  static final String CHANNEL = "channel";
  static final String CATEGORY = "category";
  static final String UNIT_COST = "unit_cost";
  static final String MARGIN_RATE = "margin_rate";
  static final String QUALITY_LEVEL = "quality_level";
  static final String FLAGS = "flags";
  static final String CUSTOMER_TYPE = "customer_type";
  static final String LEGAL_KIND = "legal_kind";
  static final String EMPLOYER_ID = "employer_id";
  static final String REFERRED_BY = "referred_by";
  static final String EVENT_TS = "event_ts";
  static final String EVENT_TYPE = "event_type";
  static final String RFM_SEGMENT = "rfm_segment";

  // loyalty_points.
  static final String POINTS = "points";
  static final String TIER = "tier";
  static final String PREVIOUS_TIER = "previous_tier";
  static final String TIER_CHANGE = "tier_change";
  static final String POINTS_TO_NEXT_TIER = "points_to_next_tier";
  static final String RUNS_BELOW_TIER = "runs_below_tier";
  static final String PURCHASE_POINTS = "purchase_points";
  static final String WEIGHTING_POINTS = "weighting_points";
  static final String QUANTITY_POINTS = "quantity_band_points";
  static final String RECENCY_POINTS = "recency_points";
  static final String PERIODICITY_POINTS = "periodicity_points";
  static final String CUSTOMER_TYPE_POINTS = "customer_type_points";
  static final String INTERACTION_POINTS = "interaction_points";
  static final String EMPLOYER_SHARE_POINTS = "employer_share_points";
  static final String INTERACTION_POINTS_BY_EVENT = "interaction_points_by_event";
  static final String NET_SPEND = "net_spend";
  static final String PURCHASE_DAYS = "purchase_days";
  static final String MEDIAN_INTERVAL_DAYS = "median_interval_days";
  static final String INTERVAL_CV = "interval_cv";
  static final String FIRST_PURCHASE_DATE = "first_purchase_date";
  static final String LAST_PURCHASE_DATE = "last_purchase_date";
  static final String RECENCY_DAYS = "recency_days";
  static final String SPECIAL_GROUPS = "special_groups";

  // special_customers.
  static final String SPECIAL_GROUP = "special_group";
  static final String REASON = "reason";

  /** The point families, in the order they are explained; points is their sum. */
  static final String[] FAMILIES = {
    PURCHASE_POINTS,
    WEIGHTING_POINTS,
    QUANTITY_POINTS,
    RECENCY_POINTS,
    PERIODICITY_POINTS,
    CUSTOMER_TYPE_POINTS,
    INTERACTION_POINTS,
    EMPLOYER_SHARE_POINTS
  };

  /** Tier changes. */
  static final String UP = "up";

  static final String DOWN = "down";
  static final String SAME = "same";
  static final String NEW = "new";

  private LoyaltyColumns() {}
}
