"""How a headline card shows its Comparison: the delta text, its colour and arrow (Streamlit's st.metric
arguments, as plain values: no Streamlit here).

st.metric colours a delta by the sign it reads from the text ("normal": a rise green, "inverse": a rise
red). The colour must say whether the change is good for the reader, so it is chosen from the
Comparison's tone and the sign of its change: a rise in complaints is red, a rise in the on-time rate
green, whatever the text says.
"""

from __future__ import annotations

from dashboard.analysis.trends import (
    LIKE_FOR_LIKE_BASIS,
    NOT_COMPARED,
    SMALL_BASE,
    SMALL_NOTE,
    UNENDED_BASIS,
    UNENDED_TEXT,
    Comparison,
    change_text,
)
from dashboard.fmt import by_unit

NAMED_BASIS = ("complaints", "mom_pct", "yoy_pct", "per_10k")
UNIT_SUFFIX = {"count": " 件", "per10k": " 件/万户"}


def value_text(value, unit: str) -> str:
    """A card's value with its unit: '2,420 件', '1.23 件/万户', '87.5%', '6.2 天'."""
    text = by_unit(value, unit)
    return text if text == by_unit(None, unit) else text + UNIT_SUFFIX.get(unit, "")


def delta(c: Comparison) -> tuple[str | None, str, str]:
    """(delta text, delta_color, delta_arrow) for st.metric. The text names the basis and the change,
    '较上月 +120 件'; colour 'normal' or 'inverse' so that a good change is green and a bad one red. A month
    that has not ended says so in the change's place (hostile H70)."""
    if c.basis in NOT_COMPARED:
        return NOT_COMPARED[c.basis], "off", "off"
    text = change_text(c.unit, c.change)
    if text is None:
        return None, "off", "off"
    if c.tone == "flat":
        return f"{c.basis}持平", "off", "off"
    if c.unit == "per10k":
        text += " 件/万户"
    if c.key in NAMED_BASIS:  # the wide cards name their basis; the narrow ones say it in the caption and help
        text += f"（{c.basis}）"
    if c.small:  # too few complaints to call good or bad (trends.SMALL_BASE, hostile H157): grey, no arrow;
        return text, "off", "off"  # the page says why under the cards (SMALL_CAPTION)
    rising = c.change is not None and c.change > 0
    colour = "normal" if rising == (c.tone == "good") else "inverse"
    return text, colour, "auto"


def colour_of(c: Comparison) -> str | None:
    """The colour a reader sees: 'green', 'red' or None (grey / no delta)."""
    text, colour, _ = delta(c)
    if text is None or colour == "off":
        return None
    rising = c.change is not None and c.change > 0
    # st.metric: "normal" paints a rise green and a fall red, "inverse" the opposite
    return ("green" if rising else "red") if colour == "normal" else ("red" if rising else "green")


def help_suffix(c: Comparison) -> str:
    """The card's help text after the definition: what the delta compares with."""
    if c.basis == UNENDED_BASIS:
        return f"{UNENDED_TEXT}：数据时点在本月结束前，本月只含已过去的日子，不与上月、去年同月比较。"
    if c.basis in NOT_COMPARED:
        return f"{NOT_COMPARED[c.basis]}：本月有投诉的机构远少于上月，数据可能只含部分机构或部分系统，不与上月、去年同月比较。"
    if c.key in ("mom_pct", "yoy_pct"):
        base = "上月" if c.key == "mom_pct" else "去年同月"
        shown = "" if c.base is None else f"（{base} {by_unit(c.base, 'count')} 件）"
        return f"下方为本月投诉量与{base}投诉量之差，单位：件{shown}；投诉增加为红色，减少为绿色{_small_help(c)}。"
    if c.basis == LIKE_FOR_LIKE_BASIS:
        return (
            "本月数据未成熟：下方为与上月在相同数据间隔（上月末 + 本月末至数据时点的天数）时的办理情况相比的变化；"
            "绿色表示改善，红色表示变差。"
        )
    return f"下方为较上月的变化；绿色表示改善，红色表示变差{_small_help(c)}。"


SMALL_CAPTION = (
    f"**{SMALL_NOTE}**：本月或比较月份投诉少于 {SMALL_BASE} 件，卡片中的变化不着色、不作好坏判断"
    "（几件投诉的增减不代表趋势）；环比、同比的百分比请勿单独引用。"
)


def _small_help(c: Comparison) -> str:
    if not c.small:
        return ""
    return f"（本月或比较月份投诉少于 {SMALL_BASE} 件时，变化不着色、不作好坏判断：几件投诉的增减不代表趋势）"


def gap_to_average(per_10k, average, complaints) -> tuple[str | None, str, str]:
    """(delta text, delta_color, delta_arrow) for an organisation's 万人投诉率 card against the average rate
    (机构排名's profile): the gap with its unit, '+1.23 件/万户'; red above the average, green below (fewer
    complaints per 10,000 customers is good), and grey on fewer than SMALL_BASE complaints, as every other
    card (hostile H157, H268: 3 complaints read +4.00, red). No delta without a rate or an average."""
    if per_10k is None or average is None or per_10k != per_10k or average != average:  # None or NaN
        return None, "off", "off"
    gap = round(float(per_10k) - float(average), 2)
    if gap == 0:
        return "与平均持平", "off", "off"
    text = f"{gap:+.2f} 件/万户"
    if complaints is None or complaints != complaints or complaints < SMALL_BASE:
        return text, "off", "off"
    return text, "inverse", "auto"  # st.metric "inverse": a rise (above the average) red, a fall green
