package io.segmentlake.reports;

/** Column names of the segment tables (fixed: dashboards and the DDL in conf/sql rely on them). */
final class ReportColumns {
  static final String CUSTOMER_ID = "customer_id";
  static final String RECENCY_DAYS = "recency_days";
  static final String FREQUENCY = "frequency";
  static final String MONETARY = "monetary";
  static final String RFM_SEGMENT = "rfm_segment";
  static final String TIER = "tier";
  static final String CLUSTER_NAME = "cluster_name";
  static final String CHURN_RISK = "churn_risk";
  static final String SPECIAL_GROUPS = "special_groups";
  static final String BIRTH_DATE = "birth_date";
  static final String AGE_BAND = "age_band";
  static final String REGION = "region";
  static final String CUSTOMER_TYPE = "customer_type";
  static final String ACQUISITION_CHANNEL = "acquisition_channel";
  static final String SALES_REP_ID = "sales_rep_id";

  /** The customer attributes of customer_segments, in order (age_band is derived). */
  static final String[] ATTRIBUTES = {
    CUSTOMER_TYPE,
    "legal_kind",
    "gender",
    AGE_BAND,
    "city",
    REGION,
    "country",
    ACQUISITION_CHANNEL,
    SALES_REP_ID
  };

  static final String DIMENSION = "dimension";
  static final String VALUE = "value";
  static final String CUSTOMERS = "customers";
  static final String SHARE = "share";
  static final String REVENUE = "revenue";
  static final String REVENUE_SHARE = "revenue_share";
  static final String AVERAGE_CLV = "average_clv";
  static final String CLV_HORIZON_DAYS = "clv_horizon_days";
  static final String FROM_VALUE = "from_value";
  static final String TO_VALUE = "to_value";

  /** A dimension value that is not known (null), e.g. a customer without a region. */
  static final String UNKNOWN = "unknown";

  /** The from value of a customer the previous run did not have. */
  static final String NEW = "(new)";

  /** The to value of a customer of the previous run whom this run does not have. */
  static final String GONE = "(gone)";

  /** The sales rep value of customers without one. */
  static final String UNASSIGNED = "unassigned";

  private ReportColumns() {}
}
