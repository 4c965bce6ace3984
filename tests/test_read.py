"""Reading: encodings, formats, HTML furniture, JSON, failures as records."""

from __future__ import annotations

import codecs

import pytest

import newsie
from newsie.read import _HAN_RUN, _SPACES, _han_counts, _single_spaced, decode, read_bytes, read_text, sniff_format

ARTICLE = "长沙经开区引进了广汽埃安等优质项目124个，总投资额约420亿元。天心区引进外资4099万美元。"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (ARTICLE.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + ARTICLE.encode("utf-8"), "utf-8-sig"),
        (ARTICLE.encode("gb18030"), "gb18030"),
        (ARTICLE.encode("gbk"), "gb18030"),
        (ARTICLE.encode("utf-16"), "utf-16"),
        (ARTICLE.encode("utf-16-le"), "utf-16-le"),
    ],
)
def test_decodes_simplified(data, encoding):
    decoded = decode(data)
    assert decoded.text == ARTICLE
    assert decoded.encoding == encoding


def test_decodes_big5_traditional():
    traditional = "長沙經開區引進了廣汽埃安等優質項目124個，總投資額約420億元。天心區引進外資4099萬美元。"
    decoded = decode(traditional.encode("big5"))
    assert decoded.encoding == "big5"
    assert decoded.text == traditional
    doc = newsie.extract(traditional.encode("big5"))
    assert doc.meta["script"] == "traditional"
    assert [q.text for q in doc.quantities] == ["124个", "约420亿元", "4099万美元"]


def test_damaged_bytes_warn_and_keep_going():
    data = ARTICLE.encode("utf-8")
    damaged = data[:30] + b"\xff\xfe\xfa" + data[30:]
    doc = newsie.extract(damaged)
    assert doc.ok
    assert doc.warnings  # the replacement characters are reported
    assert "4099万美元" in [q.text for q in doc.quantities]


@pytest.mark.parametrize(
    "data, error_type",
    [
        (b"", "empty"),
        (b"   \n  ", "empty"),
        (b"%PDF-1.7 binary", "binary"),
        (b"\x89PNG\r\n\x1a\nxxxx", "binary"),
        (bytes(range(256)) * 4, "binary"),
    ],
)
def test_unreadable_bytes_become_error_records(data, error_type):
    doc = newsie.extract(data, id="bad")
    assert not doc.ok
    assert doc.error.type == error_type
    assert doc.error.message
    d = doc.to_dict()
    assert d["ok"] is False and d["error"]["type"] == error_type


PAGE = """<!DOCTYPE html>
<html><head><title>长沙新引进重大项目75个 - 长沙新闻网</title>
<meta name="publishdate" content="2023-10-08 09:30">
</head><body>
<div class="header"><a href="/">首页</a><a href="/news">新闻</a><a href="/gov">政务</a></div>
<nav><ul><li><a href="/a">经济</a></li><li><a href="/b">2023年第3期</a></li></ul></nav>
<div class="breadcrumb">首页 &gt; 新闻 &gt; 正文</div>
<div class="main">
  <h1>长沙新引进重大项目75个</h1>
  <div class="article-info">发布时间：2023-10-08 来源：长沙晚报 浏览次数：1234</div>
  <div class="article-content">
    <p>截至8月底，全市新引进重大项目75个，累计到位资金604.9亿元。</p>
    <p>天心区举办招商考察活动30余场，引进外资4099万美元。</p>
  </div>
  <div class="share-bar">分享到：微信 微博</div>
  <div class="related"><h3>相关新闻</h3><ul>
    <li><a href="/1">浏阳新签约项目12个 总投资88亿元</a></li>
    <li><a href="/2">宁乡引进项目30个 投资超50亿元</a></li>
  </ul></div>
</div>
<div class="footer">备案号：湘ICP备12345678号 电话：0731-88888888 版权所有 2023 长沙新闻网 地址：长沙市岳麓区100号</div>
</body></html>"""


def test_html_keeps_headline_and_body_only():
    doc = newsie.extract(PAGE.encode("utf-8"), id="page.html")
    assert doc.ok
    assert doc.meta["format"] == "html"
    assert doc.meta["title"] == "长沙新引进重大项目75个"
    assert doc.meta["published"] == "2023-10-08"
    assert doc.text == (
        "长沙新引进重大项目75个\n"
        "截至8月底，全市新引进重大项目75个，累计到位资金604.9亿元。\n"
        "天心区举办招商考察活动30余场，引进外资4099万美元。"
    )
    # no figure from the related list, the info bar or the footer
    assert [q.text for q in doc.quantities] == ["75个", "75个", "604.9亿元", "30余场", "4099万美元"]


def test_html_gbk_page_with_meta_charset():
    page = PAGE.replace("<head>", '<head><meta charset="gbk">')
    doc = newsie.extract(page.encode("gbk"))
    assert doc.meta["encoding"] == "gb18030"
    assert "604.9亿元" in [q.text for q in doc.quantities]


def test_json_object():
    data = '{"title": "天心区引进外资", "content": "天心区引进外资4099万美元。", "url": "http://example.com/a", "date": "2023年10月8日"}'
    doc = newsie.extract(data.encode("utf-8"))
    assert doc.meta["format"] == "json"
    assert doc.meta["title"] == "天心区引进外资"
    assert doc.meta["published"] == "2023-10-08"
    assert doc.text == "天心区引进外资\n天心区引进外资4099万美元。"


def test_json_with_html_content():
    data = '{"title": "标题", "content": "<p>签约项目20个，带动投资124亿元。</p><div class=\\"footer\\">电话0731-1</div>"}'
    doc = newsie.extract(data)
    assert [q.text for q in doc.quantities] == ["20个", "124亿元"]


def test_jsonl_broken_line_is_one_record_and_the_rest_are_read():
    lines = [
        '{"id": "a", "text": "引进项目10个。"}',
        '{"id": "b", "text": "引进项目',  # broken
        '{"url": "http://x/c", "text": "到位资金235亿元。"}',
        '{"text": "投资5亿元。"}',
    ]
    articles = list(read_bytes("\n".join(lines).encode(), id="dump.jsonl", format="jsonl"))
    assert [a.id for a in articles] == ["a", "dump.jsonl:2", "http://x/c", "dump.jsonl:4"]
    assert [a.error.type if a.error else None for a in articles] == [None, "malformed_json", None, None]


@pytest.mark.parametrize(
    "text, fmt",
    [
        ("<html><body><p>x</p></body></html>", "html"),
        ('{"text": "x"}', "json"),
        ('{"text": "x"}\n{"text": "y"}\n', "jsonl"),
        ("长沙市召开大会", "txt"),
        ("价格<5元", "txt"),
    ],
)
def test_sniff_format(text, fmt):
    assert sniff_format(text) == fmt


def test_json_without_text_field():
    (article,) = read_text('{"title": "x"}', id="t.json")
    assert article.error.type == "no_text"


@pytest.mark.parametrize(
    "texts",
    [
        ["长沙经开区引进项目124个", "二〇二三年 々 〆 ⺀ 豈 a1", "", "\u4dbf\u4dc0\u3007\u3008"],
        ["𠀀长沙", "天心区"],  # beyond the BMP: counted by the regex itself
    ],
)
def test_han_counts_agree_with_the_regex(texts):
    assert _han_counts(texts) == [sum(map(len, _HAN_RUN.findall(t))) for t in texts]


@pytest.mark.parametrize("line", ["长沙 \u3000 新闻\t网", "a\xa0\xa0b\u2028c", "a\x1cb  c\x1fd"])
def test_single_spaced_agrees_with_the_regex(line):
    assert _single_spaced(line) == _SPACES.sub(" ", line)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:9] + b"\xed\xa0\x80" + b[9:], id="encoded-surrogate"),
        pytest.param(lambda b: b[:-1], id="truncated-last-character"),
        pytest.param(lambda b: b[:10] + b[11:], id="byte-lost-mid-character"),
    ],
)
def test_utf8_with_a_bad_sequence_stays_utf8(damage):
    """GB18030 decodes nearly any bytes; an article that is UTF-8 but for one
    bad sequence must not come out as GB18030 mojibake."""
    data = damage(("沈晓明在长沙市委会议上说，" + ARTICLE).encode("utf-8"))
    decoded = decode(data)
    assert decoded.encoding == "utf-8"
    assert "长沙市委" in decoded.text and "4099万美元" in decoded.text
    assert 1 <= decoded.text.count("\ufffd") <= 4
    assert any("U+FFFD" in w for w in decoded.warnings)


@pytest.mark.parametrize("text", ["你好", "沈晓明长沙市委书记，签约项目20个。"])
def test_short_gbk_text_is_not_taken_for_damaged_utf8(text):
    decoded = decode(text.encode("gbk"))
    assert decoded.encoding == "gb18030" and decoded.text == text


def test_lone_surrogate_in_json_escape_is_replaced_not_fatal():
    """A JSON dump with half a UTF-16 pair (\\ud800) still yields the article."""
    line = '{"id": "x", "title": "标题", "content": "沈晓明\\ud800' + ARTICLE + '"}\n'
    doc = newsie.extract(line.encode("utf-8"), format="jsonl")
    assert doc.ok, doc.error
    assert "\ufffd" in doc.text and "4099万美元" in [q.text for q in doc.quantities]
    assert any("surrogate" in w for w in doc.warnings)


def test_damaged_utf8_html_reads_as_its_replaced_text():
    # the parser gets the raw bytes only when they decoded strictly; damaged
    # UTF-8 is parsed from the text with U+FFFD, as read_text would
    page = "<html><body><h1>长沙招商</h1><p>天心区引进外资4099万美元，签约项目20个。</p></body></html>".encode("utf-8")
    damaged = page.replace("外资".encode("utf-8"), "外资".encode("utf-8")[:-1])
    from_bytes = next(read_bytes(damaged, format="html"))
    from_text = next(read_text(damaged.decode("utf-8", errors="replace"), format="html"))
    assert from_bytes.meta["encoding"] == "utf-8" and from_bytes.warnings
    assert from_bytes.text == from_text.text
    assert "\ufffd" in from_bytes.text
