"""Normalization: each step, and the offset map that ties text to source."""

from __future__ import annotations

import pytest

from newsie.normalize import detect_script, is_pinyin_syllable, normalize

CASES = [
    # pinyin annotations after Han characters go, in ASCII or full-width parentheses
    ("經(jīng)濟(jì)發(fā)展", "经济发展"),
    ("项（xiàng）目", "项目"),
    ("经(jing1)济", "经济"),
    ("湘商回歸(guī)", "湘商回归"),
    # real parentheses stay
    ("总投资（含预期总投资）10亿元", "总投资（含预期总投资）10亿元"),
    ("区县（市）", "区县（市）"),
    ("（文/张福芳）", "（文/张福芳）"),
    ("湖南(Hunan)", "湖南(Hunan)"),
    ("国内生产总值(gdp)", "国内生产总值(gdp)"),
    ("(jīng)开头", "(jīng)开头"),  # no Han character before: not an annotation
    # full-width digits, letters and number punctuation
    ("４５个", "45个"),
    ("１２．５亿元", "12.5亿元"),
    ("增长３８．７％", "增长38.7%"),
    ("ＧＤＰ", "GDP"),
    ("。，；：", "。，；："),  # Chinese punctuation stays full-width
    # zero-width characters and odd spaces
    ("4\u200b5个", "45个"),
    ("长沙\u00a0市", "长沙 市"),
    ("\ufeff长沙", "长沙"),
    ("  首行  \n\n\n 次行 ", "首行\n次行"),
    ("a\r\nb", "a\nb"),
    # traditional to simplified
    ("長沙經開區引進了廣汽埃安", "长沙经开区引进了广汽埃安"),
]


@pytest.mark.parametrize("source, expected", CASES)
def test_normalize(source, expected):
    result = normalize(source)
    assert result.text == expected
    assert len(result.offsets) == len(result.text) + 1


@pytest.mark.parametrize("source, expected", CASES)
def test_every_character_maps_to_its_source(source, expected):
    result = normalize(source)
    for i, ch in enumerate(result.text):
        origin = source[result.offsets[i]]
        # the source character is the same one, or its full-width / traditional / space form
        assert normalize(origin).text in (ch, "") or origin.isspace() or ch == " "


def test_offsets_skip_removed_pinyin():
    source = "經(jīng)濟(jì)"
    result = normalize(source)
    assert result.text == "经济"
    assert result.offsets[:2] == [0, 7]


def test_trailing_disclaimer_dropped_with_warning():
    source = "正文第一段。\n特别声明：以上内容(如有图片或视频亦包括在内)为自媒体平台用户上传并发布，本平台仅提供信息存储服务\nNotice: The content above is uploaded by a user."
    result = normalize(source)
    assert result.text == "正文第一段。"
    assert any("disclaimer" in w for w in result.warnings)


def test_disclaimer_words_early_in_article_stay():
    body = "特别声明：以上内容是会议纪要。" + "正文" * 600
    assert normalize(body).text.startswith("特别声明")


def test_mojibake_is_warned():
    result = normalize("一号工程来抓?!?0月7日，长沙市召开大会")
    assert any("garbled" in w for w in result.warnings)
    assert normalize("Why? Because.").warnings == []


@pytest.mark.parametrize(
    "text, script",
    [("长沙经开区引进了项目", "simplified"), ("長沙經開區引進了項目", "traditional"), ("长沙經開區引進了项目经济发展", "mixed"), ("2023 GDP", "simplified")],
)
def test_detect_script(text, script):
    assert detect_script(text) == script


@pytest.mark.parametrize("word", ["jīng", "jì", "zhuàng", "lüè", "er", "a", "xiang4", "ng"])
def test_pinyin_syllables(word):
    assert is_pinyin_syllable(word)


@pytest.mark.parametrize("word", ["hunan", "gdp", "abc", "xyz", "bbq", "jingji"])
def test_not_pinyin_syllables(word):
    assert not is_pinyin_syllable(word)


def test_lone_surrogates_become_replacement_characters_one_for_one():
    source = "签约\ud800项目20个，\udfff总投资"
    n = normalize(source)
    assert n.text == "签约\ufffd项目20个，\ufffd总投资"
    assert n.offsets[:-1] == list(range(len(source)))  # one for one: offsets unchanged
    assert any("2 lone surrogate code points" in w for w in n.warnings)
    n.text.encode("utf-8")  # what the output needs


def test_no_surrogate_warning_for_clean_text():
    assert not any("surrogate" in w for w in normalize("签约项目20个").warnings)
