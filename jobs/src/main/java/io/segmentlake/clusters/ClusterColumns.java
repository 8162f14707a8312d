package io.segmentlake.clusters;

/**
 * Column names of the clusters stage's inputs and tables (SPEC fixes customer_id, cluster_id,
 * cluster_name).
 */
final class ClusterColumns {
  // Inputs (the contract's names, and loyalty_points' published column).
  static final String CUSTOMER_ID = "customer_id";
  static final String INVOICE_ID = "invoice_id";
  static final String INVOICE_TS = "invoice_ts";
  static final String PRODUCT_ID = "product_id";
  static final String QUANTITY = "quantity";
  static final String UNIT_PRICE = "unit_price";
  static final String CHANNEL = "channel";
  static final String UNIT_COST = "unit_cost";
  static final String MARGIN_RATE = "margin_rate";
  static final String POINTS = "points";
  // Raw features, in original units.
  static final String RECENCY_DAYS = "recency_days";
  static final String FREQUENCY = "frequency";
  static final String MONETARY = "monetary";
  static final String PURCHASES_PER_MONTH = "purchases_per_month";
  static final String SPEND_PER_MONTH = "spend_per_month";
  static final String AVERAGE_ORDER_VALUE = "average_order_value";
  static final String MARGIN = "margin";
  static final String MEDIAN_INTERVAL_DAYS = "median_interval_days";
  static final String TENURE_DAYS = "tenure_days";
  static final String WEB_SHARE = "web_share";
  // Working columns.
  static final String VECTOR = "_features";
  static final String SCALED = "_scaled";
  static final String INDEX = "_cluster_index";
  // customer_clusters.
  static final String CLUSTER_ID = "cluster_id";
  static final String CLUSTER_NAME = "cluster_name";
  static final String DISTANCE = "distance_to_centroid";
  // cluster_profiles.
  static final String RFM_COUNTERPART = "rfm_counterpart";
  static final String CUSTOMERS = "customers";
  static final String SHARE = "share";

  private ClusterColumns() {}

  /** centroid_<feature>: the centroid in the feature's original units. */
  static String centroid(String feature) {
    return "centroid_" + feature;
  }

  /** average_<feature>: the cluster's mean of the feature in original units. */
  static String average(String feature) {
    return "average_" + feature;
  }
}
