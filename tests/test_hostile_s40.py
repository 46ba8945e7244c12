"""Hostile round s40 (helper H22): number-shaped personal data as real exports write it (H278-H291).

Each case is (narrative, what a user without the reveal right must see), worked out by hand from the masking
rules' stated shapes (a mobile keeps 3 + 4 digits, an ID its area code and last 4, a card or account its
first and last 4, a labelled identifier its first character; separators stay). Counter-cases must come out
as written (full-width forms folded, as the mask always did).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import openpyxl
import pytest

from dashboard import db
from dashboard.briefing import build, files
from dashboard.cli import main
from dashboard.filters import Filters
from dashboard.ingest.pipeline import import_files
from dashboard.ledger import export as ledger_export
from dashboard.ledger.store import Ledger
from dashboard.text.masking import fold_fullwidth, mask
from dashboard.ui import complaint_list, download, quarantine_view
from tests.conftest import BRANCHES, COMPLAINT_HEADERS_ZH, CUSTOMERS, write_csv

LEAKS = [
    # H278: full-width Latin letters (an ID's Ｘ, an e-mail, a plate, the QQ label) were not folded
    ("身份证：１１０１０１１９９００３０７１２３Ｘ", "身份证：110101********123X"),
    ("邮箱ｚｈａｎｇｓａｎ＠ｑｑ．ｃｏｍ", "邮箱z***@qq．com"),
    ("车牌浙Ｂ３Ｍ７Ｑ２", "车牌浙B*****"),
    ("ＱＱ：２８４７５６１９３", "QQ：2********"),
    # H279: separators of input methods and exports between the groups
    ("手机：139—1234—5678", "手机：139—****—5678"),
    ("手机：139–1234–5678", "手机：139–****–5678"),
    ("手机：139·1234·5678", "手机：139·****·5678"),
    ("手机：139 - 1234 - 5678", "手机：139 - **** - 5678"),
    ("卡号６２２２　０２１２　３４５６　７８９０", "卡号6222　****　****　7890"),
    ("卡号6222—0212—3456—7890", "卡号6222—****—****—7890"),
    ("卡号6222_0212_3456_7890", "卡号6222_****_****_7890"),
    ("卡号6222  0212  3456  7890", "卡号6222  ****  ****  7890"),
    ("卡号6222·0212·3456·7890", "卡号6222·****·****·7890"),
    ("身份证110101　19900307　123X", "身份证110101　********　123X"),
    ("身份证：110101—19900307—1234", "身份证：110101—********—1234"),
    # H280: a mobile's first three digits in brackets, as an area code
    ("联系电话(139)12345678请回电", "联系电话(139)****5678请回电"),
    ("电话（139）1234 5678", "电话（139）**** 5678"),
    ("手机：(139)-1234-5678", "手机：(139)-****-5678"),
    ("电话+86(139)12345678", "电话+86(139)****5678"),
    # H281: landlines with a glued extension, a dot, or the country code (the area code then without its 0)
    ("电话010-62345678ext8001", "电话010-****5678ext8001"),
    ("座机：010.62345678", "座机：010.****5678"),
    ("座机：+86-10-62345678", "座机：+86-10-****5678"),
    ("座机：+86 10 6234 5678", "座机：+86 10 **** 5678"),
    ("座机：86-755-23456789", "座机：86-755-****6789"),
    # H282: a number broken across a line (a cell typed with line breaks)
    ("手机号139 1234\n5678", "手机号139 ****\n5678"),
    ("手机号139\r\n1234\r\n5678", "手机号139\r\n****\r\n5678"),
    ("电话：139-1234-\n5678", "电话：139-****-\n5678"),
    ("卡号6222 0212\n3456 7890", "卡号6222 ****\n**** 7890"),
    ("身份证110101\n19900307123X", "身份证110101\n********123X"),
    # H283: an old 15-digit ID in groups; an ID in Chinese numerals
    ("身份证110101 900307 123", "身份证110101 ****** 123"),
    ("身份证110101-900307-123", "身份证110101-******-123"),
    ("身份证号码一一零一零一一九九零零三零七一二三四", "身份证号码一一零一零一********一二三四"),
    # H284: QQ and WeChat under their other names, a QQ number read out in groups
    ("QQ 284 756 193", "QQ 2** *** ***"),
    ("扣扣2847 56193", "扣扣2*** *****"),
    ("Q Q：284756193", "Q Q：2********"),
    ("企鹅号284756193", "企鹅号2********"),
    ("QQ邮箱284756193", "QQ邮箱2********"),
    ("VX：jasonliu88", "VX：j*********"),
    ("V信jasonliu88", "V信j*********"),
    ("薇信jasonliu88", "薇信j*********"),
    ("威信：jasonliu88", "威信：j*********"),
    ("wechat: jasonliu88", "wechat: j*********"),
    # H285: e-mails with spaces round the @, the dot disguised too
    ("邮箱zhangsan @ qq.com", "邮箱z***@qq.com"),
    ("邮箱zhangsan [at] qq [dot] com", "邮箱z*** [at] qq [dot] com"),
    ("邮箱zhangsan at qq dot com", "邮箱z*** at qq dot com"),
    ("邮箱zhangsan#qq点com", "邮箱z***#qq点com"),
    # H286: a plate in lower case after 车牌
    ("车牌：浙b3m7q2", "车牌：浙b*****"),
    # H287: letters typed for digits (O for 0, l or I for 1) after a phone or ID label
    ("手机139O1234567", "手机139****4567"),
    ("手机l3912345678", "手机l39****5678"),
    ("身份证号11010119900307I234", "身份证号110101********I234"),
    # H288: a passport number in groups
    ("护照号码G 1234 5678", "护照号码G **** ****"),
    # H289: an account number after a spaced label, a bracket, NO., or the holder's name
    ("账号：（0200001234567890123）", "账号：（0200***********0123）"),
    ("账号NO.0200001234567890123", "账号NO.0200***********0123"),
    ("账 号：0200001234567890123", "账 号：0200***********0123"),
    ("帐 号：0200001234567890123", "帐 号：0200***********0123"),
    ("对公户 账 号：0200 0012 3456 7890 123", "对公户 账 号：0200 **** **** ***0 123"),
    # H290: the financial (大写) numerals
    ("电话是壹叁玖壹贰叁肆伍陆柒捌", "电话是壹叁玖****伍陆柒捌"),
    ("身份证号是壹壹零壹零壹壹玖玖零零叁零柒壹贰叁肆", "身份证号是壹壹零壹零壹********壹贰叁肆"),
    ("卡号陆贰贰贰零贰壹贰叁肆伍陆柒捌玖零", "卡号陆贰贰贰********柒捌玖零"),
    # H292: an ID after its label with a typo (no such birth date, a digit missing)
    ("身份证号:110101199013071234", "身份证号:110101********1234"),
    ("身份证：11010119900307123", "身份证：110101*******7123"),
    # H293: an account number whose groups an input method split
    ("账号：0200—0012—3456—7890—123", "账号：0200—****—****—***0—123"),
    ("账号：0200　0012　3456　7890　123", "账号：0200　****　****　***0　123"),
    # H294: an address at a mail provider without its domain's end
    ("邮箱：zhangsan@qq", "邮箱：z***@qq"),
    ("邮箱：zhangsan@qq,com", "邮箱：z***@qq,com"),
    # H295: a space after the plate's province
    ("车牌沪 A12345", "车牌沪 A*****"),
    # H296: a local landline in two groups after a phone label
    ("电话：6234-5678", "电话：****-5678"),
    ("电话：6234 5678", "电话：**** 5678"),
    # H297: Hong Kong and Taiwan IDs after an ID label
    ("香港身份证A123456(7)", "香港身份证A*********"),
    ("香港身份证号码：A123456（7）", "香港身份证号码：A*********"),
    ("台湾身份证A123456789", "台湾身份证A*********"),
    # H298: a slash between the groups of a mobile or an ID
    ("手机：139／1234／5678", "手机：139／****／5678"),
    ("手机：139/1234/5678", "手机：139/****/5678"),
    ("身份证：110101/19900307/1234", "身份证：110101/********/1234"),
    # H299: no-break and thin spaces (read as spaces), zero-width characters, a BOM, a soft hyphen (read as nothing)
    # and the typographic dashes inside a number
    ("手机139\u00a01234\u00a05678", "手机139 **** 5678"),
    ("卡号6222\u00a00212\u00a03456\u00a07890", "卡号6222 **** **** 7890"),
    ("身份证110101\u00a019900307\u00a01234", "身份证110101 ******** 1234"),
    ("手机139\u20091234\u20095678", "手机139 **** 5678"),
    ("手机1\u200b3\u200b9\u200b1234\u200b5678", "手机139****5678"),
    ("手机139\ufeff12345678", "手机139****5678"),
    ("手机139\u00ad12345678", "手机139****5678"),
    ("手机139\u20121234\u20125678", "手机139\u2012****\u20125678"),
    ("电话0755\u22122345\u22126789", "电话0755\u2212****\u22126789"),
    # H300: a mailbox named in Chinese characters (the name in it stayed whole)
    ("邮箱：李春花＠163.com", "邮箱：李***@163.com"),
    ("邮箱李春花@163.com", "邮箱李***@163.com"),
    # H301: a mobile or card read out digit by digit with ideographic spaces
    ("手机1　3　9　1　2　3　4　5　6　7　8", "手机1　3　9　*　*　*　*　5　6　7　8"),
    ("卡号6　2　2　2　0　2　1　2　3　4　5　6　7　8　9　0", "卡号6　2　2　2　*　*　*　*　*　*　*　*　7　8　9　0"),
]

KEEP = [
    # amounts, dates, ranges and rates with the new separators
    "2026-10-05—2026-11-05",
    "2025—2026年度",
    "10:00—18:00",
    "年化利率：15.4%—23.9%",
    "收入15000—20000元",
    "2026/10/05—2026/11/05",
    "期间2026.10.01—2026.10.31",
    "金额：100,000.00元—200,000.00元",
    "交易时间2026.10.05 14:30",
    "还款1000 2000 3000元",
    # H291: an amount of a mobile's shape (the mask hid it on main), and amounts after a label
    "余额13912345678.00元",
    "余额13912345678元",
    "通过QQ 10000元被骗",
    "账户：余额不足，10000000000元",
    "信用卡壹万贰仟元",
    # service numbers, case numbers, work orders, orders
    "信用卡中心400-820-8888",
    "客服热线95588，证监会12378，银保监12363",
    "(2026)京0105民初12345号",
    "（2025）粤03民终1234号",
    "工单号：GD20261005000123",
    "投诉单号：TS-2026-1005-0012",
    "订单号：2026 1005 1234 5678",
    "交易号：2026-1005-1234-5678",
    "合同号：20261005—0001—0002",
    "1986-2026年",
    # last digits alone, as a card's 尾号
    "身份证尾号1234",
    "身份证号码后四位123X",
    # words, not labels
    "威信县农商银行",
    "微信转账5000元",
    "登录www.example.com查询",
    "云app12345下载",
    "电话1OO1OOOOOOO",
    "第1期\n2026年10月\n1234",
    "2026-10-05\n2026-11-05",
    "在ＡＴＭ机取款",
    "身份证有效期2016.03.07-2036.03.07",
    "身份证：2份",
    "电话 2025-2026年度",
    "我在qq@群里",
    "统一社会信用代码：91310000MA1K12345X",
    "每月5000/6000/7000/8000元",
    "13/12/2026",
    "金额\u00a0100元",
    "第1\u00a0期",
    "价格\u221250元",
    "发邮件到客服@bank.com",
    "第1　2　3期",
]


@pytest.mark.parametrize(("text", "shown"), LEAKS)
def test_number_shapes_are_masked(text, shown):
    assert mask(text) == shown
    assert mask(shown) == shown  # idempotent


@pytest.mark.parametrize("text", KEEP)
def test_amounts_dates_and_service_numbers_stay(text):
    assert mask(text) == fold_fullwidth(text)


def test_a_mobile_before_a_word_of_yuan_is_still_masked():
    # the amount guard of H291 reads 元旦 and 万分 as words, not units
    assert mask("电话13912345678 元旦后再联系") == "电话139****5678 元旦后再联系"
    assert mask("手机13912345678万分感谢") == "手机139****5678万分感谢"


def test_full_width_letters_fold_like_digits():
    # H278: what the mask returns for a text it finds nothing in (search_guard compares with this)
    assert fold_fullwidth("ＡＴＭ１２月ｅｔｃ") == "ATM12月etc"
    # H299: beside digits only, a no-break space reads as a space and a zero-width space as nothing
    assert fold_fullwidth("共1\u00a02笔\u200b，金额\u00a0100") == "共1 2笔\u200b，金额\u00a0100"
    assert fold_fullwidth("第1\u200b2期，第3\u200b期") == "第12期，第3\u200b期"  # between two digits only


# ---------------------------------------------------------------------------------------------------
# Exports: the new shapes planted in a narrative and a ledger title, read back from CSV and xlsx
# ---------------------------------------------------------------------------------------------------
OCT = date(2026, 10, 1)
PLANTED = "客户反映（手机(139)12345678，卡号6222—0212—3456—7890，身份证１１０１０１１９９００３０７１２３Ｘ，QQ 284 756 193）年费重复收取"
# specific enough not to occur in the plotly.js the briefing HTML embeds ("0123456789" is in it)
SECRETS = ["(139)1234", "139)12345678", "0212—3456", "19900307", "１９９００３０７", "284 756", "756 193", "284756193"]


def _row(cid, content):
    head = (cid, "2026-10-08 10:00:00", "", "0101", "客服热线", "信用卡", "定价收费", "白金卡", "A9", "40", "300")
    return head + (content, "处理中", "", "", "否", "")


def _leaks(text: str) -> list[str]:
    return [s for s in SECRETS if s in text]


def _cells(book) -> list:
    return [c.value for s in book.worksheets for r in s.iter_rows() for c in r if c.value is not None]


def _live(values) -> list:
    starts = ("=", "+", "-", "@", "\t", "\r")
    return [v for v in values if isinstance(v, str) and v.startswith(starts)]


@pytest.fixture
def planted_store(tmp_path):
    folder = tmp_path / "x"
    folder.mkdir()
    rows = [_row("S1", PLANTED), _row("S2", "+86(139)12345678 来电反映年费")]
    files = [
        write_csv(
            folder / "branches.csv",
            ["branch_code", "branch_name", "parent_code", "level", "province", "city"],
            BRANCHES,
        ),
        write_csv(folder / "customers.csv", ["机构代码", "月份", "客户数"], CUSTOMERS),
        write_csv(folder / "complaints.csv", COMPLAINT_HEADERS_ZH, rows),
    ]
    data_dir = tmp_path / "data"
    import_files(files, data_dir)
    Ledger(data_dir).create(
        source="recurring",
        title="+86(139)12345678 客户年费投诉",
        user="张三",
        branch_code="0101",
        business_category="信用卡",
        reason="定价收费",
        action="回访 6222—0212—3456—7890 的持卡人",
        owner_dept="信用卡部",
        due_date="2026-12-31",
        today=OCT,
    )
    return data_dir


def test_the_quarantine_csv_is_masked(tmp_path):
    bad = list(_row("Q1", PLANTED))
    bad[1], bad[3] = "手机(139)12345678", "卡号6222—0212—3456—7890"  # shifted values: quarantined
    path = write_csv(tmp_path / "bad.csv", COMPLAINT_HEADERS_ZH, [bad])
    result = import_files([path], tmp_path / "data")
    assert len(result.quarantine) == 1
    table = quarantine_view.readable(result.quarantine)
    csv_text = download.to_bytes(table)[0].decode("utf-8-sig")
    assert "(139)****5678" in csv_text and _leaks(csv_text) == []
    assert _live([c for row in csv.reader(io.StringIO(csv_text)) for c in row]) == []


def test_briefing_and_report_files_are_masked(planted_store, tmp_path, capsys):
    _, con = db.current(planted_store)
    data = build.build(con, Filters(month_from=OCT, month_to=OCT), OCT)
    xlsx, html = files.write(data, tmp_path / "briefing", notes="+86(139)12345678 客户 QQ 284 756 193 待回访")
    page = html.read_text(encoding="utf-8")
    assert "+86(139)****5678 客户 QQ 2** *** *** 待回访" in page and _leaks(page) == []
    book = openpyxl.load_workbook(xlsx)
    assert _leaks(" ".join(map(str, _cells(book)))) == []
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)
    assert main(["report", "--month", "2026-10", "--data-dir", str(planted_store), "--json"]) == 0
    report = capsys.readouterr().out
    assert json.loads(report) and _leaks(report) == []


def test_exports_carry_no_new_shape_and_no_live_formula(planted_store):
    _, con = db.current(planted_store)
    f = Filters(month_from=date(2026, 9, 1), month_to=OCT)
    params = f.params(
        d_org=None,
        d_product=None,
        d_province=None,
        d_city=None,
        term=None,
        search=None,
        sort_key="received_at",
        sort_desc=True,
    )
    shown = complaint_list.export_rows(con, "complaints_list", params)
    assert len(shown) == 2
    csv_text = download.to_bytes(shown)[0].decode("utf-8-sig")
    assert _leaks(csv_text) == []
    cells = [c for row in csv.reader(io.StringIO(csv_text)) for c in row]
    assert "'+86(139)****5678 来电反映年费" in cells  # masked, then the apostrophe of the CSV rule
    assert _live(cells) == []
    book = openpyxl.load_workbook(io.BytesIO(complaint_list.to_excel(shown)))
    assert _leaks(" ".join(map(str, _cells(book)))) == []
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)

    ledger = Ledger(planted_store)
    items = ledger.items(OCT)
    book = openpyxl.load_workbook(io.BytesIO(ledger_export.to_excel(items, ledger.history_of(items["id"].tolist()))))
    values = _cells(book)
    assert _leaks(" ".join(map(str, values))) == []
    assert all(c.data_type != "f" for s in book.worksheets for r in s.iter_rows() for c in r)
