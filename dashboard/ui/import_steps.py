"""The upload page's status boxes of an import: one per publish, so that a two-step import says its
numbers are on the pages as soon as they are, not only once the narrative analysis is done too."""

from __future__ import annotations

from typing import Callable

import streamlit as st

from dashboard import fmt
from dashboard.ingest import pipeline
from dashboard.text.masking import mask


class ImportSteps:
    """`step` is the import's progress callback; `done` and `failed` label the last box at the end.
    Boxes are siblings, not nested (Streamlit does not nest expanders)."""

    def __init__(self, new_box: Callable = st.status):
        self._new_box = new_box
        self.boxes = [new_box("正在校验并导入，请稍候…", expanded=True)]

    def step(self, message: str) -> None:
        if message.startswith(pipeline.PHASE_NUMBERS):
            self.boxes[-1].update(label="第一步完成：数字已发布，各页面已显示新数据", state="complete", expanded=False)
            self.boxes.append(self._new_box("第二步：分析投诉内容（热点词、相似投诉）…", expanded=True))
        # shown as text (hostile H101), masked: a step names the file (H141)
        self.boxes[-1].write(fmt.literal(mask(message.removeprefix(pipeline.PHASE_NOTE))))

    def done(self, result: pipeline.ImportResult) -> None:
        if result.text_error:
            self.boxes[-1].update(label="第二步未完成：投诉内容分析出错，数字已发布", state="error", expanded=True)
        elif len(self.boxes) > 1:
            self.boxes[-1].update(label="第二步完成：热点词与相似投诉已更新", state="complete")
        else:
            self.boxes[-1].update(label="导入完成", state="complete")

    def failed(self, published: bool = False) -> None:
        # after the numbers' box (the import process died in the second step) the numbers stay published;
        # `published`: the import failed after a one-step publish (its audit line): the data changed too
        if len(self.boxes) > 1:
            label = "第二步未完成：导入进程中断，数字已发布"
        else:
            label = "导入未全部完成：数据已发布" if published else "导入失败"
        self.boxes[-1].update(label=label, state="error", expanded=True)
