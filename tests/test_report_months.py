"""The report command refuses a month or a year it has no data for (H11): a month after the data's as-of has
not happened (its zero complaints are no count), a year without loaded complaints has nothing to disclose.
A month inside the data but not yet complete is reported, marked provisional. Fixture: test_leadership's
young month (complaints from 2025-10 to N1 on 2026-11-05, the as-of)."""

from __future__ import annotations

import json

import pytest

from dashboard import cli
from tests.test_leadership import young_store  # noqa: F401  (the fixture)


def _run(data_dir, capsys, *extra) -> tuple[int, str, str]:
    code = cli.main(["report", "--data-dir", str(data_dir), "--json", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize(
    "args, said",
    [
        (("--month", "2026-12"), "2026-12 晚于数据截至时点"),  # the month after the as-of's
        (("--month", "2027-03"), "2027-03 晚于数据截至时点"),
        (("--month", "2025-09"), "2025-09 早于已加载数据的第一个月"),
        (("--year", "2027"), "2027 年没有已加载的数据"),
        (("--year", "2024"), "2024 年没有已加载的数据"),
    ],
)
def test_a_month_or_year_without_data_is_refused(young_store, capsys, args, said):  # noqa: F811
    code, out, err = _run(young_store, capsys, *args)
    assert code == 2 and out == ""
    assert said in err and "2025-10 至 2026-11" in err  # and the span the data does cover


def test_the_as_of_month_is_reported_provisional(young_store, capsys):  # noqa: F811
    # November: N1 alone, received at the as-of itself (0 days old, younger than any deadline)
    code, out, _ = _run(young_store, capsys, "--month", "2026-11")
    kpis = json.loads(out)["kpis"]
    assert code == 0 and kpis["complaints"] == 1 and kpis["provisional"] is True
    # September is mature at the as-of (its last complaint S3 is 41 days old)
    code, out, _ = _run(young_store, capsys, "--month", "2026-09")
    kpis = json.loads(out)["kpis"]
    assert code == 0 and kpis["complaints"] == 3 and kpis["provisional"] is False


def test_a_year_with_data_is_reported(young_store, capsys):  # noqa: F811
    code, out, _ = _run(young_store, capsys, "--year", "2025")
    assert code == 0 and json.loads(out)["annual"]["complaints"] == 2  # Y1, Y2
