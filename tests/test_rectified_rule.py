"""One rule for "is this item rectified?" (H21): the ledger page and the trends page (and the briefing, which
reads the trends loader) count a done item whose complaints did not fall the same way, under the same label
(待重开), through dashboard/metrics.shown_status and the item's own slice (analysis/effect.item_slice).

Fixture: conftest's small bank (0101 信用卡·定价收费: C01 2026-09, C03 2026-10; 0201 个人贷款: C04 2026-10;
no 借记卡 at 0200's subtree; as-of 2026-10-31, October complete). Items, all fixed on 2026-07-10 (the fix
month 2026-07 is left out; before = 2026-01..06, after = 2026-08..10, the 3 months 未见下降 needs, H124):
  1 recurring 0101 信用卡·定价收费  before 0, after 2 (C01, C03)  -> 未见下降 -> 待重开
  2 by hand  0100 subtree 信用卡     before 0, after 2 (C01, C03)  -> 未见下降 -> 待重开
  3 by hand  0200 subtree 借记卡     no complaints either side     -> 待观察  -> 已整改 (counted done)
  4 by hand  0201 个人贷款, 整改中 (not done)                       -> counted neither way
By hand: 待重开 2, done 1; the trends page's July (the month they were closed): 3 closed, 2 not falling.
Item 2 is what the old trends rule missed: it followed 0100's own complaints (none) instead of its subtree.
"""

from __future__ import annotations

from datetime import date

from dashboard import db
from dashboard.analysis import trends
from dashboard.filters import Filters
from dashboard.ledger.store import Ledger
from tests.apptest_support import page_text, run_app

TODAY = date(2026, 11, 23)
JUL = date(2026, 7, 1)


def _items(data_dir) -> Ledger:
    ledger = Ledger(data_dir)
    common = {"user": "张三", "today": TODAY, "now": "2026-06-01 09:00:00"}
    made = [
        ledger.create(
            source="recurring",
            title="海淀支行信用卡年费整改",
            branch_code="0101",
            business_category="信用卡",
            reason="定价收费",
            **common,
        ),
        ledger.create(
            source="manual", title="北京分行信用卡整改", branch_code="0100", business_category="信用卡", **common
        ),
        ledger.create(
            source="manual", title="上海分行借记卡整改", branch_code="0200", business_category="借记卡", **common
        ),
    ]
    for item_id in made:
        ledger.update(item_id, 1, {"status": "已整改", "fixed_at": "2026-07-10"}, "张三")
    ledger.create(
        source="manual",
        title="浦东个贷整改",
        branch_code="0201",
        business_category="个人贷款",
        status="整改中",
        **common,
    )
    return ledger


def test_the_trends_count_and_the_ledger_page_agree(small_store, app_env):
    ledger = _items(small_store)
    _, con = db.current(small_store)
    f = Filters(JUL, JUL)
    data = trends.load(trends.runner(con, f), f, JUL, ledger_items=ledger.items(TODAY))
    r = data.rectification
    assert (r.closed, r.closed_no_effect, r.closed_effective, r.closed_pending) == (3, 2, 1, 0)
    assert {x["title"]: x["counted_as"] for x in r.rows} == {
        "海淀支行信用卡年费整改": "待重开",
        "北京分行信用卡整改": "待重开",
        "上海分行借记卡整改": "已整改",
    }

    app_env(small_store)
    page = run_app("app_pages/ledger.py", {"from": "2026-10", "to": "2026-10"})
    shown = {m.label: m.value for m in page.metric}
    assert shown["整改事项"] == "4 项" and shown["待重开"] == "2 项" and shown["已整改/已验证"] == "1 项"
    assert shown["待重开"] == f"{r.closed_no_effect} 项"

    page = run_app("app_pages/trends.py", {"from": "2026-07", "to": "2026-07"})
    assert "投诉未见下降 2 项（计为“待重开”，不计为已整改）" in page_text(page)
