package io.segmentlake.rfm;

/** Column names of the RFM stage's tables (fixed by SPEC, relied on by scripts and dashboards). */
final class RfmColumns {
  static final String CUSTOMER_ID = "customer_id";
  static final String INVOICE_ID = "invoice_id";
  static final String INVOICE_TS = "invoice_ts";
  static final String QUANTITY = "quantity";
  static final String UNIT_PRICE = "unit_price";

  static final String RECENCY_DAYS = "recency_days";
  static final String FREQUENCY = "frequency";
  static final String MONETARY = "monetary";
  static final String R_SCORE = "r_score";
  static final String F_SCORE = "f_score";
  static final String M_SCORE = "m_score";
  static final String RFM_CELL = "rfm_cell";
  static final String RFM_SEGMENT = "rfm_segment";
  static final String FIRST_PURCHASE_DATE = "first_purchase_date";
  static final String LAST_PURCHASE_DATE = "last_purchase_date";

  /** Monetary in ten-thousandths of the currency unit: exact, and cheaper to sum than decimals. */
  static final String MONETARY_UNITS = "monetary_units";

  static final long UNITS_PER_CURRENCY = 10_000L;

  private RfmColumns() {}
}
