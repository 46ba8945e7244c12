"""Contract section 7's optional columns: read (Chinese headers and aliases), validated (Chinese reasons,
bad values quarantined, nothing lost), stored, kept when a later extract lacks them, and absent without
changing anything for an extract that does not carry them."""

from __future__ import annotations

import pandas as pd

from dashboard.ingest import store
from dashboard.ingest.pipeline import import_files
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

S7_HEADERS = ["办理时限（天）", "转送来源", "补偿金额"]


def stored(data_dir, table: str) -> pd.DataFrame:
    snap = store.current_snapshot(data_dir)
    return pd.read_parquet(snap.table(table))


def by_id(data_dir) -> pd.DataFrame:
    return stored(data_dir, "complaints").set_index("complaint_id")


def test_extract_without_section7_imports_as_before(small_store):
    frame = by_id(small_store)
    assert len(frame) == len(COMPLAINTS)
    assert frame["deadline_days"].isna().all()
    assert frame["referral_source"].isna().all() and frame["redress_amount"].isna().all()
    assert stored(small_store, "branches")["is_outlet"].isna().all()
    assert stored(small_store, "customers_monthly")["elderly_customer_count"].isna().all()


def test_section7_values_stored(small_store, tmp_path):
    # C02 (referred): extended to 30 days, came via 12378, 150.5 yuan paid back; C04 (referred) 12363.
    rows = [list(COMPLAINTS[1]) + ["30", "12378", "150.50"], list(COMPLAINTS[3]) + ["60", "12363", ""]]
    path = write_csv(tmp_path / "s7.csv", COMPLAINT_HEADERS_ZH + S7_HEADERS, rows)
    (summary,) = import_files([path], small_store).files
    assert (summary.updated, summary.quarantined) == (2, 0)
    frame = by_id(small_store)
    assert frame.loc["C02", "deadline_days"] == 30 and frame.loc["C04", "deadline_days"] == 60
    assert frame.loc["C02", "referral_source"] == "12378" and frame.loc["C04", "referral_source"] == "12363"
    assert float(frame.loc["C02", "redress_amount"]) == 150.5
    assert pd.isna(frame.loc["C04", "redress_amount"])


def test_later_extract_without_the_columns_keeps_them(small_store, tmp_path):
    row = list(COMPLAINTS[1]) + ["30", "12378", "150.50"]
    import_files([write_csv(tmp_path / "s7.csv", COMPLAINT_HEADERS_ZH + S7_HEADERS, [row])], small_store)
    again = list(COMPLAINTS[1])
    again[14] = "满意"  # a real change (satisfaction), without the section 7 columns
    (summary,) = import_files([write_csv(tmp_path / "later.csv", COMPLAINT_HEADERS_ZH, [again])], small_store).files
    assert summary.updated == 1
    frame = by_id(small_store)
    assert frame.loc["C02", "satisfaction"] == "满意"
    assert frame.loc["C02", "deadline_days"] == 30 and frame.loc["C02", "referral_source"] == "12378"
    # the same without any change at all: unchanged, not updated
    same = write_csv(tmp_path / "same.csv", COMPLAINT_HEADERS_ZH, [again], encoding="gb18030")  # a new file
    (summary,) = import_files([same], small_store).files
    assert (summary.updated, summary.unchanged) == (0, 1)


def test_bad_section7_values_quarantined_with_reasons(small_store, tmp_path):
    rows = [
        list(COMPLAINTS[1]) + ["20", "", ""],  # not 15/30/60
        list(COMPLAINTS[3]) + ["30", "12345", ""],  # unknown source
        list(COMPLAINTS[0]) + ["", "12378", ""],  # source on a complaint not referred
        list(COMPLAINTS[5]) + ["", "", "-5"],  # negative redress
        list(COMPLAINTS[6]) + ["15", "", "abc"],  # not a number
    ]
    path = write_csv(tmp_path / "bad.csv", COMPLAINT_HEADERS_ZH + S7_HEADERS, rows)
    result = import_files([path], small_store)
    (summary,) = result.files
    assert summary.quarantined == 5 and summary.accounted
    reasons = list(result.quarantine.sort_values("source_row")["reason"])
    assert reasons[0].startswith("办理时限（天）应为 15、30 或 60") and reasons[0].endswith("20")
    assert reasons[1] == "转送来源取值不在合同枚举内：12345"
    assert reasons[2] == "填写了转送来源，但是否监管转办为否：12378"
    assert reasons[3] == "补偿金额不能为负数：-5"
    assert reasons[4] == "补偿金额无法解析为数字：abc"
    assert len(by_id(small_store)) == len(COMPLAINTS)  # the stored rows are untouched


def test_header_aliases(small_store, tmp_path):
    row = list(COMPLAINTS[1]) + ["30", "12378", "¥1,000"]
    headers = COMPLAINT_HEADERS_ZH + ["办理时限", "转办来源", "赔偿金额（元）"]
    (summary,) = import_files([write_csv(tmp_path / "alias.csv", headers, [row])], small_store).files
    assert (summary.updated, summary.quarantined, summary.warnings) == (1, 0, [])
    frame = by_id(small_store)
    assert frame.loc["C02", "deadline_days"] == 30 and float(frame.loc["C02", "redress_amount"]) == 1000


def test_branches_outlets_and_elderly_base(small_store, tmp_path):
    branches = [list(b) + [flag] for b, flag in zip(BRANCHES, ["否", "", "是", "", "false", "1"])]
    customers = [list(c) + [elderly] for c, elderly in zip(CUSTOMERS, ["2000", "", "900", "5001", "-1", "x"])]
    result = import_files(
        [
            write_csv(
                tmp_path / "b.csv",
                ["机构代码", "机构名称", "上级机构代码", "机构层级", "省份", "城市", "是否营业网点"],
                branches,
            ),
            write_csv(tmp_path / "c.csv", ["机构代码", "月份", "客户数", "老年客户数"], customers),
        ],
        small_store,
    )
    b, c = result.files
    assert b.quarantined == 0
    outlets = stored(small_store, "branches").set_index("branch_code")["is_outlet"]
    assert outlets["0000"] == False and outlets["0101"] == True and outlets["0201"] == True  # noqa: E712
    assert pd.isna(outlets["0100"]) and pd.isna(outlets["0102"])
    # 5001 > 5000 customers, -1 and x are not counts: three rows quarantined, the rest imported
    assert c.quarantined == 3 and c.accounted
    reasons = sorted(result.quarantine[result.quarantine["table_name"] == "customers_monthly"]["reason"])
    assert reasons == [
        "老年客户数大于客户数：5001 > 5000",
        "老年客户数应为大于或等于 0 的整数：-1",
        "老年客户数应为大于或等于 0 的整数：x",
    ]
    base = stored(small_store, "customers_monthly")
    base["month"] = pd.to_datetime(base["month"]).dt.strftime("%Y-%m")
    got = base.set_index(["branch_code", "month"])["elderly_customer_count"]
    assert got[("0101", "2026-09")] == 2000 and got[("0102", "2026-09")] == 900
    assert pd.isna(got[("0101", "2026-10")])


def test_a_bad_outlet_flag_keeps_the_branch_and_its_complaints(tmp_path):
    """Hostile finding H23: a typo in the optional 是否营业网点 quarantined the branch, and then all its complaints
    as 机构代码不存在. Now the branch is imported with the flag unknown (empty: a 支行 counts as an outlet) and the
    import summary names the value and row; 北京海淀支行 (0101)'s complaints C01, C03, C08 stay."""
    headers = ["机构代码", "机构名称", "上级机构代码", "机构层级", "省份", "城市", "是否营业网点"]
    branches = [list(b) + ["是的" if b[0] == "0101" else ""] for b in BRANCHES]
    files = [
        write_csv(tmp_path / "b.csv", headers, branches),
        write_csv(tmp_path / "c.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(tmp_path / "complaints.csv", COMPLAINT_HEADERS_ZH, COMPLAINTS),
    ]
    result = import_files(files, tmp_path / "data")
    summaries = {f.table: f for f in result.files}
    assert summaries["branches"].quarantined == 0 and summaries["complaints"].quarantined == 0
    (warning,) = [w for w in summaries["branches"].warnings if "是否营业网点" in w]
    assert "“是的”（第 3 行）" in warning and "按未填写处理" in warning  # the 3rd data row, as quarantine counts
    kept = stored(tmp_path / "data", "branches").set_index("branch_code")
    assert "0101" in kept.index and pd.isna(kept.loc["0101", "is_outlet"])
    assert {"C01", "C03", "C08"} <= set(by_id(tmp_path / "data").index)
    assert len(by_id(tmp_path / "data")) == len(COMPLAINTS)


def test_a_bad_required_flag_still_quarantines_the_row(small_store, tmp_path):
    row = list(COMPLAINTS[0])
    row[15] = "也许"  # 是否监管转办 is required: no meaning can be given to it
    (summary,) = import_files([write_csv(tmp_path / "c.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert summary.quarantined == 1 and any(r.startswith("是否监管转办取值无法识别") for r in summary.reasons)


def test_snapshot_from_before_section7_takes_an_import(small_store, tmp_path):
    """A store written before the columns existed: the next import adds them, empty, and keeps every row."""
    import pyarrow.parquet as pq

    snap = store.current_snapshot(small_store)
    for table, cols in (
        ("complaints", ["deadline_days", "referral_source", "redress_amount"]),
        ("branches", ["is_outlet"]),
        ("customers_monthly", ["elderly_customer_count"]),
    ):
        path = snap.table(table)
        t = pq.read_table(path)
        path.unlink()  # hard-linked copies of the session's store: write a new file, never into the old one
        pq.write_table(t.drop_columns(cols), path)
    row = list(COMPLAINTS[1]) + ["30", "12378", ""]
    (summary,) = import_files(
        [write_csv(tmp_path / "s7.csv", COMPLAINT_HEADERS_ZH + S7_HEADERS, [row])], small_store
    ).files
    assert (summary.updated, summary.unchanged, summary.quarantined) == (1, 0, 0)
    frame = by_id(small_store)
    assert len(frame) == len(COMPLAINTS) and frame.loc["C02", "deadline_days"] == 30
    assert frame.drop(index="C02")["deadline_days"].isna().all()


def test_full_width_digits_are_read_as_digits_outside_free_text(tmp_path):
    """Hostile finding H1: ２０２６-１０-０１, ４５, ３００ and ０２０１ (an IME's full-width digits) were refused with a
    reason quoting them as ASCII (2026-10-01 ...), which looked valid. Codes, ids, dates, months, numbers and
    flags are read after NFKC; a narrative keeps its characters as written."""
    c03 = list(COMPLAINTS[2])
    c03[0], c03[1], c03[3], c03[9], c03[10], c03[15] = (
        "Ｃ０３",
        "２０２６-１０-０１　１０：００：００",
        "０１０１",
        "４５",
        "３００",
        "否",
    )
    c03[11] = "年费争议，电话１３８１２３４５６７８"
    files = [
        write_csv(tmp_path / "b.csv", ["机构代码", "机构名称", "上级机构代码", "机构层级", "省份", "城市"], BRANCHES),
        write_csv(
            tmp_path / "c.csv",
            ["机构代码", "月份", "客户数"],
            [("０１０１", "２０２６-０９", "１００００"), *CUSTOMERS[1:]],
        ),
        write_csv(tmp_path / "x.csv", COMPLAINT_HEADERS_ZH, [c03]),
    ]
    result = import_files(files, tmp_path / "data")
    assert [f.quarantined for f in result.files] == [0, 0, 0], [f.reasons for f in result.files]
    row = by_id(tmp_path / "data").loc["C03"]
    assert (row["branch_code"], int(row["customer_age"]), float(row["amount"])) == ("0101", 45, 300.0)
    assert str(row["received_at"]).startswith("2026-10-01 10:00:00")
    assert row["content"] == "年费争议，电话１３８１２３４５６７８"  # free text as written (masked when shown)
    base = stored(tmp_path / "data", "customers_monthly")
    assert int(base.loc[base["branch_code"] == "0101", "customer_count"].sum()) == 20_000  # Sep + Oct


def test_a_full_width_value_still_wrong_is_refused_with_its_reason(small_store, tmp_path):
    row = list(COMPLAINTS[0])
    row[9] = "１５０"  # 150: outside 0..120 whichever digits it is written in
    (summary,) = import_files([write_csv(tmp_path / "c.csv", COMPLAINT_HEADERS_ZH, [row])], small_store).files
    assert summary.reasons == {"客户年龄应为 0 到 120 之间的整数：150": 1}
