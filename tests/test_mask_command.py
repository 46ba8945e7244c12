"""`python -m dashboard mask`: stdin to stdout line by line, the app's masking; and --evaluate on the
hand-labelled set (tests/fixtures/masking_labelled.jsonl, written by hand, see its builder's notes)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from dashboard.text import mask_eval
from dashboard.text.masking import mask, mask_series
from dashboard.ui.complaint_list import shown_frame

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "fixtures" / "masking_labelled.jsonl"


def run_mask(data: bytes, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "mask", *args], input=data, cwd=ROOT, check=False,
                          capture_output=True, timeout=120)


def test_same_lines_masked_as_the_app_shows_them():
    lines = ["客户王小明来电，手机13812345678", "", "我叫畅新宇，卡号6222 0212 3456 7890",
             "无个人信息的投诉：年费300元", "本人和招商银行签订借款合同"]
    done = run_mask(("\n".join(lines) + "\n").encode("utf-8"))
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode("utf-8").split("\n")
    assert out[-1] == "" and len(out) - 1 == len(lines)          # same number of lines
    # the list page's column "投诉内容（已脱敏）" is what a user without the reveal right sees
    shown = shown_frame(pd.DataFrame({"complaint_id": range(len(lines)), "content": lines}))
    assert out[:-1] == shown["投诉内容（已脱敏）"].tolist()
    assert out[0] == "客户王**来电，手机138****5678"         # by hand
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


def test_labelled_set_targets():
    records = mask_eval.load(LABELLED)
    assert len(records) >= 300
    figures = mask_eval.evaluate(records)
    names = figures.share(figures.found["name"], figures.total["name"])
    wrong = figures.share(figures.wrong_texts, figures.texts)
    numbers = figures.share(figures.keep_numbers_ok, figures.keep_numbers)
    assert names >= 97.0, figures.misses
    assert wrong <= 0.3, figures.false_masks
    assert numbers == 100.0, figures.broken_keeps


def test_evaluate_counts_by_hand(tmp_path):
    # one name found; one "name" no masker could find (an ordinary word labelled as a name), so missed;
    # nothing masked outside the labels; one amount and one word kept
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"text": "我叫鲍文昌，借款5,000元", "pii": [{"type": "name", "text": "鲍文昌"}], "keep": ["5,000元"]},
        {"text": "和朋友一起去的", "pii": [{"type": "name", "text": "一起"}], "keep": []},
        {"text": "客户向经理反映", "pii": [], "keep": ["经理"]},
    ]), encoding="utf-8")
    figures = mask_eval.evaluate(mask_eval.load(path))
    assert (figures.found["name"], figures.total["name"]) == (1, 2)
    assert figures.wrong_texts == 0
    assert (figures.keep_numbers_ok, figures.keep_numbers, figures.keep_all_ok, figures.keep_all) == (1, 1, 2, 2)
    done = run_mask(b"", "--evaluate", str(path))
    assert done.returncode == 0
    assert "names found: 50.0%" in done.stdout.decode("utf-8")
