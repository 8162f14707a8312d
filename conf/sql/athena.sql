-- Segmentlake output tables as Amazon Athena external tables with partition projection: a new as_of_date
-- partition is visible without registration. Replace ${output_root} with segmentlake.output.root as s3://...
-- (${as_of_date} in storage.location.template is Athena's own placeholder: leave it.)
-- Columns are those of the default configuration (see trino.sql). Partition projection shows a date as soon as its
-- folder exists, i.e. while a run of D is swapping its tables in, before the run marker of D is written: dashboards
-- that must only ever see complete runs should take the date from the orchestrator (which goes by the marker
-- <output>/_runs/as_of_date=D/manifest.json) or use the Trino/Hive variant with registration after the marker.
-- The projected range starts 2015-01-01: widen it for older backfills. Projection makes every day of the range a
-- partition, so filter on a date literal (as_of_date = DATE '2025-12-31') rather than max(as_of_date) over a table.
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
LOCATION '${output_root}/rfm_scores/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/rfm_scores/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/rfm_thresholds/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/rfm_thresholds/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/loyalty_points/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/loyalty_points/as_of_date=${as_of_date}/'
);

-- special_customers: top buyers, flagged-product buyers, VIP, lapsed: group, customer, reason
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.special_customers (
  `special_group` string,
  `customer_id` string,
  `reason` string
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/special_customers/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/special_customers/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/customer_clusters/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/customer_clusters/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/cluster_profiles/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/cluster_profiles/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/customer_predictions/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/customer_predictions/as_of_date=${as_of_date}/'
);

-- model_params: one row per model and parameter
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.model_params (
  `model` string,
  `parameter` string,
  `value` double
)
PARTITIONED BY (`as_of_date` date)
STORED AS PARQUET
LOCATION '${output_root}/model_params/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/model_params/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/model_holdout/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/model_holdout/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/customer_segments/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/customer_segments/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/segment_summary/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/segment_summary/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/segment_migration/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/segment_migration/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/sales_rep_performance/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/sales_rep_performance/as_of_date=${as_of_date}/'
);

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
LOCATION '${output_root}/channel_effectiveness/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'storage.location.template' = '${output_root}/channel_effectiveness/as_of_date=${as_of_date}/'
);

-- quarantine: rejected input rows: reason and raw row, per input table
CREATE EXTERNAL TABLE IF NOT EXISTS segmentlake.quarantine (
  `reason` string,
  `raw_row` string
)
PARTITIONED BY (`as_of_date` date, `source_table` string)
STORED AS PARQUET
LOCATION '${output_root}/quarantine/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.as_of_date.type' = 'date',
  'projection.as_of_date.format' = 'yyyy-MM-dd',
  'projection.as_of_date.range' = '2015-01-01,NOW',
  'projection.as_of_date.interval' = '1',
  'projection.as_of_date.interval.unit' = 'DAYS',
  'projection.source_table.type' = 'enum',
  'projection.source_table.values' = 'invoices,products,customers,interactions',
  'storage.location.template' = '${output_root}/quarantine/as_of_date=${as_of_date}/source_table=${source_table}/'
);
