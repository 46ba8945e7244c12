"""An item's effect verdict (整改成效) and what it means for its status: the rule is defined once, in
dashboard/metrics.py (below both the ledger and the analysis layers, so the ledger page, its export, the
trends page and the briefing count with the same function and the same labels); this module names it for
the ledger's modules.

  有效      complaints per month fell beyond chance after the fix
  未见下降  enough months and complaints after the fix (metrics.NOT_FALLING_MIN_*) and complaints per
            month did not fall (Effect.status 投诉未见下降)
  待观察    not fixed yet, too few months or complaints after the fix, nothing to compare, or a fall that
            is not yet beyond chance
The words the pages show: VERDICT_HELP.
An item marked 已整改 or 已验证 whose verdict is 未见下降 is flagged for reopening (needs_reopen) and
shown and counted as 待重开, not as done.
"""

from __future__ import annotations

from dashboard.metrics import (
    EFFECTIVE,
    NOT_FALLING,
    REOPEN,
    VERDICT_HELP,
    VERDICTS,
    WATCHING,
    effect_verdict,
    needs_reopen,
    shown_status,
)

__all__ = [
    "EFFECTIVE",
    "NOT_FALLING",
    "REOPEN",
    "VERDICT_HELP",
    "VERDICTS",
    "WATCHING",
    "effect_verdict",
    "needs_reopen",
    "shown_status",
]
