"""Similar complaints (相似投诉) at import time: the derived tables ``similar_windows`` and ``similar_groups``.

Grouping near-duplicate narratives takes ~10 s per 100,000 (dashboard/text/similar.py), too slow for a page,
so every import that changes the complaints computes it once and writes it into the new snapshot, beside
the complaints it was computed from: the groups can never disagree with the data a page shows.

Method: :func:`dashboard.text.similar.similar_groups` (MinHash over character 3-grams with numpy, LSH banding,
exact Jaccard verification, document-frequency cut of template text). Why it fits complaints:
* Chinese narratives need no word segmentation for it: character 3-grams carry the story (被盗刷, 免息期,
  手机银行) and are indifferent to jieba's choices on new words (product names, scam scripts).
* Digits, amounts, dates and masked names are dropped before shingling, so one story told with different
  amounts and dates still matches, while the *template* the intake staff wrap every narrative in
  (客户来电反映…要求我行核实处理) is cut by document frequency: unrelated complaints that share only the
  template, or only a business category's usual words, share almost nothing that is compared.
* Every reported pair is verified by the exact Jaccard index (>= 0.6), so MinHash only decides what is
  compared, never what is reported; groups need 3 complaints from 3 different customers (one customer
  repeating themselves is a repeat complaint, not a shared cause).
* It is measured at ~10 s for 100,000 narratives on this 2-core machine (numpy signatures; datasketch's
  per-document Python loop would spend ~15 s on hashing alone), i.e. a month of 100,000 within a minute.

Windows (a decision): a group is sought among complaints received close together, so each receipt month m
is one window: the complaints received in month m plus those of the last ``OVERLAP_DAYS`` (7) days of the
month before. The overlap keeps a story that breaks on the 30th and goes on into the next month in one
group. A window must also hold at least ``MIN_WINDOW_NARRATIVES`` (2,000) narratives: the document-frequency
cut can only tell template text from a story among enough narratives (in a handful of narratives the intake
template is not frequent enough to be cut, and narratives sharing only the template would be grouped). A
month with fewer (a small bank, the partial latest month of an extract) reaches back whole months until its
window holds that many. The groups of all windows are then merged: groups of two windows that share a
complaint are one group (connected components), so an overlap never shows a story twice.

Reuse: each window has a key made of the method's parameters, its start and the fingerprints (count and a
hash of complaint_id, customer_id, received_at, content; queries/similar_fingerprints.sql) of every month it
reads. A window whose key equals the previous snapshot's is copied from it (``similar_windows`` stores each
window's groups, and the keys in its Parquet metadata); only windows whose complaints changed are
recomputed. Importing a new month of a large bank recomputes that month and, at most, the one after it.

Tables:
  similar_windows  window_month, window_group, complaint_id, is_representative (each window's own groups);
                   Parquet metadata ``window_keys``: {month: key} for every window, empty ones included
  similar_groups   group_id (1, 2, ... by size descending, then first complaint_id), complaint_id,
                   is_representative (one per group: the representative of its largest window group, a
                   medoid), group_size, window_month (the first window it was found in), and the member
                   complaint's MEMBER_COLUMNS (filtered and shown by the pages; content raw: readers mask it)
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard import db
from dashboard.filters import add_months
from dashboard.ingest import workers as import_workers
from dashboard.ingest.store import Snapshot

OVERLAP_DAYS = 7  # days of the previous month each month's window also covers
MIN_WINDOW_NARRATIVES = 2000  # a smaller month's window reaches back whole months until it holds this many
THRESHOLD = 0.6  # Jaccard index of informative 3-gram sets for two narratives to be near-duplicates
MIN_SIZE = 3  # complaints in a group
MIN_CUSTOMERS = 3  # distinct customers in a group
BATCH_NARRATIVES = 1_000_000  # narratives read into memory at once (~1-2 GB as Python strings)
POOL_MIN_NARRATIVES = 50_000  # below this, worker processes' start-up (~1 s: numpy, scipy) costs more than they save
METHOD_KEY = f"similar.v1:t{THRESHOLD}:s{MIN_SIZE}:c{MIN_CUSTOMERS}:o{OVERLAP_DAYS}"

WINDOWS_SCHEMA = pa.schema(
    [
        ("window_month", pa.date32()),
        ("window_group", pa.int64()),
        ("complaint_id", pa.string()),
        ("is_representative", pa.bool_()),
    ]
)
GROUPS_SCHEMA = pa.schema(
    [  # what merge_windows decides; the stored table adds MEMBER_COLUMNS
        ("group_id", pa.int64()),
        ("complaint_id", pa.string()),
        ("is_representative", pa.bool_()),
        ("group_size", pa.int64()),
        ("window_month", pa.date32()),
    ]
)
MEMBER_COLUMNS = (
    "month",
    "received_at",
    "customer_id",
    "branch_code",
    "business_category",
    "reason",
    "channel",
    "regulator_referred",
    "product",
    "status",
    "content",
)
_KEYS_META = b"window_keys"

# The windows of the last build, keyed by their window keys: similar_groups reuses what similar_windows
# computed in the same import (and recomputes when the keys differ, so it cannot pick up stale results).
_last: tuple[tuple, pd.DataFrame] | None = None


def window_plan(fingerprints: pd.DataFrame) -> dict[date, tuple[date, str]]:
    """{month: (window start, key)} for every month with complaints (columns month, complaints,
    fingerprint). The window is the month plus the OVERLAP_DAYS before it, or, when the month holds fewer
    than MIN_WINDOW_NARRATIVES, whole earlier months back until it holds that many (or the data begins).
    The key changes when any month the window reads changes, or the method's parameters do."""
    rows = sorted(
        (_as_date(m), int(n), str(fp))
        for m, n, fp in zip(fingerprints["month"], fingerprints["complaints"], fingerprints["fingerprint"])
    )
    by_month = {m: fp for m, _, fp in rows}
    plan = {}
    for i, (month, count, fp) in enumerate(rows):
        j, total = i, count
        while total < MIN_WINDOW_NARRATIVES and j > 0:
            j -= 1
            total += rows[j][1]
        if j == i:
            start = month - timedelta(days=OVERLAP_DAYS)
            parts = [by_month.get(add_months(month, -1), "-"), fp]
        else:
            start = rows[j][0]
            parts = [r[2] for r in rows[j : i + 1]]
        plan[month] = (start, f"{METHOD_KEY}|{start.isoformat()}|" + "|".join(parts))
    return plan


def window_keys(fingerprints: pd.DataFrame) -> dict[date, str]:
    """{month: key} of window_plan."""
    return {m: key for m, (_, key) in window_plan(fingerprints).items()}


def _as_date(value) -> date:
    return pd.Timestamp(value).date()


def _previous_windows(previous: Snapshot | None) -> tuple[dict[str, str], pd.DataFrame]:
    if previous is None or not previous.table("similar_windows").exists():
        return {}, _empty_windows()
    table = pq.read_table(previous.table("similar_windows"))
    keys = json.loads((table.schema.metadata or {}).get(_KEYS_META, b"{}"))
    return keys, table.to_pandas()


def _empty_windows() -> pd.DataFrame:
    return WINDOWS_SCHEMA.empty_table().to_pandas()


def window_groups(narratives: pd.DataFrame, month: date) -> pd.DataFrame:
    """The groups of one window's narratives (queries/similar_window_narratives.sql), as similar_windows
    rows."""
    from dashboard.text.similar import similar_groups  # import time only (scipy: 0.3 s of an app start)

    found = similar_groups(narratives, threshold=THRESHOLD, min_size=MIN_SIZE, min_customers=MIN_CUSTOMERS)
    return pd.DataFrame(
        {
            "window_month": month,
            "window_group": found["group_id"].astype("int64"),
            "complaint_id": found["complaint_id"].astype(str),
            "is_representative": found["is_representative"].astype(bool),
        }
    )


def _windows_worker(table: pa.Table) -> pa.Table:
    """A worker process's share of windows: `python -m dashboard.derived.similar_index IN OUT`
    (dashboard.ingest.workers); IN holds the narratives of several windows, told apart by window_month."""
    frame = table.to_pandas()
    parts = [
        window_groups(rows.drop(columns="window_month"), month)
        for month, rows in frame.groupby("window_month", sort=True)
    ]
    parts = [p for p in parts if len(p)]
    return _table(pd.concat(parts, ignore_index=True) if parts else _empty_windows(), WINDOWS_SCHEMA)


def compute_groups(windows: dict[date, pd.DataFrame]) -> list[pd.DataFrame]:
    """Each window's groups ({month: narratives}). With many narratives, the windows are dealt out to one
    worker process per CPU, the largest first to the least loaded, so that each gets a similar share."""
    total = sum(len(rows) for rows in windows.values())
    n = min(import_workers.count(), len(windows))
    if n < 2 or total < POOL_MIN_NARRATIVES:
        return [window_groups(rows, month) for month, rows in windows.items()]
    bins: list[list[pd.DataFrame]] = [[] for _ in range(n)]
    loads = [0] * n
    for month, rows in sorted(windows.items(), key=lambda item: -len(item[1])):
        i = loads.index(min(loads))
        bins[i].append(rows.assign(window_month=month))
        loads[i] += len(rows)
    inputs = [pa.Table.from_pandas(pd.concat(b, ignore_index=True), preserve_index=False) for b in bins if b]
    return [t.to_pandas() for t in import_workers.run(__name__, inputs, "相似投诉计算")]


def _batches(months: list[date], plan: dict[date, tuple[date, str]], fingerprints: pd.DataFrame) -> list[list[date]]:
    """The months to compute, in consecutive batches whose windows hold about BATCH_NARRATIVES in all:
    a history of ten million narratives held at once as Python strings would not fit in memory."""
    counts = {_as_date(m): int(n) for m, n in zip(fingerprints["month"], fingerprints["complaints"])}
    batches: list[list[date]] = []
    size = BATCH_NARRATIVES
    for month in months:
        window = sum(n for m, n in counts.items() if plan[month][0] <= m <= month)  # overlap days aside
        if size + window > BATCH_NARRATIVES:
            batches.append([])
            size = 0
        batches[-1].append(month)
        size += window
    return batches


def compute_windows(con, previous: Snapshot | None) -> tuple[dict[date, str], pd.DataFrame, dict]:
    """Every window's groups, reusing the previous snapshot's where the window's key did not change.
    Returns (keys, rows, stats) with stats = {"reused": n, "computed": n}."""
    global _last
    fingerprints = db.run(con, "similar_fingerprints")
    plan = window_plan(fingerprints)
    keys = {m: key for m, (_, key) in plan.items()}
    signature = tuple(sorted((m.isoformat(), k) for m, k in keys.items()))
    if _last is not None and _last[0] == signature:
        return keys, _last[1], {"reused": len(keys), "computed": 0}
    old_keys, old_rows = _previous_windows(previous)
    old_months = pd.to_datetime(old_rows["window_month"]).dt.date if len(old_rows) else pd.Series([], dtype=object)
    parts, todo = [], []
    for month in sorted(keys):
        if old_keys.get(month.isoformat()) == keys[month]:
            parts.append(old_rows[old_months == month])
        else:
            todo.append(month)
    reused, computed = len(parts), len(todo)
    for batch in _batches(todo, plan, fingerprints):
        parts.extend(
            compute_groups(
                {
                    month: db.run(
                        con, "similar_window_narratives", window_start=plan[month][0], window_end=add_months(month, 1)
                    )
                    for month in batch
                }
            )
        )
    parts = [p for p in parts if len(p)]
    rows = pd.concat(parts, ignore_index=True) if parts else _empty_windows()
    rows["window_month"] = pd.to_datetime(rows["window_month"]).dt.date
    _last = (signature, rows)
    return keys, rows, {"reused": reused, "computed": computed}


def merge_windows(rows: pd.DataFrame) -> pd.DataFrame:
    """Final groups: window groups that share a complaint are one group (connected components of the
    bipartite graph window group - complaint). The representative is that of the largest window group
    (ties: the earlier window, then the lower window_group). Columns as GROUPS_SCHEMA."""
    from scipy import sparse  # import time only (scipy: 0.3 s of an app start)
    from scipy.sparse.csgraph import connected_components

    if len(rows) == 0:
        return GROUPS_SCHEMA.empty_table().to_pandas()
    rows = rows.reset_index(drop=True)
    raw_key = rows["window_month"].astype(str) + "#" + rows["window_group"].astype(str)
    raw_codes, raw_uniques = pd.factorize(raw_key, sort=True)
    id_codes, id_uniques = pd.factorize(rows["complaint_id"], sort=True)
    n_raw, n_ids = len(raw_uniques), len(id_uniques)
    graph = sparse.coo_matrix((np.ones(len(rows)), (raw_codes, n_raw + id_codes)), shape=(n_raw + n_ids, n_raw + n_ids))
    _, label = connected_components(graph, directed=False)
    rows = rows.assign(raw=raw_codes, component=label[raw_codes])

    raw_sizes = rows.groupby("raw").size()
    reps = rows[rows["is_representative"]].assign(raw_size=lambda d: d["raw"].map(raw_sizes))
    reps = reps.sort_values(
        ["component", "raw_size", "window_month", "window_group"], ascending=[True, False, True, True], kind="mergesort"
    )
    rep_of = reps.drop_duplicates("component").set_index("component")["complaint_id"]

    members = rows.groupby(["component", "complaint_id"], as_index=False).agg(window_month=("window_month", "min"))
    stats = members.groupby("component").agg(
        group_size=("complaint_id", "size"), first_id=("complaint_id", "min"), window_month=("window_month", "min")
    )
    stats = stats.sort_values(["group_size", "first_id"], ascending=[False, True], kind="mergesort")
    stats["group_id"] = np.arange(1, len(stats) + 1, dtype="int64")
    out = members[["component", "complaint_id"]].join(stats[["group_id", "group_size", "window_month"]], on="component")
    out["is_representative"] = out["complaint_id"].to_numpy() == out["component"].map(rep_of).to_numpy()
    out = out.sort_values(
        ["group_id", "is_representative", "complaint_id"], ascending=[True, False, True], kind="mergesort"
    )
    return out[[f.name for f in GROUPS_SCHEMA]].reset_index(drop=True)


def _table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    return pa.Table.from_pandas(frame[[f.name for f in schema]], schema=schema, preserve_index=False)


def build_windows(con, previous: Snapshot | None) -> pa.Table:
    keys, rows, _ = compute_windows(con, previous)
    table = _table(rows, WINDOWS_SCHEMA)
    meta = json.dumps({m.isoformat(): k for m, k in sorted(keys.items())}).encode()
    return table.replace_schema_metadata({_KEYS_META: meta})


def build_groups(con, previous: Snapshot | None) -> pa.Table:
    _, rows, _ = compute_windows(con, previous)
    # Each member's filtered and shown columns are kept beside it: the pages read this table alone
    # (no narrative read from complaints.parquet; docs/performance.md).
    con.register("new_similar_groups", _table(merge_windows(rows), GROUPS_SCHEMA))
    try:
        return con.sql(db.load_sql("import_similar_group_members")).to_arrow_table()
    finally:
        con.unregister("new_similar_groups")


if __name__ == "__main__":
    import_workers.serve(_windows_worker)
