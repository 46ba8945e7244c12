"""Effect of a rectification (整改成效): did complaints in the item's slice fall after it was fixed?

Periods: the month the item was marked 已整改 (its fix date) is left out, being half before and half after.
*Before* is up to ``BEFORE_MONTHS`` (6) complete months before it; *after* is the months after it up to the
latest complete month of the data, at most ``AFTER_MONTHS`` (6). Rates are complaints per month.

The test (documented on the page): are complaints per month lower after than before, beyond chance?
Complaints in the slice are modelled as Poisson counts with a rate per month that may differ before and
after. Given the total n = n_before + n_after, the number after is binomial:
    n_after ~ Bin(n, T_after / (T_before + T_after))       under H0: the same rate before and after
(the conditional test for comparing two Poisson rates; it needs no estimate of the rate). The p-value is
one-sided, P(X <= n_after), the chance of a fall at least this large if nothing changed. The fall is
called beyond chance when p < ``ALPHA`` (0.05). It says nothing about *why* complaints fell (a seasonal
dip, a reclassification); the page says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from dashboard import metrics
from dashboard.filters import add_months, month_start
from dashboard.text import search_guard
from dashboard.text.masking import mask

BEFORE_MONTHS = 6
# narratives holding an item's key terms checked one by one in Python for a term only inside what the mask
# hides, where the masked text is not stored (hidden_hits); more than this in the compared period cannot be
# checked and the effect is not counted
TERM_HITS_CHECKED = 20_000
AFTER_MONTHS = 6
ALPHA = 0.05


def rate_drop_p_value(n_before: int, t_before: float, n_after: int, t_after: float) -> float | None:
    """One-sided p-value of H0 'the rate after equals the rate before' against 'it is lower', given
    n_before complaints over t_before months and n_after over t_after months. None when undefined (no
    complaints at all, or an empty period)."""
    n = int(n_before) + int(n_after)
    if n == 0 or t_before <= 0 or t_after <= 0:
        return None
    from scipy.stats import binomtest  # here: importing scipy.stats costs 0.6 s of every app start

    share = t_after / (t_before + t_after)
    return float(binomtest(int(n_after), n, share, alternative="less").pvalue)


@dataclass(frozen=True)
class Effect:
    fixed_month: date
    before: list[date]  # the months compared, oldest first
    after: list[date]
    n_before: int
    n_after: int
    rate_before: float | None  # complaints per month
    rate_after: float | None
    change_pct: float | None  # (rate_after - rate_before) / rate_before x 100
    p_value: float | None
    significant: bool  # a fall with p < ALPHA

    @property
    def status(self) -> str:
        """A short verdict in Chinese."""
        if not self.after:
            return "整改后尚无完整月份的数据，暂无法评估"
        if not self.before:
            return "整改前没有可比较的月份，无法评估"
        if self.n_before + self.n_after == 0:
            return "整改前后均无投诉，无法评估"
        if self.significant:
            return "投诉显著下降（超出随机波动）"
        if self.rate_after is not None and self.rate_before is not None and self.rate_after < self.rate_before:
            return "投诉有所下降，但尚不能排除随机波动"
        if not metrics.enough_to_call_no_fall(self):  # as effect_verdict: too little to conclude (H124)
            return f"投诉未见下降，但整改后仅 {len(self.after)} 个完整月份、{self.n_after} 件，尚不足以下结论"
        return "投诉未见下降"


def periods(
    fixed_at: date,
    first_month: date,
    last_complete_month: date,
    before_months: int = BEFORE_MONTHS,
    after_months: int = AFTER_MONTHS,
) -> tuple[list[date], list[date]]:
    """(before, after) months: complete months on each side of the fix month, within the data."""
    fixed_month = month_start(fixed_at)
    before = [add_months(fixed_month, -i) for i in range(before_months, 0, -1)]
    before = [m for m in before if m >= first_month]
    after = [add_months(fixed_month, i) for i in range(1, after_months + 1)]
    after = [m for m in after if m <= last_complete_month]
    return before, after


def effect(
    monthly: pd.DataFrame,
    fixed_at: date,
    first_month: date,
    last_complete_month: date,
    before_months: int = BEFORE_MONTHS,
    after_months: int = AFTER_MONTHS,
    alpha: float = ALPHA,
) -> Effect:
    """The before/after comparison from monthly counts (columns month, complaints; months missing from it
    count as zero)."""
    before, after = periods(fixed_at, first_month, last_complete_month, before_months, after_months)
    counts = {month_start(pd.Timestamp(m).date()): int(c) for m, c in zip(monthly["month"], monthly["complaints"])}
    n_before = sum(counts.get(m, 0) for m in before)
    n_after = sum(counts.get(m, 0) for m in after)
    rate_before = n_before / len(before) if before else None
    rate_after = n_after / len(after) if after else None
    change = None
    if rate_before and rate_after is not None:
        change = (rate_after - rate_before) / rate_before * 100.0
    p = rate_drop_p_value(n_before, len(before), n_after, len(after)) if before and after else None
    return Effect(
        fixed_month=month_start(fixed_at),
        before=before,
        after=after,
        n_before=n_before,
        n_after=n_after,
        rate_before=rate_before,
        rate_after=rate_after,
        change_pct=change,
        p_value=p,
        significant=p is not None and p < alpha,
    )


def monthly_frame(monthly: pd.DataFrame, effect_: Effect) -> pd.DataFrame:
    """Monthly counts labelled 整改前 / 整改当月 / 整改后 / 其他, for the chart."""
    frame = monthly.copy()
    frame["month"] = [month_start(pd.Timestamp(m).date()) for m in frame["month"]]

    def phase(m: date) -> str:
        if m == effect_.fixed_month:
            return "整改当月"
        if m in effect_.before:
            return "整改前"
        if m in effect_.after:
            return "整改后"
        return "其他月份"

    frame["phase"] = frame["month"].map(phase)
    return frame


# --- The complaints a ledger item follows, and its effect (the ledger page, the trends page, the briefing) ---
def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def item_slice(item) -> tuple[str, dict, str] | None:
    """(query name, overrides, what it counts in words) of the complaints a ledger item follows, for its
    before/after effect; None when it covers nothing. By the item's source:
      recurring   the organisation itself (not its subtree, contract 6) x category x reason
      similar     complaints of the group's category whose narrative holds every key term, in the item's
                  organisation and its subtree when it names one
      others      (surge, hotspot slice, one complaint, an event, by hand) the organisation's subtree (or
                  the whole bank) x the category and reason given, or, with key terms and no category, the
                  terms
    The one definition: the ledger page (analysis/ledger.py), the trends page and the briefing
    (analysis/leadership.py) count an item's effect over this slice."""
    source = item["source"]
    branch, category, reason = (
        _text(item.get("branch_code")),
        _text(item.get("business_category")),
        _text(item.get("reason")),
    )
    terms = list(item.get("key_terms") or [])
    # every complaint of the slice, whatever the reader's sidebar: an item has one effect, and the caption
    # says 不受侧边栏筛选条件影响 (hostile H171: 监管转送 made a finished fix 待重开 for one reader only)
    base = {"org": None, "channels": None, "referred": None, "basis": None, "age_group": None}
    if source == "similar" or (terms and not category and not metrics.follows_org_itself(source)):
        if not terms:
            return None
        # the terms masked as they are shown: a term can be personal data (hostile H146)
        # over the item's organisation when it names one, for every reader (hostile H183: the reader's scope
        # decided, and a 分行 and 消保部 read two verdicts of one item)
        where = f"机构 {branch} 及下辖机构" if branch else "全行"
        what = f"{where}“{category or '全部'}”类投诉中同时包含“{'、'.join(mask(t) or t for t in terms)}”的投诉"
        return (
            "ledger_effect_terms",
            {**base, "org": branch, "categories": [category] if category else None, "reasons": None, "terms": terms},
            what,
        )
    if metrics.follows_org_itself(source):
        if not (branch and category and reason):
            return None
        what = f"被投诉机构 {branch}（仅其本身）“{category} · {reason}”的投诉"
        return (
            "ledger_effect_slice",
            {**base, "categories": [category], "reasons": [reason], "branch_code": branch},
            what,
        )
    if not (branch or category or reason):
        return None
    where = f"机构 {branch} 及下辖机构" if branch else "全行"
    what = f"{where}“{' · '.join(x for x in (category, reason) if x) or '全部业务'}”的投诉"
    return (
        "ledger_effect_slice",
        {
            **base,
            "org": branch,
            "categories": [category] if category else None,
            "reasons": [reason] if reason else None,
            "branch_code": None,
        },
        what,
    )


def masked_terms(terms) -> list[str]:
    """The key terms counted on the narratives as the list shows them (masked), for every reader: every term
    but those that look like personal data (search_guard.refusal: a phone, an ID, a name, which only a user
    with the reveal right can save, to follow that identifier as stored) and the business words the mask never
    hides (nothing to check). A word found only inside a masked name is not the story the item follows, and a
    user without the reveal right may save such a word (issue 15: refusing it told, term by term, what the
    masked names of the item's slice hold); one count for every reader (hostile H183)."""
    return [t for t in terms if search_guard.refusal(t) is None and not search_guard.never_masked(t)]


def hidden_hits(terms, hits) -> tuple[str, ...] | None:
    """The ids of the matches in which one of masked_terms(terms) occurs only inside what the mask hides
    (ledger_effect_terms' $hidden); None when more than TERM_HITS_CHECKED are to be masked here (fail closed:
    not counted). hits(check): the rows ledger_effect_term_hidden gives for the terms checked, read only when
    needed: (id, narrative, unchecked), hidden by the stored masked text when not unchecked, else masked here
    (an (id, narrative) pair is unchecked)."""
    check = masked_terms(terms)
    if not check:
        return ()
    rows = list(hits(check))
    if sum(len(r) < 3 or bool(r[2]) for r in rows) > TERM_HITS_CHECKED:
        return None
    hidden = []
    for row in rows:
        cid, content = row[0], row[1]
        if len(row) >= 3 and not row[2]:
            hidden.append(str(cid))
            continue
        shown = mask(content) if isinstance(content, str) else ""
        if any(t in content and t not in shown for t in check):
            hidden.append(str(cid))
    return tuple(hidden)


def slice_months(run, name: str, over: dict, month_from: date, month_to: date) -> pd.DataFrame | None:
    """The monthly complaints of an item's slice (item_slice) from month_from to month_to; for key terms
    without those where a term occurs only inside a masked span (hidden_hits), None when they cannot all be
    checked."""
    from dashboard.derived.masked_text import current_tokenizer

    params = {**over, "month_from": month_from, "month_to": month_to}
    if name != "ledger_effect_terms":
        return run(name, **params)
    hidden = hidden_hits(
        over["terms"],
        lambda check: run(
            "ledger_effect_term_hidden",
            **params,
            check=check,
            tokenizer=current_tokenizer(),
            limit=TERM_HITS_CHECKED + 1,
        ).itertuples(index=False),
    )
    return None if hidden is None else run(name, **params, hidden=list(hidden))


def fixed_date(item) -> date | None:
    """The item's fix date (已整改), None when it has none."""
    value = item.get("fixed_at")
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else None


def item_effect(run, item, first_month: date, last_complete: date) -> Effect | None:
    """The before/after effect of a fixed item (None when it has no fix date or no slice to follow).
    `run(name, **overrides)` runs a query under the user's scope."""
    fixed = fixed_date(item)
    found = item_slice(item)
    if fixed is None or found is None:
        return None
    name, over, _ = found
    fixed_month = month_start(fixed)
    start = max(first_month, add_months(fixed_month, -BEFORE_MONTHS))
    end = max(min(last_complete, add_months(fixed_month, AFTER_MONTHS)), start)
    monthly = slice_months(run, name, over, start, end)
    return None if monthly is None else effect(monthly, fixed, first_month, last_complete)
