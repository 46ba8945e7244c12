"""Institutions and products stay readable next to the people they employ (issue 15, brief I1).

Each sentence puts an institution of dashboard/text/institutions.txt after 和/向/跟/找/在 and next to a real
name; the expected masks are written by hand: the institution unchanged, the name's given name masked."""

from __future__ import annotations

import pytest

from dashboard.text.masking import mask

BESIDE_A_NAME = [
    # a name right after the institution, without 的 (the tagger reads the name as one word)
    ("我跟招商银行孙梅说过这件事", "我跟招商银行孙*说过这件事"),
    ("我跟人民银行征信中心赵敏说过", "我跟人民银行征信中心赵*说过"),
    # the dictionary's weight in the tagger is fixed: more entries do not change how other text is read
    ("催收员莫小军还是天天打电话", "催收员莫**还是天天打电话"),
]


@pytest.mark.parametrize(("text", "expected"), BESIDE_A_NAME)
def test_institution_kept_and_the_name_beside_it_masked(text, expected):
    assert mask(text) == expected
