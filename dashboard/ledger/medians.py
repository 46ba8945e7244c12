"""The regulator's published medians (issue 19), typed in by the user on the 监管视角 page: quarter, peer
group, median per 10 million personal customers, median per 1,000 outlets. Stored in their own SQLite file
beside the ledger (data/ledger/regulator_medians.sqlite), replaced as a whole when the edited table is saved.
Only 消保部 may change them (Ledger.may_write for the whole bank); every role may read them."""

from __future__ import annotations

import math
import re
import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from dashboard import clock, db

COLUMNS = ("quarter", "peer_group", "median_per_10m", "median_per_1k_outlets")
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


class MediansError(ValueError):
    """A row that cannot be stored (Chinese message)."""


def medians_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / "ledger" / "regulator_medians.sqlite"


@contextmanager
def _connect(data_dir: Path | str, write: bool):
    path = medians_path(data_dir)
    if write:
        path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path if (write or path.exists()) else ":memory:", isolation_level=None, timeout=10)
    try:
        con.row_factory = sqlite3.Row
        con.execute(db.load_sql("medians_create"))
        yield con
    finally:
        con.close()


def load(data_dir: Path | str) -> pd.DataFrame:
    with _connect(data_dir, write=False) as con:
        rows = [dict(r) for r in con.execute(db.load_sql("medians_list")).fetchall()]
    frame = pd.DataFrame(rows, columns=[*COLUMNS, "updated_at", "updated_by"])
    return frame


def _number(value, label: str, row: int) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise MediansError(f"第 {row} 行的{label}不是数字：{value}") from None
    if number < 0 or math.isinf(number):
        raise MediansError(f"第 {row} 行的{label}应为大于或等于 0 的数：{value}")
    return number


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def clean(frame: pd.DataFrame) -> list[dict]:
    """The edited rows checked: quarter as YYYY-Qn, a peer group, numbers >= 0; blank rows dropped;
    MediansError (Chinese) naming the first bad row."""
    out, seen = [], set()
    for i, rec in enumerate(frame.to_dict("records"), start=1):
        quarter = _text(rec.get("quarter")).upper()
        group = _text(rec.get("peer_group"))
        per_10m = _number(rec.get("median_per_10m"), "每千万客户中位数", i)
        per_1k = _number(rec.get("median_per_1k_outlets"), "每千营业网点中位数", i)
        if not quarter and not group and per_10m is None and per_1k is None:
            continue
        if not QUARTER.match(quarter):
            raise MediansError(f"第 {i} 行的季度应写作 YYYY-Qn（如 2026-Q3）：{quarter or '（空）'}")
        if not group:
            raise MediansError(f"第 {i} 行缺少同业组别（如 全国性股份制商业银行）。")
        if (quarter, group) in seen:
            raise MediansError(f"{quarter} {group} 出现了两次，每个季度和同业组别只能有一行。")
        seen.add((quarter, group))
        out.append(
            {"quarter": quarter, "peer_group": group, "median_per_10m": per_10m, "median_per_1k_outlets": per_1k}
        )
    return out


def save(data_dir: Path | str, frame: pd.DataFrame, user: str | None) -> int:
    """Replace the stored medians with the edited table (one transaction); the number of rows stored."""
    rows = clean(frame)
    now = clock.local_now().isoformat(sep=" ", timespec="seconds")
    with _connect(data_dir, write=True) as con:
        con.execute("begin immediate")
        try:
            con.execute(db.load_sql("medians_delete_all"))
            for row in rows:
                con.execute(
                    db.load_sql("medians_insert"),
                    db.bind("medians_insert", {**row, "updated_at": now, "updated_by": user}),
                )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return len(rows)


def quarter_of(month) -> str:
    return f"{month.year}-Q{(month.month - 1) // 3 + 1}"
