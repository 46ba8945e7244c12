"""The mapping file adapts a real source system without editing the file (issue 14, section 3).

Each test is one shape of source the issue names; expectations are worked out by hand from the rows
written here (and, for the CFPB export, from tests/fixtures/cfpb_sample.csv, written for this test).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard import cli, db, report
from dashboard.filters import Filters
from dashboard.ingest import store
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import mappings_for, parse_mapping
from dashboard.ingest.pipeline import import_files
from dashboard.ingest.readers import read_extract
from dashboard.ingest.validate import validate
from tests.conftest import BRANCHES, write_csv

ROOT = Path(__file__).resolve().parent.parent
CFPB_MAPPING = ROOT / "docs" / "examples" / "cfpb_mapping.toml"
CFPB_SAMPLE = ROOT / "tests" / "fixtures" / "cfpb_sample.csv"
KNOWN = {b[0] for b in BRANCHES}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def stored(data_dir) -> pd.DataFrame:
    return pd.read_parquet(store.current_snapshot(data_dir).table("complaints")).set_index("complaint_id")


def test_cfpb_export_imports_with_the_shipped_mapping(small_store):
    result = import_files([CFPB_SAMPLE], small_store, CFPB_MAPPING)
    (summary,) = result.files
    assert (summary.read, summary.inserted, summary.quarantined) == (6, 6, 0)
    rows = stored(small_store).loc[[str(i) for i in range(2100001, 2100007)]]
    assert list(rows["business_category"]) == ["信用卡", "债务催收", "个人贷款", "个人存款", "个人贷款", "个人贷款"]
    assert list(rows["reason"]) == [
        "其他",
        "债务催收方式和手段",
        "管理制度、业务规则与流程",
        "管理制度、业务规则与流程",
        "服务态度及服务质量",
        "其他",
    ]
    assert list(rows["status"]) == ["已办结", "已办结", "处理中", "已办结", "处理中", "已办结"]
    assert list(rows["result"].fillna("")) == ["已解决", "未解决", "", "部分解决", "", "未解决"]
    assert [None if pd.isna(t) else str(t.date()) for t in rows["closed_at"]] == [
        "2016-09-13",
        "2016-09-13",
        None,
        "2016-10-15",
        None,
        "2016-11-02",
    ]
    assert str(rows["received_at"].iloc[0].date()) == "2016-09-12"  # 09/12/2016 month first
    assert list(rows["satisfaction"].fillna("")) == ["满意", "不满意", "", "", "", "满意"]
    assert set(rows["channel"]) == {"监管转办"} and set(rows["branch_code"]) == {"0000"}
    assert rows["regulator_referred"].all()
    assert list(rows["customer_id"]) == [f"无客户号:{i}" for i in range(2100001, 2100007)]
    assert store.current_snapshot(small_store).meta["no_customer_key"] == 6
    _, con = db.current(small_store)
    month = pd.Timestamp("2016-10-01").date()
    assert report.kpis(con, Filters(month_from=month, month_to=month), month)["repeat_rate"] == "无客户号，无法计算"


def test_a_mapped_header_the_file_lacks_says_the_stored_values_are_kept(small_store, tmp_path):
    """Hostile H79: the current CFPB export has no "Consumer disputed?" column (回访满意度); the import
    kept the stored satisfaction (hostile H65) while its hint said 该列按空值处理."""
    import_files([CFPB_SAMPLE], small_store, CFPB_MAPPING)
    before = stored(small_store)["satisfaction"]
    lean = pd.read_csv(CFPB_SAMPLE, dtype=str, keep_default_na=False).drop(columns=["Consumer disputed?"])
    lean.to_csv(tmp_path / "lean.csv", index=False)
    (summary,) = import_files([tmp_path / "lean.csv"], small_store, CFPB_MAPPING).files
    (hint,) = [w for w in summary.warnings if "Consumer disputed?" in w]
    assert "保留原值" in hint and "按空值处理" not in hint
    pd.testing.assert_series_equal(stored(small_store)["satisfaction"], before)


def test_constants_and_an_id_built_from_the_row(tmp_path):
    mapping = parse_mapping(
        {
            "constants": {"channel": "监管转办", "regulator_referred": "是"},
            "generated": {"complaint_id": {"prefix": "R-", "from": "row"}},
        }
    )
    path = write(
        tmp_path / "noid.csv",
        "受理时间,被投诉机构代码,业务类别,投诉原因,客户号,处理状态\n"
        "2026-10-01,0101,信用卡,定价收费,A,已受理\n2026-10-02,0101,信用卡,定价收费,B,已受理\n",
    )
    extract = read_extract(path, mapping)
    v = validate(extract, KNOWN)
    assert v.quarantine.empty
    assert list(v.clean["complaint_id"]) == ["R-1", "R-2"]
    assert list(v.clean["channel"]) == ["监管转办"] * 2 and v.clean["regulator_referred"].all()
    assert any("由行号生成" in w and "才稳定" in w for w in extract.warnings)


def test_an_id_hashed_from_chosen_columns(tmp_path):
    mapping = parse_mapping(
        {
            "constants": {"channel": "其他", "regulator_referred": "否"},
            "generated": {"complaint_id": {"prefix": "H", "from": ["received_at", "客户号"]}},
        }
    )
    path = write(
        tmp_path / "h.csv",
        "受理时间,被投诉机构代码,业务类别,投诉原因,客户号,处理状态\n2026-10-01,0101,信用卡,定价收费,A,已受理\n",
    )
    extract = read_extract(path, mapping)
    expected = "H" + hashlib.sha1("2026-10-01\x1fA".encode()).hexdigest()[:16]
    assert list(extract.frame["complaint_id"]) == [expected]
    assert any("哈希" in w for w in extract.warnings)


def test_one_source_column_feeds_two_contract_columns(tmp_path):
    mapping = parse_mapping({"headers": {"complaint_id": "Ticket", "customer_id": "Ticket"}})
    path = write(
        tmp_path / "t.csv",
        "Ticket,受理时间,被投诉机构代码,投诉渠道,业务类别,投诉原因,处理状态,是否监管转办\n"
        "T1,2026-10-01,0101,其他,信用卡,定价收费,已受理,否\n",
    )
    v = validate(read_extract(path, mapping), KNOWN)
    assert (v.clean["complaint_id"].iloc[0], v.clean["customer_id"].iloc[0]) == ("T1", "T1")


REASONS_FILE = "投诉编号,受理时间,被投诉机构代码,投诉渠道,业务类别,投诉原因,客户号,处理状态,是否监管转办\n" + "".join(
    f"C{i},2026-10-01,0101,其他,信用卡,{'fee' if i < 5 else f'reason{i}'},A,已受理,否\n" for i in range(10)
)


def test_unmapped_values_above_the_share_refuse_the_file(tmp_path):
    """Five of ten reasons are not in [values.reason]: 50 % > 5 %, refused with what is missing."""
    path = write(tmp_path / "r.csv", REASONS_FILE)
    mapping = parse_mapping({"values": {"reason": {"fee": "定价收费"}}})
    with pytest.raises(
        ExtractError, match=r"投诉原因\(reason\) 有 50% 的行（5 行）.*“reason5”（1 行）.*--accept-unmapped"
    ):
        validate(read_extract(path, mapping), KNOWN)
    mapping.accept_unmapped = True
    v = validate(read_extract(path, mapping), KNOWN)
    assert (len(v.clean), len(v.quarantine)) == (5, 5)


def test_a_default_value_maps_everything_not_listed(tmp_path):
    mapping = parse_mapping({"values": {"reason": {"fee": "定价收费", "*": "其他"}}})
    v = validate(read_extract(write(tmp_path / "r.csv", REASONS_FILE), mapping), KNOWN)
    assert v.quarantine.empty
    assert list(v.clean["reason"]) == ["定价收费"] * 5 + ["其他"] * 5


def test_status_derived_from_closed_at_and_closed_at_only_when_closed(tmp_path):
    head = "投诉编号,受理时间,办结时间,被投诉机构代码,投诉渠道,业务类别,投诉原因,客户号,是否监管转办\n"
    path = write(
        tmp_path / "s.csv",
        head + "S1,2026-10-01,2026-10-03,0101,其他,信用卡,定价收费,A,否\n"
        "S2,2026-10-01,,0101,其他,信用卡,定价收费,A,否\n",
    )
    v = validate(read_extract(path, parse_mapping({"rules": {"status": "from_closed_at"}})), KNOWN)
    assert list(v.clean["status"]) == ["已办结", "处理中"] and v.quarantine.empty

    head = "投诉编号,受理时间,办结时间,被投诉机构代码,投诉渠道,业务类别,投诉原因,客户号,是否监管转办,Response\n"
    path = write(
        tmp_path / "r.csv",
        head + "R1,2026-10-01,2026-10-02,0101,其他,信用卡,定价收费,A,否,Closed\n"
        "R2,2026-10-01,2026-10-02,0101,其他,信用卡,定价收费,A,否,Open\n",
    )
    mapping = parse_mapping(
        {
            "headers": {"status": "Response"},
            "rules": {"closed_at": "when_closed"},
            "values": {"status": {"Closed": "已办结", "Open": "处理中"}},
        }
    )
    v = validate(read_extract(path, mapping), KNOWN)
    assert v.quarantine.empty  # before: R2 quarantined (closed_at without 已办结)
    assert [None if pd.isna(t) else str(t.date()) for t in v.clean["closed_at"]] == ["2026-10-02", None]


def dated(tmp_path, dates: list[str]) -> Path:
    head = "投诉编号,受理时间,被投诉机构代码,投诉渠道,业务类别,投诉原因,客户号,处理状态,是否监管转办\n"
    return write(
        tmp_path / "d.csv",
        head + "".join(f"D{i},{d},0101,其他,信用卡,定价收费,A,已受理,否\n" for i, d in enumerate(dates)),
    )


def test_a_date_declaration_most_values_contradict_is_refused(tmp_path):
    """Three of four values can only be month first (09/13/2016); before, 09/12/2016 was stored as 9 December."""
    mapping = parse_mapping({"dates": {"received_at": "day_first"}})
    path = dated(tmp_path, ["09/13/2016", "09/14/2016", "09/15/2016", "09/12/2016"])
    with pytest.raises(
        ExtractError, match=r"声明为日/月/年（day_first），但 3 / 4 行的值（如 09/1\d/2016）只能按月/日/年解读"
    ):
        validate(read_extract(path, mapping), KNOWN)
    path = dated(tmp_path, ["13/09/2016", "14/09/2016", "09/15/2016", "09/12/2016"])  # 1 of 4 contradicts
    v = validate(read_extract(path, mapping), KNOWN)
    assert (len(v.clean), len(v.quarantine)) == (3, 1)
    assert str(v.clean["received_at"].iloc[2].date()) == "2016-12-09"


def test_a_date_declaration_that_some_values_contradict_and_none_supports_is_refused(tmp_path):
    """A month of month-first dates in the first twelve days reads either way except on the 13th and later: two of
    five prove day_first wrong and none needs it, so every date would be misread (hostile test F18)."""
    mapping = parse_mapping({"dates": {"received_at": "day_first"}})
    path = dated(tmp_path, ["10/02/2023", "10/05/2023", "10/09/2023", "10/13/2023", "10/14/2023"])
    with pytest.raises(
        ExtractError, match=r"但 2 / 5 行的值（如 10/1[34]/2023）只能按月/日/年解读，且没有一行只能按日/月/年解读"
    ):
        validate(read_extract(path, mapping), KNOWN)
    v = validate(read_extract(path, parse_mapping({"dates": {"received_at": "month_first"}})), KNOWN)
    assert [str(t.date()) for t in v.clean["received_at"]] == [
        "2023-10-02",
        "2023-10-05",
        "2023-10-09",
        "2023-10-13",
        "2023-10-14",
    ]


def test_a_mapping_naming_no_file_of_the_batch_or_one_file_twice_is_refused(tmp_path):
    a = write(tmp_path / "a.toml", '[headers]\ncomplaint_id = "工单A"\n')
    paths = [tmp_path / "one.csv"]
    with pytest.raises(ExtractError, match="未匹配本批任何文件"):
        mappings_for(paths, [f"other.csv={a}"])
    with pytest.raises(ExtractError, match="指定了两个映射文件"):
        mappings_for(paths, [f"one.csv={a}", f"one.csv={a}"])


def test_a_mapping_per_file(tmp_path):
    a = write(tmp_path / "a.toml", '[headers]\ncomplaint_id = "工单A"\n')
    b = write(tmp_path / "b.toml", 'files = ["b_*.csv"]\n[headers]\ncomplaint_id = "工单B"\n')
    paths = [tmp_path / "one.csv", tmp_path / "b_2026.csv", tmp_path / "other.csv"]
    chosen = mappings_for(paths, [f"one.csv={a}", str(b)])
    assert [m.headers["complaint_id"] if m else None for m in chosen] == ["工单A", "工单B", None]
    c = write(tmp_path / "c.toml", '[headers]\ncomplaint_id = "工单C"\n')  # no files: every file
    with pytest.raises(ExtractError, match="多个映射文件都适用于文件 b_2026.csv"):
        mappings_for(paths, [str(b), str(c)])


def test_cli_mapping_per_file_imports_branches_and_complaints_together(tmp_path, capsys):
    """The README's example: an organisations file and a complaints file in one command, the mapping
    forcing the complaints table given for the complaints file only."""
    branches = write_csv(
        tmp_path / "branches.csv", ["branch_code", "branch_name", "parent_code", "level", "province", "city"], BRANCHES
    )
    data = tmp_path / "data"
    args = [
        "ingest",
        str(branches),
        str(CFPB_SAMPLE),
        "--mapping",
        f"{CFPB_SAMPLE.name}={CFPB_MAPPING}",
        "--data-dir",
        str(data),
    ]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert (
        "cfpb_sample.csv（投诉工单）：读取 6 行 = 新增 6" in out and "branches.csv（机构）：读取 6 行 = 新增 6" in out
    )


def test_docs_list_every_enumeration_of_the_contract():
    from dashboard import schema

    text = (ROOT / "docs" / "mapping.md").read_text(encoding="utf-8")
    section = text[text.index("## 数据合同的枚举取值") :]
    for cols in schema.TABLES.values():
        for column in cols:
            if column.kind == "enum":
                line = next(row for row in section.splitlines() if f"（`{column.name}`" in row)
                assert re.findall(r"`([^`]+)`", line.split("：", 1)[1]) == list(column.values)


def test_cli_accept_unmapped(small_store, tmp_path, capsys):
    path = write(tmp_path / "r.csv", REASONS_FILE)
    mapping = write(tmp_path / "m.toml", '[values.reason]\nfee = "定价收费"\n')
    args = ["ingest", str(path), "--mapping", str(mapping), "--data-dir", str(small_store)]
    assert cli.main(args) == 2
    assert "有 50% 的行（5 行）" in capsys.readouterr().err
    assert cli.main(args + ["--accept-unmapped"]) == 0
    assert "读取 10 行 = 新增 5 + 更新 0 + 未变 0 + 旧于已入库 0 + 隔离 5" in capsys.readouterr().out


def test_without_a_customer_key_no_repeat_number_is_shown_as_a_figure(small_store):
    """F9: once the scope holds complaints of a source without a customer key, every repeat figure is
    无客户号，无法计算 or left out, never 0. Beijing's scope holds none of them: its figure stays (conftest:
    C03 repeats C01, customer A, 信用卡, 28 days; C06 repeats C02, customer B, 借记卡, 20 days)."""
    from datetime import date

    from dashboard.analysis import rankings, trends
    from dashboard.analysis.summary import summary

    unknown = "无客户号，无法计算"
    october = date(2026, 10, 1)
    whole, beijing = Filters(october, october), Filters(october, october, scope="0100")
    _, con = db.current(small_store)
    assert report.build(con, whole, october)["repeats"]["repeat_complaints"] == 2  # before: a figure
    import_files([CFPB_SAMPLE], small_store, CFPB_MAPPING)
    _, con = db.current(small_store)
    built = report.build(con, whole, october)
    assert built["kpis"]["repeat_rate"] == unknown
    assert built["repeats"] == {"repeat_complaints": unknown, "repeat_rate": unknown}
    ranking = rankings.load_ranking(rankings.db_runner(con, whole), october, october, "一级分行").table
    assert len(ranking) == 2 and ranking["repeat_rate"].isna().all()  # not 0: no part of the score
    assert ranking["p_repeat_rate"].isna().all()
    data = trends.load(trends.runner(con, whole), whole)
    assert data.no_customer_key and data.headline["repeat_rate"] is None
    assert "重复投诉率" not in summary(data)
    assert report.build(con, beijing, october)["repeats"]["repeat_complaints"] == 2
    assert not trends.load(trends.runner(con, beijing), beijing).no_customer_key
