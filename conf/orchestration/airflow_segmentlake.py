"""Airflow DAG: Segmentlake once a day, one task per stage, each for the run's logical date.

Needs apache-airflow-providers-apache-spark and a Spark connection (`spark_default`) pointing at the
cluster (YARN, Kubernetes or spark://host:7077). The jar and the config are shipped with each submit.

Re-runs and backfills: every task passes --as-of {{ ds }}, so a re-run (clearing a task) recomputes that
date only and replaces its partitions (other dates are never touched); a backfill
(`airflow dags backfill -s 2025-01-01 -e 2025-01-31 segmentlake`) computes each date as it would have been
computed on that day, because rows after the as-of date are ignored. A task fails when the job exits
non-zero: 2 = configuration or usage, 3 = input rejected (nothing published), 4 = publish failed
(previous output intact); retrying helps only for 4. Whether a date is complete is recorded by the run
marker <output.root>/_runs/as_of_date=<ds>/manifest.json.
"""

from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/segmentlake/segmentlake.jar"
CONFIG = "/opt/segmentlake/prod.conf"  # shipped with --files; read by its file name in cluster mode

# The stages this build has. A later build adds "reports" (last); each reads what the stage before
# it wrote for the same date. Loyalty tiers build on the latest earlier date's loyalty_points and
# cluster ids on the latest earlier cluster_profiles, so those tasks depend on their own previous
# run: backfills go oldest first. clusters and predict read the invoices (clusters also the date's
# loyalty_points when "points" is a feature); they follow loyalty so one date's tasks publish in order.
STAGES = ["rfm", "loyalty", "clusters", "predict"]

with DAG(
    dag_id="segmentlake",
    start_date=datetime(2025, 1, 1),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
) as dag:
    previous = None
    for stage in STAGES:
        task = SparkSubmitOperator(
            task_id=stage,
            conn_id="spark_default",
            application=JAR,
            java_class="io.segmentlake.cli.Main",
            files=CONFIG,
            application_args=[stage, "--as-of", "{{ ds }}", "--config", "prod.conf"],
            conf={"spark.sql.shuffle.partitions": "200"},
            depends_on_past=(stage in ("loyalty", "clusters")),
        )
        if previous is not None:
            previous >> task
        previous = task
