"""Seasonal control limits for the monthly volume: does a month stand out against its season?

Complaints have a season (the Spring Festival dip, year-end peaks), so limits from the previous 12 months'
mean never fire where they should: a February dip is inside mean ± 3σ of a year that contains it.
The baseline here is the same month last year, carried forward by the recent year-on-year growth:

    r_h      = ln(c_h / c_{h-12})  for each of the 12 months h before m where both are loaded and > 0
    g        = median(r_h)                                   the typical year-on-year growth lately
    s        = 1.4826 · median(|r_h - g|)                    its robust spread (MAD; one odd month cannot
                                                             widen the limits for a whole year)
    expected = c_{m-12} · e^g
    σ        = max(s, 1 / √expected)                          never tighter than Poisson noise
    limits   = expected · e^{±3σ}

computed where c_{m-12} > 0 and at least 6 growth rates are known (so 18 to 24 months of history).
A breach means this month is far from what the same month last year and the year's trend predict:
a moved holiday (the Spring Festival falls in January some years, February others), an event, a
change in how complaints are recorded, or missing data; the page asks to find which.
"""

from __future__ import annotations

import math
from datetime import date
from statistics import median
from typing import Callable

from dashboard.filters import add_months

SEASON_MONTHS = 12
GROWTH_WINDOW = 12
MIN_GROWTHS = 6
SIGMAS = 3.0
MAD_SCALE = 1.4826
HISTORY_MONTHS = SEASON_MONTHS + GROWTH_WINDOW  # how far back a month's limits read

RULE = (
    "季节性控制限：以上年同月投诉量为基准，按此前 12 个月的同比增速（取中位数）推算本月预期值；"
    "控制限为预期值 × e^(±3σ)，σ 取这些同比增速（对数）的稳健标准差（1.4826 × 中位绝对偏差），且不小于泊松波动 1/√预期值。"
    "需要上年同月有投诉，且此前 12 个月中至少 6 个月可计算同比增速（约 18 个月以上数据）。"
    "超出控制限表示本月投诉量明显偏离按上年同月和近期趋势推算的水平：可能是节假日错月（如春节在 1 月或 2 月）、"
    "集中性事件、登记口径变化或数据缺失，需要查明原因；“异常偏高”需重点关注。"
)


def limits(count: Callable[[date], float | None], month: date) -> tuple[float, float, float] | None:
    """(expected, lower, upper) for `month`, or None without the history. `count(m)` is the month's
    volume, None where the month is not loaded."""
    base = count(add_months(month, -SEASON_MONTHS))
    if not base:
        return None
    growths = []
    for i in range(1, GROWTH_WINDOW + 1):
        h = add_months(month, -i)
        now, before = count(h), count(add_months(h, -SEASON_MONTHS))
        if now and before:
            growths.append(math.log(now / before))
    if len(growths) < MIN_GROWTHS:
        return None
    g = median(growths)
    spread = MAD_SCALE * median(abs(r - g) for r in growths)
    expected = base * math.exp(g)
    sigma = max(spread, 1 / math.sqrt(expected))
    return expected, expected * math.exp(-SIGMAS * sigma), expected * math.exp(SIGMAS * sigma)
