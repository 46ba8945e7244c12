"""`="010001"`, the CSV convention that makes Excel keep a value as text (and its leading zeros), is read as the
text inside it (hostile H145: 投诉编号 ="EQ00" was stored with the wrapper, so next month's plain extract of
EQ00 added the complaint again, and a wrapped 被投诉机构代码 quarantined every row as 不存在于机构表). The summary
says how many values of which columns were unwrapped."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import store
from dashboard.ingest.pipeline import import_files
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS


def complaints_table(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("complaints")).set_index("complaint_id")


def _write(path, rows):
    # written by hand, as such exporters do: the wrapper unquoted, so the CSV field is ="…" itself
    path.write_text("\n".join(",".join(r) for r in [COMPLAINT_HEADERS_ZH, *rows]) + "\n", encoding="utf-8-sig")
    return path


def _row(cid, customer, branch, product="白金卡", content="年费"):
    r = list(COMPLAINTS[3])  # 处理中, no closing columns
    r[0], r[3], r[7], r[8], r[11] = cid, branch, product, customer, content
    return r


def test_wrapped_ids_and_codes_are_read_as_the_text_inside(small_store, tmp_path):
    rows = [_row(f'="EQ0{i}"', f'="00{9001 + i}"', '="0101"') for i in range(3)]
    (summary,) = import_files([_write(tmp_path / "eq.csv", rows)], small_store).files
    assert (summary.inserted, summary.quarantined) == (3, 0)
    table = complaints_table(small_store)
    assert {"EQ00", "EQ01", "EQ02"} <= set(table.index)
    assert table.loc["EQ00", "customer_id"] == "009001" and table.loc["EQ02", "branch_code"] == "0101"
    (note,) = [w for w in summary.warnings if '="' in w]
    # by hand: three values in each of the three columns
    assert "投诉编号 3 个" in note and "客户号 3 个" in note and "被投诉机构代码 3 个" in note
    assert not [w for w in summary.warnings if "规范化" in w]  # unwrapping is said once, not as normalising too

    # next month's extract without the wrapper updates the same three complaints
    plain = [_row(f"EQ0{i}", f"00{9001 + i}", "0101", content="年费（续）") for i in range(3)]
    (summary,) = import_files([_write(tmp_path / "plain.csv", plain)], small_store).files
    assert (summary.inserted, summary.updated) == (0, 3)


def test_a_quote_doubled_inside_is_one_quote_and_other_formulas_are_kept(small_store, tmp_path):
    rows = [
        _row("W1", "A", "0101", product='="白金""尊享""卡"'),  # Excel's string literal: 白金"尊享"卡
        _row("W2", "A", "0101", content='="甲" & "乙"'),  # not a lone wrapper: kept as written
    ]
    (summary,) = import_files([_write(tmp_path / "quotes.csv", rows)], small_store).files
    assert (summary.inserted, summary.quarantined) == (2, 0)
    table = complaints_table(small_store)
    assert table.loc["W1", "product"] == '白金"尊享"卡'
    assert table.loc["W2", "content"] == '="甲" & "乙"'
