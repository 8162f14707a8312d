package io.segmentlake.predict;

/**
 * Column names of the predict stage's input and tables (SPEC fixes customer_id, p_alive,
 * churn_risk).
 */
final class PredictColumns {
  // Inputs (the contract's names).
  static final String CUSTOMER_ID = "customer_id";
  static final String INVOICE_TS = "invoice_ts";
  static final String QUANTITY = "quantity";
  static final String UNIT_PRICE = "unit_price";

  // Summaries.
  static final String X = "x";
  static final String T_X = "t_x";
  static final String T_CAL = "t_cal";
  static final String T_X_DAYS = "t_x_days";
  static final String T_CAL_DAYS = "t_cal_days";
  static final String MEAN_REPEAT_SPEND = "mean_repeat_spend";
  static final String FIRST_PURCHASE_DATE = "first_purchase_date";
  static final String LAST_PURCHASE_DATE = "last_purchase_date";
  static final String HOLDOUT_PURCHASES = "holdout_purchases";
  static final String COUNT = "customers";

  // customer_predictions.
  static final String TIME_UNIT = "time_unit";
  static final String P_ALIVE = "p_alive";
  static final String EXPECTED_AVG_SPEND = "expected_avg_spend";
  static final String CHURN_RISK = "churn_risk";

  // model_params and model_holdout.
  static final String MODEL = "model";
  static final String PARAMETER = "parameter";
  static final String VALUE = "value";
  static final String CALIBRATION_FREQUENCY = "calibration_frequency";
  static final String ACTUAL_MEAN = "actual_mean";
  static final String PREDICTED_MEAN = "predicted_mean";

  private PredictColumns() {}

  /** expected_purchases_<n>d. */
  static String expectedPurchases(int days) {
    return "expected_purchases_" + days + "d";
  }

  /** clv_<n>d. */
  static String clv(int days) {
    return "clv_" + days + "d";
  }

  /** p_no_purchase_<n>d. */
  static String noPurchase(int days) {
    return "p_no_purchase_" + days + "d";
  }
}
