"""Text from the URL or the extract drawn in Streamlit Markdown stays text (hostile test H20: a product in the
URL, `![x](http://host/x.png)`, was drawn as an image fetched from that host)."""

from __future__ import annotations

import re

import pytest

from dashboard import fmt

HOSTILE = [
    "![x](http://127.0.0.1:8702/x.png)",
    "[点这里](http://evil.test)",
    ":red[警告]",
    "**粗体** _斜_ `code`",
    "<img src=x>",
    "a\\b",
    "# 标题",
    "1. 列表",
    "~~删~~ $x$ | 表",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_every_markdown_character_is_escaped_and_the_text_kept(text):
    shown = fmt.literal(text)
    # a second, simpler reading: drop each backslash escape and the original text is back, character for character
    assert re.sub(r"\\(.)", r"\1", shown) == text
    # and no Markdown character is left unescaped
    assert not re.search(r"(?<!\\)[!\[\]()*_`<>#~$|:]", re.sub(r"\\.", "", shown))


def test_plain_chinese_is_unchanged():
    assert fmt.literal("个人住房贷款") == "个人住房贷款"
    assert fmt.literal(None) == ""
