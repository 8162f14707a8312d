"""Reads Segmentlake's output tables for the notebooks.

Which run: the latest complete one, i.e. the newest run marker ``<output>/_runs/as_of_date=D/manifest.json``
that lists the segment tables (a partition without a marker may be half-published and is never read), or
``SEGMENTLAKE_AS_OF``.

Where from: ``SEGMENTLAKE_OUTPUT`` (default ``../output``, what ``jobs/bin/segmentlake run`` writes), read
as Parquet with pandas (needs pyarrow or fastparquet). Where no Parquet reader is installed (Debian's
Jupyter, our CI), ``SEGMENTLAKE_CSV`` names a folder of ``<table>.csv`` exports of that run instead.
"""

import json
import os
from pathlib import Path

import pandas as pd

OUTPUT = Path(os.environ.get("SEGMENTLAKE_OUTPUT", "../output"))
CSV = os.environ.get("SEGMENTLAKE_CSV")


def latest_run():
    """The manifest of the run the notebooks show: the latest marker that lists the segment tables
    (written by `run` or `reports`), or SEGMENTLAKE_AS_OF's."""
    wanted = os.environ.get("SEGMENTLAKE_AS_OF")
    runs = []
    for marker in sorted((OUTPUT / "_runs").glob("as_of_date=*/manifest.json")):
        manifest = json.loads(marker.read_text())
        if "customer_segments" in manifest.get("tables_written", {}):
            if not wanted or manifest["as_of_date"] == wanted:
                runs.append(manifest)
    if not runs:
        raise FileNotFoundError(
            f"no run marker with the segment tables{' for ' + wanted if wanted else ''} under {OUTPUT}/_runs:"
            " run `jobs/bin/segmentlake run` (or `reports`) first")
    return runs[-1]


def table(name, as_of):
    """One output table's partition for the run's as-of date, as a DataFrame."""
    if CSV:
        frame = pd.read_csv(Path(CSV) / f"{name}.csv")
    else:
        frame = pd.read_parquet(OUTPUT / name / f"as_of_date={as_of}")
    return frame.drop(columns=["as_of_date"], errors="ignore")


def money(frame, *columns):
    """Decimal money columns as floats, for plotting."""
    for c in columns:
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype(float)
    return frame
