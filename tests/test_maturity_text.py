"""How the provisional-month banner words the as-of time against the month's end (hostile H67)."""

from datetime import timedelta

import pytest

from dashboard.analysis.maturity import Maturity


@pytest.mark.parametrize(
    "lag, says",
    [
        (timedelta(hours=-1, minutes=-13), "数据时点在该月最后一天、月末之前"),  # 22:47 on the last day
        (timedelta(hours=5), "数据时点距月末不足 1 天"),
        (timedelta(days=4, hours=2), "数据时点距月末仅 4 天"),
    ],
)
def test_the_as_of_is_put_in_words_never_as_a_negative_zero(lag, says):
    m = Maturity(provisional=True, young=3, open=1, lag=lag, compared_cutoff=None, compared=None)
    assert m.lag_text == says
    assert says in m.note() and "-0" not in m.note()


def test_young_complaints_are_named_by_their_deadline_not_by_15_days():
    # hostile H189: young counts complaints inside their own granted deadline (extended ones to 30 / 60 days),
    # and the note said "受理未满 15 天": 4,000 there, 3,679 received under 15 days ago
    m = Maturity(provisional=True, young=4000, open=12, lag=timedelta(days=4), compared_cutoff=None, compared=None)
    assert "4,000 件投诉尚未到办理时限（受理未满 15 天；经延期的，未满延长后的时限）" in m.note()
    assert "4,000 件投诉受理未满" not in m.note()
