"""重复与溯源 and 整改台账 in headless Chromium on the demo bank: they render, show no error, and the
screenshots (tests/screenshots/repeats*.png, ledger*.png) are saved for a person to look at."""

from __future__ import annotations

import json
import shutil

import pytest

from dashboard.ledger.store import Ledger, ledger_path
from tests.browser_support import SCREENSHOTS, exceptions_on, open_page, wait_until_rendered

MAIN = '[data-testid="stMainBlockContainer"]'


@pytest.fixture
def demo_ledger(demo_store):
    """Three items in the demo bank's ledger (removed afterwards): an overdue one, an open one and one
    marked 已整改, all from the planted patterns."""
    gt = json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    ledger = Ledger(demo_store)
    r1, r4 = gt["recurring_issues"][0], gt["recurring_issues"][3]
    ledger.create(
        source="recurring",
        title="代销保险误导销售整改",
        user="测试用户",
        branch_code=r1["branch_code"],
        business_category=r1["business_category"],
        reason=r1["reason"],
        root_cause="员工行为",
        owner_dept="个人金融部",
        action="停止网点代销保险的存款转保话术，逐笔回访",
        due_date="2026-10-31",
        now="2026-05-01 09:00:00",
    )
    c1 = gt["similar_clusters"][0]
    ledger.create(
        source="similar",
        title="手机银行转账故障整改",
        user="测试用户",
        business_category=c1["business_category"],
        complaint_ids=c1["complaint_ids"],
        key_terms=["手机银行", "转账"],
        root_cause="系统故障",
        owner_dept="信息科技部",
        action="排查交易处理中状态的补偿机制",
        due_date="2027-12-31",  # open, not overdue (over 3 years ahead is refused)
    )
    fixed = ledger.create(
        source="recurring",
        title="网点排队服务整改",
        user="测试用户",
        branch_code=r4["branch_code"],
        business_category=r4["business_category"],
        reason=r4["reason"],
        root_cause="流程缺陷",
        owner_dept="运营管理部",
        action="高峰期增开窗口",
        due_date="2026-07-31",
        now="2026-05-01 09:00:00",
    )
    ledger.update(fixed, 1, {"status": "已整改", "fixed_at": "2026-06-20"}, "测试用户")
    yield ledger
    shutil.rmtree(ledger_path(demo_store).parent, ignore_errors=True)


def _click_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(1200)


def test_repeats_page_in_browser(app_server, browser):
    page = open_page(browser, f"{app_server}/repeats?from=2025-11&to=2026-10", height=2600)
    assert exceptions_on(page) == []
    text = page.inner_text(MAIN)
    assert "重复与溯源" in text and "重复投诉率" in text and "重复投诉最多的客户" in text
    page.screenshot(path=str(SCREENSHOTS / "repeats.png"), full_page=True)

    _click_tab(page, "反复出现的问题")
    assert exceptions_on(page) == []
    assert "反复出现的问题" in page.inner_text(MAIN)
    page.screenshot(path=str(SCREENSHOTS / "repeats_recurring.png"), full_page=True)

    _click_tab(page, "相似投诉")
    assert exceptions_on(page) == []
    similar = page.inner_text(MAIN)
    assert "代表性投诉" in similar and "相似投诉组" in similar
    page.screenshot(path=str(SCREENSHOTS / "repeats_similar.png"), full_page=True)
    page.close()


def test_ledger_page_in_browser(app_server, browser, demo_ledger):
    page = open_page(browser, f"{app_server}/ledger", height=2600)
    assert exceptions_on(page) == []
    text = page.inner_text(MAIN)
    assert "整改台账" in text and "已逾期" in text and "编辑事项 #1" in text  # overdue item #1 first
    page.screenshot(path=str(SCREENSHOTS / "ledger.png"), full_page=True)

    # open the item marked 已整改 to see its effect
    page.get_by_role("combobox", name="选择事项").click()
    page.get_by_role("option", name="网点排队服务整改", exact=False).click()
    wait_until_rendered(page)
    assert exceptions_on(page) == []
    effect = page.inner_text(MAIN)
    assert "整改前月均" in effect and "p 值" in effect
    page.screenshot(path=str(SCREENSHOTS / "ledger_effect.png"), full_page=True)
    page.close()
