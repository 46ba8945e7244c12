"""Every exit is masked (issue 15, section 3): identifiers planted into narratives, a ledger item, the
briefing notes and an audit reason are looked for in every page and every file a user can take away."""

from __future__ import annotations

import io
import json
from datetime import date

import openpyxl
import pytest
from google.protobuf import text_format
from streamlit.testing.v1 import AppTest

from dashboard import db
from dashboard.auth import audit, roles
from dashboard.auth.roles import LEADER, Principal
from dashboard.briefing import build, files
from dashboard.cli import main
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from dashboard.ledger import export as ledger_export
from dashboard.ledger.store import Ledger
from dashboard.text import terms
from dashboard.ui import complaint_list, download
from tests.apptest_support import run_app
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, CUSTOMERS, write_csv

OCT = date(2026, 10, 1)
PII = "客户李春花（手机13987654321，身份证110101199003071234，卡号6222021234567890123，邮箱lichunhua@example.com）"
SECRETS = [
    "李春花",
    "春花",
    "13987654321",
    "110101199003071234",
    "6222021234567890123",
    "lichunhua",
    "LICHUNHUA",
    "EXAMPLE",
    # H99: a 客户号 that is a mobile (customer A) or an ID number (customer C); H60: a phone typed into the
    # product name of P6
    "13912345678",
    "32010219880506123X",
    "13512345678",
]
MOBILE_ID, CARD_ID = "13912345678", "32010219880506123X"


def complaint(cid, received, branch, customer, content, product="白金卡"):
    customer = {"A": MOBILE_ID, "C": CARD_ID}.get(customer, customer)
    return (
        cid,
        received,
        "",
        branch,
        "客服热线",
        "信用卡",
        "定价收费",
        product,
        customer,
        "40",
        "300",
        content,
        "处理中",
        "",
        "",
        "否",
        "",
    )


ROWS = [
    complaint("P1", "2026-09-02 10:00:00", "0101", "A", PII + "反映信用卡年费被重复收取，要求退还年费"),
    complaint("P2", "2026-09-20 10:00:00", "0101", "A", PII + "再次反映信用卡年费被重复收取，要求退还年费"),
    complaint("P3", "2026-10-03 10:00:00", "0101", "A", PII + "第三次反映信用卡年费被重复收取，要求退还年费"),
    complaint("P4", "2026-10-08 10:00:00", "0102", "B", PII + "反映信用卡年费被重复收取，要求退还年费"),
    complaint(
        "P5", "2026-10-15 10:00:00", "0201", "C", "理财经理丁国庆销售误导，合同也是丁国庆签的，丁经理拒绝赔偿，" + PII
    ),
    complaint(
        "P6", "2026-10-20 10:00:00", "0201", "C", PII + "反映信用卡年费被重复收取，要求退还年费", "白金卡13512345678"
    ),
]


def leaks(text: str) -> list[str]:
    return [s for s in SECRETS + ["国庆"] if s in text]


def page_text(at: AppTest) -> str:
    """Everything a page shows: each element's message (text, captions, charts' JSON) and each table."""
    parts = [df.value.to_csv() for df in at.dataframe] + [t.value.to_csv() for t in at.table]

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and type(node).__name__ not in ("Dataframe", "Table"):
            parts.append(text_format.MessageToString(proto, as_utf8=True))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


@pytest.fixture
def store(tmp_path, app_env):
    folder = tmp_path / "x"
    folder.mkdir()
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, ROWS),
    ]
    data_dir = tmp_path / "data"
    import_files(files, data_dir)
    bad = list(ROWS[0])
    bad[0], bad[1], bad[3] = "Q1", "手机13987654321", "李春花"  # shifted values: quarantined
    # an extract named after its customer (hostile H121): the file name is shown on 数据管理 and the audit page
    import_files([write_csv(folder / "客户李春花13987654321.csv", COMPLAINT_HEADERS_ZH, [bad])], data_dir)
    ledger = Ledger(data_dir)
    ledger.create(
        source="recurring",
        title="跟进客户李春花13987654321的年费投诉",
        user="张三",
        branch_code="0101",
        business_category="信用卡",
        reason="定价收费",
        action="联系客户李春花（13987654321）退费",
        owner_dept="信用卡部 回访客户李春花 手机13987654321",  # free text: the filter's options and the form (H176)
        due_date="2026-12-31",
        today=OCT,
    )
    app_env(data_dir)  # demo mode on this store (the pages would otherwise show the sign-in configuration page)
    return data_dir


def run_page(page: str, query: dict | None = None) -> AppTest:
    at = run_app(page, {"from": "2026-09", "to": "2026-10", **(query or {})}, timeout=90)
    assert not [e.value for e in at.error if "配置" in e.value], "the page must show data, not the configuration page"
    return at


@pytest.mark.parametrize(
    "page",
    [
        "app_pages/hotspots.py",
        "app_pages/repeats.py",
        "app_pages/rankings.py",
        "app_pages/trends.py",
        "app_pages/ledger.py",
        "app_pages/events.py",
    ],
)
def test_pages_show_nothing_planted_to_a_leader(store, monkeypatch, page):
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = run_page(page)
    assert leaks(page_text(at)) == []


def test_the_opened_ledger_item_and_the_owner_filter_are_masked_to_a_leader(store, monkeypatch):
    """The 责任部门 filter's options and the edit form's boxes (hostile H176: the table masked 责任部门, its
    filter right above listed it in clear, and so did the form)."""
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    (item,) = Ledger(store).items(OCT)["id"].tolist()
    at = run_page("app_pages/ledger.py", {"lg_item": str(item)})
    text = page_text(at)
    assert "编辑事项" in text and "信用卡部" in text  # the form is drawn, the department readable
    assert leaks(text) == []


def test_detail_of_a_complaint_is_masked(store, monkeypatch):
    monkeypatch.setattr(roles, "demo_principal", lambda name: Principal(name, LEADER, name=name, demo=True))
    at = run_page("app_pages/hotspots.py")
    at.selectbox(key="hs_list_detail").select("P5").run()
    assert not at.exception
    text = page_text(at)
    assert "P5" in text and "丁**" in text
    assert leaks(text) == []


def test_data_and_audit_pages_are_masked(store):
    audit.record(
        "reveal",
        Principal("cp@bank.test", "消保部"),
        {"complaint_id": "P1", "reason": "回访前核实客户李春花13987654321的身份"},
    )
    for page in ("app_pages/data.py", "app_pages/audit.py"):  # 消保部 pages (demo user)
        at = run_page(page)
        text = page_text(at)
        assert leaks(text) == [], page
    quarantine_csv, _ = download.to_bytes(
        next(df.value for df in run_page("app_pages/data.py").dataframe if "隔离原因" in df.value.columns)
    )
    assert leaks(quarantine_csv.decode("utf-8-sig")) == []


def test_hot_terms_have_nothing_from_masked_spans():
    found = terms.tokenize(PII + "反映信用卡年费被重复收取")
    assert "COM" not in found and "EXAMPLE" not in found and not leaks(" ".join(found))
    assert "年费" in found


def test_files_are_masked(store, tmp_path, capsys):
    _, con = db.current(store)
    f = Filters(month_from=date(2026, 9, 1), month_to=OCT)
    params = f.params(
        d_org=None,
        d_product=None,
        d_province=None,
        d_city=None,
        term=None,
        search=None,
        sort_key="received_at",
        sort_desc=True,
    )
    shown = complaint_list.export_rows(con, "complaints_list", params)
    assert len(shown) == 6
    csv_bytes, _ = download.to_bytes(shown)
    assert leaks(csv_bytes.decode("utf-8-sig")) == []
    book = openpyxl.load_workbook(io.BytesIO(complaint_list.to_excel(shown)))
    assert leaks(" ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)) == []

    ledger = Ledger(store)
    items = ledger.items(OCT)
    book = openpyxl.load_workbook(io.BytesIO(ledger_export.to_excel(items, ledger.history_of(items["id"].tolist()))))
    assert leaks(" ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)) == []

    data = build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)
    xlsx, html = files.write(data, tmp_path / "briefing", notes="请跟进客户李春花（13987654321）的投诉")
    assert leaks(html.read_text(encoding="utf-8")) == []
    book = openpyxl.load_workbook(xlsx)
    assert leaks(" ".join(str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r)) == []

    assert main(["report", "--month", "2026-10", "--data-dir", str(store), "--json"]) == 0
    report = capsys.readouterr().out
    assert json.loads(report) and leaks(report) == []


def test_free_text_product_is_masked_in_list_detail_and_csv():
    # H60: a source system let staff type a phone into 产品名称; it left in full beside the masked narrative.
    import pandas as pd

    from dashboard.ui.complaint_detail import show_value

    rows = pd.DataFrame({"complaint_id": ["X1"], "content": ["年费争议"], "product": ["+86 13812345678来电"]})
    shown = complaint_list.shown_frame(rows)
    assert shown["产品名称"].tolist() == ["+86 138****5678来电"]  # the mask's phone shape, by hand
    assert "13812345678" not in show_value("product", "+86 13812345678来电")
    csv_bytes, _ = download.to_bytes(rows)
    assert "13812345678" not in csv_bytes.decode("utf-8-sig")
    assert "白金卡" in show_value("product", "白金卡")  # an ordinary product name stays as written


def test_the_import_messages_on_the_data_page_are_masked(store, tmp_path, app_env):
    """H141: after H121 the result table masked the file name, the captions under it (a skipped title line,
    the file name) did not."""
    title = "导出人：李春花 13987654321"
    path = tmp_path / "客户李春花13987654321续.csv"
    write_csv(path, COMPLAINT_HEADERS_ZH, [complaint("P7", "2026-10-21 10:00:00", "0101", "D", "柜员态度差")])
    path.write_text(title + "\n" + path.read_text(encoding="utf-8-sig"), encoding="utf-8")
    result = import_files([path], store)
    assert any("李春花" in w for f in result.files for w in f.warnings)  # the summary quotes them (for the CLI)
    app_env(store)  # demo mode holds the snapshot it was given: this import made a new one

    def setup(at):
        at.session_state["last_import"] = result

    at = run_app("app_pages/data.py", setup=setup)
    assert any("第 1 行" in c.value for c in at.caption)  # the title-line note is shown
    assert leaks(page_text(at)) == []
