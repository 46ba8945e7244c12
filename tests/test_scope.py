"""A branch user's scope is enforced in the query layer: no page, URL, filter, export or id reaches outside.

The small bank (tests/conftest.py): 总行 0000; 北京分行 0100 with 0101, 0102; 上海分行 0200 with 0201.
上海分行's subtree (0200, 0201) holds complaints C04, C05, C07 (customers C, D, E), all received in
2026-10; the rest of the bank holds C01-C03, C06 and C08.
"""

from __future__ import annotations

import re
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

import pytest

from dashboard import cli, db
from dashboard.filters import Filters
from dashboard.ingest.store import current_snapshot
from tests.test_auth import audit_lines, auth_env, signed_in  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "queries"
SHANGHAI = {"branch_code": {"0200", "0201"}, "complaint_id": {"C04", "C05", "C07"}, "customer_id": {"C", "D", "E"}}

# Tables holding complaint-level rows (the stored complaints and tables derived from them, row by row).
COMPLAINT_TABLES = ("complaints", "complaint_terms", "similar_groups", "quarantine")
# The one predicate a query that reads complaint rows directly must carry (macros: without the `$`).
SCOPE_PREDICATE = (
    r"\$?scope\s+is\s+null\s+or\s+[\w.]*branch_code\s+in\s*\(\s*select\s+branch_code\s+from\s+"
    r"branch_tree\s+where\s+ancestor_code\s*=\s*\$?scope\s*\)"
)

# Queries that read complaint rows with no scope, each with why and where it may be used. A name listed
# here is checked against the Python code that runs it (test_unscoped_queries_run_only_where_allowed).
IMPORT_TIME = ("dashboard/ingest/", "dashboard/derived/", "dashboard/text/", "dashboard/demo/")
UNSCOPED = {
    "import_*": ("the import builds the new snapshot from all rows; nothing is shown", IMPORT_TIME),
    "similar_fingerprints": ("import time: reuses unchanged months' similar-complaint groups", IMPORT_TIME),
    "similar_window_narratives": ("import time: the narratives one similarity window compares", IMPORT_TIME),
    "terms_index_*": ("import time: tokenizes narratives into complaint_terms", IMPORT_TIME),
    "terms_hot_all": (
        "the whole bank's hot terms, from per-month counts: terms_query chooses it only when no scope "
        "and no filter is set",
        ("dashboard/analysis/hotspots.py",),
    ),
    "terms_tokenizer": (
        "one row's tokenizer fingerprint (a hash of the code's rules, the same on every row), no complaint data: "
        "whether the stored hot terms predate a masking release",
        ("dashboard/analysis/text_status.py", "dashboard/db.py"),  # db: kept once per snapshot (SNAPSHOT_ONLY)
    ),
    "data_*": (
        "the data-management page: whole-bank data quality and quarantine, for 消保部 only "
        "(identity.allowed_pages leaves the page out for other roles); its loader runs them",
        ("dashboard/analysis/data.py",),
    ),
}
# A scope-bearing macro called with something else than the caller's scope, and why that is safe.
# (None now: the repeat look-back once spanned the bank, and flagged a branch's complaint 重复 because of a
# complaint at another branch; issue 16.)
UNSCOPED_CALLS: dict[tuple[str, str], str] = {}


def _sql(name: str) -> str:
    return re.sub(r"--[^\n]*", "", (QUERIES / f"{name}.sql").read_text(encoding="utf-8"))


def _names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


def _exempt(name: str) -> tuple[str, tuple[str, ...]] | None:
    return next((v for k, v in UNSCOPED.items() if fnmatch(name, k)), None)


def _macros() -> dict[str, int]:
    """Scope-bearing table macros defined in queries/: name -> position of their `scope` argument."""
    found = {}
    for name in _names():
        for macro, args in re.findall(r"create\s+(?:or\s+replace\s+)?macro\s+(\w+)\s*\(([^)]*)\)", _sql(name), re.I):
            params = [a.strip().lower() for a in args.split(",")]
            if "scope" in params:
                found[macro] = params.index("scope")
    return found


def _calls(sql: str, macro: str) -> list[list[str]]:
    """The argument lists of every call of `macro` in `sql` (top-level commas split)."""
    calls = []
    for match in re.finditer(rf"(?<![\w$]){macro}\s*\(", sql, re.I):
        if re.search(r"macro\s+$", sql[: match.start()], re.I):
            continue  # the definition itself
        depth, args, current = 1, [], ""
        for ch in sql[match.end() :]:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    break
            if ch == "," and depth == 1:
                args.append(current.strip())
                current = ""
            else:
                current += ch
        args.append(current.strip())
        calls.append(args)
    return calls


def scope_violations() -> list[str]:
    """Every query that reads complaint rows outside the user's scope, with the reason."""
    macros = _macros()
    assert {"filtered_complaints", "subtree_customers"} <= set(macros)
    problems = []
    for name in _names():
        if _exempt(name):
            continue
        sql = _sql(name)
        is_macro = re.search(r"create\s+(?:or\s+replace\s+)?macro", sql, re.I) is not None
        own_scope = "scope" if is_macro else "$scope"
        scoped_call = False
        for macro, position in macros.items():
            for args in _calls(sql, macro):
                value = args[position].lower() if position < len(args) else "<missing>"
                if value == own_scope:
                    scoped_call = True
                elif (name, macro) not in UNSCOPED_CALLS:
                    problems.append(f"{name}: {macro}(...) is called with scope argument {value!r}, not {own_scope}")
        for table in COMPLAINT_TABLES:
            if not re.search(rf"\b(?:from|join)\s+{table}\b(?!\s*\()", sql, re.I):
                continue
            if re.search(SCOPE_PREDICATE, sql, re.I):
                continue
            if table != "complaints" and scoped_call and not re.search(r"left\s+join\s+\w+\s*\(", sql, re.I):
                continue  # a derived table inner-joined to scoped complaints
            problems.append(
                f"{name}: reads {table} without the $scope predicate "
                "(and ($scope is null or branch_code in (select branch_code from branch_tree "
                "where ancestor_code = $scope)))"
            )
    return problems


# --- The scan ------------------------------------------------------------------------------------------
def test_every_query_reading_complaints_is_bounded_by_the_users_scope():
    assert scope_violations() == []


def test_the_scan_catches_an_unscoped_query(tmp_path, monkeypatch):
    """The scan itself: a direct read without the predicate, and a macro call that drops the scope."""
    import tests.test_scope as scan

    queries = tmp_path / "queries"
    queries.mkdir()
    for name in ("macro_filtered_complaints", "macro_subtree_customers"):
        (queries / f"{name}.sql").write_text((QUERIES / f"{name}.sql").read_text(encoding="utf-8"), encoding="utf-8")
    (queries / "complaint_by_id.sql").write_text("select * from complaints where complaint_id = $complaint_id")
    (queries / "complaint_by_id_ok.sql").write_text(
        "select * from complaints c where complaint_id = $complaint_id\n  and ($scope is null or "
        "c.branch_code in (select branch_code from branch_tree where ancestor_code = $scope))"
    )
    (queries / "counts.sql").write_text(
        "select count(*) from filtered_complaints($month_from, $month_to, $org, null, null, null, null, null)"
    )
    (queries / "counts_ok.sql").write_text(
        "select count(*) from filtered_complaints($month_from, $month_to, $org, $scope, null, null, null, null)"
    )
    monkeypatch.setattr(scan, "QUERIES", queries)
    problems = scan.scope_violations()
    assert [p.split(":")[0] for p in problems] == ["complaint_by_id", "counts"]


def test_unscoped_queries_run_only_where_allowed():
    """An exempt query (import time, the 消保部 data page) is named only by the code allowed to run it."""
    sources = {
        p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in (ROOT / "dashboard").rglob("*.py")
    }
    for name in _names():
        exempt = _exempt(name)
        if not exempt:
            continue
        users = [path for path, text in sources.items() if re.search(rf"[\"']{name}[\"']", text)]
        outside = [path for path in users if not path.startswith(exempt[1])]
        assert outside == [], f"{name} ({exempt[0]}) is run from {outside}"


# --- Every query, run as a branch user ----------------------------------------------------------------
# Parameters of particular queries; the ids and codes name things OUTSIDE 上海分行 on purpose.
EXTRA = {
    "limit": 10_000,
    "offset": 0,
    "repeat_window_days": 30,
    "window_days": 30,
    "same_category": True,
    "stored_window_days": 30,
    "level": "支行",
    "min_months": 3,
    "window_months": 6,
    "deadline_days": 15,
    "today": "2026-10-31",
    "now": "2026-10-31 23:59:59",
    "min_size": 2,
    "group_id": 1,
    "terms": ["年费"],
    "customer_id": "A",
    "branch_code": "0101",
    "subtree": True,  # ledger_first_complaint: a branch's item follows its subtree
    "business_category": "信用卡",
    "reason": "定价收费",
    # the hotspots drill-down (none set), the complaint list's search and order
    "d_org": None,
    "d_province": None,
    "d_city": None,
    "d_product": None,
    "term": None,
    "search": None,
    "tokenizer": "t",  # complaints_search_hidden: a fingerprint no stored row has (every hit unchecked)
    "check": ["年费"],  # ledger_effect_term_hidden: the key terms checked on the masked text
    "hidden": [],  # ledger_effect_terms: none of the complaints hides a key term
    "org_level": "支行",
    "sort_key": "received_at",
    "sort_desc": True,
    "complaint_id": "C01",
    "complaint_ids": ["C01"],
    "group_ids": [1],
    "columns": ["content"],
    "baseline_months": 6,
    "series_months": 12,
    "min_complaints": 1,
    "min_docs": 1,
    "prev_from": "2025-09-01",
    "prefix": "无客户号:",
    "recent_from": "2026-08-01",
    "warn_share": 0.0,
    "cutoff": "2026-10-31 10:00:00",
    # an event's surge slices (events_slice_members): 北京分行 outside on purpose, and a bank-wide one
    "kinds": ["branch_category", "category_reason"],
    "codes": ["0100", ""],
    "cats": ["信用卡", "信用卡"],
    "slice_reasons": ["", "定价收费"],
    "products": ["", ""],
    # dictionary compounds and their pieces (events_family_months)
    "compounds": ["免年费"],
    "pieces": ["年费"],
}


@pytest.fixture
def shanghai_store(tmp_path) -> Path:
    """The same bank with only 上海分行's complaints and customer bases loaded."""
    from dashboard.ingest.pipeline import import_files
    from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, COMPLAINTS, CUSTOMERS, write_csv

    folder = tmp_path / "shanghai"
    folder.mkdir()
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(
            folder / "customers.csv",
            ["机构代码", "月份", "客户数"],
            [r for r in CUSTOMERS if r[0] in SHANGHAI["branch_code"]],
        ),
        write_csv(
            folder / "complaints.csv", COMPLAINT_HEADERS_ZH, [r for r in COMPLAINTS if r[0] in SHANGHAI["complaint_id"]]
        ),
    ]
    import_files(files, tmp_path / "shanghai_data")
    return tmp_path / "shanghai_data"


def _connection(data_dir: Path):
    """A read connection of the store with every table macro in queries/ defined."""
    con = db.open_snapshot(current_snapshot(data_dir))
    for name in _names():
        if name not in db.MACROS and re.search(r"create\s+(?:or\s+replace\s+)?macro", _sql(name), re.I):
            con.execute(db.load_sql(name))
    return con


def _runnable(name: str) -> bool:
    text = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    return not (
        _exempt(name)
        or name.startswith("macro_")
        or "(SQLite)" in text
        or re.search(r"^\s*(create|insert|update|delete)\b", _sql(name), re.I | re.M)
    )


def _run_scoped(con, name: str, scope: str | None, **extra):
    """Every runnable query runs: a parameter missing from EXTRA fails here instead of skipping the query."""
    params = {
        **Filters(month_from=date(2025, 10, 1), month_to=date(2026, 10, 1), scope=scope).params(),
        **EXTRA,
        **extra,
    }
    return db.run(con, name, **params)


def test_every_query_run_as_a_branch_user_returns_only_its_subtree(small_store):
    con = _connection(small_store)
    ran = []
    for name in filter(_runnable, _names()):
        rows = _run_scoped(con, name, "0200")
        ran.append(name)
        for column, allowed in SHANGHAI.items():
            if column in rows.columns:
                outside = set(rows[column].dropna().astype(str)) - allowed
                assert not outside, f"{name} returns {column} {sorted(outside)} outside 上海分行"
    assert "kpis_by_month" in ran and "complaints_list" in ran, ran


def _canonical(frame):
    frame = frame.astype(str).reset_index(drop=True)
    return frame.sort_values(list(frame.columns)).reset_index(drop=True) if len(frame.columns) else frame


@pytest.mark.parametrize("basis", [None, "merged"])
def test_what_a_branch_user_sees_does_not_depend_on_other_branches_data(small_store, shanghai_store, basis):
    """Every query, as 上海分行, gives the same answer whether or not the rest of the bank is loaded:
    nothing outside the scope is read, not even into a count."""
    full, alone = _connection(small_store), _connection(shanghai_store)
    compared = []
    for name in filter(_runnable, _names()):
        if name == "snapshot_as_of":
            continue  # the data's as-of time, not a query result
        with_bank, without = (
            _run_scoped(full, name, "0200", basis=basis),
            _run_scoped(alone, name, "0200", basis=basis),
        )
        compared.append(name)
        assert list(with_bank.columns) == list(without.columns), name
        with_bank, without = _canonical(with_bank), _canonical(without)
        assert with_bank.equals(without), (
            f"{name} differs when other branches' data is loaded:\n"
            f"{with_bank.compare(without) if with_bank.shape == without.shape else (with_bank, without)}"
        )
    assert "kpis_by_month" in compared and "complaints_list" in compared, compared


def test_opening_another_branchs_complaint_by_id_finds_nothing(small_store):
    """Every query that takes a complaint id (a detail view, a drill-down) refuses ids outside the scope."""
    con = _connection(small_store)
    by_id = [n for n in filter(_runnable, _names()) if db.parameters(n) & {"complaint_id", "complaint_ids"}]
    for name in by_id:
        ids = {"complaint_id": "C01", "complaint_ids": ["C01"]}
        mine = _run_scoped(con, name, None, **ids)
        theirs = _run_scoped(con, name, "0200", **ids)
        assert len(mine) > 0, f"{name} finds C01 for the whole bank"
        assert len(theirs) == 0, f"{name} shows 北京 complaint C01 to 上海分行"


def test_a_page_cannot_override_the_scope(small_store, app_env):
    from streamlit.testing.v1 import AppTest

    def script():
        from datetime import date

        import streamlit as st

        from dashboard.config import data_dir
        from dashboard.filters import Filters
        from dashboard.ingest.store import current_snapshot
        from dashboard.ui import context

        context.set_context(
            context.Context(current_snapshot(data_dir()), Filters(date(2026, 10, 1), date(2026, 10, 1), scope="0200"))
        )
        try:
            context.query("kpis_by_month", scope=None)
        except ValueError as error:
            st.write(f"refused: {error}")

    app_env(small_store)
    at = AppTest.from_function(script, default_timeout=30).run()
    assert at.markdown[0].value.startswith("refused:")


# --- The app, as a branch user ---------------------------------------------------------------------------
def test_branch_user_editing_the_urls_organisation_stays_in_scope(small_store, app_env, auth_env):
    app_env(small_store)
    # 0100 (北京分行) is outside 上海分行: ignored. Honoured, it would show 0 (or 2 without the scope).
    at = signed_in({"email": "sh@bank.test"}, query={"from": "2026-10", "to": "2026-10", "org": "0100"})
    organisation = at.selectbox(key="f_org")
    assert organisation.value == "" and list(organisation.options)[1:] == [
        "\u3000上海分行（0200）",
        "\u3000\u3000上海浦东支行（0201）",
    ]
    assert organisation.options[0] == "上海分行全辖"
    assert {m.label: m.value for m in at.metric}["投诉量"] == "3 件"
    assert at.query_params.get("org") in (None, "", [])
    assert any("可见范围：上海分行（0200）及下辖机构" in c.value for c in at.caption)
    # H269: the warning named the fallback 全行; the branch user sees 上海分行全辖, as the selector says
    warned = [w.value for w in at.warning if "0100" in w.value]
    assert warned == ["链接中的机构“0100”不存在或不在您的权限范围内，已按上海分行全辖（您的可见范围）显示。"]


def test_branch_user_matched_by_subject_sees_only_its_branch(small_store, app_env, auth_env):
    app_env(small_store)
    at = signed_in(
        {"email": "new.address@bank.test", "sub": "bj-haidian-001"}, query={"from": "2026-10", "to": "2026-10"}
    )
    assert {m.label: m.value for m in at.metric}["投诉量"] == "1 件"  # C03 at 0101
    assert list(at.selectbox(key="f_org").options)[1:] == ["\u3000\u3000北京海淀支行（0101）"]


# --- The report command ----------------------------------------------------------------------------------
def _report(small_store, capsys, *args) -> tuple[int, str, str]:
    code = cli.main(["report", "--month", "2026-10", "--data-dir", str(small_store), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_user_gets_their_scope_and_the_operator_the_whole_bank(small_store, auth_env, capsys):
    import json

    code, out, _ = _report(small_store, capsys, "--json", "--user", "sh@bank.test")
    assert code == 0 and json.loads(out)["kpis"]["complaints"] == 3 and json.loads(out)["scope"] == "0200"
    code, out, _ = _report(small_store, capsys, "--json")
    assert code == 0 and json.loads(out)["kpis"]["complaints"] == 5 and json.loads(out)["scope"] is None


def test_report_user_named_by_subject(small_store, auth_env, capsys):
    """A roles entry set up by subject (bj-haidian-001, 北京海淀支行 0101: October's C03 alone) can be named with
    --user (hostile H188: only e-mails were looked up, and such a user could not be named at all)."""
    import json

    code, out, _ = _report(small_store, capsys, "--json", "--user", "bj-haidian-001")
    assert code == 0 and json.loads(out)["scope"] == "0101" and json.loads(out)["kpis"]["complaints"] == 1


def test_report_refuses_an_unknown_user_and_an_organisation_outside_the_scope(small_store, auth_env, capsys):
    code, out, err = _report(small_store, capsys, "--user", "stranger@bank.test")
    assert code == 2 and "没有用户 stranger@bank.test" in err and out == ""
    code, out, err = _report(small_store, capsys, "--user", "sh@bank.test", "--org", "0100")
    assert code == 2 and "不在用户 sh@bank.test 的可见范围" in err and out == ""


def test_report_refuses_a_month_or_year_outside_the_data_and_an_unknown_organisation(small_store, capsys):
    # hostile H11, H32: each printed a full report of zeros, exit 0, like a month without complaints. The
    # small bank's complaints run from 2025-10 to 2026-10 (conftest).
    def report(*args):
        code = cli.main(["report", "--data-dir", str(small_store), "--json", *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    for month in ("2026-11", "2027-03", "2025-09", "1999-01"):
        code, out, err = report("--month", month)
        assert code == 2 and out == "" and f"{month} 不在已加载数据的月份范围（2025-10 至 2026-10）内" in err
    code, out, err = report("--year", "2027")
    assert code == 2 and out == "" and "2027 年 不在已加载数据" in err
    code, out, err = report("--month", "2026-10", "--org", "9999")
    assert code == 2 and out == "" and "机构代码 9999 不在机构数据中" in err
    for args in (("--month", "2025-10"), ("--month", "2026-10", "--org", "0101"), ("--year", "2025")):
        assert report(*args)[0] == 0, args  # the first and last loaded months, a real organisation


@pytest.mark.parametrize("user", ["", "  "])
def test_report_and_briefing_refuse_an_empty_user(small_store, auth_env, capsys, tmp_path, user):
    """`--user ''` once reported the whole bank, as if no user had been given."""
    code, out, err = _report(small_store, capsys, "--user", user)
    assert code == 2 and "--user 不能为空" in err and out == ""
    assert (
        cli.main(
            [
                "briefing",
                "--month",
                "2026-10",
                "--out",
                str(tmp_path / "out"),
                "--data-dir",
                str(small_store),
                "--user",
                user,
            ]
        )
        == 2
    )
    assert not (tmp_path / "out").exists()
    assert audit_lines(auth_env) == []


# --- Numbers computed within the scope (issue 16, section 3) -----------------------------------------------
@pytest.fixture
def cross_branch_repeat(tmp_path, small_extracts) -> Path:
    """The small bank plus C09: customer A (C01, C03 at 北京海淀 0101, 信用卡) complains at 上海浦东 0201 about
    信用卡 on 2026-10-05, four days after C03: a repeat for the whole bank, not inside 上海分行."""
    from dashboard.ingest.pipeline import import_files
    from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv

    c09 = list(COMPLAINTS[2])
    c09[0], c09[1], c09[2], c09[3] = "C09", "2026-10-05 09:00:00", "2026-10-06 09:00:00", "0201"
    extra = write_csv(tmp_path / "c09.csv", COMPLAINT_HEADERS_ZH, [c09])
    import_files([*small_extracts, extra], tmp_path / "data")
    return tmp_path / "data"


@pytest.mark.parametrize("window_days", [30, 20])  # the stored flag's rule, and a live look-back
def test_a_complaint_is_a_repeat_for_a_branch_only_because_of_one_inside_its_scope(cross_branch_repeat, window_days):
    con = _connection(cross_branch_repeat)
    rule = {"repeat_window_days": window_days, "window_days": window_days}
    october = {"month_from": date(2026, 10, 1), "month_to": date(2026, 10, 1)}

    def repeats(scope):
        rows = _run_scoped(con, "repeats_by_org", scope, **rule, **october)
        return dict(zip(rows["branch_code"], rows["repeats"]))

    # By hand, October, same category within the window: whole bank C03 (after C01, 28 days: only for 30)
    # and C09 (after C03 at another branch, 4 days); 上海分行 alone: none (C09 has no earlier 上海 complaint).
    assert repeats(None).get("0201") == 1
    assert repeats("0200").get("0201", 0) == 0
    by_month = _run_scoped(con, "repeats_by_month", "0200", **rule, **october)
    assert by_month["repeats"].tolist() == [0]
    flags = db.run(
        con,
        "repeats_customer_timeline",
        **{
            **Filters(month_from=date(2026, 10, 1), month_to=date(2026, 10, 1), scope="0200").params(),
            **EXTRA,
            **rule,
            "customer_id": "A",
        },
    )
    assert flags.set_index("complaint_id")["is_repeat"].to_dict() == {"C09": False}


def test_trends_and_rankings_count_a_branchs_repeats_within_its_scope(cross_branch_repeat):
    """The headline repeat rate (kpis_by_month: 趋势, 排名's trend, the report), each organisation's
    (rankings_by_org) and the repeat customers (rankings_repeat_customers) came from the whole-bank stored
    flag for a scoped user too."""
    con = _connection(cross_branch_repeat)

    def run(name: str, scope: str | None, **extra):
        october = Filters(month_from=date(2026, 10, 1), month_to=date(2026, 10, 1), scope=scope)
        return db.run(con, name, **october.params(**extra))

    # By hand, October (same customer and category within 30 days): the whole bank has 6 complaints, of
    # which C03 (A, 28 days after C01), C06 (B, 20 days after C02) and C09 (A, 4 days after C03 at 0101)
    # are repeats. 上海分行 (0201: C04, C05, C07, C09) has none: C09's earlier complaint is outside it.
    # 北京分行 (C03, C06) keeps both: their earlier complaints are inside it.
    kpis = {scope: run("kpis_by_month", scope).iloc[0] for scope in (None, "0200", "0100")}
    assert [(k["complaints"], k["repeats"]) for k in kpis.values()] == [(6, 3), (4, 0), (2, 2)]
    assert [k["repeat_rate"] for k in kpis.values()] == [0.5, 0.0, 1.0]

    ranked = {
        scope: run("rankings_by_org", scope, level="支行").set_index("branch_code")["repeats"].to_dict()
        for scope in (None, "0200")
    }
    assert ranked[None] == {"0101": 1, "0102": 1, "0201": 1}
    assert ranked["0200"] == {"0201": 0}

    customers = {scope: run("rankings_repeat_customers", scope, limit=10) for scope in (None, "0200")}
    assert customers[None].set_index("customer_id")["repeats"].to_dict() == {"A": 2, "B": 1}
    assert customers["0200"].empty  # A's C09 is no repeat inside 上海分行


def test_a_complaints_detail_flags_a_repeat_within_the_scope_only(cross_branch_repeat):
    con = _connection(cross_branch_repeat)

    def detail(scope):
        params = {
            **Filters(month_from=date(2026, 10, 1), month_to=date(2026, 10, 1), scope=scope).params(),
            "complaint_id": "C09",
            "repeat_window_days": 30,
        }
        return bool(db.run(con, "complaints_detail", **params)["is_repeat"].iloc[0])

    def others(scope):
        rows = db.run(
            con, "complaints_by_customer", customer_id="A", complaint_id="C01", scope=scope, repeat_window_days=30
        )
        return rows.set_index("complaint_id")["is_repeat"].to_dict()

    assert detail(None) is True and detail("0200") is False
    assert others(None) == {"C03": True, "C09": True}  # C03: 28 days after C01, same category
    assert others("0200") == {"C09": False}
    assert others("0100") == {"C03": True}  # inside 北京分行 the repeat stands


def test_a_similar_groups_size_counts_only_members_inside_the_scope(demo_store):
    """Against a count made separately from the stored members and the organisation tree."""
    con = _connection(demo_store)
    members = con.execute("select group_id, branch_code from similar_groups").df()
    tree = con.execute("select ancestor_code, branch_code from branch_tree").df()
    whole = members.groupby("group_id").size()
    checked = 0
    for scope in con.execute("select branch_code from branches where level = '一级分行' order by 1").df()[
        "branch_code"
    ]:
        inside = set(tree.loc[tree["ancestor_code"] == scope, "branch_code"])
        expected = members[members["branch_code"].isin(inside)].groupby("group_id").size()
        rows = _run_scoped(
            con,
            "similar_groups_list",
            scope,
            min_size=1,
            limit=100_000,
            month_from=date(2000, 1, 1),
            month_to=date(2100, 1, 1),
        )
        if rows is None or rows.empty:
            continue
        got = rows.set_index("group_id")["group_size"]
        assert got.to_dict() == expected.loc[got.index].to_dict(), scope
        checked += int((got < whole.loc[got.index]).sum())  # groups that reach outside the scope
    assert checked > 0  # the demo bank has groups spanning branches: the check above meant something


def test_the_merged_basis_is_offered_inside_a_scope_and_merges_within_it(
    cross_branch_repeat, auth_env, capsys, app_env
):
    """合并重复后 inside a scope merges repeats among the scope's complaints only (hostile test H2 was a Shanghai
    complaint merged away as a repeat of a Beijing one). By hand, October with C09 (see cross_branch_repeat):
    whole bank 6 complaints, repeats C03, C06, C09 -> 3; 上海分行 C04, C05, C07, C09, none a repeat inside it
    -> 4; 北京分行 C03, C06, both repeats of earlier 北京 complaints -> 0. Offered in a scoped sidebar and by the
    report command for a scoped user."""
    con = _connection(cross_branch_repeat)

    def merged(scope):
        f = Filters(month_from=date(2026, 10, 1), month_to=date(2026, 10, 1), scope=scope, basis="merged")
        return int(db.run(con, "kpis_by_month", **f.params()).iloc[0]["complaints"])

    assert [merged(s) for s in (None, "0200", "0100", "0201")] == [3, 4, 0, 4]

    code, out, _ = _report(cross_branch_repeat, capsys, "--json", "--user", "sh@bank.test", "--basis", "合并重复后")
    assert code == 0
    import json

    assert json.loads(out)["kpis"]["complaints"] == 4
    app_env(cross_branch_repeat)
    at = signed_in({"email": "sh@bank.test"}, query={"from": "2026-10", "to": "2026-10", "basis": "合并重复后"})
    assert list(at.radio(key="f_basis").options) == ["全部受理", "监管转送", "合并重复后"]
    assert at.radio(key="f_basis").value == "合并重复后"


@pytest.mark.parametrize("store", ["demo_store", "cross_branch_repeat"])
def test_the_merged_basis_in_a_scope_equals_the_repeat_rule_recomputed_inside_it(store, request):
    """Against a second method: the per-complaint scoped_is_repeat (queries/macro_scoped_is_repeat.sql, an
    EXISTS over the scope's complaints), over all months, for every 一级分行 and a few 支行 of the demo bank
    (whose customers stay at one branch) and every organisation of the small bank with C09 (a repeat across
    the 北京 / 上海 border)."""
    con = _connection(request.getfixturevalue(store))
    scopes = con.execute(
        "(select branch_code from branches where level = '一级分行' order by 1) union all "
        "(select branch_code from branches where level = '支行' order by 1 limit 3)"
        if store == "demo_store"
        else "select branch_code from branches order by 1"
    ).df()["branch_code"]
    span = {"month_from": date(2000, 1, 1), "month_to": date(2100, 1, 1)}
    differs_from_bank = 0
    for scope in scopes:
        params = Filters(scope=scope, basis="merged", **span).params()
        got = con.execute(
            "select count(*) from filtered_complaints($month_from, $month_to, $org, $scope, $categories, $reasons,"
            " $channels, $referred, basis := $basis, age_group := $age_group)",
            {
                k: params[k]
                for k in (
                    "month_from",
                    "month_to",
                    "org",
                    "scope",
                    "categories",
                    "reasons",
                    "channels",
                    "referred",
                    "basis",
                    "age_group",
                )
            },
        ).fetchone()[0]
        expected, stored = con.execute(
            "select count(*) filter (where not scoped_is_repeat($scope, is_repeat, customer_id, business_category,"
            " received_at, complaint_id, 30)), count(*) filter (where not is_repeat)"
            " from filtered_complaints($f, $t, null, $scope, null, null, null, null)",
            {"scope": scope, "f": span["month_from"], "t": span["month_to"]},
        ).fetchone()
        assert got == expected, scope
        differs_from_bank += got != stored
    if store == "cross_branch_repeat":
        assert differs_from_bank > 0  # 上海分行's C09: the check meant something


def test_a_branch_users_pages_merge_repeats_within_the_branch(cross_branch_repeat, auth_env, app_env):
    """AppTest, October, 合并重复后, hotspots' 投诉量: 上海分行's user 4 (C04, C05, C07, C09: C09's earlier complaint
    C03 is in 北京); the whole bank looking at 上海分行 3 (C09 merged as a repeat of C03)."""
    from tests.apptest_support import run_app

    app_env(cross_branch_repeat)
    query = {"from": "2026-10", "to": "2026-10", "basis": "合并重复后"}
    at = signed_in({"email": "sh@bank.test"}, page="app_pages/hotspots.py", query=query)
    assert {m.label: m.value for m in at.metric}["投诉量"] == "4 件"
    whole = run_app("app_pages/hotspots.py", query={**query, "org": "0200"})
    assert {m.label: m.value for m in whole.metric}["投诉量"] == "3 件"
