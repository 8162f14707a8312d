-- Segmentlake output tables as Hive / Spark SQL (Thrift server, Databricks hive_metastore) external tables.
-- Replace ${output_root} with segmentlake.output.root. Columns are those of the default configuration (see trino.sql).
-- MSCK REPAIR TABLE registers the partitions found; re-run it (or ALTER TABLE ... ADD PARTITION (as_of_date = 'D'))
-- after the run marker of D exists.
CREATE DATABASE IF NOT EXISTS segmentlake;

-- rfm_scores: one row per customer: R/F/M values, scores, cell, segment
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.rfm_scores (
  `customer_id` string,
  `recency_days` int,
  `frequency` bigint,
  `monetary` decimal(18,2),
  `r_score` int,
  `f_score` int,
  `m_score` int,
  `rfm_cell` string,
  `rfm_segment` string,
  `first_purchase_date` date,
  `last_purchase_date` date
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/rfm_scores/';
MSCK REPAIR TABLE segmentlake.rfm_scores;

-- rfm_thresholds: the cut points used, per measure and score
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.rfm_thresholds (
  `measure` string,
  `score` int,
  `lower_bound` double,
  `upper_bound` double,
  `unit` string,
  `method` string
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/rfm_thresholds/';
MSCK REPAIR TABLE segmentlake.rfm_thresholds;

-- loyalty_points: one row per customer: points per rule family, tier, tier change
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.loyalty_points (
  `customer_id` string,
  `points` decimal(18,2),
  `tier` string,
  `previous_tier` string,
  `tier_change` string,
  `points_to_next_tier` decimal(18,2),
  `runs_below_tier` int,
  `purchase_points` decimal(18,2),
  `weighting_points` decimal(18,2),
  `quantity_band_points` decimal(18,2),
  `recency_points` decimal(18,2),
  `periodicity_points` decimal(18,2),
  `customer_type_points` decimal(18,2),
  `interaction_points` decimal(18,2),
  `employer_share_points` decimal(18,2),
  `interaction_points_by_event` map<string,decimal(18,2)>,
  `net_spend` decimal(18,2),
  `purchase_days` int,
  `median_interval_days` double,
  `interval_cv` double,
  `first_purchase_date` date,
  `last_purchase_date` date,
  `recency_days` int,
  `customer_type` string,
  `legal_kind` string,
  `rfm_segment` string,
  `special_groups` array<string>
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/loyalty_points/';
MSCK REPAIR TABLE segmentlake.loyalty_points;

-- special_customers: top buyers, flagged-product buyers, VIP, lapsed: group, customer, reason
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.special_customers (
  `special_group` string,
  `customer_id` string,
  `reason` string
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/special_customers/';
MSCK REPAIR TABLE segmentlake.special_customers;

-- customer_clusters: one row per customer: cluster id and name, distance, features (default feature list)
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.customer_clusters (
  `customer_id` string,
  `cluster_id` int,
  `cluster_name` string,
  `distance_to_centroid` double,
  `recency_days` double,
  `purchases_per_month` double,
  `spend_per_month` double,
  `median_interval_days` double,
  `tenure_days` double,
  `frequency` double,
  `monetary` double
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/customer_clusters/';
MSCK REPAIR TABLE segmentlake.customer_clusters;

-- cluster_profiles: one row per cluster: size, centroids, averages, name, quality (default feature list)
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.cluster_profiles (
  `cluster_id` int,
  `cluster_name` string,
  `rfm_counterpart` string,
  `customers` bigint,
  `share` double,
  `centroid_recency_days` double,
  `centroid_purchases_per_month` double,
  `centroid_spend_per_month` double,
  `centroid_median_interval_days` double,
  `centroid_tenure_days` double,
  `average_recency_days` double,
  `average_purchases_per_month` double,
  `average_spend_per_month` double,
  `average_median_interval_days` double,
  `average_tenure_days` double,
  `average_frequency` double,
  `average_monetary` double,
  `id_origin` string,
  `distance_to_previous` double,
  `k` int,
  `k_selection` string,
  `silhouette` double,
  `k_search` string,
  `within_cluster_sum_of_squares` double,
  `iterations` int,
  `features` string,
  `seed` bigint
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/cluster_profiles/';
MSCK REPAIR TABLE segmentlake.cluster_profiles;

-- customer_predictions: one row per customer: p_alive, expected purchases, CLV, churn risk (default horizons 30/90/365)
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.customer_predictions (
  `customer_id` string,
  `x` int,
  `t_x` double,
  `t_cal` double,
  `time_unit` string,
  `first_purchase_date` date,
  `last_purchase_date` date,
  `mean_repeat_spend` decimal(18,2),
  `p_alive` double,
  `expected_purchases_30d` double,
  `expected_purchases_90d` double,
  `expected_purchases_365d` double,
  `p_no_purchase_90d` double,
  `expected_avg_spend` decimal(18,2),
  `clv_30d` decimal(18,2),
  `clv_90d` decimal(18,2),
  `clv_365d` decimal(18,2),
  `churn_risk` string
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/customer_predictions/';
MSCK REPAIR TABLE segmentlake.customer_predictions;

-- model_params: one row per model and parameter
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.model_params (
  `model` string,
  `parameter` string,
  `value` double
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/model_params/';
MSCK REPAIR TABLE segmentlake.model_params;

-- model_holdout: with predict.holdout-days (or --holdout-days) only: mean actual vs predicted repeat
-- purchases in the holdout by calibration frequency (0..6, 7+)
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.model_holdout (
  `calibration_frequency` string,
  `customers` bigint,
  `actual_mean` double,
  `predicted_mean` double
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/model_holdout/';
MSCK REPAIR TABLE segmentlake.model_holdout;

-- customer_segments: the wide BI table: one row per customer
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.customer_segments (
  `customer_id` string,
  `recency_days` int,
  `frequency` bigint,
  `monetary` decimal(18,2),
  `r_score` int,
  `f_score` int,
  `m_score` int,
  `rfm_cell` string,
  `rfm_segment` string,
  `first_purchase_date` date,
  `last_purchase_date` date,
  `points` decimal(18,2),
  `tier` string,
  `previous_tier` string,
  `tier_change` string,
  `points_to_next_tier` decimal(18,2),
  `special_groups` array<string>,
  `cluster_id` int,
  `cluster_name` string,
  `p_alive` double,
  `expected_purchases_30d` double,
  `expected_purchases_90d` double,
  `expected_purchases_365d` double,
  `p_no_purchase_90d` double,
  `expected_avg_spend` decimal(18,2),
  `clv_30d` decimal(18,2),
  `clv_90d` decimal(18,2),
  `clv_365d` decimal(18,2),
  `churn_risk` string,
  `customer_type` string,
  `legal_kind` string,
  `gender` string,
  `age_band` string,
  `city` string,
  `region` string,
  `country` string,
  `acquisition_channel` string,
  `sales_rep_id` string
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/customer_segments/';
MSCK REPAIR TABLE segmentlake.customer_segments;

-- segment_summary: one row per dimension and value
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.segment_summary (
  `dimension` string,
  `value` string,
  `customers` bigint,
  `share` double,
  `revenue` decimal(18,2),
  `revenue_share` double,
  `average_recency_days` double,
  `median_recency_days` double,
  `average_frequency` double,
  `median_frequency` double,
  `average_monetary` decimal(18,2),
  `median_monetary` decimal(18,2),
  `average_clv` decimal(18,2),
  `clv_horizon_days` int
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/segment_summary/';
MSCK REPAIR TABLE segmentlake.segment_summary;

-- segment_migration: customers moving between RFM segments and tiers since the previous run
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.segment_migration (
  `dimension` string,
  `from_value` string,
  `to_value` string,
  `customers` bigint,
  `share_of_from` double,
  `moved` boolean,
  `previous_as_of_date` date
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/segment_migration/';
MSCK REPAIR TABLE segmentlake.segment_migration;

-- sales_rep_performance: one row per sales rep
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.sales_rep_performance (
  `sales_rep_id` string,
  `customers` bigint,
  `revenue` decimal(18,2),
  `revenue_share` double,
  `champions` bigint,
  `champions_share` double,
  `customers_at_risk` bigint,
  `at_risk_share` double,
  `average_clv` decimal(18,2),
  `clv_horizon_days` int,
  `segment_mix` map<string,bigint>
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/sales_rep_performance/';
MSCK REPAIR TABLE segmentlake.sales_rep_performance;

-- channel_effectiveness: one row per acquisition channel (Pareto view)
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.channel_effectiveness (
  `acquisition_channel` string,
  `revenue_rank` int,
  `customers` bigint,
  `customer_share` double,
  `revenue` decimal(18,2),
  `revenue_share` double,
  `cumulative_customer_share` double,
  `cumulative_revenue_share` double,
  `average_clv` decimal(18,2),
  `clv_horizon_days` int
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/channel_effectiveness/';
MSCK REPAIR TABLE segmentlake.channel_effectiveness;

-- quarantine: rejected input rows: reason and raw row, per input table
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.quarantine (
  `reason` string,
  `raw_row` string
)
PARTITIONED BY (`as_of_date` date, `source_table` string)
STORED AS PARQUET
LOCATION '${output_root}/quarantine/';
MSCK REPAIR TABLE segmentlake.quarantine;
