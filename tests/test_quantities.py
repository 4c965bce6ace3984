"""Quantities: every example of the Foundation issue, positives beside near-misses.

Expected values are worked out by hand from the Chinese, not copied from output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from newsie.quantities import find_quantities

# (text, [(span, kind, value, unit, currency, qualifier, low, high), ...])
E8 = 100_000_000
POSITIVES = [
    # money with currency
    ("235亿元", [("235亿元", "money", 235 * E8, "CNY", "CNY", "exact", None, None)]),
    ("604.9亿元", [("604.9亿元", "money", 60_490_000_000, "CNY", "CNY", "exact", None, None)]),
    ("4099万美元", [("4099万美元", "money", 40_990_000, "USD", "USD", "exact", None, None)]),
    ("三百二十亿元", [("三百二十亿元", "money", 32_000_000_000, "CNY", "CNY", "exact", None, None)]),
    ("一千二百万美元", [("一千二百万美元", "money", 12_000_000, "USD", "USD", "exact", None, None)]),
    ("两亿元", [("两亿元", "money", 2 * E8, "CNY", "CNY", "exact", None, None)]),
    ("5000万元", [("5000万元", "money", 50_000_000, "CNY", "CNY", "exact", None, None)]),
    ("1.2万亿元", [("1.2万亿元", "money", 1_200_000_000_000, "CNY", "CNY", "exact", None, None)]),
    ("3亿欧元", [("3亿欧元", "money", 3 * E8, "EUR", "EUR", "exact", None, None)]),
    ("20亿港元", [("20亿港元", "money", 20 * E8, "HKD", "HKD", "exact", None, None)]),
    ("5亿日元", [("5亿日元", "money", 5 * E8, "JPY", "JPY", "exact", None, None)]),
    ("800万英镑", [("800万英镑", "money", 8_000_000, "GBP", "GBP", "exact", None, None)]),
    ("1,354万元", [("1,354万元", "money", 13_540_000, "CNY", "CNY", "exact", None, None)]),
    ("三点五亿元", [("三点五亿元", "money", 350_000_000, "CNY", "CNY", "exact", None, None)]),
    ("5000万元人民币", [("5000万元人民币", "money", 50_000_000, "CNY", "CNY", "exact", None, None)]),
    # money from a magnitude alone, in an investment clause
    ("项目总投资1.85亿", [("1.85亿", "money", 185_000_000, "CNY", "CNY", "exact", None, None)]),
    ("到位资金两亿，", [("两亿", "money", 2 * E8, "CNY", "CNY", "exact", None, None)]),
    # bare magnitudes
    ("百亿项目3个", [("百亿", "money", 10**10, "CNY", "CNY", "exact", None, None), ("3个", "count", 3, "个", None, "exact", None, None)]),
    ("百亿以上项目6个", [("百亿以上", "money", 10**10, "CNY", "CNY", "at_least", None, None), ("6个", "count", 6, "个", None, "exact", None, None)]),
    ("千万元级", [("千万元", "money", 10**7, "CNY", "CNY", "exact", None, None)]),
    ("亿元以上新签约项目178个", [("亿元以上", "money", E8, "CNY", "CNY", "at_least", None, None), ("178个", "count", 178, "个", None, "exact", None, None)]),
    # qualifiers
    ("约420亿元", [("约420亿元", "money", 420 * E8, "CNY", "CNY", "approx", None, None)]),
    ("2亿元以上", [("2亿元以上", "money", 2 * E8, "CNY", "CNY", "at_least", None, None)]),
    ("10亿元及以上", [("10亿元及以上", "money", 10 * E8, "CNY", "CNY", "at_least", None, None)]),
    ("30余场", [("30余场", "count", 30, "场", None, "more_than", None, None)]),
    ("超200亿元", [("超200亿元", "money", 200 * E8, "CNY", "CNY", "more_than", None, None)]),
    ("逾2亿美元", [("逾2亿美元", "money", 2 * E8, "USD", "USD", "more_than", None, None)]),
    ("近5000万元", [("近5000万元", "money", 50_000_000, "CNY", "CNY", "approx", None, None)]),
    ("不足10亿元", [("不足10亿元", "money", 10 * E8, "CNY", "CNY", "less_than", None, None)]),
    ("1亿元以下", [("1亿元以下", "money", E8, "CNY", "CNY", "at_most", None, None)]),
    ("45个以上", [("45个以上", "count", 45, "个", None, "at_least", None, None)]),
    ("100多亿元", [("100多亿元", "money", 100 * E8, "CNY", "CNY", "more_than", None, None)]),
    ("1万余人", [("1万余人", "count", 10_000, "人", None, "more_than", None, None)]),
    ("500亩左右", [("500亩左右", "measure", 500, "亩", None, "approx", None, None)]),
    ("不少于20家", [("不少于20家", "count", 20, "家", None, "at_least", None, None)]),
    ("超过100个", [("超过100个", "count", 100, "个", None, "more_than", None, None)]),
    ("不超过3年", [("不超过3年", "duration", 3, "年", None, "at_most", None, None)]),
    # ranges: value is the low end
    ("10—20亿元", [("10—20亿元", "money", 10 * E8, "CNY", "CNY", "range", 10 * E8, 20 * E8)]),
    ("10至20亿元", [("10至20亿元", "money", 10 * E8, "CNY", "CNY", "range", 10 * E8, 20 * E8)]),
    ("10亿至20亿元", [("10亿至20亿元", "money", 10 * E8, "CNY", "CNY", "range", 10 * E8, 20 * E8)]),
    ("5-8个", [("5-8个", "count", 5, "个", None, "range", 5, 8)]),
    ("五至八个", [("五至八个", "count", 5, "个", None, "range", 5, 8)]),
    # counts with each classifier the issue names
    *[(f"12{c}", [(f"12{c}", "count", 12, c, None, "exact", None, None)]) for c in ["个", "家", "次", "场", "条", "项", "批", "座", "人次", "户", "所"]],
    ("三百二十个", [("三百二十个", "count", 320, "个", None, "exact", None, None)]),
    ("10万人次", [("10万人次", "count", 100_000, "人次", None, "exact", None, None)]),
    # durations, percentages, measures: quantities, but not money or counts
    ("工期8个月", [("8个月", "duration", 8, "个月", None, "exact", None, None)]),
    ("3个月内", [("3个月内", "duration", 3, "个月", None, "at_most", None, None)]),
    ("近六成", [("近六成", "percent", 60, "%", None, "approx", None, None)]),
    ("两成", [("两成", "percent", 20, "%", None, "exact", None, None)]),
    ("2%至3%", [("2%至3%", "percent", 2, "%", None, "range", 2, 3)]),
    ("增长1.1倍", [("1.1倍", "measure", Decimal("1.1"), "倍", None, "exact", None, None)]),
    ("3.2亿元新台币", [("3.2亿元新台币", "money", 320_000_000, "TWD", "TWD", "exact", None, None)]),
    ("折合约171亿美元", [("约171亿美元", "money", 171 * E8, "USD", "USD", "approx", None, None)]),
    ("不少于20批次", [("不少于20批次", "count", 20, "批次", None, "at_least", None, None)]),
    ("近3年", [("近3年", "duration", 3, "年", None, "approx", None, None)]),
    ("38.7%", [("38.7%", "percent", Decimal("38.7"), "%", None, "exact", None, None)]),
    ("百分之五", [("百分之五", "percent", 5, "%", None, "exact", None, None)]),
    ("提高3个百分点", [("3个百分点", "percent", 3, "个百分点", None, "exact", None, None)]),
    ("30GWh", [("30GWh", "measure", 30, "GWh", None, "exact", None, None)]),
    ("海四达30gwh先进储能电池项目", [("30gwh", "measure", 30, "gwh", None, "exact", None, None)]),
    ("10万吨", [("10万吨", "measure", 100_000, "吨", None, "exact", None, None)]),
    ("500亩", [("500亩", "measure", 500, "亩", None, "exact", None, None)]),
    ("2万平方米", [("2万平方米", "measure", 20_000, "平方米", None, "exact", None, None)]),
    ("100兆瓦", [("100兆瓦", "measure", 100, "兆瓦", None, "exact", None, None)]),
    ("12公里", [("12公里", "measure", 12, "公里", None, "exact", None, None)]),
    # qualifier words that are really the end of another word
    ("在谈项目798个，签约270个", [("798个", "count", 798, "个", None, "exact", None, None), ("270个", "count", 270, "个", None, "exact", None, None)]),
    ("最近3年", [("3年", "duration", 3, "年", None, "exact", None, None)]),
]

# Strings that hold no quantity at all (dates, ordinals, names, codes, idioms).
NEGATIVES = [
    "10月7日", "1至8月", "2023年", "2023—2025年", "二〇二三年", "截至8月底", "今年1月至8月",
    "第一", "第三位", "第一时间", "三类500强", "世界500强", "一号工程", "十四五", "5G", "3号线", "二期项目",
    "电话0731-88888888", "湘ICP备12345678号", "一批重点项目", "一个重要抓手", "三个代表", "千家万户",
    "千万不要", "万元GDP能耗", "前8个月", "成为", "建成", "倍增", "360科创研发总部", "8部门联合", "iPhone15", "人口1.2亿",
]


def _as_tuple(q):
    def num(v):
        return None if v is None else Decimal(v)

    return (q.text, q.kind, q.value, q.unit, q.currency, q.qualifier, q.low, q.high), (
        q.text, q.kind, num(q.value), q.unit, q.currency, q.qualifier, num(q.low), num(q.high)
    )


@pytest.mark.parametrize("text, expected", POSITIVES, ids=[p[0] for p in POSITIVES])
def test_finds_quantity(text, expected):
    found = find_quantities(text).quantities
    got = [(q.text, q.kind, q.value, q.unit, q.currency, q.qualifier, q.low, q.high) for q in found]
    want = [(s, k, Decimal(v), u, c, ql, None if lo is None else Decimal(lo), None if hi is None else Decimal(hi)) for s, k, v, u, c, ql, lo, hi in expected]
    assert got == want
    for q in found:
        assert text[q.start : q.end] == q.text


@pytest.mark.parametrize("text", NEGATIVES)
def test_finds_nothing(text):
    assert find_quantities(text).quantities == []


def test_number_touching_mojibake_is_skipped_with_a_warning():
    scan = find_quantities("来抓?!?0亿元的项目")
    assert scan.quantities == []
    assert any("garbled" in w for w in scan.warnings)


def test_numbers_in_context_keep_their_offsets():
    text = "全市争取四季度新引进2亿元以上重大项目45个以上（其中百亿项目3个、50亿元以上项目3个）"
    found = find_quantities(text).quantities
    assert [q.text for q in found] == ["2亿元以上", "45个以上", "百亿", "3个", "50亿元以上", "3个"]
    assert [text[q.start : q.end] for q in found] == [q.text for q in found]


# ---------------------------------------------------------------- the scan

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsie.quantities import lexicon  # noqa: E402

# digits, numerals, qualifiers and their look-alikes (签约, 大约, 扩大), units, separators
SCAN_ALPHABET = "0123456789.,%一二两三十百千万亿点零〇约签大扩超过近逾不足低于至少多接将最个家亿元美元人次年月—-~到和项目A"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=SCAN_ALPHABET, max_size=60))
def test_the_candidate_scan_finds_exactly_what_the_pattern_finds(text):
    lex = lexicon()
    assert [m.span() for m in lex.scanner.matches(text)] == [m.span() for m in lex.pattern.finditer(text)]


@pytest.mark.parametrize("text", ["签约270个", "扩大2倍", "约2亿元", "12.5亿元", "二十三个", "2023年引进45个", "百分之三十"])
def test_the_candidate_scan_on_near_misses(text):
    lex = lexicon()
    assert [m.span() for m in lex.scanner.matches(text)] == [m.span() for m in lex.pattern.finditer(text)]


def test_arabic_values_are_read_once_and_their_cache_stays_bounded():
    from newsie.quantities import _ARABIC_VALUES_KEPT, _number_value

    lex = lexicon()
    first = _number_value("2.50", lex)
    assert str(first) == "2.50" and _number_value("2.50", lex) is first  # the exponent kept
    for n in range(_ARABIC_VALUES_KEPT + 10):
        assert _number_value(f"{n:,}", lex) == n
    assert len(lex.arabic_values) <= _ARABIC_VALUES_KEPT
    assert _number_value("0123", lex) is None and _number_value("1" * 16, lex) is None  # not cached: read each time
    assert _number_value("0123", lex) is None


def test_the_fast_constructor_sets_every_field_like_the_dataclass():
    import dataclasses

    from newsie.model import Quantity
    from newsie._construct import new_quantity

    values = ("约2亿元", 3, 8, "money", Decimal(200000000), "CNY", "CNY", "approx", Decimal(1), Decimal(2))
    assert [f.name for f in dataclasses.fields(Quantity)] == ["text", "start", "end", "kind", "value", "unit", "currency", "qualifier", "low", "high"]
    built = new_quantity(*values)
    assert built == Quantity(*values)
    assert dataclasses.astuple(built) == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.start = 0  # type: ignore[misc]
    assert hash(built) == hash(Quantity(*values))


def test_units_apart_by_case_match_like_one_alternation():
    import re

    from newsie._prefilter import alternation
    from newsie.quantities import _units_alternation

    units = ["个", "个月", "kW", "kWh", "km", "GW", "m²", "㎡", "%", "元"]
    one = re.compile(f"(?:{alternation(units, ignorecase=True)})", re.IGNORECASE)
    apart = re.compile(f"(?:{_units_alternation(units)})", re.IGNORECASE)
    for text in ["个月", "个", "KWH", "kwh", "Kw", "\u212aM", "M²", "gw", "％", "%", "元", "x", "", "k", "Mw"]:
        a, b = one.match(text), apart.match(text)
        assert (a and a.group()) == (b and b.group()), text


def test_words_before_and_after_a_position():
    from newsie.quantities import _codes, _followed_by, _preceded_by

    words = ("第", "排名第", "前")
    last = _codes(w[-1] for w in words)
    assert _preceded_by("排名第3", 3, words, last) and _preceded_by("第3", 1, words, last)
    assert not _preceded_by("3", 0, words, last) and not _preceded_by("x3", 1, words, last)
    slogans = ("代表", "维护")
    first = _codes(w[0] for w in slogans)
    assert _followed_by("三个代表", 2, slogans, first)
    assert not _followed_by("三个代", 2, slogans, first) and not _followed_by("三个", 2, slogans, first)
    assert not _followed_by("三个", 5, slogans, first)
