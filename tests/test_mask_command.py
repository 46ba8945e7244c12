"""`python -m dashboard mask`: stdin to stdout line by line, the app's masking; and --evaluate on the
hand-labelled set (tests/fixtures/masking_labelled.jsonl, written by hand, see its builder's notes)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.text import mask_eval
from dashboard.text.masking import mask, mask_series
from dashboard.ui.complaint_list import shown_frame

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "fixtures" / "masking_labelled.jsonl"
HOLDOUT = ROOT / "tests" / "fixtures" / "masking_holdout.jsonl"  # written apart from the tuning, see its .md
DEV = ROOT / "tests" / "fixtures" / "masking_dev.jsonl"  # a second writer's set, see its .md
DEV6 = ROOT / "tests" / "fixtures" / "masking_dev6.jsonl"  # a third writer's set, see its .md
DEV7 = ROOT / "tests" / "fixtures" / "masking_dev7.jsonl"  # a fourth writer's first 200, see its .md


def run_mask(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "mask", *args],
        input=data,
        cwd=ROOT,
        check=False,
        capture_output=True,
        timeout=120,
    )


def test_same_lines_masked_as_the_app_shows_them():
    lines = [
        "客户王小明来电，手机13812345678",
        "",
        "我叫畅新宇，卡号6222 0212 3456 7890",
        "无个人信息的投诉：年费300元",
        "本人和招商银行签订借款合同",
    ]
    done = run_mask(("\n".join(lines) + "\n").encode("utf-8"))
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8").split("\n")
    assert out[-1] == "" and len(out) - 1 == len(lines)  # same number of lines
    # the list page's column "投诉内容（已脱敏）" is what a user without the reveal right sees
    shown = shown_frame(pd.DataFrame({"complaint_id": range(len(lines)), "content": lines}))
    assert out[:-1] == shown["投诉内容（已脱敏）"].tolist()
    assert out[0] == "客户王**来电，手机138****5678"  # by hand
    assert out[2] == "我叫畅**，卡号6222 **** **** 7890"
    assert out[4] == lines[4]


def test_windows_line_ends_bom_and_no_final_newline_are_kept():
    done = run_mask("\ufeff张先生来电\r\n李女士".encode("utf-8"))
    assert done.returncode == 0
    assert done.stdout.decode("utf-8") == "*先生来电\r\n*女士"


def test_not_utf8_is_refused_with_a_reason():
    done = run_mask("客户张先生".encode("gbk"))
    assert done.returncode == 2
    assert "UTF-8" in done.stderr.decode("utf-8")


def test_mask_series_is_mask():
    texts = [json.loads(line)["text"] for line in LABELLED.read_text(encoding="utf-8").splitlines()[:50]]
    assert mask_series(pd.Series(texts)).tolist() == [mask(t) for t in texts]


@pytest.mark.parametrize(("path", "size"), [(LABELLED, 392), (HOLDOUT, 160)], ids=["tuned", "holdout"])
def test_labelled_set_targets(path, size):
    # each file on its own: the hold-out set may not be carried by the larger one
    records = mask_eval.load(path)
    assert len(records) == size
    figures = mask_eval.evaluate(records)
    names = figures.share(figures.found["name"], figures.total["name"])
    wrong = figures.share(figures.wrong_texts, figures.texts)
    numbers = figures.share(figures.keep_numbers_ok, figures.keep_numbers)
    assert names >= 97.0, figures.misses
    assert wrong <= 0.3, figures.false_masks
    assert numbers == 100.0, figures.broken_keeps


@pytest.mark.parametrize(
    "path, count, wrong_at_most, names_at_least",
    [
        # the second writer's set: nothing ordinary masked and every amount and date kept, as on the other
        # two; names found stays below the 97 % target on it (94.4 %, the misses are listed in its .md), so
        # only a floor is held here
        (DEV, 200, 0.3, 90.0),
        # the third writer's first 100 texts, scored unseen before any change for them (85.4 % names on the
        # first 50), then used to find classes of misses: floors below today's figures (97.6 %, 0 %, 100 %)
        (DEV6, 100, 1.0, 95.0),
        # the fourth writer's first 200 texts (batch 1 scored unseen at 76.7 %, batches 2-4 unseen after
        # round one): floors below today's figures (85.6 %, 0 %, 100 %), not the targets
        (DEV7, 200, 0.5, 83.0),
    ],
)
def test_development_set_floors(path, count, wrong_at_most, names_at_least):
    records = mask_eval.load(path)
    assert len(records) == count
    figures = mask_eval.evaluate(records)
    assert figures.share(figures.wrong_texts, figures.texts) <= wrong_at_most, figures.false_masks
    assert figures.share(figures.keep_numbers_ok, figures.keep_numbers) == 100.0, figures.broken_keeps
    assert figures.share(figures.found["name"], figures.total["name"]) >= names_at_least, figures.misses


def test_a_label_that_is_a_surname_alone(tmp_path):
    # by hand: 姓栾 and 王姐 hide the surname (栾 -> *, 王姐 -> *姐), so both labels are found and
    # nothing is wrongly masked; an unmasked lone surname (姓 in no cue: 百姓) stays a miss
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"text": "催收员自称姓栾，态度很差", "pii": [{"type": "name", "text": "栾", "start": 6}], "keep": []},
                {"text": "王姐你别急", "pii": [{"type": "name", "text": "王", "start": 0}], "keep": []},
                {"text": "老百姓的钱", "pii": [{"type": "name", "text": "百", "start": 1}], "keep": []},
            ]
        ),
        encoding="utf-8",
    )
    figures = mask_eval.evaluate(mask_eval.load(path))
    assert (figures.found["name"], figures.total["name"]) == (2, 3)
    assert figures.wrong_texts == 0


def test_evaluate_counts_by_hand(tmp_path):
    # one name found; one "name" no masker could find (an ordinary word labelled as a name), so missed;
    # nothing masked outside the labels; one amount and one word kept
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(r, ensure_ascii=False)
            for r in [
                {"text": "我叫鲍文昌，借款5,000元", "pii": [{"type": "name", "text": "鲍文昌"}], "keep": ["5,000元"]},
                {"text": "和朋友一起去的", "pii": [{"type": "name", "text": "一起"}], "keep": []},
                {"text": "客户向经理反映", "pii": [], "keep": ["经理"]},
            ]
        ),
        encoding="utf-8",
    )
    figures = mask_eval.evaluate(mask_eval.load(path))
    assert (figures.found["name"], figures.total["name"]) == (1, 2)
    assert figures.wrong_texts == 0
    assert (figures.keep_numbers_ok, figures.keep_numbers, figures.keep_all_ok, figures.keep_all) == (1, 1, 2, 2)
    done = run_mask(b"", "--evaluate", str(path))
    assert done.returncode == 0
    assert "names found: 50.0%" in done.stdout.decode("utf-8")


def test_evaluate_reports_each_file_apart(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text(
        json.dumps({"text": "我叫鲍文昌", "pii": [{"type": "name", "text": "鲍文昌"}], "keep": []}, ensure_ascii=False),
        encoding="utf-8",
    )
    second.write_text(
        json.dumps(
            {"text": "和朋友一起去的", "pii": [{"type": "name", "text": "一起"}], "keep": []}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    done = run_mask(b"", "--evaluate", str(first), str(second))
    assert done.returncode == 0
    out = done.stdout.decode("utf-8")
    assert (
        out.index(f"== {first}")
        < out.index("names found: 100.0%")
        < out.index(f"== {second}")
        < out.index("names found: 0.0%")
    )


def test_a_line_longer_than_the_import_cap_is_masked_in_chunks():
    from dashboard.text import mask_stream as ms

    sentence = "客户电话13851726634，"  # 17 characters
    repeats = ms.WHOLE_LINE_CHARS // len(sentence) + 500  # longer than the cap
    no_marks = "x" * (ms.WHOLE_LINE_CHARS + 10) + "13851726634"  # no mark at all: cut every CHUNK_CHARS
    data = (sentence * repeats + "\n" + no_marks + "\r\n" + "客户王小明来电\n").encode("utf-8")
    done = run_mask(data)
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.decode("utf-8").split("\n")
    assert lines[0] == "客户电话138****6634，" * repeats  # by hand: every phone, nothing cut
    assert lines[1] == "x" * (ms.WHOLE_LINE_CHARS + 10) + "138****6634\r"  # after letters (wx138…): masked
    assert lines[2] == "客户王**来电" and lines[3] == ""


def test_a_long_line_is_read_and_written_in_bounded_pieces():
    from dashboard.text import mask_stream as ms

    line = ("客户电话13851726634，" * 40_000 + "\n").encode("utf-8")  # 680,000 characters, ~2 MB
    out = io.BytesIO()
    written_halfway = []

    class Reader:
        pos = 0

        def readline(self, limit=-1):
            assert 0 < limit <= ms.READ_BYTES  # never the whole line at once
            if self.pos > len(line) // 2 and not written_halfway:
                written_halfway.append(out.tell())
            piece = line[self.pos : self.pos + limit]
            newline = piece.find(b"\n")
            piece = piece[: newline + 1] if newline >= 0 else piece
            self.pos += len(piece)
            return piece

    ms.mask_stream(Reader(), out)
    assert written_halfway and written_halfway[0] > len(line) // 3  # masked text went out while reading
    assert out.getvalue().decode("utf-8") == "客户电话138****6634，" * 40_000 + "\n"


def test_lines_masked_in_groups_are_each_masked_as_alone():
    """Short lines are held back and masked a group at a time (HELD_LINES): the output is line by line the
    same as masking each line alone, across group boundaries, and a line that is not UTF-8 after a
    partial group still lets the lines before it out."""
    from dashboard.text import mask_stream as ms

    texts = [json.loads(line)["text"] for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    lines = (texts * 3)[: ms.HELD_LINES * 2 + 7]
    out = io.BytesIO()
    ms.mask_stream(io.BytesIO("".join(t + "\n" for t in lines).encode("utf-8")), out)
    assert out.getvalue().decode("utf-8").split("\n")[:-1] == [mask(t) for t in lines]

    out = io.BytesIO()
    with pytest.raises(ms.NotUtf8) as error:
        ms.mask_stream(io.BytesIO("客户张先生\n王女士来电\n".encode() + "李先生\n".encode("gbk")), out)
    assert error.value.line == 3
    assert out.getvalue().decode("utf-8") == "客户*先生\n*女士来电\n"


@pytest.mark.parametrize("before", [27_998, 3_995, 7_999])
def test_a_chunk_cut_never_falls_inside_a_number(before):
    """H136: a run without any mark was cut at CHUNK_CHARS, inside the phone number there, which then
    went out in clear. The phone starts `before` characters in, across a multiple of CHUNK_CHARS."""
    from dashboard.text import mask_stream as ms

    line = "啊" * before + "13812345678" + "啊" * (ms.WHOLE_LINE_CHARS + 1)  # longer than the cap: chunked
    out = io.BytesIO()
    ms.mask_stream(io.BytesIO((line + "\n").encode("utf-8")), out)
    assert out.getvalue().decode("utf-8") == "啊" * before + "138****5678" + "啊" * (ms.WHOLE_LINE_CHARS + 1) + "\n"


@pytest.mark.parametrize(
    ("number", "masked"),
    [("139，1234，5678", "139，****，5678"), ("幺八六，零五七三，二九一四", "幺八六，****，二九一四")],
)
def test_a_chunk_cut_never_falls_at_a_comma_inside_a_number(number, masked):
    """A chunk ends after its last mark; a comma between a number's groups is none: cut there, the number would
    go out in two pieces, neither of which the mask knows."""
    from dashboard.text import mask_stream as ms

    before = ms.CHUNK_CHARS - 6  # the number's first comma falls just inside the first chunk
    line = "啊" * before + number + "啊" * (ms.WHOLE_LINE_CHARS + 1)
    out = io.BytesIO()
    ms.mask_stream(io.BytesIO((line + "\n").encode("utf-8")), out)
    assert out.getvalue().decode("utf-8") == "啊" * before + masked + "啊" * (ms.WHOLE_LINE_CHARS + 1) + "\n"
