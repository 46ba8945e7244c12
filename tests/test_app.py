"""Each page through Streamlit's AppTest: no exception, the key elements, the empty states."""

from __future__ import annotations

from dashboard.ingest.pipeline import import_files
from tests.apptest_support import page_text, run_app
from tests.conftest import COMPLAINT_HEADERS_ZH, COMPLAINTS, write_csv
from tests.test_auth import auth_env, signed_in  # noqa: F401 (fixture)

texts = page_text


def test_empty_data_folder_explains_what_to_do(tmp_path, app_env, auth_env):
    # Signed in: demo mode needs the demo bank, so an empty data folder is seen by a signed-in 消保部 user.
    app_env(tmp_path / "empty", demo=False)
    at = signed_in({"email": "cp@bank.test", "sub": "cp-1"})
    assert "尚未导入任何投诉数据" in texts(at)
    at = signed_in({"email": "cp@bank.test", "sub": "cp-1"}, "app_pages/data.py")
    assert "尚未导入任何数据" in texts(at)


def test_trends_headline_on_small_bank(small_store, app_env):
    app_env(small_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10"})
    labels = {m.label: m.value for m in at.metric}
    assert labels["投诉量"] == "5 件"
    assert labels["环比"] == "+150.0%"
    assert labels["同比"] == "+400.0%"
    assert labels["按时办结率"] == "75.0%"
    assert all(m.help for m in at.metric)  # every metric says how it is computed


def test_one_month_of_data_says_what_cannot_be_computed(tmp_path, app_env, small_extracts):
    october_only = [r for r in COMPLAINTS if r[1].startswith("2026-10")]
    complaints = write_csv(tmp_path / "oct.csv", COMPLAINT_HEADERS_ZH, october_only)
    import_files([*small_extracts[:2], complaints], tmp_path / "one")
    app_env(tmp_path / "one")
    at = run_app()
    labels = {m.label: m.value for m in at.metric}
    assert labels["投诉量"] == "5 件" and labels["环比"] == "—" and labels["同比"] == "—"
    assert "无法计算环比" in texts(at) and "无法计算同比" in texts(at)


def test_filters_matching_nothing_show_a_message(small_store, app_env):
    app_env(small_store)
    at = run_app(query={"from": "2026-10", "to": "2026-10", "cat": "外汇"})
    assert "没有投诉" in texts(at)


def test_data_page_lists_imports_and_quarantine(small_store, app_env, tmp_path):
    bad = list(COMPLAINTS[0])
    bad[0], bad[3], bad[11] = "N1", "0999", "客户张先生来电，手机13812345678"
    import_files([write_csv(tmp_path / "bad.csv", COMPLAINT_HEADERS_ZH, [bad])], small_store)
    app_env(small_store)
    at = run_app("app_pages/data.py")
    assert "已加载的数据" in [s.value for s in at.subheader]
    frames = [df.value for df in at.dataframe]
    quarantine = next(f for f in frames if "隔离原因" in f.columns)
    assert "0999" in quarantine["隔离原因"].iloc[0]
    narrative = quarantine["投诉内容"].iloc[0]
    assert "13812345678" not in narrative  # personal data masked on the page
