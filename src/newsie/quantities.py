"""Find amounts, counts, percentages, measures and durations in normalized text.

One regular expression, compiled once from the data in ``patterns/``
(numbers, currencies, units, qualifiers, distractors), finds every candidate
in a single pass; small pure functions then decide its kind and value.

Linear time on any input: every number starts where no number character
precedes it and is matched possessively, so a run of 100,000 digits or
``亿亿亿…`` is scanned once, not once per position.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Final

import cn2an
import regex

from newsie._prefilter import Scanner, alternation, first_char_class
from newsie._construct import new_quantity
from newsie.model import Quantity
from newsie.resources import pattern_path


@dataclass(frozen=True, slots=True)
class _Lexicon:
    magnitudes: dict[str, Decimal]
    currencies: dict[str, str]
    bare_money: dict[str, str]
    money_context: regex.Pattern[str]
    unit_kinds: dict[str, str]
    ascii_units: frozenset[str]
    blocked_after: dict[str, str]
    qualifiers_before: dict[str, str]
    qualifier_blocked_by: dict[str, str]
    qualifier_unblocked_after: dict[str, tuple[str, ...]]
    qualifiers_inside: dict[str, str]
    qualifiers_after: dict[str, str]
    ordinal_before: tuple[str, ...]
    period_before_duration: tuple[str, ...]
    slogan_after: tuple[str, ...]
    article_numerals: frozenset[str]
    garbled: frozenset[str]
    chinese_digits: str
    magnitude_endings: str
    digit_chars: frozenset[str]
    chinese_positions: str
    max_integer_digits: int
    pattern: re.Pattern[str]
    scanner: Scanner


def _load(name: str) -> dict:
    with open(pattern_path(name), "rb") as f:
        return tomllib.load(f)


@cache
def lexicon() -> _Lexicon:
    """The compiled quantity patterns (loaded once per process)."""
    numbers = _load("numbers.toml")
    currencies = _load("currencies.toml")
    units = _load("units.toml")
    qualifiers = _load("qualifiers.toml")
    distractors = _load("distractors.toml")

    unit_kinds: dict[str, str] = {}
    for kind in ("count", "measure", "duration", "percent"):
        for unit in units[kind]["units"]:
            unit_kinds.setdefault(unit, kind)
    ascii_units = frozenset(u.lower() for u in unit_kinds if u.isascii() and u.isalpha())
    for word in currencies["currencies"]:
        unit_kinds[word] = "money"

    cn_digits = numbers["chinese_digits"]
    cn_positions = numbers["chinese_positions"]
    cn_chars = cn_digits + cn_positions
    point = numbers["chinese_point"]
    # Number characters a number must not start right after (so each run of
    # them is tried once) and must not be followed by.
    before_number = rf"(?<![0-9.,A-Za-z{cn_chars}{point}])"
    arabic = r"[0-9]++(?:,[0-9]{3}+)*+(?:\.[0-9]++)?+(?![0-9])"
    chinese = rf"[{cn_chars}]++(?:{point}[{cn_digits}]++)?+"
    number = rf"(?:{arabic}|{chinese})"
    magnitude = alternation(numbers["magnitudes"], ignorecase=True)
    inside = alternation(qualifiers["inside"], ignorecase=True)
    separators = alternation(qualifiers["range"]["separators"], ignorecase=True)
    before = alternation(qualifiers["before"], ignorecase=True)
    after = alternation(qualifiers["after"], ignorecase=True)
    unit = alternation(unit_kinds, ignorecase=True)
    # The standard library's engine (possessive quantifiers since Python
    # 3.11) scans this pattern several times faster than `regex`.
    pattern = re.compile(
        rf"""
        (?P<pre>{before})?
        {before_number}
        (?:
            百分之(?P<pct>{number})
          |
            (?P<num>{number})
            (?:(?P<inside1>{inside})?(?P<mag>{magnitude}))?
            (?:
                %?(?P<sep>{separators})(?P<num2>{number})(?P<mag2>{magnitude})?
            )?
            (?P<inside2>{inside})?
            (?P<unit>{unit})?
        )
        (?P<post>{after})?
        """,
        re.VERBOSE | re.IGNORECASE,
    )
    if pattern.groupindex != _GROUPS:
        raise AssertionError(f"quantity pattern groups {dict(pattern.groupindex)} differ from _GROUPS")
    return _Lexicon(
        magnitudes={k: Decimal(v) for k, v in numbers["magnitudes"].items()},
        currencies=dict(currencies["currencies"]),
        bare_money=dict(currencies["bare_money"]),
        money_context=regex.compile(alternation(currencies["money_context"]["words"], ignorecase=True), regex.IGNORECASE),
        unit_kinds={k.lower() if k.isascii() else k: v for k, v in unit_kinds.items()},
        ascii_units=ascii_units,
        blocked_after={k: "".join(v) for k, v in units["blocked_after"].items()},
        qualifiers_before=dict(qualifiers["before"]),
        qualifier_blocked_by=dict(qualifiers["before_blocked_by"]),
        qualifier_unblocked_after={k: tuple(v) for k, v in qualifiers["before_unblocked_after"].items()},
        qualifiers_inside=dict(qualifiers["inside"]),
        qualifiers_after=dict(qualifiers["after"]),
        ordinal_before=tuple(distractors["before"]["ordinal"]),
        period_before_duration=tuple(distractors["before_duration"]["period"]),
        slogan_after=tuple(distractors["after_count"]["words"]),
        article_numerals=frozenset(distractors["article"]["numerals"]),
        garbled=frozenset(distractors["garbled"]["chars"]),
        chinese_digits=cn_digits,
        magnitude_endings=numbers["magnitude_endings"],
        # a numeral with one of these is a number, not a bare magnitude (十 counts: 十家)
        digit_chars=frozenset(cn_digits + "十0123456789"),
        chinese_positions=cn_positions,
        max_integer_digits=int(numbers["limits"]["max_integer_digits"]),
        pattern=pattern,
        scanner=Scanner(pattern, _candidates(pattern, cn_chars + point, qualifiers["before"])),
    )


def _candidates(pattern: re.Pattern[str], numerals: str, qualifiers_before: dict[str, str]) -> list[re.Pattern[str]]:
    """Where a quantity can start, for :class:`Scanner`: a character a
    match can start with, and after a number character the rest of its run
    skipped — no number starts inside a run (the pattern's look-behind) and
    no qualifier starts with a number character (checked here)."""
    first = first_char_class(pattern.pattern, pattern.flags)
    number_chars = "0-9" + re.escape(numerals)
    if first is None:
        raise ValueError("the quantity pattern has no bounded first characters: patterns/ changed?")
    if any(re.match(f"[{number_chars}]", word) for word in qualifiers_before):
        return [re.compile(f"({first})", pattern.flags & re.IGNORECASE)]  # every position of a run
    return [re.compile(rf"({first})(?:(?<=[{number_chars}])[{number_chars}]*+)?", pattern.flags & re.IGNORECASE)]


_ONE: Final = Decimal(1)

# Where a clause starts, for the money-context look-back.
_CLAUSE_BREAK: Final = regex.compile(r"[，。；！？,;!?\n：:]")


@dataclass(slots=True)
class QuantityScan:
    """What :func:`find_quantities` found, and what it skipped and why."""

    quantities: list[Quantity]
    warnings: list[str]


def find_quantities(text: str) -> QuantityScan:
    """Every quantity in normalized ``text``, in order of position.

    >>> [(q.text, q.kind, int(q.value), q.unit, q.qualifier) for q in find_quantities("新引进2亿元以上重大项目45个以上").quantities]
    [('2亿元以上', 'money', 200000000, 'CNY', 'at_least'), ('45个以上', 'count', 45, '个', 'at_least')]
    """
    lex = lexicon()
    found: list[Quantity] = []
    warnings: list[str] = []
    for m in lex.scanner.matches(text):
        quantity = _interpret(m, text, lex, warnings)
        if quantity is not None:
            found.append(quantity)
    return QuantityScan(found, warnings)


# Group numbers of the pattern built in lexicon() (checked there). A match's
# spans are read at once from Match.regs: one attribute instead of a method
# call per group asked, several times for every number in the text.
_PRE: Final = 1
_PCT: Final = 2
_NUM: Final = 3
_INSIDE1: Final = 4
_MAG: Final = 5
_SEP: Final = 6
_NUM2: Final = 7
_MAG2: Final = 8
_INSIDE2: Final = 9
_UNIT: Final = 10
_POST: Final = 11
_GROUPS: Final = {
    "pre": _PRE, "pct": _PCT, "num": _NUM, "inside1": _INSIDE1, "mag": _MAG, "sep": _SEP,
    "num2": _NUM2, "mag2": _MAG2, "inside2": _INSIDE2, "unit": _UNIT, "post": _POST,
}
_Spans = tuple[tuple[int, int], ...]


def _group(text: str, span: tuple[int, int]) -> str | None:
    """What a group matched (None when it took no part), from its span."""
    start, end = span
    return text[start:end] if start >= 0 else None


def _interpret(m: re.Match[str], text: str, lex: _Lexicon, warnings: list[str]) -> Quantity | None:
    spans: _Spans = m.regs
    match_start, match_end = spans[0]
    pct = _group(text, spans[_PCT])
    if pct is not None:
        value = _number_value(pct, lex)
        if value is None:
            return None
        return _build(spans, text, lex, "percent", value, "%", None, match_end)

    num_start, num_end = spans[_NUM]
    num = text[num_start:num_end]
    unit, mag = _group(text, spans[_UNIT]), _group(text, spans[_MAG])
    # 两亿 and 三千万 carry their magnitude inside the Chinese numeral.
    has_magnitude = mag is not None or num[-1] in lex.magnitude_endings
    if unit is None and not has_magnitude:
        return None  # a bare number: a year, a code, a name (the commonest case: checked first)
    if _preceded_by(text, num_start, lex.ordinal_before):
        return None  # 第一, 第三位: an ordinal
    if not _has_digit(num, lex) and not _is_bare_money(num, lex):
        return None  # 万元GDP, 千家万户: positions alone are idioms, not figures
    if _touches_garbled(text, num_start, match_end, lex):
        warnings.append(f"skipped the number '{text[match_start:match_end]}' at {match_start}: it touches garbled characters")
        return None

    unit_key = "" if unit is None else unit.lower() if unit.isascii() else unit
    kind = lex.unit_kinds.get(unit_key) if unit else None
    if unit is not None and kind is None:
        return None
    end = match_end
    unit_end = spans[_UNIT][1]
    if unit and _blocked(text, unit_end, unit, lex):
        # 百亿项目: the "unit" 项 begins the word 项目. Re-read without it.
        unit, kind = None, None
        end = max(spans[_NUM][1], spans[_MAG][1], spans[_NUM2][1], spans[_MAG2][1], spans[_INSIDE2][1])
        if not has_magnitude:
            return None
    if kind not in (None, "money") and not _has_digit(num, lex):
        return None  # 亿万人, 百家: a bare magnitude is an amount of money or nothing
    if unit and unit_key in lex.ascii_units and unit_end < len(text) and text[unit_end].isascii() and text[unit_end].isalpha():
        return None  # 5Gbps, 3MWp: part of a longer token

    low = _number_value(num, lex)
    if low is None:
        return None
    multiplier = lex.magnitudes.get(mag, _ONE) if mag else _ONE
    high = None
    num2 = _group(text, spans[_NUM2])
    if num2 is not None:
        high = _number_value(num2, lex)
        if high is None:
            return None
        mag2 = _group(text, spans[_MAG2])
        high_multiplier = lex.magnitudes.get(mag2, _ONE) if mag2 else multiplier
        if not mag:  # 10—20亿元: the magnitude written once covers both ends
            multiplier = high_multiplier
        high *= high_multiplier
        if unit is None and not mag2 and not mag:
            return None
    low *= multiplier
    if high is not None and high < low:
        return None  # 2023-10 or a code, not a range

    if kind is None:
        # A number with a magnitude and no unit: money when the clause is about money.
        if lex.bare_money.get(num) == "currency":
            return None  # 千万 alone is an adverb
        clause_start = _clause_start(text, match_start)
        if not (_is_bare_money(num, lex) or lex.money_context.search(text, clause_start, match_start)):
            return None
        return _build(spans, text, lex, "money", low, "CNY", "CNY", end, high=high)

    if kind == "money" and unit is not None:  # (kind is only set with a unit)
        currency = lex.currencies[unit]
        return _build(spans, text, lex, "money", low, currency, currency, end, high=high)
    if kind == "count":
        if num in lex.article_numerals and high is None:
            return None  # 一个, 一批: the article "a"
        if text.startswith(lex.slogan_after, match_end):
            return None  # 三个代表, 两个维护
        return _build(spans, text, lex, "count", low, unit, None, end, high=high)
    if kind == "percent" and unit == "成":
        if low > 10 or (high is not None and high > 10):
            return None  # 20成: not tenths
        return _build(spans, text, lex, "percent", low * 10, "%", None, end, high=high * 10 if high is not None else None)
    if kind == "duration":
        if unit == "年" and _looks_like_year(num):
            return None  # 2023年 is a date
        if not _group(text, spans[_PRE]) and _preceded_by(text, num_start, lex.period_before_duration):
            return None  # 前8个月: a period of the calendar
        return _build(spans, text, lex, "duration", low, unit, None, end, high=high)
    return _build(spans, text, lex, kind, low, unit, None, end, high=high)


def _build(
    spans: _Spans,
    text: str,
    lex: _Lexicon,
    kind: str,
    value: Decimal,
    unit: str | None,
    currency: str | None,
    end: int,
    *,
    high: Decimal | None = None,
) -> Quantity:
    start = spans[0][0]
    pre = _group(text, spans[_PRE])
    if (
        pre
        and start > 0
        and text[start - 1] in lex.qualifier_blocked_by.get(pre, "")
        and not text[:start].endswith(lex.qualifier_unblocked_after.get(pre, ()))
    ):
        pre = None  # 签约270个: 约 ends the word 签约
        start = spans[_PRE][1]
    qualifier = "exact"
    inside = _group(text, spans[_INSIDE1]) or _group(text, spans[_INSIDE2])
    post = _group(text, spans[_POST])
    if high is not None:
        qualifier = "range"
    elif pre:
        qualifier = lex.qualifiers_before[pre]
    elif inside:
        qualifier = lex.qualifiers_inside[inside]
    elif post and end >= spans[_POST][1]:
        qualifier = lex.qualifiers_after[post]
    return new_quantity(text[start:end], start, end, kind, value, unit, currency, qualifier, value if high is not None else None, high)


def _preceded_by(text: str, position: int, words: tuple[str, ...]) -> bool:
    window = text[max(0, position - 4) : position]
    return window.endswith(words)


def _clause_start(text: str, position: int) -> int:
    window_start = max(0, position - 60)
    last = window_start
    for b in _CLAUSE_BREAK.finditer(text, window_start, position):
        last = b.end()
    return last


def _blocked(text: str, unit_end: int, unit: str, lex: _Lexicon) -> bool:
    following = lex.blocked_after.get(unit)
    return following is not None and unit_end < len(text) and text[unit_end] in following


def _touches_garbled(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    return (start > 0 and text[start - 1] in lex.garbled) or (end < len(text) and text[end] in lex.garbled)


def _is_bare_money(num: str, lex: _Lexicon) -> bool:
    return num in lex.bare_money


def _has_digit(num: str, lex: _Lexicon) -> bool:
    return num[0].isdigit() or not lex.digit_chars.isdisjoint(num)


def _looks_like_year(num: str) -> bool:
    if num.isdigit():
        return len(num) == 4
    # 二〇二三: Chinese digits read one by one, no positions, is a year.
    return len(num) >= 2 and not any(c in "十百千万亿" for c in num)


def _number_value(num: str, lex: _Lexicon) -> Decimal | None:
    if num[0].isdigit():
        digits = num.replace(",", "")
        integer = digits.split(".", 1)[0]
        if len(integer) > lex.max_integer_digits or (len(integer) > 1 and integer[0] == "0"):
            return None  # a phone, registration or ID number
        try:
            return Decimal(digits)
        except InvalidOperation:
            return None
    return _chinese_value(num)


@lru_cache(maxsize=4096)
def _chinese_value(num: str) -> Decimal | None:
    """Value of a Chinese numeral (三百二十 → 320, 百亿 → 1e10), or None."""
    if len(num) > 20:
        return None
    if num[0] in "十百千万亿":
        num = "一" + num
    if len(num) >= 2 and not any(c in "十百千万亿点" for c in num):
        return None  # 二〇二三, 三五: digit strings, not amounts
    try:
        value = cn2an.cn2an(num, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
