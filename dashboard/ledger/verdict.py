"""An item's effect verdict (整改成效) and what it means for its status.

The rule (issue 20): an item is not 已整改 while its effect says 投诉未见下降. The before/after test is
dashboard/analysis/effect.py (the ledger may not import analysis: both sit on one layer); this module
reads its result by attribute (after, before, n_before, n_after, significant, rate_before, rate_after),
so the page, the export and the report say the same thing:
  有效      complaints per month fell beyond chance after the fix
  未见下降  after months exist and complaints per month did not fall (Effect.status 投诉未见下降)
  待观察    not fixed yet, no complete month after the fix, nothing to compare, or a fall that is not yet
            beyond chance
An item marked 已整改 or 已验证 whose verdict is 未见下降 is flagged for
reopening (needs_reopen) and shown as 待重开, not counted as done.
"""

from __future__ import annotations

from dashboard.ledger.store import DONE_STATUSES

EFFECTIVE, NOT_FALLING, WATCHING = "有效", "未见下降", "待观察"
VERDICTS = (EFFECTIVE, NOT_FALLING, WATCHING)
REOPEN = "待重开"


def effect_verdict(effect) -> str:
    """有效 / 未见下降 / 待观察 from an analysis.effect.Effect (None: not fixed or not evaluable)."""
    if effect is None or not effect.after or not effect.before or effect.n_before + effect.n_after == 0:
        return WATCHING
    if effect.significant:
        return EFFECTIVE
    fell = effect.rate_after is not None and effect.rate_before is not None and effect.rate_after < effect.rate_before
    return WATCHING if fell else NOT_FALLING


def needs_reopen(status: str, verdict: str) -> bool:
    """A done item whose complaints did not fall: flagged for reopening."""
    return status in DONE_STATUSES and verdict == NOT_FALLING


def shown_status(status: str, verdict: str) -> str:
    """The status as the list shows and counts it: 待重开 for a done item whose effect is 未见下降."""
    return REOPEN if needs_reopen(status, verdict) else status
