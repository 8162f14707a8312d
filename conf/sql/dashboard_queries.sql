-- Example dashboard queries over the segment tables (Trino / Athena SQL; Spark SQL and DuckDB accept them too).
-- They read the latest date of customer_segments; with registration after the run marker (trino.sql, hive.sql)
-- that is the latest complete run.

-- 1. Segment sizes and revenue share, latest run.
SELECT value AS rfm_segment, customers, round(100 * share, 1) AS customers_pct,
       revenue, round(100 * revenue_share, 1) AS revenue_pct, average_clv
FROM segmentlake.segment_summary
WHERE dimension = 'rfm_segment'
  AND as_of_date = (SELECT max(as_of_date) FROM segmentlake.segment_summary)
ORDER BY revenue DESC;

-- 2. Segment sizes over time (a stacked area chart).
SELECT as_of_date, value AS rfm_segment, customers
FROM segmentlake.segment_summary
WHERE dimension = 'rfm_segment'
ORDER BY as_of_date, rfm_segment;

-- 3. Where last run's Champions went (migration matrix row), latest run.
SELECT to_value AS now_in, customers, round(100 * share_of_from, 1) AS pct_of_champions
FROM segmentlake.segment_migration
WHERE dimension = 'rfm_segment' AND from_value = 'Champions'
  AND as_of_date = (SELECT max(as_of_date) FROM segmentlake.segment_migration)
ORDER BY customers DESC;

-- 4. Valuable customers at risk: a call list for the sales reps.
SELECT customer_id, sales_rep_id, rfm_segment, tier, churn_risk, p_alive, clv_365d, recency_days, monetary
FROM segmentlake.customer_segments
WHERE churn_risk = 'high' AND rfm_segment IN ('Champions', 'Loyal', 'At Risk', 'Can''t Lose Them')
  AND as_of_date = (SELECT max(as_of_date) FROM segmentlake.customer_segments)
ORDER BY clv_365d DESC
LIMIT 100;

-- 5. Sales rep leaderboard.
SELECT sales_rep_id, customers, revenue, round(100 * champions_share, 1) AS champions_pct,
       customers_at_risk, average_clv
FROM segmentlake.sales_rep_performance
WHERE as_of_date = (SELECT max(as_of_date) FROM segmentlake.sales_rep_performance)
ORDER BY revenue DESC;

-- 6. Acquisition channels, Pareto view: the channels that bring 80 % of revenue.
SELECT acquisition_channel, revenue_rank, customers, revenue,
       round(100 * cumulative_revenue_share, 1) AS cumulative_revenue_pct
FROM segmentlake.channel_effectiveness
WHERE as_of_date = (SELECT max(as_of_date) FROM segmentlake.channel_effectiveness)
ORDER BY revenue_rank;

-- 7. Tier mix by region (slicing the wide table).
SELECT region, tier, count(*) AS customers, sum(points) AS points
FROM segmentlake.customer_segments
WHERE as_of_date = (SELECT max(as_of_date) FROM segmentlake.customer_segments)
GROUP BY region, tier
ORDER BY region, customers DESC;
