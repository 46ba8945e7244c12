"""Similar complaints computed at import (dashboard/derived/similar_index.py): the derived tables on a
hand-made bank, a story across a month boundary, reuse of unchanged windows, the page's queries, and the
planted clusters of the demo bank.

Hand-made bank (narratives from tests/test_similar.py, wrapped in one intake template):
  Aug 2026  35 unrelated narratives
  Sep 2026  35 unrelated, group A (7 customers, 10-12 Sep), group B's first half B1-B3 (28-30 Sep)
  Oct 2026  35 unrelated, group B's second half B4-B6 (1-3 Oct), T1 (shares only the template with group B),
            R1-R4 (one customer telling one story four times)
Expected: exactly two groups, A (A1-A7) and B (B1-B6, across the boundary); T1 and R1-R4 in none.
The unrelated narratives repeat across months (there are only 40), so windows are kept to about two months
here: MIN_WINDOW_NARRATIVES is set to 60 (a month of ~40 reaches back one month). An unrelated narrative
then occurs at most twice in a window, below a group's 3 complaints.
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard import db
from dashboard.analysis import similar_groups
from dashboard.derived import similar_index
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, CUSTOMERS, write_csv
from tests.test_similar import CLOSE, GROUP_A, GROUP_B, OPEN, REPEATS, TEMPLATE_ONLY, UNRELATED

AUG, SEP, OCT, NOV = date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)
BRANCH_CYCLE = ("0101", "0102", "0201")
CHANNEL_CYCLE = ("客服热线", "手机银行/网银")


def row(cid, received, customer, content, branch="0101", channel="客服热线", status="处理中", closed=""):
    return (
        cid,
        received,
        closed,
        branch,
        channel,
        "信用卡",
        "定价收费",
        "",
        customer,
        "40",
        "",
        content,
        status,
        "已解决" if closed else "",
        "",
        "否",
        "",
    )


def bank_rows() -> list[tuple]:
    rows = []
    for month, texts, days in (("08", UNRELATED[0:35], 28), ("09", UNRELATED[5:40], 23), ("10", UNRELATED[0:35], 25)):
        for i, body in enumerate(texts):
            day = (i % days) + (4 if month == "10" else 1)
            rows.append(
                row(f"U{month}{i:02d}", f"2026-{month}-{day:02d} 09:00:00", f"KU{month}{i:02d}", OPEN + body + CLOSE)
            )
    for i, (cid, customer, text) in enumerate(GROUP_A):
        rows.append(row(cid, f"2026-09-{10 + i % 3:02d} 1{i}:00:00", customer, text, BRANCH_CYCLE[i % 3]))
    b_days = ("2026-09-28", "2026-09-29", "2026-09-30", "2026-10-01", "2026-10-02", "2026-10-03")
    for i, ((cid, customer, text), day) in enumerate(zip(GROUP_B, b_days)):
        rows.append(row(cid, f"{day} 10:00:00", customer, text, BRANCH_CYCLE[i % 3], CHANNEL_CYCLE[i % 2]))
    rows.append(row(TEMPLATE_ONLY[0], "2026-10-02 15:00:00", TEMPLATE_ONLY[1], TEMPLATE_ONLY[2]))
    for i, (cid, customer, text) in enumerate(REPEATS):
        rows.append(row(cid, f"2026-10-{10 + 3 * i:02d} 11:00:00", customer, text))
    return rows


A_IDS = {c for c, _, _ in GROUP_A}
B_IDS = {c for c, _, _ in GROUP_B}


def build_bank(folder):
    folder.mkdir(parents=True, exist_ok=True)
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, bank_rows()),
    ]
    import_files(files, folder / "data")
    return folder / "data"


SMALL_BANK_MIN_WINDOW = 60


@pytest.fixture(scope="module")
def similar_store(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(similar_index, "MIN_WINDOW_NARRATIVES", SMALL_BANK_MIN_WINDOW)
        similar_index._last = None
        data_dir = build_bank(tmp_path_factory.mktemp("similar"))
    similar_index._last = None
    return data_dir


def groups_of(data_dir) -> dict[int, set[str]]:
    snapshot, _ = db.current(data_dir)
    table = pd.read_parquet(snapshot.table("similar_groups"))
    return {int(g): set(m["complaint_id"]) for g, m in table.groupby("group_id")}


def test_trap_shares_enough_template_to_pass_the_threshold_on_raw_text():
    from dashboard.text.similar import normalise

    def raw(a, b):
        a, b = normalise(a), normalise(b)
        x, y = {a[i : i + 3] for i in range(len(a) - 2)}, {b[i : i + 3] for i in range(len(b) - 2)}
        return len(x & y) / len(x | y)

    assert max(raw(TEMPLATE_ONLY[2], text) for _, _, text in GROUP_B) >= similar_index.THRESHOLD


def test_import_finds_the_two_groups_across_the_month_boundary(similar_store):
    assert groups_of(similar_store) == {1: A_IDS, 2: B_IDS}  # numbered by size: A has 7, B 6
    snapshot, _ = db.current(similar_store)
    table = pd.read_parquet(snapshot.table("similar_groups"))
    assert table.groupby("group_id")["is_representative"].sum().tolist() == [1, 1]
    assert set(table["group_size"]) == {7, 6}
    assert "T1" not in set(table["complaint_id"])  # template words only
    assert not set(table["complaint_id"]) & {c for c, _, _ in REPEATS}  # one customer: not a group


def window_members(data_dir) -> tuple[dict, dict[str, set[str]]]:
    snapshot, _ = db.current(data_dir)
    windows = pq.read_table(snapshot.table("similar_windows"))
    keys = json.loads(windows.schema.metadata[b"window_keys"])
    frame = windows.to_pandas()
    return keys, {str(m): set(g["complaint_id"]) for m, g in frame.groupby("window_month")}


def test_small_months_reach_back_for_enough_narratives(similar_store):
    # ~40 narratives a month, at least 60 a window: September's window starts in August, October's in
    # September (August is the first month: its 7 days before hold nothing)
    keys, per_window = window_members(similar_store)
    assert sorted(keys) == ["2026-08-01", "2026-09-01", "2026-10-01"]  # every month, empty ones too
    assert "|2026-07-25|" in keys["2026-08-01"]
    assert "|2026-08-01|" in keys["2026-09-01"] and "|2026-09-01|" in keys["2026-10-01"]
    assert "2026-08-01" not in per_window  # no group in August
    assert per_window["2026-09-01"] == A_IDS | {"B1", "B2", "B3"}  # B's first half alone in September
    assert per_window["2026-10-01"] == A_IDS | B_IDS


def test_without_enough_narratives_the_template_is_not_cut(tmp_path, monkeypatch):
    # the hand-made bank's three months in one window each: the unrelated narratives' three copies (one a
    # month) are then groups of their own, which is right for identical stories from three customers; and
    # with the whole bank in view the template is cut: T1 stays out
    monkeypatch.setattr(similar_index, "MIN_WINDOW_NARRATIVES", 10_000)
    similar_index._last = None
    found = groups_of(build_bank(tmp_path / "bank"))
    similar_index._last = None
    assert A_IDS in found.values() and B_IDS in found.values()
    assert all("T1" not in members for members in found.values())


def test_large_months_look_back_seven_days(tmp_path, monkeypatch):
    monkeypatch.setattr(similar_index, "MIN_WINDOW_NARRATIVES", 10)
    similar_index._last = None
    data_dir = build_bank(tmp_path / "bank")
    keys, per_window = window_members(data_dir)
    assert "|2026-09-24|" in keys["2026-10-01"]  # October's window starts 24 September
    assert per_window["2026-09-01"] == A_IDS | {"B1", "B2", "B3"}
    assert per_window["2026-10-01"] == B_IDS  # B1-B3 (28-30 Sep) are in it, A is not
    assert groups_of(data_dir) == {1: A_IDS, 2: B_IDS}  # merged across the boundary
    similar_index._last = None


def test_merge_windows_by_hand():
    rows = pd.DataFrame(
        {
            "window_month": [SEP] * 3 + [OCT] * 7,
            "window_group": [1, 1, 1, 1, 1, 1, 1, 2, 2, 2],
            "complaint_id": ["a", "b", "c", "b", "c", "d", "e", "x", "y", "z"],
            "is_representative": [False, True, False, False, False, True, False, False, False, True],
        }
    )
    merged = similar_index.merge_windows(rows)
    groups = {g: set(m["complaint_id"]) for g, m in merged.groupby("group_id")}
    assert groups == {1: {"a", "b", "c", "d", "e"}, 2: {"x", "y", "z"}}
    reps = merged[merged["is_representative"]].set_index("group_id")["complaint_id"].to_dict()
    assert reps == {1: "d", 2: "z"}  # the representative of the larger window group (4 > 3)
    assert merged.set_index("complaint_id").loc["a", "window_month"] == SEP
    assert similar_index.merge_windows(rows.iloc[0:0]).empty


def test_window_plan_and_keys():
    fps = pd.DataFrame({"month": [AUG, SEP, OCT], "complaints": [3000, 2500, 100], "fingerprint": ["a", "s", "o"]})
    plan = similar_index.window_plan(fps)
    assert plan[AUG][0] == date(2026, 7, 25)  # large enough: the month and the 7 days before it
    assert plan[SEP][0] == date(2026, 8, 25)
    assert plan[OCT][0] == SEP  # 100 < 2,000: reaches back to September (2,600)
    keys = similar_index.window_keys(fps)
    aug_changed = similar_index.window_keys(fps.assign(fingerprint=["a2", "s", "o"]))
    assert [keys[m] != aug_changed[m] for m in (AUG, SEP, OCT)] == [True, True, False]
    sep_changed = similar_index.window_keys(fps.assign(fingerprint=["a", "s2", "o"]))
    assert [keys[m] != sep_changed[m] for m in (AUG, SEP, OCT)] == [False, True, True]


def test_only_changed_windows_are_recomputed_and_groups_follow_the_data(tmp_path, monkeypatch):
    monkeypatch.setattr(similar_index, "MIN_WINDOW_NARRATIVES", SMALL_BANK_MIN_WINDOW)
    similar_index._last = None
    data_dir = build_bank(tmp_path / "bank")
    computed: list[date] = []
    original = similar_index.window_groups

    def counting(narratives, month):
        computed.append(month)
        return original(narratives, month)

    monkeypatch.setattr(similar_index, "window_groups", counting)

    # A1's story changes (September): September and October (which looks back into September) are redone
    similar_index._last = None  # as in a new process: reuse must come from the previous snapshot
    a1 = next(r for r in bank_rows() if r[0] == "A1")
    changed = list(a1)
    changed[11] = OPEN + "手机银行登录时提示证书过期无法转账" + CLOSE
    import_files([write_csv(tmp_path / "fix.csv", COMPLAINT_HEADERS_ZH, [changed])], data_dir)
    assert computed == [SEP, OCT]
    assert groups_of(data_dir) == {1: A_IDS - {"A1"}, 2: B_IDS}

    # a status update changes no narrative; a new month is computed alone
    computed.clear()
    similar_index._last = None
    u = next(r for r in bank_rows() if r[0] == "U1003")
    closed = list(u)
    closed[2], closed[12], closed[13] = "2026-10-20 09:00:00", "已办结", "已解决"
    november = row("N1", "2026-11-02 09:00:00", "KN1", OPEN + UNRELATED[3] + CLOSE)
    import_files([write_csv(tmp_path / "update.csv", COMPLAINT_HEADERS_ZH, [tuple(closed), november])], data_dir)
    assert computed == [NOV]
    assert groups_of(data_dir) == {1: A_IDS - {"A1"}, 2: B_IDS}


def test_page_queries_follow_the_period_and_filters(similar_store):
    _, con = db.current(similar_store)
    both = db.run(con, "similar_groups_list", **Filters(month_from=SEP, month_to=OCT).params(min_size=3, limit=10))
    assert list(both["size"]) == [7, 6] and set(both["groups"]) == {2}
    b = both.set_index("size").loc[6]
    assert b["customers"] == 6 and b["branches"] == 3 and list(b["channels"]) == ["客服热线", "手机银行/网银"]
    assert b["days_spanned"] == 6  # 28 Sep .. 3 Oct, both included
    assert b["representative_id"] in B_IDS and b["representative"].startswith(OPEN[:4])

    october = db.run(con, "similar_groups_list", **Filters(month_from=OCT, month_to=OCT).params(min_size=3, limit=10))
    assert len(october) == 1 and october["size"].iloc[0] == 3 and october["group_size"].iloc[0] == 6
    if october["representative_id"].iloc[0] not in {"B4", "B5", "B6"}:
        pytest.fail("the representative shown must be a member within the period")
    assert db.run(
        con, "similar_groups_list", **Filters(month_from=OCT, month_to=OCT).params(min_size=4, limit=10)
    ).empty
    shanghai = db.run(
        con, "similar_groups_list", **Filters(month_from=SEP, month_to=OCT, org="0200").params(min_size=1, limit=10)
    )
    assert sorted(shanghai["size"]) == [2, 2]  # A3, A6 and B3, B6 are at 0201

    group_b = int(both.set_index("size").loc[6, "group_id"])
    members = db.run(
        con, "similar_group_members", **Filters(month_from=SEP, month_to=OCT).params(group_id=group_b, limit=100)
    )
    assert list(members["complaint_id"]) == ["B1", "B2", "B3", "B4", "B5", "B6"]
    assert members["is_representative"].sum() == 1
    narratives = {complaint_id: text for complaint_id, _, text in GROUP_B}  # as written in the extract
    assert all(row.content == narratives[row.complaint_id] for row in members.itertuples())
    assert both.set_index("size").loc[6, "representative"] == narratives[b["representative_id"]]


def test_key_terms_of_a_group():
    terms = similar_groups.key_terms([text for _, _, text in GROUP_B])
    assert 1 <= len(terms) <= similar_groups.KEY_TERMS
    for term in terms:  # each term is in at least 60 % of the narratives, none is template
        assert sum(term in text for _, _, text in GROUP_B) >= 0.6 * len(GROUP_B)
    assert similar_groups.key_terms([]) == []


def test_report_section_masks_the_representative(similar_store):
    _, con = db.current(similar_store)
    section = similar_groups.report_section(con, Filters(month_from=SEP, month_to=SEP), SEP)
    assert [g["size"] for g in section] == [7, 3]
    assert set(section[0]["complaint_ids"]) == A_IDS
    assert all("张伟" not in g["representative"] and "李娜" not in g["representative"] for g in section)
    json.dumps(section, ensure_ascii=False)


def test_demo_planted_clusters_are_found_whole_and_alone(demo_store):
    gt = json.loads((demo_store.parent / "extracts" / "ground_truth.json").read_text(encoding="utf-8"))
    found = groups_of(demo_store)
    group_of = {cid: g for g, members in found.items() for cid in members}
    assert len(gt["similar_clusters"]) == 6
    for cluster in gt["similar_clusters"]:
        ids = set(cluster["complaint_ids"])
        groups = {group_of.get(c) for c in ids}
        assert len(groups) == 1 and None not in groups, cluster["id"]  # every member, in one group
        assert found[groups.pop()] == ids, cluster["id"]  # and nothing unrelated in it


def test_worker_processes_give_the_same_groups(similar_store, monkeypatch):
    """The windows dealt out to worker processes come back with the groups computed in this process."""
    _, con = db.current(similar_store)
    plan = similar_index.window_plan(db.run(con, "similar_fingerprints"))
    windows = {
        m: db.run(con, "similar_window_narratives", window_start=start, window_end=similar_index.add_months(m, 1))
        for m, (start, _) in plan.items()
    }
    here = pd.concat(similar_index.compute_groups(windows), ignore_index=True)
    monkeypatch.setattr(similar_index, "POOL_MIN_NARRATIVES", 0)
    pooled = pd.concat(similar_index.compute_groups(windows), ignore_index=True)
    key = ["window_month", "window_group", "complaint_id"]
    assert len(here) > 0
    pd.testing.assert_frame_equal(
        pooled.assign(window_month=pd.to_datetime(pooled["window_month"])).sort_values(key).reset_index(drop=True),
        here.assign(window_month=pd.to_datetime(here["window_month"])).sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )


def test_batches_of_months_give_the_same_windows(similar_store, monkeypatch):
    """Months computed a few at a time (bounded memory for a long history) give what one pass gives."""
    _, con = db.current(similar_store)
    monkeypatch.setattr(similar_index, "_last", None)
    _, whole, _ = similar_index.compute_windows(con, None)
    plan = similar_index.window_plan(db.run(con, "similar_fingerprints"))
    monkeypatch.setattr(similar_index, "BATCH_NARRATIVES", 1)  # every month a batch of its own
    batches = similar_index._batches(sorted(plan), plan, db.run(con, "similar_fingerprints"))
    assert batches == [[m] for m in sorted(plan)]
    monkeypatch.setattr(similar_index, "_last", None)
    _, batched, _ = similar_index.compute_windows(con, None)
    key = ["window_month", "window_group", "complaint_id"]
    assert len(whole) > 0
    pd.testing.assert_frame_equal(
        batched.sort_values(key).reset_index(drop=True), whole.sort_values(key).reset_index(drop=True)
    )
