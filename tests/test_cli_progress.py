"""The demo command's progress lines: every step with its seconds, and a line for a step still running."""

from __future__ import annotations

import io

from dashboard.cli import Progress


def test_a_quiet_step_gets_a_still_running_line_every_quiet_interval():
    out = io.StringIO()
    step = Progress(100.0, out=out)
    step.beat(105.0)  # nothing said yet: nothing to repeat
    step("计算派生表 complaint_terms", now=101.0)
    step.beat(110.9)  # 9.9 s quiet: not yet
    step.beat(111.0)  # 10 s quiet
    step.beat(115.0)  # 4 s after the last line
    step.beat(121.0)  # 10 s after it
    step("生成日常投诉…", now=122.0)
    step.beat(132.5)
    assert out.getvalue().splitlines() == [
        "[    1 秒] 计算派生表 complaint_terms",
        "[   11 秒] 仍在进行：计算派生表 complaint_terms",
        "[   21 秒] 仍在进行：计算派生表 complaint_terms",
        "[   22 秒] 生成日常投诉…",
        "[   32 秒] 仍在进行：生成日常投诉",
    ]
