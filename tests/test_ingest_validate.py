"""Validation rules, typed output, quarantine reasons, and date parsing."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard import schema
from dashboard.ingest.dates import parse_datetimes, parse_months
from dashboard.ingest.errors import ExtractError
from dashboard.ingest.mapping import load_mapping
from dashboard.ingest.readers import read_extract
from dashboard.ingest.validate import DUPLICATE_COMPLAINT, REASON_COLUMN, validate

COLS = [c.name for c in schema.COMPLAINTS]
HEADERS = [c.header_zh for c in schema.COMPLAINTS]
KNOWN = {"0001", "0101", "0102"}
BASE = {
    "complaint_id": "C001",
    "received_at": "2026-10-05 14:30:00",
    "closed_at": "",
    "branch_code": "0101",
    "channel": "客服热线",
    "business_category": "信用卡",
    "reason": "定价收费",
    "product": "金卡",
    "customer_id": "K01",
    "customer_age": "67",
    "amount": "100.5",
    "content": "年费",
    "status": "处理中",
    "result": "",
    "satisfaction": "",
    "regulator_referred": "否",
    "root_cause": "",
    "extracted_at": "",
    "deadline_days": "",
    "referral_source": "",
    "redress_amount": "",
}


def csv_cell(v: str) -> str:
    return f'"{v}"' if ("," in v or '"' in v) else v


def complaints(tmp_path: Path, rows: list[dict], name: str = "c.csv"):
    lines = [",".join(HEADERS)]
    for i, over in enumerate(rows):
        row = {**BASE, "complaint_id": f"C{i + 1:03d}", **over}
        lines.append(",".join(csv_cell(row[c]) for c in COLS))
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_extract(path)


def check(ex, v) -> None:
    """Nothing lost: every row read is in exactly one of clean and quarantine."""
    assert len(v.clean) + len(v.quarantine) == ex.rows
    assert list(v.quarantine.columns) == list(ex.frame.columns) + [REASON_COLUMN]
    assert v.quarantine[REASON_COLUMN].notna().all()


def one_reason(tmp_path, known=KNOWN, **over) -> str:
    ex = complaints(tmp_path, [{}, over])
    v = validate(ex, known)
    check(ex, v)
    assert v.clean["complaint_id"].tolist() == ["C001"]
    assert v.quarantine["source_row"].tolist() == [2]
    return v.quarantine.loc[0, REASON_COLUMN]


# --------------------------------------------------------------------------------------------- clean rows
def test_clean_rows_are_typed(tmp_path):
    ex = complaints(
        tmp_path,
        [
            {
                "closed_at": "2026-10-08",
                "status": "已办结",
                "result": "已解决",
                "satisfaction": "满意",
                "regulator_referred": "是",
                "root_cause": "流程缺陷",
                "extracted_at": "2026-10-31 08:00:00",
                "amount": "5,000.00元",
                "branch_code": " 0102 ",
            },
            {"customer_age": "", "amount": "", "product": "", "regulator_referred": "0"},
        ],
    )
    v = validate(ex, KNOWN)
    check(ex, v)
    c = v.clean
    assert list(c.columns) == COLS
    assert c["received_at"].dtype == "datetime64[us]"
    assert c["closed_at"].dtype == "datetime64[us]"
    assert c["extracted_at"].dtype == "datetime64[us]"
    assert c["customer_age"].dtype == "Int64"
    assert c["amount"].dtype == "float64"
    assert c["regulator_referred"].dtype == bool
    assert c["branch_code"].dtype == "str"
    assert c["branch_code"].tolist() == ["0102", "0101"]  # trimmed, zero kept
    assert c["amount"].iloc[0] == 5000.0 and np.isnan(c["amount"].iloc[1])
    assert c["customer_age"].iloc[0] == 67 and c["customer_age"].iloc[1] is pd.NA
    assert pd.isna(c["product"].iloc[1])
    assert c["regulator_referred"].tolist() == [True, False]
    assert c["closed_at"].iloc[0] == pd.Timestamp("2026-10-08") and pd.isna(c["closed_at"].iloc[1])
    assert v.quarantine.empty


# -------------------------------------------------------------------------------------- complaint rules
# --- Rows whose fields disagree (hostile H132): kept, counted by one rule, warned with rows and a count ------
def test_rows_whose_status_channel_and_flag_disagree_are_kept_by_one_rule(tmp_path):
    rows = [
        {},  # C001: clean, open
        {"channel": "监管转办", "regulator_referred": "否"},  # C002: the channel is the referral
        {"channel": "监管转办", "regulator_referred": "否", "referral_source": "12378"},  # C003: its source fits
        {"status": "处理中", "closed_at": "2026-10-06"},  # C004: reopened: open, no closing time
        {"status": "已受理", "result": "已解决"},  # C005: a result typed ahead: open, no result
        {"status": "处理中", "closed_at": "2026-10-06", "result": "已解决"},  # C006: both
        {"channel": "监管转办", "regulator_referred": "是"},  # C007: agrees: no warning
    ]
    ex = complaints(tmp_path, rows)
    v = validate(ex, KNOWN)
    check(ex, v)
    assert v.quarantine.empty and len(v.clean) == 7  # every row kept
    c = v.clean.set_index("complaint_id")
    # by hand: referred = C002, C003 (by the channel) and C007 (by the flag)
    assert c.index[c["regulator_referred"]].tolist() == ["C002", "C003", "C007"]
    assert c["closed_at"].isna().all() and c["result"].isna().all()  # all seven open, none with a result
    assert set(c["status"]) == {"处理中", "已受理"}
    warned = {w.split("：")[0]: w for w in v.warnings}
    assert warned["投诉渠道为监管转办，但是否监管转办为否"].startswith(
        "投诉渠道为监管转办，但是否监管转办为否：2 行（第 2、3 行）；"
    )
    assert "按监管转办计" in warned["投诉渠道为监管转办，但是否监管转办为否"]
    closing = warned["处理状态未办结（已受理或处理中），但填写了办结时间"]
    assert "：2 行（第 4、6 行）；" in closing and "按未办结计" in closing
    result = warned["处理状态未办结（已受理或处理中），但填写了处理结果"]
    assert "：2 行（第 5、6 行）；" in result and "处理结果按未填写处理" in result
    assert len(v.warnings) == 3


def test_a_closed_complaint_without_a_closing_time_is_still_quarantined(tmp_path):
    # no closing time can be made up: the deadline metrics need one (the rule kept from the contract)
    assert one_reason(tmp_path, status="已办结", closed_at="") == "处理状态为已办结，但办结时间为空"


@pytest.mark.parametrize(
    "over, reason",
    [
        ({"customer_id": "  "}, "客户号为空（必填）"),
        ({"received_at": ""}, "受理时间为空（必填）"),
        ({"received_at": "2026-02-30"}, "受理时间无法解析为日期：2026-02-30"),
        ({"received_at": "2026-10-05 25:00"}, "受理时间无法解析为日期：2026-10-05 25:00"),
        ({"received_at": "昨天"}, "受理时间无法解析为日期：昨天"),
        ({"extracted_at": "x"}, "提取时间无法解析为日期：x"),
        (
            {"closed_at": "2026-10-04", "status": "已办结"},
            "办结时间早于受理时间：办结 2026-10-04，受理 2026-10-05 14:30:00",
        ),
        ({"closed_at": "", "status": "已办结"}, "处理状态为已办结，但办结时间为空"),
        ({"channel": "xxx"}, "投诉渠道取值不在合同枚举内：xxx"),
        ({"business_category": "股票"}, "业务类别取值不在合同枚举内：股票"),
        ({"reason": "态度差"}, "投诉原因取值不在合同枚举内：态度差"),
        ({"status": "已关闭"}, "处理状态取值不在合同枚举内：已关闭"),
        ({"result": "解决"}, "处理结果取值不在合同枚举内：解决"),
        ({"satisfaction": "很好"}, "回访满意度取值不在合同枚举内：很好"),
        ({"root_cause": "天气"}, "根因分类取值不在合同枚举内：天气"),
        ({"regulator_referred": "maybe"}, "是否监管转办取值无法识别：maybe（应为 是/否、true/false、1/0、Y/N）"),
        ({"regulator_referred": ""}, "是否监管转办为空（必填）"),
        ({"customer_age": "121"}, "客户年龄应为 0 到 120 之间的整数：121"),
        ({"customer_age": "-1"}, "客户年龄应为 0 到 120 之间的整数：-1"),
        ({"customer_age": "35.5"}, "客户年龄应为 0 到 120 之间的整数：35.5"),
        ({"customer_age": "三十"}, "客户年龄应为 0 到 120 之间的整数：三十"),
        ({"amount": "-5"}, "涉及金额不能为负数：-5"),
        ({"amount": "abc"}, "涉及金额无法解析为数字：abc"),
        ({"amount": "1,00"}, "涉及金额无法解析为数字：1,00"),
        ({"branch_code": "0999"}, "被投诉机构代码不存在于机构表：0999"),
        (
            {"branch_code": "101"},  # never padded silently, but the likely cause is said
            "被投诉机构代码不存在于机构表：101（可能是 Excel 把代码存成了数字、丢失了前导 0：是否为 0101？"
            "请把该列设为文本格式后重新导出）",
        ),
    ],
)
def test_complaint_rule(tmp_path, over, reason):
    assert one_reason(tmp_path, **over) == reason


@pytest.mark.parametrize(
    "word, expected",
    [
        ("是", True),
        ("否", False),
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("Y", True),
        ("n", False),
        (" 是 ", True),
    ],
)
def test_regulator_referred_forms(tmp_path, word, expected):
    ex = complaints(tmp_path, [{"regulator_referred": word}])
    v = validate(ex, KNOWN)
    assert v.clean["regulator_referred"].tolist() == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("5,000.00", 5000.0),
        ("5000元", 5000.0),
        ("1,234,567.8 元", 1234567.8),
        ("¥12.5", 12.5),
        ("0", 0.0),
        ("12", 12.0),
    ],
)
def test_amount_forms(tmp_path, text, expected):
    v = validate(complaints(tmp_path, [{"amount": text}]), KNOWN)
    assert v.clean["amount"].tolist() == [expected]


def test_age_integral_float_accepted(tmp_path):
    v = validate(
        complaints(tmp_path, [{"customer_age": "35.0"}, {"customer_age": "0"}, {"customer_age": "120"}]), KNOWN
    )
    assert v.clean["customer_age"].tolist() == [35, 0, 120]


def test_closed_same_day_date_only_is_not_before_received(tmp_path):
    v = validate(complaints(tmp_path, [{"closed_at": "2026-10-05", "status": "已办结"}]), KNOWN)
    assert len(v.clean) == 1


def test_several_reasons_joined(tmp_path):
    reason = one_reason(tmp_path, channel="电话", branch_code="0999", customer_age="200")
    assert reason == (
        "投诉渠道取值不在合同枚举内：电话；客户年龄应为 0 到 120 之间的整数：200；被投诉机构代码不存在于机构表：0999"
    )


def test_duplicate_ids_last_in_file_wins(tmp_path):
    ex = complaints(
        tmp_path,
        [
            {"complaint_id": "C9", "status": "已受理"},
            {"complaint_id": "C2"},
            {"complaint_id": "C9", "status": "处理中"},
            {"complaint_id": " C9 ", "status": "已办结", "closed_at": "2026-10-09"},
        ],
    )
    v = validate(ex, KNOWN)
    check(ex, v)
    assert v.clean["complaint_id"].tolist() == ["C2", "C9"]
    assert v.clean["status"].tolist() == ["处理中", "已办结"]
    assert v.quarantine["source_row"].tolist() == [1, 3]
    assert v.quarantine[REASON_COLUMN].tolist() == [f"{DUPLICATE_COMPLAINT}：C9（保留第 4 行）"] * 2
    assert "；" not in DUPLICATE_COMPLAINT  # it joins a row's reasons


def test_duplicate_ids_without_extracted_at_never_reopen_a_closed_complaint(tmp_path):
    # hostile H48: two daily extracts pasted in the wrong order; between files this row would be skipped
    ex = complaints(
        tmp_path,
        [
            {"complaint_id": "C1", "status": "已办结", "closed_at": "2026-10-21"},
            {"complaint_id": "C2", "status": "处理中"},
            {"complaint_id": "C1", "status": "处理中"},  # later in the file, but a step back
            {"complaint_id": "C2", "status": "已受理"},
            {"complaint_id": "C3", "status": "已受理"},
            {"complaint_id": "C3", "status": "处理中", "extracted_at": "2026-10-05"},  # one row has none: progress
        ],
    )
    v = validate(ex, KNOWN)
    check(ex, v)
    kept = dict(zip(v.clean["complaint_id"], v.clean["status"]))
    assert kept == {"C1": "已办结", "C2": "处理中", "C3": "处理中"}
    assert sorted(v.quarantine["source_row"].tolist()) == [3, 4, 5]
    assert v.quarantine.set_index("source_row").loc[3, REASON_COLUMN] == f"{DUPLICATE_COMPLAINT}：C1（保留第 1 行）"


def test_duplicate_ids_newest_extracted_at_wins(tmp_path):
    ex = complaints(
        tmp_path,
        [
            {"complaint_id": "C1", "status": "已办结", "closed_at": "2026-10-09", "extracted_at": "2026-10-31"},
            {"complaint_id": "C1", "status": "处理中", "extracted_at": "2026-10-10"},
            {"complaint_id": "C1", "status": "已受理", "extracted_at": ""},
        ],
    )
    v = validate(ex, KNOWN)
    check(ex, v)
    assert v.clean["status"].tolist() == ["已办结"]
    assert v.quarantine["source_row"].tolist() == [2, 3]
    assert all(r.endswith("（保留第 1 行）") for r in v.quarantine[REASON_COLUMN])


def test_quarantine_keeps_row_as_read(tmp_path):
    ex = complaints(tmp_path, [{"channel": " 电话 ", "amount": "5,000元"}])
    v = validate(ex, KNOWN)
    q = v.quarantine
    assert q.loc[0, "channel"] == " 电话 "  # untrimmed, as in the file
    assert q.loc[0, "amount"] == "5,000元"
    assert q.loc[0, "source_row"] == 1
    assert q.loc[0, REASON_COLUMN] == "投诉渠道取值不在合同枚举内：电话"


def test_value_map_from_mapping_applies_before_enum_check(tmp_path):
    mapping_path = tmp_path / "m.yaml"
    mapping_path.write_text(
        "values:\n  channel: {'01': 客服热线}\n  branch_code: {'101': '0101'}\n  closed_at: {'-': ''}\n",
        encoding="utf-8",
    )
    # Half of this file's channels are unmapped: above max_unmapped_share, accepted here on purpose.
    mapping = dataclasses.replace(load_mapping(mapping_path), accept_unmapped=True)
    ex = complaints(tmp_path, [{"channel": "01", "branch_code": "101", "closed_at": "-"}, {"channel": "02"}])
    v = validate(ex, KNOWN, mapping)
    assert v.clean["channel"].tolist() == ["客服热线"]
    assert pd.isna(v.clean["closed_at"].iloc[0])
    assert v.clean["branch_code"].tolist() == ["0101"]
    assert v.quarantine[REASON_COLUMN].tolist() == ["投诉渠道取值不在合同枚举内：02"]


# ------------------------------------------------------------------------------------------- dates, e2e
@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-10-05", "2026-10-05 00:00"),
        ("2026/10/5", "2026-10-05 00:00"),
        ("2026.10.05", "2026-10-05 00:00"),
        ("2026-10-05 14:30:00", "2026-10-05 14:30"),
        ("2026-10-05 14:30", "2026-10-05 14:30"),
        ("2026-10-05T14:30:00", "2026-10-05 14:30"),
        ("2026-10-05 14:30:00.250", "2026-10-05 14:30:00.250"),
        ("2026-10-05T06:30:00Z", "2026-10-05 14:30"),
        ("2026-10-05 14:30:00+08:00", "2026-10-05 14:30"),
        ("2026年10月5日", "2026-10-05 00:00"),
        ("2026年10月5日 14时30分", "2026-10-05 14:30"),
        ("20261005", "2026-10-05 00:00"),
        ("13/10/2026", "2026-10-13 00:00"),  # decides day-first by itself
        ("10/13/2026 2:30 PM", "2026-10-13 14:30"),  # decides month-first by itself
        ("46300", "2026-10-05 00:00"),  # whole column numeric -> Excel serial
        ("46300.5", "2026-10-05 12:00"),
    ],
)
def test_date_forms(text, expected):
    parsed = parse_datetimes(pd.Series([text], dtype="str"), "受理时间", "received_at")
    assert not parsed.failed.any()
    assert parsed.values.iloc[0] == pd.Timestamp(expected)


def test_day_first_decided_by_column():
    s = pd.Series(["05-10-2026", "03/04/2026", "13/05/2026", None], dtype="str")
    parsed = parse_datetimes(s, "受理时间", "received_at")
    assert parsed.values.tolist()[:3] == [
        pd.Timestamp("2026-10-05"),
        pd.Timestamp("2026-04-03"),
        pd.Timestamp("2026-05-13"),
    ]
    assert pd.isna(parsed.values.iloc[3]) and not parsed.failed[3]
    assert "日/月/年" in parsed.note


def test_month_first_decided_by_column():
    parsed = parse_datetimes(pd.Series(["05-10-2026", "12/25/2026"], dtype="str"), "受理时间", "received_at")
    assert parsed.values.tolist() == [pd.Timestamp("2026-05-10"), pd.Timestamp("2026-12-25")]


def test_inconsistent_column_contradicting_rows_fail():
    s = pd.Series(["13/05/2026", "14/05/2026", "05/20/2026", "01/02/2026"], dtype="str")
    parsed = parse_datetimes(s, "受理时间", "received_at")
    assert parsed.failed.tolist() == [False, False, True, False]
    assert parsed.values.iloc[3] == pd.Timestamp("2026-02-01")
    assert "日/月/年" in parsed.hints[2]


def test_ambiguous_column_refused_with_instructions():
    with pytest.raises(ExtractError) as err:
        parse_datetimes(pd.Series(["05-10-2026", "03/04/2026"], dtype="str"), "受理时间", "received_at")
    msg = str(err.value)
    assert "列 受理时间 的日期格式无法判断是日/月/年还是月/日/年" in msg
    assert '[dates] received_at = "day_first"' in msg


def test_ambiguous_column_refused_from_validate(tmp_path):
    ex = complaints(tmp_path, [{"received_at": "05-10-2026"}, {"received_at": "03/04/2026"}])
    with pytest.raises(ExtractError, match=r"文件 c\.csv：列 受理时间 的日期格式无法判断"):
        validate(ex, KNOWN)


@pytest.mark.parametrize(
    "declared, expected",
    [
        ("day_first", ["2026-10-05", "2026-04-03"]),
        ("month_first", ["2026-05-10", "2026-03-04"]),
        ("%d-%m-%Y", ["2026-10-05", None]),  # explicit format is strict: 03/04/2026 does not fit
    ],
)
def test_declared_formats(declared, expected):
    s = pd.Series(["05-10-2026", "03/04/2026", "2026-01-02"], dtype="str")
    parsed = parse_datetimes(s, "受理时间", "received_at", declared)
    got = [None if pd.isna(x) else x.strftime("%Y-%m-%d") for x in parsed.values]
    assert got == expected + ["2026-01-02"]  # year-first always accepted


def test_serial_only_when_whole_column_numeric():
    parsed = parse_datetimes(pd.Series(["46300", "2026-10-05"], dtype="str"), "受理时间", "received_at")
    assert parsed.failed.tolist() == [True, False]
    assert "Excel" in parsed.hints[0]
    declared = parse_datetimes(
        pd.Series(["46300", "2026-10-05"], dtype="str"), "受理时间", "received_at", "excel_serial"
    )
    assert declared.values.tolist() == [pd.Timestamp("2026-10-05")] * 2


def test_dates_declared_in_mapping_file_e2e(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text('[dates]\nreceived_at = "month_first"\n', encoding="utf-8")
    ex = complaints(tmp_path, [{"received_at": "10/05/2026"}, {"received_at": "03/04/2026 09:15"}])
    v = validate(ex, KNOWN, load_mapping(path))
    assert v.clean["received_at"].tolist() == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-03-04 09:15")]


def test_date_failure_reason_in_quarantine(tmp_path):
    ex = complaints(
        tmp_path, [{"received_at": "13/05/2026"}, {"received_at": "05/20/2026"}, {"received_at": "14/05/2026"}]
    )
    v = validate(ex, KNOWN)
    check(ex, v)
    assert v.quarantine["source_row"].tolist() == [2]
    assert v.quarantine.loc[0, REASON_COLUMN].startswith("受理时间无法解析为日期：05/20/2026（该列按日/月/年解读")
    assert any("不一致" in n for n in v.notes)
    # one reason, one row: "；" joins a row's reasons (the import summary and the quarantine table split on
    # it), so a reason's own text must not hold one (hostile H37: this one was counted as two, brackets torn)
    assert "；" not in v.quarantine.loc[0, REASON_COLUMN]


# -------------------------------------------------------------------------------------------- branches
def branches(tmp_path: Path, body: str):
    path = tmp_path / "b.csv"
    path.write_text("机构代码,机构名称,上级机构代码,机构层级,省份,城市\n" + body, encoding="utf-8")
    return read_extract(path)


def test_branches_rules(tmp_path):
    ex = branches(
        tmp_path,
        "\n".join(
            [
                "0001,总行,,总行,北京,北京",  # 1 ok (head office, no parent)
                "0100,北京分行,0001,一级分行,北京,",  # 2 ok
                "0101,朝阳支行,0100,支行,北京,",  # 3 ok: parent in this file
                "0102,海淀支行,0999,支行,北京,",  # 4 parent unknown
                "0103,西城支行,,支行,北京,",  # 5 parent missing
                "0104,东城支行,0100,分理处,北京,",  # 6 level not in enum
                "0105,,0100,支行,,",  # 7 name, province missing
                "0200,上海分行,0001,一级分行,,",  # 8 province missing -> its child fails too
                "0201,浦东支行,0200,支行,上海,",  # 9 parent row quarantined
                "0106,丰台支行,0106,支行,北京,",  # 10 its own parent
                "0101,朝阳支行（新）,0100,支行,北京,",  # 11 duplicate code: this one wins
                "0300,广东分行,0002,一级分行,广东,",  # 12 parent in known_branches
            ]
        )
        + "\n",
    )
    v = validate(ex, {"0002"})
    check(ex, v)
    assert v.clean["branch_code"].tolist() == ["0001", "0100", "0101", "0300"]
    assert v.clean["branch_name"].tolist()[2] == "朝阳支行（新）"
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons == {
        3: "文件内机构代码重复，以较后的一行为准：0101（保留第 11 行）",
        4: "上级机构代码不存在于机构表：0999",
        5: "上级机构代码为空（非总行机构必填）",
        6: "机构层级取值不在合同枚举内：分理处",
        7: "机构名称为空（必填）；省份为空（必填）",
        8: "省份为空（必填）",
        9: "上级机构代码对应的机构行未通过校验：0200",
        10: "上级机构代码不能是本机构自身：0106",
    }
    assert list(v.clean.columns) == [c.name for c in schema.BRANCHES]


def test_branches_parent_cycle(tmp_path):
    ex = branches(tmp_path, "0201,甲,0202,支行,上海,\n0202,乙,0201,支行,上海,\n0203,丙,0201,支行,上海,\n")
    v = validate(ex, {"0001"})
    check(ex, v)
    assert v.quarantine[REASON_COLUMN].tolist() == [
        "上级机构关系形成循环：0201 → 0202 → 0201",
        "上级机构关系形成循环：0202 → 0201 → 0202",
        "上级机构代码对应的机构行未通过校验：0201",
    ]
    assert v.clean.empty


def test_branches_missing_code(tmp_path):
    ex = branches(tmp_path, ",某支行,0001,支行,北京,\n")
    v = validate(ex, {"0001"})
    assert v.quarantine[REASON_COLUMN].tolist() == ["机构代码为空（必填）"]


# ----------------------------------------------------------------------------------- customers_monthly
def customers(tmp_path: Path, body: str):
    path = tmp_path / "m.csv"
    path.write_text("机构代码,月份,客户数\n" + body, encoding="utf-8")
    return read_extract(path)


def test_month_forms(tmp_path):
    ex = customers(
        tmp_path,
        "0101,2026-10,1\n0101,2026/11,2\n0101,202612,3\n0101,2027-01-01,4\n"
        "0101,2027年2月,5\n0101,2027-03-15 00:00:00,6\n",
    )
    v = validate(ex, KNOWN, now=datetime(2027, 3, 20))  # imported after the last of them (H159)
    assert v.clean["month"].tolist() == ["2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"]
    assert v.clean["month"].dtype == "str"
    assert v.clean["customer_count"].dtype == "int64"
    assert v.clean["customer_count"].tolist() == [1, 2, 3, 4, 5, 6]


def test_customers_rules(tmp_path):
    ex = customers(
        tmp_path,
        "\n".join(
            [
                '0101,2026-10,"1,200"',  # 1 ok (thousands separator)
                "0999,2026-10,5",  # 2 unknown branch
                "0101,2026-13,5",  # 3 bad month
                "0102,2026-10,0",  # 4 count not > 0
                "0102,2026-11,2.5",  # 5 count not integer
                "0001,2026-10,",  # 6 count missing
                "0102,2026-12,7",  # 7 duplicate of 8 (same month, another form)
                "0102,202612,8",  # 8 wins
            ]
        )
        + "\n",
    )
    v = validate(ex, KNOWN)
    check(ex, v)
    assert v.clean["branch_code"].tolist() == ["0101", "0102"]
    assert v.clean["customer_count"].tolist() == [1200, 8]
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons == {
        2: "机构代码不存在于机构表：0999",
        3: "月份无法解析为年月：2026-13（应为 YYYY-MM，如 2026-10）",
        4: "客户数应为大于 0 的整数：0",
        5: "客户数应为大于 0 的整数：2.5",
        6: "客户数为空（必填）",
        7: "文件内同一机构同一月份重复，以较后的一行为准：0102 2026-12（保留第 8 行）",
    }


def test_parse_months_serial_and_mixed():
    assert parse_months(pd.Series(["46296"], dtype="str"), "月份", "month").values.tolist() == ["2026-10"]
    mixed = parse_months(pd.Series(["2026-10", "46296"], dtype="str"), "月份", "month")
    assert mixed.failed.tolist() == [False, True]


def test_a_code_that_lost_its_leading_zero_is_named(tmp_path):
    # hostile H38: Excel turns 0101 typed into a number cell into 101; the reason said only 不存在于机构表
    ex = complaints(tmp_path, [{"branch_code": "101"}, {"branch_code": "999"}, {"branch_code": "0101"}])
    v = validate(ex, KNOWN)
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert set(reasons) == {1, 2}
    assert reasons[1].startswith("被投诉机构代码不存在于机构表：101（") and "是否为 0101？" in reasons[1]
    assert reasons[2] == "被投诉机构代码不存在于机构表：999"  # no known code behind it: nothing guessed
    assert "；" not in reasons[1]


# The stored tree of the next tests: 0001 总行 > 0100 一级分行 > 0101 支行, 0200 一级分行 > 0201 支行.
STORED_TREE = {
    "0001": (None, "总行"),
    "0100": ("0001", "一级分行"),
    "0101": ("0100", "支行"),
    "0200": ("0001", "一级分行"),
    "0201": ("0200", "支行"),
}


def test_a_cycle_through_stored_organisations_is_refused(tmp_path):
    # hostile H53: 0100 made the child of its own 支行 passed (the loop ran through a stored row) and the
    # tree repeated ancestors: that branch's figures multiplied, its users locked out
    ex = branches(tmp_path, "0100,北京分行,0101,一级分行,北京,\n")
    v = validate(ex, set(STORED_TREE), stored_tree=STORED_TREE)
    (reason,) = v.quarantine[REASON_COLUMN].tolist()
    assert reason.startswith("上级机构关系形成循环：0100 → 0101 → 0100")
    assert v.clean.empty


def test_a_parent_must_be_of_a_higher_level_and_a_move_is_said(tmp_path):
    # hostile H54: a 一级分行 put under another branch's 支行 moved its whole subtree into that branch's scope
    ex = branches(
        tmp_path,
        "0200,上海分行,0101,一级分行,上海,\n"  # under a 支行: refused
        "0201,浦东支行,0202,支行,上海,\n"  # under a 支行 of this file
        "0202,徐汇支行,0200,支行,上海,\n"
        "0300,广州分行,0001,一级分行,广东,\n"  # new, fine
        "0101,朝阳支行,0300,支行,北京,\n",  # moved from 0100 to 0300: accepted, and said
    )
    v = validate(ex, set(STORED_TREE), stored_tree=STORED_TREE)
    reasons = dict(zip(v.quarantine["source_row"], v.quarantine[REASON_COLUMN]))
    assert reasons == {
        1: "上级机构层级不符（上级应比本机构层级高）：一级分行 0200 的上级 0101 是支行",
        2: "上级机构层级不符（上级应比本机构层级高）：支行 0201 的上级 0202 是支行",
    }
    assert v.clean["branch_code"].tolist() == ["0202", "0300", "0101"]
    assert any(n.startswith("机构调整") and "0101 上级 0100 → 0300" in n for n in v.notes)


def test_a_second_head_office_is_refused(tmp_path):
    # hostile H57: a second root left complaints outside 总行's subtree
    ex = branches(tmp_path, "9000,第二总行,,总行,北京,\n0001,总行,,总行,北京,\n")
    v = validate(ex, set(STORED_TREE), stored_tree=STORED_TREE)
    assert v.quarantine[REASON_COLUMN].tolist() == ["机构表只能有一个总行（已有总行 0001）：9000"]
    assert v.clean["branch_code"].tolist() == ["0001"]
    fresh = validate(branches(tmp_path, "0001,总行,,总行,北京,\n9000,第二总行,,总行,北京,\n"), set())
    assert fresh.quarantine[REASON_COLUMN].tolist() == ["机构表只能有一个总行（已有总行 0001）：9000"]


@pytest.mark.parametrize("placeholder", ["1970-01-01 00:00:00", "1900-01-01", "1899-12-30"])
def test_a_received_time_an_exporter_writes_for_null_is_quarantined(tmp_path, placeholder):
    """Hostile H83: 1970-01-01 (a NULL timestamp in many exports) was imported as an open complaint 56 years
    overdue, and the data's months started in 1970."""
    reason = one_reason(tmp_path, received_at=placeholder)
    assert reason == f"受理时间为 {placeholder}，早于 2000 年（IMPORT_EARLIEST_YEAR），疑似导出系统空日期的默认值"


def test_an_early_closing_time_is_quarantined_and_the_first_day_of_2000_is_not(tmp_path):
    reason = one_reason(tmp_path, status="已办结", received_at="1969-12-31 09:00:00", closed_at="1970-01-01")
    assert reason.startswith("受理时间为 1969-12-31 09:00:00") and "办结时间为 1970-01-01，早于 2000 年" in reason
    ex = complaints(tmp_path, [{"received_at": "2000-01-01 00:00:00"}])
    assert validate(ex, KNOWN).quarantine.empty
