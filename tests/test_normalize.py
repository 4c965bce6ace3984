"""Normalization: each step, and the offset map that ties text to source."""

from __future__ import annotations

import re
import tomllib

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsie.normalize import _code_points, _Mapped, _remove_pinyin, _rules, detect_script, is_pinyin_syllable, normalize
from newsie.resources import pattern_path

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
    assert n.script == "simplified"
    n.text.encode("utf-8")  # what the output needs


def test_no_surrogate_warning_for_clean_text():
    assert not any("surrogate" in w for w in normalize("签约项目20个").warnings)


with open(pattern_path("normalize.toml"), "rb") as f:
    NORMALIZE_TOML = tomllib.load(f)


def test_han_ranges_are_the_han_script():
    han_class = re.compile("[" + "".join(_code_points(r) for r in NORMALIZE_TOML["han"]) + "]")
    everything = "".join(map(chr, range(0x110000)))
    assert han_class.findall(everything) == regex.findall(r"\p{Han}", everything)


def _remove_pinyin_by_definition(text: str) -> tuple[str, list[int]]:
    """Each letter run in either kind of parentheses, right after a Han
    character in ``text``, that is one pinyin syllable, taken out."""
    word = f"[a-zü{''.join(NORMALIZE_TOML['pinyin_tone_marks'])}]{{1,6}}[1-5]?"
    candidates = regex.finditer(rf"(?<=\p{{Han}})(?:\(({word})\)|（({word})）)", text)
    kept = set(range(len(text) + 1))
    for m in candidates:
        if is_pinyin_syllable(m.group(1) or m.group(2)):
            kept -= set(range(m.start(), m.end()))
    return "".join(text[i] for i in sorted(kept) if i < len(text)), sorted(kept)


PINYIN_SOUP = st.lists(
    st.sampled_from(["經", "濟", "〇", "a", "长", "(", ")", "（", "）", "jīng", "jì", "zhuàng", "lüè", "ế", "ng", "gdp", "hunan", "xiang", "4", "7", " ", "\n"])
    | st.sampled_from(["經(jīng)", "濟（jì）", "长(zhang3)", "〇（líng）", "湖(hunan)", "经（gdp）"]),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(PINYIN_SOUP)
@example("漢(hàn)（hàn）經（jīng）(jīng)")  # both kinds; an annotation right after another is none
def test_pinyin_removal_is_what_the_definition_says(text):
    mapped = _Mapped(text)
    _remove_pinyin(mapped, _rules())
    assert (mapped.text, mapped.offsets) == _remove_pinyin_by_definition(text)


def _edit_by_definition(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[int]]:
    pieces, offsets, last = [], [], 0
    for start, end, replacement in edits:
        pieces += [text[last:start], replacement]
        offsets += list(range(last, start)) + [start] * len(replacement)
        last = end
    return "".join(pieces) + text[last:], offsets + list(range(last, len(text) + 1))


@st.composite
def _text_and_edits(draw: st.DrawFn) -> tuple[str, list[tuple[int, int, str]]]:
    text = draw(st.text(alphabet="ab \n", max_size=20))
    bounds = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits = [(start, end, draw(st.sampled_from(["", "x", "yz"]))) for start, end in zip(bounds[::2], bounds[1::2])]
    return text, edits


@settings(max_examples=300, deadline=None)
@given(_text_and_edits())
def test_edits_are_what_the_definition_says(text_and_edits):
    text, edits = text_and_edits
    mapped = _Mapped(text)
    mapped.edit(edits)
    assert (mapped.text, mapped.offsets) == _edit_by_definition(text, edits)
