-- Segmentlake output tables as Trino external tables (Hive connector; also Starburst, Presto).
-- Replace ${output_root} with segmentlake.output.root, e.g. s3://my-lake/segmentlake (s3a:// for the jobs is s3:// here).
-- Columns are those of the default configuration: customer_clusters / cluster_profiles follow
-- segmentlake.clusters.features, customer_predictions / customer_segments follow segmentlake.predict.horizons-days.
-- Register new partitions after each run, going by the run marker <output>/_runs/as_of_date=D/manifest.json
-- (it is written last, so a date with a marker has every table complete): the CALL lines below do it for all
-- dates; re-run them (or ADD PARTITION for D) from the orchestrator once the marker of D exists.
CREATE SCHEMA IF NOT EXISTS segmentlake;

-- rfm_scores: one row per customer: R/F/M values, scores, cell, segment
CREATE TABLE IF NOT EXISTS segmentlake.rfm_scores (
  customer_id varchar,
  recency_days integer,
  frequency bigint,
  monetary decimal(18,2),
  r_score integer,
  f_score integer,
  m_score integer,
  rfm_cell varchar,
  rfm_segment varchar,
  first_purchase_date date,
  last_purchase_date date,
  as_of_date date
)
WITH (
  external_location = '${output_root}/rfm_scores',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'rfm_scores', 'ADD');

-- rfm_thresholds: the cut points used, per measure and score
CREATE TABLE IF NOT EXISTS segmentlake.rfm_thresholds (
  measure varchar,
  score integer,
  lower_bound double,
  upper_bound double,
  unit varchar,
  method varchar,
  as_of_date date
)
WITH (
  external_location = '${output_root}/rfm_thresholds',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'rfm_thresholds', 'ADD');

-- loyalty_points: one row per customer: points per rule family, tier, tier change
CREATE TABLE IF NOT EXISTS segmentlake.loyalty_points (
  customer_id varchar,
  points decimal(18,2),
  tier varchar,
  previous_tier varchar,
  tier_change varchar,
  points_to_next_tier decimal(18,2),
  runs_below_tier integer,
  purchase_points decimal(18,2),
  weighting_points decimal(18,2),
  quantity_band_points decimal(18,2),
  recency_points decimal(18,2),
  periodicity_points decimal(18,2),
  customer_type_points decimal(18,2),
  interaction_points decimal(18,2),
  employer_share_points decimal(18,2),
  interaction_points_by_event map(varchar, decimal(18,2)),
  net_spend decimal(18,2),
  purchase_days integer,
  median_interval_days double,
  interval_cv double,
  first_purchase_date date,
  last_purchase_date date,
  recency_days integer,
  customer_type varchar,
  legal_kind varchar,
  rfm_segment varchar,
  special_groups array(varchar),
  as_of_date date
)
WITH (
  external_location = '${output_root}/loyalty_points',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'loyalty_points', 'ADD');

-- special_customers: top buyers, flagged-product buyers, VIP, lapsed: group, customer, reason
CREATE TABLE IF NOT EXISTS segmentlake.special_customers (
  special_group varchar,
  customer_id varchar,
  reason varchar,
  as_of_date date
)
WITH (
  external_location = '${output_root}/special_customers',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'special_customers', 'ADD');

-- customer_clusters: one row per customer: cluster id and name, distance, features (default feature list)
CREATE TABLE IF NOT EXISTS segmentlake.customer_clusters (
  customer_id varchar,
  cluster_id integer,
  cluster_name varchar,
  distance_to_centroid double,
  recency_days double,
  purchases_per_month double,
  spend_per_month double,
  median_interval_days double,
  tenure_days double,
  frequency double,
  monetary double,
  as_of_date date
)
WITH (
  external_location = '${output_root}/customer_clusters',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'customer_clusters', 'ADD');

-- cluster_profiles: one row per cluster: size, centroids, averages, name, quality (default feature list)
CREATE TABLE IF NOT EXISTS segmentlake.cluster_profiles (
  cluster_id integer,
  cluster_name varchar,
  rfm_counterpart varchar,
  customers bigint,
  share double,
  centroid_recency_days double,
  centroid_purchases_per_month double,
  centroid_spend_per_month double,
  centroid_median_interval_days double,
  centroid_tenure_days double,
  average_recency_days double,
  average_purchases_per_month double,
  average_spend_per_month double,
  average_median_interval_days double,
  average_tenure_days double,
  average_frequency double,
  average_monetary double,
  id_origin varchar,
  distance_to_previous double,
  k integer,
  k_selection varchar,
  silhouette double,
  k_search varchar,
  within_cluster_sum_of_squares double,
  iterations integer,
  features varchar,
  seed bigint,
  as_of_date date
)
WITH (
  external_location = '${output_root}/cluster_profiles',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'cluster_profiles', 'ADD');

-- customer_predictions: one row per customer: p_alive, expected purchases, CLV, churn risk (default horizons 30/90/365)
CREATE TABLE IF NOT EXISTS segmentlake.customer_predictions (
  customer_id varchar,
  x integer,
  t_x double,
  t_cal double,
  time_unit varchar,
  first_purchase_date date,
  last_purchase_date date,
  mean_repeat_spend decimal(18,2),
  p_alive double,
  expected_purchases_30d double,
  expected_purchases_90d double,
  expected_purchases_365d double,
  p_no_purchase_90d double,
  expected_avg_spend decimal(18,2),
  clv_30d decimal(18,2),
  clv_90d decimal(18,2),
  clv_365d decimal(18,2),
  churn_risk varchar,
  as_of_date date
)
WITH (
  external_location = '${output_root}/customer_predictions',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'customer_predictions', 'ADD');

-- model_params: one row per model and parameter
CREATE TABLE IF NOT EXISTS segmentlake.model_params (
  model varchar,
  parameter varchar,
  value double,
  as_of_date date
)
WITH (
  external_location = '${output_root}/model_params',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'model_params', 'ADD');

-- model_holdout: with predict.holdout-days (or --holdout-days) only: mean actual vs predicted repeat
-- purchases in the holdout by calibration frequency (0..6, 7+)
CREATE TABLE IF NOT EXISTS segmentlake.model_holdout (
  calibration_frequency varchar,
  customers bigint,
  actual_mean double,
  predicted_mean double,
  as_of_date date
)
WITH (
  external_location = '${output_root}/model_holdout',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'model_holdout', 'ADD');

-- customer_segments: the wide BI table: one row per customer
CREATE TABLE IF NOT EXISTS segmentlake.customer_segments (
  customer_id varchar,
  recency_days integer,
  frequency bigint,
  monetary decimal(18,2),
  r_score integer,
  f_score integer,
  m_score integer,
  rfm_cell varchar,
  rfm_segment varchar,
  first_purchase_date date,
  last_purchase_date date,
  points decimal(18,2),
  tier varchar,
  previous_tier varchar,
  tier_change varchar,
  points_to_next_tier decimal(18,2),
  special_groups array(varchar),
  cluster_id integer,
  cluster_name varchar,
  p_alive double,
  expected_purchases_30d double,
  expected_purchases_90d double,
  expected_purchases_365d double,
  p_no_purchase_90d double,
  expected_avg_spend decimal(18,2),
  clv_30d decimal(18,2),
  clv_90d decimal(18,2),
  clv_365d decimal(18,2),
  churn_risk varchar,
  customer_type varchar,
  legal_kind varchar,
  gender varchar,
  age_band varchar,
  city varchar,
  region varchar,
  country varchar,
  acquisition_channel varchar,
  sales_rep_id varchar,
  as_of_date date
)
WITH (
  external_location = '${output_root}/customer_segments',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'customer_segments', 'ADD');

-- segment_summary: one row per dimension and value
CREATE TABLE IF NOT EXISTS segmentlake.segment_summary (
  dimension varchar,
  value varchar,
  customers bigint,
  share double,
  revenue decimal(18,2),
  revenue_share double,
  average_recency_days double,
  median_recency_days double,
  average_frequency double,
  median_frequency double,
  average_monetary decimal(18,2),
  median_monetary decimal(18,2),
  average_clv decimal(18,2),
  clv_horizon_days integer,
  as_of_date date
)
WITH (
  external_location = '${output_root}/segment_summary',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'segment_summary', 'ADD');

-- segment_migration: customers moving between RFM segments and tiers since the previous run
CREATE TABLE IF NOT EXISTS segmentlake.segment_migration (
  dimension varchar,
  from_value varchar,
  to_value varchar,
  customers bigint,
  share_of_from double,
  moved boolean,
  previous_as_of_date date,
  as_of_date date
)
WITH (
  external_location = '${output_root}/segment_migration',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'segment_migration', 'ADD');

-- sales_rep_performance: one row per sales rep
CREATE TABLE IF NOT EXISTS segmentlake.sales_rep_performance (
  sales_rep_id varchar,
  customers bigint,
  revenue decimal(18,2),
  revenue_share double,
  champions bigint,
  champions_share double,
  customers_at_risk bigint,
  at_risk_share double,
  average_clv decimal(18,2),
  clv_horizon_days integer,
  segment_mix map(varchar, bigint),
  as_of_date date
)
WITH (
  external_location = '${output_root}/sales_rep_performance',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'sales_rep_performance', 'ADD');

-- channel_effectiveness: one row per acquisition channel (Pareto view)
CREATE TABLE IF NOT EXISTS segmentlake.channel_effectiveness (
  acquisition_channel varchar,
  revenue_rank integer,
  customers bigint,
  customer_share double,
  revenue decimal(18,2),
  revenue_share double,
  cumulative_customer_share double,
  cumulative_revenue_share double,
  average_clv decimal(18,2),
  clv_horizon_days integer,
  as_of_date date
)
WITH (
  external_location = '${output_root}/channel_effectiveness',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date']
);
CALL system.sync_partition_metadata('segmentlake', 'channel_effectiveness', 'ADD');

-- quarantine: rejected input rows: reason and raw row, per input table
CREATE TABLE IF NOT EXISTS segmentlake.quarantine (
  reason varchar,
  raw_row varchar,
  as_of_date date,
  source_table varchar
)
WITH (
  external_location = '${output_root}/quarantine',
  format = 'PARQUET',
  partitioned_by = ARRAY['as_of_date', 'source_table']
);
CALL system.sync_partition_metadata('segmentlake', 'quarantine', 'ADD');
