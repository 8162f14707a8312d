package io.segmentlake.generate;

/** Column names of the generated lake tables (the public contract) and internal helpers. */
public final class LakeColumns {
  public static final String INVOICE_ID = "invoice_id";
  public static final String LINE_NO = "line_no";
  public static final String CUSTOMER_ID = "customer_id";
  public static final String INVOICE_TS = "invoice_ts";
  public static final String PRODUCT_ID = "product_id";
  public static final String QUANTITY = "quantity";
  public static final String UNIT_PRICE = "unit_price";
  public static final String CHANNEL = "channel";
  public static final String SALES_REP_ID = "sales_rep_id";
  public static final String STATUS = "status";
  public static final String CURRENCY = "currency";

  public static final String CATEGORY = "category";
  public static final String UNIT_COST = "unit_cost";
  public static final String LIST_PRICE = "list_price";
  public static final String QUALITY_LEVEL = "quality_level";
  public static final String FLAGS = "flags";

  public static final String CUSTOMER_TYPE = "customer_type";
  public static final String LEGAL_KIND = "legal_kind";
  public static final String EMPLOYER_ID = "employer_id";
  public static final String GENDER = "gender";
  public static final String BIRTH_DATE = "birth_date";
  public static final String CITY = "city";
  public static final String REGION = "region";
  public static final String COUNTRY = "country";
  public static final String ACQUISITION_CHANNEL = "acquisition_channel";
  public static final String REFERRED_BY = "referred_by";
  public static final String SIGNUP_TS = "signup_ts";
  public static final String ARCHETYPE = "archetype";

  public static final String EVENT_TS = "event_ts";
  public static final String EVENT_TYPE = "event_type";
  public static final String EVENT_ID = "event_id";

  /** Internal numeric product key (1..products). */
  static final String PID = "pid";

  /** Internal numeric customer key (1..customers). */
  static final String CID = "cid";

  /** Internal archetype ordinal. */
  static final String ARCH = "arch";

  /** Internal 1 for legal customers, else 0. */
  static final String LEGAL = "legal";

  /** Internal signup time in epoch seconds. */
  static final String SIGNUP_SEC = "signup_sec";

  /** Internal start of the purchase window in epoch seconds. */
  static final String WIN_START = "win_start";

  /** Internal end (exclusive) of the purchase window in epoch seconds. */
  static final String WIN_END = "win_end";

  /** Internal end of any activity (purchases, club, visits) in epoch seconds. */
  static final String ACTIVE_END = "active_end";

  /** Internal number of purchase invoices. */
  static final String N_INVOICES = "n_invoices";

  /** Internal jitter of purchase times, in slots (0 = perfectly regular, 0.5 = irregular). */
  static final String JITTER = "jitter";

  /** Internal probability that a purchase is made on the web. */
  static final String WEB_SHARE = "web_share";

  /** Internal log-scale offset of the customer's line quantities. */
  static final String SPEND_LEVEL = "spend_level";

  /** Internal referrer key (0 when not referred). */
  static final String REFERRER = "referrer";

  /** Internal customer's own sales rep id. */
  static final String HOME_REP = "home_rep";

  /** Internal 1-based index of an invoice within its customer. */
  static final String K = "k";

  /** Internal unique invoice number before scrambling. */
  static final String INVOICE_NO = "invoice_no";

  /** Internal event time in epoch seconds. */
  static final String TS_SEC = "ts_sec";

  /** Internal number of lines of an invoice. */
  static final String N_LINES = "n_lines";

  /** Internal 1 for a return row derived from a purchase line, else 0. */
  static final String IS_RETURN = "is_return";

  /** Internal dirty-row kind (0 = clean). */
  static final String DIRT = "dirt";

  /** Internal copy number of a row (2 for the duplicate of a duplicated line). */
  static final String COPY = "copy";

  /** Internal club membership start in epoch seconds. */
  static final String CLUB_START = "club_start";

  /** Internal number of club sessions or web visits of a customer. */
  static final String N_SESSIONS = "n_sessions";

  /** Internal 1-based index of a club session or web visit within its customer. */
  static final String SEQ = "seq";

  /** Internal 1-based index of an event within its club session. */
  static final String SUB = "sub";

  /** Internal number of logins in a club session. */
  static final String N_LOGINS = "n_logins";

  /** Internal number of news reads in a club session. */
  static final String N_READS = "n_reads";

  private LakeColumns() {}
}
