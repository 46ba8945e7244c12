"""Shared fixtures: a small bank whose numbers are worked out by hand in tests/README.md.

The bank: 总行 0000; 北京分行 0100 with 支行 0101 and 0102; 上海分行 0200 with 支行 0201.
0200 has no customer row of its own (a branch with no customers row).
"""

from __future__ import annotations

import csv
import inspect
import shutil
from pathlib import Path
from typing import Callable

import pytest

BRANCHES = [
    # branch_code, branch_name, parent_code, level, province, city
    ("0000", "总行", "", "总行", "北京", "北京"),
    ("0100", "北京分行", "0000", "一级分行", "北京", "北京"),
    ("0101", "北京海淀支行", "0100", "支行", "北京", "北京"),
    ("0102", "北京朝阳支行", "0100", "支行", "北京", "北京"),
    ("0200", "上海分行", "0000", "一级分行", "上海", "上海"),
    ("0201", "上海浦东支行", "0200", "支行", "上海", "上海"),
]

CUSTOMERS = [
    # branch_code, month, customer_count
    ("0101", "2026-09", 10000),
    ("0101", "2026-10", 10000),
    ("0102", "2026-09", 5000),
    ("0102", "2026-10", 5000),
    ("0201", "2026-09", 20000),
    ("0201", "2026-10", 25000),
]

COMPLAINT_HEADERS_ZH = [
    "投诉编号",
    "受理时间",
    "办结时间",
    "被投诉机构代码",
    "投诉渠道",
    "业务类别",
    "投诉原因",
    "产品名称",
    "客户号",
    "客户年龄",
    "涉及金额",
    "投诉内容",
    "处理状态",
    "处理结果",
    "回访满意度",
    "是否监管转办",
    "根因分类",
]

COMPLAINTS = [
    (
        "C01",
        "2026-09-03 10:00:00",
        "2026-09-05 10:00:00",
        "0101",
        "客服热线",
        "信用卡",
        "定价收费",
        "白金卡",
        "A",
        "45",
        "300",
        "年费争议，联系电话13812345678",
        "已办结",
        "已解决",
        "满意",
        "否",
        "产品设计",
    ),
    (
        "C02",
        "2026-09-20 09:00:00",
        "2026-10-10 09:00:00",
        "0102",
        "网点现场",
        "借记卡",
        "服务态度及服务质量",
        "",
        "B",
        "67",
        "",
        "柜员态度差",
        "已办结",
        "部分解决",
        "不满意",
        "是",
        "员工行为",
    ),
    (
        "C03",
        "2026-10-01 08:00:00",
        "2026-10-16 08:00:00",
        "0101",
        "客服热线",
        "信用卡",
        "定价收费",
        "白金卡",
        "A",
        "45",
        "300",
        "再次投诉年费",
        "已办结",
        "已解决",
        "基本满意",
        "否",
        "产品设计",
    ),
    (
        "C04",
        "2026-10-05 12:00:00",
        "",
        "0201",
        "监管转办",
        "个人贷款",
        "信息披露",
        "房贷",
        "C",
        "",
        "",
        "利率未告知",
        "处理中",
        "",
        "",
        "是",
        "",
    ),
    (
        "C05",
        "2026-10-25 15:00:00",
        "",
        "0201",
        "手机银行/网银",
        "信用卡",
        "营销方式和手段",
        "分期",
        "D",
        "30",
        "",
        "分期营销电话骚扰",
        "已受理",
        "",
        "",
        "否",
        "",
    ),
    (
        "C06",
        "2026-10-10 10:00:00",
        "2026-10-12 16:00:00",
        "0102",
        "客服热线",
        "借记卡",
        "定价收费",
        "",
        "B",
        "67",
        "20",
        "短信费",
        "已办结",
        "已解决",
        "满意",
        "否",
        "流程缺陷",
    ),
    (
        "C07",
        "2026-10-20 10:00:00",
        "2026-10-31 10:00:00",
        "0201",
        "客服热线",
        "信用卡",
        "定价收费",
        "金卡",
        "E",
        "52",
        "",
        "违约金",
        "已办结",
        "已解决",
        "未回访",
        "否",
        "其他",
    ),
    (
        "C08",
        "2025-10-15 10:00:00",
        "2025-10-16 10:00:00",
        "0101",
        "客服热线",
        "信用卡",
        "定价收费",
        "白金卡",
        "F",
        "38",
        "",
        "年费",
        "已办结",
        "已解决",
        "满意",
        "否",
        "其他",
    ),
]


def write_csv(path: Path, headers, rows, encoding: str = "utf-8") -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_small_extracts(
    folder: Path, branches=BRANCHES, complaints=COMPLAINTS, complaint_headers=COMPLAINT_HEADERS_ZH
) -> list[Path]:
    """The small bank's three extract files in `folder` (a test may change its branches or complaints)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            branches,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", complaint_headers, complaints),
    ]


def replicated(rows, times: int) -> list[tuple]:
    """Each complaint row `times` over, ids suffixed -1..-times: every count times `times`, every share and
    percentage change unchanged. Gives a hand-worked fixture bases of at least trends.SMALL_BASE where a test
    is about the colour or direction of a change (hostile H157: below it nothing is coloured)."""
    return [(f"{r[0]}-{i}", *r[1:]) for r in rows for i in range(1, times + 1)]


@pytest.fixture
def tenfold_store(store_factory) -> Path:
    """The small bank with every complaint ten times: 2025-10 10, 2026-09 20, 2026-10 50 complaints."""
    return store_factory(
        "small_tenfold", lambda folder: write_small_extracts(folder, complaints=replicated(COMPLAINTS, 10))
    )


@pytest.fixture
def small_extracts(tmp_path) -> list[Path]:
    return write_small_extracts(tmp_path / "extracts")


@pytest.fixture(scope="session")
def _imported(tmp_path_factory) -> dict[str, Path]:
    return {}


@pytest.fixture
def store_factory(tmp_path, tmp_path_factory, _imported):
    """make(name, write) -> a data folder of the test's own holding the extracts write(folder) returns,
    imported. Each name is imported once per session and copied per test (an import takes most of a
    second, a copy a few milliseconds); the copy is the test's to change."""
    from dashboard.ingest.pipeline import import_files

    def make(name: str, write: Callable[[Path], list[Path]]) -> Path:
        if name not in _imported:
            root = tmp_path_factory.mktemp(name)
            import_files(write(root / "extracts"), root / "data")
            _imported[name] = root / "data"
        data_dir = tmp_path / "data"
        shutil.copytree(_imported[name], data_dir)
        return data_dir

    return make


@pytest.fixture
def small_store(small_extracts, store_factory) -> Path:
    """A data folder of the test's own with the small bank imported (small_extracts, as written)."""
    return store_factory("small", write_small_extracts)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> Path:
    """A data folder with a small demo bank imported (generator defaults, fewer rows)."""
    from dashboard.demo.generator import generate
    from dashboard.ingest.pipeline import import_files

    root = tmp_path_factory.mktemp("demo")
    extracts = root / "extracts"
    generate(extracts, rows=30_000, seed=11)
    import_files(
        [extracts / n for n in ("branches.parquet", "customers_monthly.parquet", "complaints.parquet")], root / "data"
    )
    return root / "data"


# --- A second generated bank (tests/test_recurring_ranking.py, tests/test_events.py) ------------------
PLANT_CATEGORY, PLANT_REASON = "个人金融信息", "消费者信息安全"
PLANT_MONTHS = (-5, -4, -3, -1, 0)  # 5 of the last 6 months (the report month is 0)
PLANT_PER_MONTH = (3, 4, 3, 4, 3)


def _build_second_bank(root: Path) -> str:
    """Generate, plant and import the second bank into root/extracts and root/data; the planted 支行."""
    from datetime import date, datetime, timedelta

    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from dashboard.demo.generator import generate
    from dashboard.filters import add_months
    from dashboard.ingest.pipeline import import_files

    extracts = root / "extracts"
    gt = generate(extracts, rows=14_000, seed=29, months=20, end_month="2026-06")
    complaints = pq.read_table(extracts / "complaints.parquet")
    branches = pq.read_table(extracts / "branches.parquet").to_pandas()
    counts = complaints.group_by("branch_code").aggregate([("complaint_id", "count")]).to_pandas()
    subs = set(branches.loc[branches["level"] == "支行", "branch_code"])
    planted_codes = {p["branch_code"] for p in gt["recurring_issues"]}
    counts = counts[counts["branch_code"].isin(subs - planted_codes)].sort_values("complaint_id_count")
    branch = str(counts.iloc[len(counts) // 2]["branch_code"])  # a middle-sized 支行
    template = complaints.filter(pc.equal(complaints["branch_code"], branch)).slice(0, 1).to_pylist()[0]
    last = date.fromisoformat(gt["last_month"] + "-01")
    rows = []
    for offset, n in zip(PLANT_MONTHS, PLANT_PER_MONTH):
        month = add_months(last, offset)
        for i in range(n):
            received = datetime(month.year, month.month, 3 + 5 * i, 10, 30)
            rows.append(
                {
                    **template,
                    "complaint_id": f"PLANT-{month:%Y%m}-{i}",
                    "received_at": received,
                    "closed_at": received + timedelta(days=3),
                    "status": "已办结",
                    "result": "已解决",
                    "satisfaction": "满意",
                    "business_category": PLANT_CATEGORY,
                    "reason": PLANT_REASON,
                    "customer_id": f"PLANTCUST{month:%m}{i}",
                    "product": None,
                    "content": "客户反映其个人信息被泄露，频繁接到推销电话，怀疑网点员工外泄客户资料。",
                }
            )
    extra = pa.Table.from_pylist(rows, schema=complaints.schema)
    pq.write_table(pa.concat_tables([complaints, extra]), extracts / "complaints.parquet")
    import_files(
        [extracts / n for n in ("branches.parquet", "customers_monthly.parquet", "complaints.parquet")], root / "data"
    )
    return branch


@pytest.fixture(scope="session")
def second_bank(tmp_path_factory):
    """A second generated bank: another seed, size and end month than the demo, plus one recurring issue
    planted here (one 支行, PLANT_CATEGORY x PLANT_REASON, in 5 of the last 6 months), for
    tests/test_recurring_ranking.py (the planted issue ranks high) and tests/test_events.py (the generator's
    planted surges are events). Built once per run: under xdist in the run's folder shared by the workers,
    the first to ask building it under a lock and the others reading it (about 7 s of generating and
    importing saved per further worker). Read only."""
    import fcntl
    import json
    import os
    from datetime import date

    from dashboard import db

    if os.environ.get("PYTEST_XDIST_WORKER"):  # basetemp is <run>/popen-gwN: <run> is this run's only
        root = tmp_path_factory.getbasetemp().parent / "second_bank"
    else:
        root = tmp_path_factory.getbasetemp() / "second_bank"
    root.mkdir(exist_ok=True)
    built = root / "built.json"
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released on close, also when a build fails (the next one retries)
        if not built.exists():
            for part in ("extracts", "data"):  # what a failed build left
                shutil.rmtree(root / part, ignore_errors=True)
            branch = _build_second_bank(root)
            built.write_text(json.dumps({"branch": branch}), encoding="utf-8")
    branch = json.loads(built.read_text(encoding="utf-8"))["branch"]
    gt = json.loads((root / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    last = date.fromisoformat(gt["last_month"] + "-01")
    _, con = db.current(root / "data")
    return {"con": con, "gt": gt, "branch": branch, "month": last, "data_dir": root / "data"}


TEST_AUDIT_KEY = "conftest-audit-key-0123456789abcdef-0123"


@pytest.fixture(autouse=True)
def audit_key(monkeypatch):
    """Every test runs as a deployment holding an audit key (docs/security.md); tests of a missing key
    delete it. Demo mode is off unless a test asks for it (app_env)."""
    monkeypatch.setenv("COMPLAINTS_AUDIT_KEY", TEST_AUDIT_KEY)
    monkeypatch.delenv("COMPLAINTS_DEMO", raising=False)
    monkeypatch.delenv("COMPLAINTS_AUDIT_KEY_FILE", raising=False)
    from dashboard.auth import audit

    audit.use_key(None)


@pytest.fixture
def app_env(monkeypatch):
    """Point the app at a data folder for AppTest runs, as the demo user unless demo=False.

    This is the tests' one way into demo mode, and it goes through the production check: demo mode asked
    for ($COMPLAINTS_DEMO=1) and the data folder's snapshot marked as the demo bank, as `python -m
    dashboard demo` marks it. With sign-in configured (at.secrets["auth"]) the app signs in instead."""

    def use(data_dir: Path, demo: bool = True) -> None:
        from dashboard.auth import demo_mode
        from dashboard.ingest.store import current_snapshot

        monkeypatch.setenv("COMPLAINTS_DATA_DIR", str(data_dir))
        if not demo:
            monkeypatch.delenv(demo_mode.ENV, raising=False)
            return
        monkeypatch.setenv(demo_mode.ENV, "1")
        snapshot = current_snapshot(Path(data_dir))
        if snapshot is not None:
            demo_mode.mark(Path(data_dir), snapshot)

    return use


# Browser fixtures (headless Chromium against a real server) live in their own module.
from tests.browser_support import app_server, browser  # noqa: E402,F401

# --- Test kinds (markers; `make test-fast` runs the unit tests only) ---------------------------------
LOAD_FILES = {"test_load_ws.py", "test_bench_baseline.py", "test_replicas.py"}  # whole-app runs timed or at bench scale
DEMO_FIXTURES = {"demo_store", "demo", "second_bank"}  # generated banks: ~15 s / ~7 s to generate and import once
# Tests that generate a demo bank themselves: the demo command end to end (generator and a full import with
# text analysis, ~5 s), not hand-made fixtures
DEMO_TESTS = {"test_the_demo_command_marks_its_data_and_make_run_binds_to_localhost_in_demo_mode"}


def _runs_app(item) -> bool:
    """Whether the test drives the app with Streamlit's AppTest, directly or through a helper of its module
    annotated to return one (run_page, signed_in, ...)."""
    function = getattr(item, "function", None)
    if function is None:
        return False
    for name in function.__code__.co_names:
        if name == "AppTest":
            return True
        helper = item.module.__dict__.get(name)
        if callable(helper) and getattr(helper, "__annotations__", {}).get("return") in ("AppTest", "at"):
            return True
    return False


# What makes a test an integration test: it runs an import itself (each takes most of a second on the small
# bank; the session's shared stores are imported once), the command line, or a child process.
# bench.import_demo.measure imports in a child process; a `workers=` argument asks for a process pool.
INTEGRATION_CALLS = {"import_files", "rebuild", "isolated", "main", "subprocess", "Popen", "measure"}
INTEGRATION_KEYWORDS = {"workers"}


def _names(code) -> set[str]:
    """The names a code object uses, those of the functions nested in it included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _names(const)
        elif isinstance(const, tuple):  # a call's keyword names
            names |= INTEGRATION_KEYWORDS.intersection(c for c in const if isinstance(c, str))
    return names


def _runs_integration(item) -> bool:
    """Whether the test, a helper function of its module it calls, or a fixture of its module it asks for
    runs an import, the command line or a child process (INTEGRATION_CALLS)."""
    function = getattr(item, "function", None)
    if function is None:
        return False
    module = item.module.__dict__
    seen: set[str] = set()
    todo = [function] + [module[f] for f in item.fixturenames if callable(module.get(f))]
    while todo:
        code = getattr(inspect.unwrap(todo.pop()), "__code__", None)
        if code is None:
            continue
        names = _names(code)
        if names & (INTEGRATION_CALLS | INTEGRATION_KEYWORDS):
            return True
        for name in names - seen:
            seen.add(name)
            helper = module.get(name)
            if inspect.isfunction(helper) and helper.__module__ == item.module.__name__:
                todo.append(helper)
    return False


def test_kind(item) -> str:
    """browser (a real server and Chromium), load, app (AppTest), demo (a generated bank), integration (an
    import, the command line or a child process of its own) or unit (the hand-made fixtures only): from the
    fixtures a test asks for, its file, and what it calls. One place decides, so that a new test file needs
    no marker of its own."""
    fixtures = set(item.fixturenames)
    # A fixture named in a parameter and fetched with request.getfixturevalue counts as asked for (a
    # demo-bank case of a parametrised test had run in the unit loop).
    fixtures |= {v for v in getattr(getattr(item, "callspec", None), "params", {}).values() if isinstance(v, str)}
    if {"browser", "app_server"} & fixtures or "browser" in item.path.name:
        return "browser"
    if item.path.name in LOAD_FILES:
        return "load"
    if "app_env" in fixtures or _runs_app(item):
        return "app"
    if DEMO_FIXTURES & fixtures or item.path.name == "test_demo.py" or item.originalname in DEMO_TESTS:
        return "demo"
    if _runs_integration(item):
        return "integration"
    return "unit"


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(test_kind(item))
